"""HTML for what the page says about the loaded documents: the header, the example questions, the clause list
and the browse view (each document's facts, standing, outline and tables). Everything comes from the corpus
through bot.views; nothing here names a particular document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot import views
from ui.render import _bilingual, esc, table_html

if TYPE_CHECKING:
    from bot.service import PolicyBot

# Offered only when no document of the library curates example questions of its own.
GENERIC_EXAMPLES = {
    "示例问题 · Examples": [
        "知识产权质押融资有什么支持？",
        "这份文件的文号和有效期是什么？",
        "Which department handles applications for support?",
    ]
}
STANDING = {
    "in_force": ("现行有效", "In force"),
    "expired": ("已失效", "Expired"),
    "not_yet": ("尚未施行", "Not yet in force"),
    "repealed": ("已废止", "Repealed"),
    "unknown": ("未写明有效期", "No end date stated"),
}
OPEN_END = ("未写明终止日期", "no end date stated")
OUTLINE_OPEN = 1  # the first documents' outlines start open; the others open on a click


def example_groups(bot: PolicyBot) -> dict[str, list[str]]:
    """Each document's curated example questions under its name, or the generic set if none has any."""
    groups: dict[str, list[str]] = {}
    for document in bot.corpus.documents:
        meta = document.meta
        if meta.examples:
            english = meta.short_title_en or meta.title_en
            groups[f"《{meta.title}》" + (f" · {english}" if english else "")] = list(meta.examples)
    return groups or GENERIC_EXAMPLES


def standing_html(document: dict[str, Any]) -> str:
    """The document's standing on the day asked (in force, expired, not yet, …), in both languages."""
    zh, en = STANDING.get(document["status"], STANDING["unknown"])
    if document["status"] == "in_force" and not document.get("valid_to"):
        zh, en = f"{zh}（{OPEN_END[0]}）", f"{en} ({OPEN_END[1]})"
    return f'<span class="pb-status" data-status="{esc(document["status"])}">{esc(zh)} · {esc(en)}</span>'


def _facts(document: dict[str, Any]) -> str:
    """Number, issuer, date, effective date and period, as the document gives them."""
    parts = [esc(document.get(k)) for k in ("number", "issuer", "issued") if document.get(k)]
    if document.get("effective"):
        parts.append(f"自{esc(document['effective'])}起施行 · effective {esc(document['effective'])}")
    if document.get("valid_from") or document.get("valid_to"):
        span = f"{esc(document.get('valid_from') or '…')} – {esc(document.get('valid_to') or '…')}"
        parts.append(f"{esc(document.get('period_label') or '有效期')} {span}")
    return " · ".join(parts)


def header_html(bot: PolicyBot, api_base: str) -> str:
    """The page's heading: how many documents are loaded and which, each with its standing."""
    docs = views.documents(bot)
    items = "".join(
        f'<li data-doc="{esc(d["doc_id"])}"><span lang="zh">《{esc(d["title"])}》</span> {standing_html(d)}'
        f"{_bilingual('', d.get('title_en'))}</li>"
        for d in docs
    )
    listing = f'<ul class="pb-doc-list">{items}</ul>' if docs else ""
    if len(docs) > 6:  # a long library folds away, so the chat stays near the top of the page
        listing = (
            f'<details class="pb-doc-list"><summary>文件列表 · Document list</summary>{listing}</details>'
        )
    count = len(docs)
    return (
        '<div class="pb-header">'
        '<h1 class="pb-pair"><span lang="zh">政策文件问答</span><span class="pb-en" lang="en">Policy documents — Q&amp;A</span></h1>'
        f'<p id="pb-doc-count">已载入 {count} 份文件 · {count} document{"" if count == 1 else "s"} loaded'
        f' · <a href="{esc(api_base)}/docs" target="_blank">API</a></p>{listing}'
        "<p>英文为非官方译文，以中文原文为准。 · The English rendition is unofficial; the Chinese original prevails.</p>"
        f"{_machine_note(docs)}</div>"
    )


