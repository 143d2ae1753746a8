"""HTML for the UI: citation cards, clauses, table 1, glossary, staff lines. Everything shown is escaped.

Every piece of corpus or user text goes through html.escape (or `_md_text` in the chat) before it is shown:
the page never injects a question or a clause as HTML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from bot import views
from bot.schema import Answer

if TYPE_CHECKING:
    from bot.service import PolicyBot

LANGUAGES = [("自动 Auto", "auto"), ("简体中文", "zh"), ("繁體中文", "zh-Hant"), ("English", "en")]
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
EXAMPLES = {
    "企业 · Enterprises": [
        "企业做知识产权质押融资有什么支持？",
        "企业申请知识产权管理体系认证有什么支持？",
        "金砖创新基地有哪些知识产权服务？",
    ],
    "Foreign firms · English": [
        "How does Xiamen help companies protect their IP overseas?",
        "Which department is responsible for IP pledge financing?",
        "What is the target for overseas invention patents?",
    ],
    "窗口人员 · Service-window staff": [
        "构建金砖创新基地服务体系由哪些单位负责？",
        "这个方案的文号和有效期是什么？",
        "台灣企業可以申請哪些智慧財產權支持？",
    ],
}

UI_CSS = """
.gradio-container { width: 100% !important; max-width: 1100px !important; min-width: 0 !important;
  margin: 0 auto !important; }
/* Gradio prefixes rules inside @media with its content root, so the page padding is narrowed with clamp. */
.main.app { padding-left: clamp(8px, 3vw, 32px) !important; padding-right: clamp(8px, 3vw, 32px) !important; }
.pb-header h1 { font-size: 1.35rem; margin: 0 0 .2rem; line-height: 1.35; }
.pb-header p { margin: 0; color: var(--body-text-color-subdued); }
.pb-notice { background: var(--color-accent-soft); border-left: 4px solid var(--color-accent);
  border-radius: 6px; padding: 8px 12px; margin: 6px 0; }
.pb-notice p { margin: 2px 0; }
.pb-cards { display: grid; gap: 12px; }
.pb-card, .pb-clause { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 12px 14px;
  background: var(--block-background-fill); overflow-wrap: anywhere; word-break: break-word; }
.pb-label { font-weight: 600; color: var(--color-accent); }
.pb-title { font-weight: 600; margin: 4px 0; }
.pb-en { display: block; color: var(--body-text-color-subdued); font-size: .92em; font-weight: normal; }
.pb-quote { margin: 0; padding: 6px 10px; border-left: 3px solid var(--color-accent);
  background: var(--background-fill-secondary); border-radius: 4px; }
.pb-note { font-size: .8em; color: var(--body-text-color-subdued); }
.pb-units ul { display: flex; flex-wrap: wrap; gap: 6px; list-style: none; margin: 4px 0 0; padding: 0; }
.pb-units li { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 3px 8px;
  background: var(--background-fill-secondary); max-width: 100%; }
.pb-quotes { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin: 8px 0; }
.pb-quotes.single { grid-template-columns: 1fr; }
.pb-side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 8px; }
.pb-side section { min-width: 0; }
.pb-side h4 { margin: 0 0 4px; }
details.pb-full summary { cursor: pointer; color: var(--color-accent); margin-top: 6px; }
.pb-table-wrap { overflow-x: auto; }
table.pb-table { border-collapse: collapse; width: 100%; font-size: .92em; }
table.pb-table th, table.pb-table td { border: 1px solid var(--border-color-primary); padding: 4px 6px;
  vertical-align: top; text-align: left; }
