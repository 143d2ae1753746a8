"""A document's own structure, by the general shapes of Chinese official documents: an issuing notice, the
title and preamble, a body of chapters/sections/articles or parts/items (numbered straight through or
restarting in each part), tables, a closing signature, and annexes with their own articles or items."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.corpus.clean import Line
from bot.corpus.parse.body import DIVISIONS, parse_body
from bot.corpus.parse.collect import Collector, is_title
from bot.corpus.parse.lines import DATE, ClauseBuilder, Heading, heading_of
from bot.corpus.parse.tables import table_at
from bot.corpus.parse.units import is_unit_name
from bot.schema import Clause, Table

_NOTICE_TITLE = re.compile(r"(?:通知|决定|批复|通告|公告|函|意见|通报|令)$")
# 关于印发《…》的通知 after one or more issuers: a notice's title however long its issuers make it.
_ISSUING_TITLE = re.compile(
    r"[^。；;！？!?]{0,100}关于[^。；;！？!?]{2,100}的(?:通知|决定|批复|通告|公告|函|意见|通报)"
)
_PUBLICITY = re.compile(r"^[(（]\s*此件\S{0,8}公开\S{0,6}\s*[)）]$|^[(（]\s*此件不公开\s*[)）]$")


@dataclass
class Parsed:
    shape: str
    clauses: list[Clause]
    tables: list[Table]
    title: str | None
    problems: list[str] = field(default_factory=list)


def _notice_bounds(lines: Sequence[Line], body_start: int) -> tuple[int, int] | None:
    """(first line of the notice's title, its last line) when the document opens with an issuing notice that
    closes (publicity line, or issuer and date) before the body begins."""
    title = next(
        (
            i
            for i in range(min(4, body_start))
            if _NOTICE_TITLE.search(lines[i].text)
            and (is_title(lines[i].text) or _ISSUING_TITLE.fullmatch(lines[i].text) is not None)
        ),
        None,
    )
    if title is None:
        return None
    end = None
    for i in range(title + 1, body_start):
        if _PUBLICITY.match(lines[i].text):
            return title, i
        if DATE.fullmatch(lines[i].text) and i > 0 and is_unit_name(lines[i - 1].text):
            end = i
    return (title, end) if end is not None else None


def _signature_start(lines: Sequence[Line], end: int, floor: int) -> int | None:
    """Where a closing signature (issuer, date, publicity line) begins in lines[floor:end], if it ends them."""
    i = end - 1
    if i >= floor and _PUBLICITY.match(lines[i].text):
        i -= 1
    if i >= floor and re.fullmatch(rf"{DATE.pattern}(?:印发|发布)?", lines[i].text):
        if i - 1 >= floor and is_unit_name(lines[i - 1].text):
            return i - 1
        return i
    return None


def _annex_starts(headings: Sequence[Heading | None]) -> list[int]:
    """Where the annexes begin. "附件：扶持标准一览表" in a notice names an attachment; the annex itself opens
    later under the same number (附件, 附件1): of two headings with one number, the last is the annex."""
    starts = [i for i, h in enumerate(headings) if h is not None and h.kind == "annex"]
    number = {i: headings[i].number for i in starts}  # type: ignore[union-attr]
    return [i for n, i in enumerate(starts) if number[i] not in {number[j] for j in starts[n + 1 :]}]


def parse_document(doc_id: str, lines: Sequence[Line], source: str) -> Parsed:
    out = Collector(doc_id, source)
    headings = [heading_of(line.text) for line in lines]
    annex_starts = _annex_starts(headings)
    first_heading = next(
        (i for i, h in enumerate(headings) if h is not None and h.kind in DIVISIONS),
        annex_starts[0] if annex_starts else len(lines),
    )
    notice = _notice_bounds(lines, first_heading)
    annex_starts = [i for i in annex_starts if i > (notice[1] if notice else -1)]
    body_end = annex_starts[0] if annex_starts else len(lines)
    title: str | None = None
    front_start = 0
    if notice is not None:
        head = lines[notice[0]]
        builder = ClauseBuilder(doc_id, "notice", "notice", head.text, head)
        for line in [*lines[: notice[0]], *lines[notice[0] + 1 : notice[1] + 1]]:
            builder.add(line)
        out.flush(builder)
        front_start = notice[1] + 1
    body_start = first_heading
    if first_heading >= body_end:
        # Nothing is numbered: the first line is the title and the rest is the body, in paragraphs.
        body_start = min(
            front_start + (1 if front_start < len(lines) and is_title(lines[front_start].text) else 0),
            body_end,
        )
    front = list(lines[front_start:body_start])
    if front:
        titles = [line for line in front if is_title(line.text)]
        head = titles[0] if titles else front[0]
        title = head.text if titles else None
        intro = ClauseBuilder(doc_id, "intro", "intro", title or "", head)
        for line in front:
            if line is not head or title is None:
                intro.add(line)
        if intro.sentences:
            out.flush(intro)
    signature = _signature_start(lines, body_end, body_start) if body_end > body_start else None
    shape = parse_body(
        out,
        lines[body_start : signature if signature is not None else body_end],
        headings[body_start:],
        prefix="",
    )
    if signature is not None:
        builder = ClauseBuilder(doc_id, "signature", "signature", "", lines[signature])
        for line in lines[signature:body_end]:
            builder.add(line)
        out.flush(builder)
    for n, start in enumerate(annex_starts, start=1):
        end = annex_starts[n] if n < len(annex_starts) else len(lines)
        _annex(out, lines[start:end], headings[start:end], headings[start], n)  # type: ignore[arg-type]
    if not out.clauses and lines:
        builder = ClauseBuilder(doc_id, "s1", "paragraph", title or "", lines[0])
        for line in lines:
            builder.add(line)
        out.flush(builder)
    return Parsed(shape, out.clauses, out.tables, title, out.problems)


def _annex(
    out: Collector, lines: Sequence[Line], headings: Sequence[Heading | None], head: Heading, n: int
) -> None:
    annex_id = f"annex-{head.number or n}"
    rest = list(range(1, len(lines)))
    title = head.rest
    if not title and rest and is_title(lines[1].text) and (len(lines) < 3 or headings[1] is None):
        title, rest = lines[1].text, rest[1:]
    opening = (*DIVISIONS, "arabic")
    first_sub = next((i for i in rest if (h := headings[i]) is not None and h.kind in opening), None)
    # An annex that is a table (附件 一览表 with its rows) holds the table as a clause of its own, as a body does.
    table = next((i for i in rest if (first_sub is None or i < first_sub) and table_at(lines, i)), None)
    if table is not None:
        first_sub = table
    builder = ClauseBuilder(out.doc_id, annex_id, "annex", title, lines[0], number=head.number or n)
    body = rest if first_sub is None else [i for i in rest if i < first_sub]
    for i in body:
        builder.add(lines[i])
    builder.end = lines[-1].end  # the annex spans its items: a quote of the whole list is its own text
    out.flush(builder)
    if first_sub is not None:
        before = len(out.tables)
        parse_body(out, lines[first_sub:], headings[first_sub:], prefix=f"{annex_id}.", annex=annex_id)
        # A table with no title of its own (no 表1 line) is named by its annex (附件 …一览表).
        out.name_tables(range(before, len(out.tables)), title)