def _machine_note(docs: list[dict[str, Any]]) -> str:
    machine = [d for d in docs if d.get("english") == "machine"]
    if not machine:
        return ""
    names = "、".join(f"《{esc(d['title'])}》" for d in machine)
    return (
        f'<p class="pb-machine">{names}的英文为机器翻译，每句已与中文核对数字、单位和机构名称，未经人工审校。 · '
        f"The English of {len(machine)} document{'' if len(machine) == 1 else 's'} is a machine translation, "
        "each sentence checked against the Chinese, not reviewed by a person.</p>"
    )


def _short(entry: dict[str, Any]) -> str:
    """A clause's place as listed under its division: (十六) under 四、, 第三条 on its own."""
    place = str(entry["place"]["zh"])
    return place.split("、", 1)[-1] if entry["kind"] == "measure" and entry["part"] else place


def _title(entry: dict[str, Any], place: str) -> str:
    return "" if entry["title"] in place else str(entry["title"])


def clause_choices(bot: PolicyBot, doc_id: str) -> list[tuple[str, str]]:
    choices = []
    for entry in views.outline(bot, doc_id):
        indent = "\u3000" if entry["part"] else ""  # an ideographic space shows the nesting in the list
        short = _short(entry)
        title = "" if entry["kind"] in ("notice", "intro") else _title(entry, short)
        choices.append((f"{indent}{short} {title}".rstrip(), entry["clause"]))
    return choices


def _outline_items(entries: list[dict[str, Any]], parent: str | None) -> str:
    items = []
    for entry in (e for e in entries if e["part"] == parent):
        short = _short(entry)
        title = _title(entry, short)
        title_html = f' <span lang="zh">{esc(title)}</span>' if title else ""
        english = " · ".join(x for x in (entry["place"]["en"], entry["title_en"]) if x)
        children = _outline_items(entries, entry["clause"])
        items.append(
            f'<li data-clause="{esc(entry["clause"])}">'
            # A link to the clause view: the page script opens the clause there (ui/page.js).
            f'<a class="pb-go" href="#pb-clause-view" data-clause="{esc(entry["clause"])}"><b lang="zh">{esc(short)}</b></a>'
            f"{title_html}{_bilingual('', english)}{children}</li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def outline_html(entries: list[dict[str, Any]], open_: bool = True) -> str:
    """A document's clauses (views.outline) nested by division, each with its place in both languages."""
    known = {e["clause"] for e in entries}
    # A clause whose division is not itself listed is shown at the top level.
    nested = [{**e, "part": e["part"] if e["part"] in known else None} for e in entries]
    return (
        f'<details class="pb-outline"{" open" if open_ else ""}>'
        f"<summary>目录（{len(entries)}） · Outline ({len(entries)})</summary>{_outline_items(nested, None)}</details>"
    )


def _table_section(view: dict[str, Any], place: dict[str, str]) -> str:
    zh = f"{place['zh']} {view['title']}".strip()
    en = " · ".join(x for x in (place["en"], view["title_en"]) if x)
    return (
        f'<section class="pb-doc-table" data-clause="{esc(view["clause"])}">'
        f'<h4 lang="zh">{_bilingual(zh, en)}</h4>{table_html(view)}</section>'
    )


def library_html(bot: PolicyBot) -> str:
    """Every loaded document: title, facts and standing, outline, and each table with its own columns."""
    articles = []
    for i, document in enumerate(views.library(bot)):
        facts = _facts(document)
        places = {e["clause"]: e["place"] for e in document["outline"]}
        articles.append(
            f'<article class="pb-doc" data-doc="{esc(document["doc_id"])}">'
            f'<div class="pb-title" lang="zh">《{esc(document["title"])}》'
            f"{_bilingual('', document.get('title_en'))}</div>"
            f'<p class="pb-meta">{facts + " · " if facts else ""}{standing_html(document)}</p>'
            f"{outline_html(document['outline'], open_=i < OUTLINE_OPEN)}"
            f"{''.join(_table_section(t, places[t['clause']]) for t in document['tables'])}"
            "</article>"
        )
    return (
        '<div class="pb-library">'
        f"<h3>文件一览（{len(articles)}） · Documents in the library ({len(articles)})</h3>{''.join(articles)}</div>"
    )