.pb-outline ul { list-style: none; margin: 2px 0 10px; padding: 0 0 0 .6em; }
@media (max-width: 720px) {
  .pb-side, .pb-quotes { grid-template-columns: 1fr; }
  .pb-header h1 { font-size: 1.1rem; }
  table.pb-table { font-size: .82em; }
}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _md_text(text: str) -> str:
    """Chat text stays markdown but can never open an HTML tag (so `<img onerror=…>` shows as text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _number(value: object) -> str:
    return "—" if value is None else esc(value)


def _bilingual(zh: object, en: object) -> str:
    return esc(zh) + (f'<span class="pb-en" lang="en">{esc(en)}</span>' if en else "")


def units_html(units: list[dict[str, str | None]]) -> str:
    if not units:
        return ""
    items = "".join(f'<li lang="zh">{_bilingual(u["zh"], u["en"])}</li>' for u in units)
    return f'<div class="pb-units"><b>责任单位 · Responsible units</b><ul>{items}</ul></div>'


def table_html(view: dict[str, Any]) -> str:
    table = view["table"]
    years = (table["baseline_year"], table["target_year"])
    head = [
        _bilingual("主要指标", "Indicator"),
        _bilingual("单位", "Unit"),
        _bilingual(f"基期值（{years[0]}）", f"Baseline ({years[0]})"),
        _bilingual(f"预期值（{years[1]}）", f"Expected ({years[1]})"),
        _bilingual("备注", "Remark"),
    ]
    rows = "".join(
        "<tr>"
        f'<td lang="zh">{_bilingual(r["indicator"], r["indicator_en"])}</td>'
        f"<td>{_bilingual(r['unit'], r['unit_en']) if r['unit'] else '—'}</td>"
        f"<td>{_number(r['baseline'])}</td><td>{_number(r['target'])}</td>"
        f"<td>{_bilingual(r['remark'], r['remark_en']) if r['remark'] else '—'}</td>"
        "</tr>"
        for r in table["rows"]
    )
    header = "".join(f"<th>{h}</th>" for h in head)
    return f'<div class="pb-table-wrap"><table class="pb-table"><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></div>'


def clause_html(view: dict[str, Any] | None) -> str:
    """A clause with the Chinese original and the English rendition side by side."""
    if view is None:
        return '<div class="pb-clause">未找到该条款 · Clause not found.</div>'
    text_en = view["text_en"] or "No English rendition for this clause."
    body = ""
    if view["text"] or view["kind"] != "table":
        body = (
            '<div class="pb-side">'
            f'<section lang="zh"><h4>中文原文</h4><p>{esc(view["text"]) or "（本条为标题）"}</p></section>'
            f'<section lang="en"><h4>English (unofficial)</h4><p>{esc(text_en)}</p>'
            f'<p class="pb-note">{esc(view["note"])}</p></section></div>'
        )
    children = "".join(f"<li>{_bilingual(c['title'], c['title_en'])}</li>" for c in view["children"])
    return (
        '<div class="pb-clause">'
        f'<div class="pb-label">{esc(view["label"]["zh"])}<span class="pb-en">{esc(view["label"]["en"])}</span></div>'
        f'<div class="pb-title" lang="zh">{_bilingual(view["title"], view["title_en"])}</div>'
        f"{body}{units_html(view['responsible_units'])}"
        f"{table_html(view) if 'table' in view else ''}"
        f"{f'<ol class=pb-children>{children}</ol>' if children else ''}"
        "</div>"
    )


def _second_label(label: str, view: dict[str, Any] | None) -> str:
    """The clause's name in the other language, so Chinese and English readers can both find it."""
    if view is None:
        return ""
    other = view["label"]["en"] if label == view["label"]["zh"] or "《" in label else view["label"]["zh"]
    return f'<span class="pb-en">{esc(other)}</span>' if other != label else ""


def cards_html(bot: PolicyBot, answer: Answer) -> str:
    """Citation cards: label, Chinese quote, English rendition, units, and the full clause on demand."""
    cards = []
    for number, c in enumerate(answer.citations, 1):
        view = views.clause_view(bot, c.doc_id, c.clause)
        title_en = view["title_en"] if view else None
        units = [
            {"zh": zh, "en": en} for zh, en in zip(c.responsible_units, c.responsible_units_en, strict=False)
        ]
        if len(units) < len(c.responsible_units):
            units = [{"zh": zh, "en": None} for zh in c.responsible_units]
        quote_en = (
            f'<blockquote class="pb-quote" lang="en">{esc(c.quote_en)}'
            '<span class="pb-note"> — unofficial translation</span></blockquote>'
            if c.quote_en
            else ""
        )
        cards.append(
            f'<article class="pb-card" data-clause="{esc(c.clause)}">'
            f'<div class="pb-label">[{number}] {esc(c.label)}{_second_label(c.label, view)}</div>'
            f'<div class="pb-title" lang="zh">{_bilingual(c.title, title_en)}</div>'
            f'<div class="pb-quotes{"" if quote_en else " single"}">'
            f'<blockquote class="pb-quote" lang="zh">{esc(c.quote_display or c.quote)}</blockquote>{quote_en}</div>'
            f"{units_html(units)}"
            f'<details class="pb-full"><summary>查看条款全文 · Open full clause</summary>{clause_html(view)}</details>'
            "</article>"
        )
    if answer.abstained and answer.related:
        for r in answer.related:
            view = views.clause_view(bot, r.doc_id, r.clause)
            label = view["label"]["en" if answer.language == "en" else "zh"] if view else r.clause
            cards.append(
                f'<article class="pb-card" data-clause="{esc(r.clause)}">'
                f'<div class="pb-label">相关条款 · Related: {esc(label)}</div>'
                f'<div class="pb-title" lang="zh">{_bilingual(r.title, view["title_en"] if view else None)}</div>'
                f'<details class="pb-full"><summary>查看条款全文 · Open full clause</summary>{clause_html(view)}</details>'
                "</article>"
            )
    return f'<div class="pb-cards">{"".join(cards)}</div>' if cards else ""


