"""The body of a document or an annex: clauses by the numbering it uses (articles under chapters and sections,
items under parts, numbered straight through or restarting in each part, a numbered list, or paragraphs)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.corpus.clean import Line
from bot.corpus.parse.collect import MD_HEADING, Collector, is_title
from bot.corpus.parse.lines import ClauseBuilder, Heading, article_heading, item_heading, split_heading
from bot.corpus.parse.tables import table_at
from bot.schema import ClauseKind

DIVISIONS = ("chapter", "section", "article", "part", "item")


def _mode(headings: Sequence[Heading | None]) -> str:
    kinds = [h.kind for h in headings if h is not None]
    if kinds.count("article") >= 2:
        return "regulation"
    if kinds.count("item") >= 2:
        return "plan"
    if kinds.count("part") >= 2:
        return "parts"
    if kinds.count("arabic") >= 2:
        return "list"
    return "paragraphs"


def _arabic_items(headings: Sequence[Heading | None]) -> bool:
    """Are the items of the parts numbered 1. 2. 3. (一、 then 1.), there being no (一) items at all?"""
    kinds = [h.kind for h in headings if h is not None]
    first_part = kinds.index("part") if "part" in kinds else len(kinds)
    return "item" not in kinds and kinds[first_part:].count("arabic") >= 2


def _restarts(headings: Sequence[Heading | None], item_kind: str = "item") -> bool:
    """Do items start again at (一) (or 1.) in a later part (二、(一)), rather than run on through the parts?"""
    seen_part, items_in_part, earlier_items = False, 0, 0
    for h in headings:
        if h is None:
            continue
        if h.kind == "part":
            earlier_items += items_in_part
            seen_part, items_in_part = True, 0
        elif h.kind == item_kind:
            if seen_part and items_in_part == 0 and earlier_items and h.number == 1:
                return True
            items_in_part += 1
    return False


def parse_body(
    out: Collector,
    lines: Sequence[Line],
    headings: Sequence[Heading | None],
    prefix: str,
    annex: str | None = None,
) -> str:
    """Parse a body (the document's, or an annex's) into clauses; returns its shape."""
    mode = _mode(headings[: len(lines)])
    # 一、 with 1. 2. 3. under it: the parts' items, numbered as (一) items would be (a document's body only;
    # an annex of parts numbers its parts as its items).
    item_kind = "item"
    if mode == "parts" and annex is None and _arabic_items(headings[: len(lines)]):
        mode, item_kind = "plan", "arabic"
    restart = mode == "plan" and _restarts(headings[: len(lines)], item_kind)
    kinds: dict[str, ClauseKind] = {"regulation": "article", "plan": "measure", "list": "item"}
    clause_kind = kinds.get(mode)
    opens = {
        "regulation": ("chapter", "section", "article"),
        "plan": ("part", item_kind),
        "parts": ("part",),
        "list": ("arabic",),
    }
    current: ClauseBuilder | None = None
    division: ClauseBuilder | None = None
    chapter = section = part = None
    used: set[str] = set()
    part_number = 0
    articles = [h.rest for h in headings[: len(lines)] if h is not None and h.kind == "article"]
    headed = sum(article_heading(rest)[0] is not None for rest in articles) >= max(3, len(articles) / 2)
    i = 0
    while i < len(lines):
        line, h = lines[i], headings[i]
        found = table_at(lines, i)
        if found is not None:
            parsed, consumed = found
            out.table(
                parsed, line, section or chapter or part, inside=current is not None or division is not None
            )
            i += consumed
            continue
        kind = h.kind if h is not None and h.kind in opens.get(mode, ()) else None
        if (
            mode == "regulation"
            and kind is None
            and h is not None
            and h.kind == "part"
            and _next_is(headings, i, "article")
        ):
            kind = "part"
        if kind in ("chapter", "part") or (kind == "section" and chapter):
            out.flush(current if current is not None else division)
            current = None
            assert h is not None
            if kind == "chapter":
                chapter, section = f"{prefix}chapter-{h.number}", None
                clause_id, parent = chapter, None
            elif kind == "section":
                section = (
                    f"{prefix}section-{chapter.removeprefix(prefix).removeprefix('chapter-')}.{h.number}"  # type: ignore[union-attr]
                )
                clause_id, parent = section, chapter
            else:
                part_number = h.number
                # An annex made of parts (附件1 with 一、…六、) numbers them as its items: annex-1.1 … annex-1.6.
                part = chapter = (
                    f"{prefix}{h.number}" if annex and mode == "parts" else f"{prefix}part-{h.number}"
                )
                section = None
                clause_id, parent = part, None
            if mode == "parts":
                title, rest = split_heading(h.rest)
                current = ClauseBuilder(
                    out.doc_id, clause_id, "part", title, line, parent, h.number, title, annex
                )
                if rest:
                    current.add(Line(line.end - len(rest), line.end, rest))
                division = None
            else:
                division_kind: ClauseKind = (
                    "chapter" if kind == "chapter" else "section" if kind == "section" else "part"
                )
                division = ClauseBuilder(
                    out.doc_id,
                    clause_id,
                    division_kind,
                    h.rest,
                    line,
                    parent,
                    h.number,
                    h.rest or None,
                    annex,
                )
        elif kind in ("article", "item", "arabic") and clause_kind is not None:
            out.flush(current if current is not None else division)
            division = None
            assert h is not None
            heading: str | None
            body: str | None
            if kind == "article" or (kind == "arabic" and mode == "plan"):
                # A part's 1. 2. 3. are sentences more often than headed items: headed as articles are.
                heading, body = article_heading(h.rest) if headed or kind == "arabic" else (None, h.rest)
            else:
                heading, body = item_heading(h.rest)
            title = heading or ""
            own = (
                f"{part_number}.{h.number}"
                if restart and kind == item_kind and part_number
                else str(h.number)
            )
            clause_id = prefix + (own if own not in used else f"{len(used) + 1}")
            used.add(clause_id.removeprefix(prefix))
            current = ClauseBuilder(
                out.doc_id,
                clause_id,
                clause_kind,
                title,
                line,
                section or chapter or part,
                h.number,
                heading,
                annex,
            )
            if body:
                current.add(Line(line.end - len(body), line.end, body))
        elif mode == "paragraphs" and (is_title(line.text) or current is None):
            out.flush(current)
            marked = MD_HEADING.match(line.text)
            titled = marked is not None or is_title(line.text)
            title = marked.group(1) if marked else line.text if titled else ""
            current = ClauseBuilder(
                out.doc_id, f"{prefix}s{len(out.clauses) + 1}", "paragraph", title, line, annex=annex
            )
            if not titled:
                current.add(line)
        elif current is not None:
            current.add(line)
        elif division is not None:
            division.add(line)
        i += 1
    out.flush(current if current is not None else division)
    return mode


def _next_is(headings: Sequence[Heading | None], i: int, kind: str) -> bool:
    following = next((h for h in headings[i + 1 : i + 3] if h is not None), None)
    return following is not None and following.kind == kind