def notices_html(answer: Answer) -> str:
    lines = [
        f"<p>回答语言 · Answer language: <b>{esc(LANGUAGE_NAMES.get(answer.language, answer.language))}</b></p>"
    ]
    lines += [f"<p>ⓘ {esc(n)}</p>" for n in answer.notices]
    return f'<div class="pb-notice" id="pb-notices">{"".join(lines)}</div>'


def staff_text(bot: PolicyBot, answer: Answer) -> str:
    """Citation lines and quotes ready to copy or read out at the service window."""
    if not answer.citations:
        return "（没有可引用的条款 · nothing to cite）"
    heading = "Responsible units: " if answer.language == "en" else "责任单位："
    blocks = []
    for number, c in enumerate(answer.citations, 1):
        if answer.language == "en":
            units = "; ".join(
                en or zh for zh, en in zip(c.responsible_units, c.responsible_units_en, strict=False)
            ) or "; ".join(c.responsible_units)
        else:
            units = "、".join(c.responsible_units)
        block = f"{number}. {views.citation_line(c, answer.language, bot.corpus)}"
        blocks.append(block + (f"\n   {heading}{units}" if units else ""))
    return "\n\n".join(blocks)


def header_html(bot: PolicyBot, api_base: str) -> str:
    docs = views.documents(bot)
    plan = docs[0] if docs else {}
    meta = " · ".join(esc(x) for x in (plan.get("number"), plan.get("issuer"), plan.get("issued")) if x)
    period = (
        f"示范期 Demonstration period {esc(plan.get('valid_from'))} – {esc(plan.get('valid_to'))}"
        if plan.get("valid_to")
        else ""
    )
    return (
        '<div class="pb-header">'
        f'<h1>{esc(plan.get("title", "policybot"))}<span class="pb-en">{esc(plan.get("title_en"))} — Q&amp;A</span></h1>'
        f'<p>{meta}{" · " + period if period else ""} · <a href="{esc(api_base)}/docs" target="_blank">API</a></p>'
        "<p>英文为非官方译文，以中文原文为准。The English rendition is unofficial; the Chinese original prevails.</p>"
        "</div>"
    )


def _outline(bot: PolicyBot, doc_id: str) -> list[dict[str, Any]]:
    """The document's clauses, each with its short Chinese label (一、 / (十六) / 表1) in `short`."""
    document = next((d for d in views.documents(bot) if d["doc_id"] == doc_id), None)
    entries = []
    for c in document["clauses"] if document else []:
        view = views.clause_view(bot, doc_id, c["clause"])
        short = view["label"]["zh"].split("》", 1)[-1] if view else c["clause"]
        entries.append({**c, "short": short.split("、", 1)[-1] if c["kind"] == "measure" else short})
    return entries


def clause_choices(bot: PolicyBot, doc_id: str) -> list[tuple[str, str]]:
    choices = []
    for c in _outline(bot, doc_id):
        indent = "\u3000" if c["part"] else ""  # an ideographic space shows the nesting in the list
        title = "" if c["title"] in c["short"] or c["kind"] in ("notice", "intro") else c["title"]
        choices.append((f"{indent}{c['short']} {title}".rstrip(), c["clause"]))
    return choices


def outline_html(bot: PolicyBot, doc_id: str) -> str:
    entries = _outline(bot, doc_id)
    parts = []
    for part in (c for c in entries if c["kind"] == "part"):
        items = "".join(
            f"<li>{esc(m['short'])} {esc(m['title'])}</li>" for m in entries if m["part"] == part["clause"]
        )
        parts.append(
            f"<div><b>{esc(part['short'])}</b>{_bilingual('', part['title_en'])}<ul>{items}</ul></div>"
        )
    return f'<div class="pb-outline">{"".join(parts)}</div>'


def glossary_html(terms: list[dict[str, Any]], limit: int = 200) -> str:
    """Glossary entries as a table: plan term, Traditional forms, English with its variants, type."""
    rows = "".join(
        "<tr>"
        f'<td lang="zh">{esc(t["zh"])}</td>'
        f'<td lang="zh-Hant">{_bilingual(t["zh_hant"], "、".join(t["zh_hant_alt"]))}</td>'
        f'<td lang="en">{_bilingual(t["en"], "; ".join(t["en_alt"]))}</td>'
        f"<td>{esc(t['type'])}</td>"
        "</tr>"
        for t in terms[:limit]
    )
    more = (
        f'<p class="pb-note">{len(terms) - limit} more — narrow the search.</p>' if len(terms) > limit else ""
    )
    if not terms:
        return '<p class="pb-note">没有匹配的术语 · No matching term.</p>'
    head = "<tr><th>简体</th><th>繁體</th><th>English</th><th>类型 · Type</th></tr>"
    return f'<div class="pb-table-wrap"><table class="pb-table"><thead>{head}</thead><tbody>{rows}</tbody></table></div>{more}'
