"""HTML for the UI: citation cards, clauses, tables, glossary, staff lines. Everything shown is escaped.

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
UI_CSS = """
.pb-hidden { display: none !important; }
/* The language switch (ui/page.js) shows one half of a Chinese/English pair. */
html[data-chrome="en"] .pb-pair > [lang="zh"], html[data-chrome="zh"] .pb-pair > [lang="en"],
html[data-chrome="zh-Hant"] .pb-pair > [lang="en"] { display: none !important; }
.pb-pair > .pb-en { display: block; }
/* The theme has one accent for both modes (see ui.app.page_theme): on dark, its lighter shade reads. */
.dark, .dark .gradio-container { --color-accent: var(--primary-400) !important; }
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
.pb-outline ul { list-style: none; margin: 2px 0 6px; padding: 0 0 0 .8em; }
.pb-outline summary, .pb-doc-list summary { cursor: pointer; color: var(--color-accent); }
.pb-doc-list { margin: 4px 0; padding-left: 1.2em; }
.pb-doc { border-top: 1px solid var(--border-color-primary); padding: 10px 0; }
.pb-doc h4 { margin: 10px 0 4px; }
.pb-meta { margin: 2px 0; color: var(--body-text-color-subdued); font-size: .92em; }
.pb-status { display: inline-block; border-radius: 8px; padding: 0 6px; font-size: .85em;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); }
.pb-status[data-status="in_force"] { border-color: var(--color-accent); }
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


def _bilingual(zh: object, en: object) -> str:
    return esc(zh) + (f'<span class="pb-en" lang="en">{esc(en)}</span>' if en else "")


def units_html(units: list[dict[str, str | None]]) -> str:
    if not units:
        return ""
    items = "".join(f'<li lang="zh">{_bilingual(u["zh"], u["en"])}</li>' for u in units)
    return f'<div class="pb-units"><b>责任单位 · Responsible units</b><ul>{items}</ul></div>'


def _with_year(name: str | None, year: int | None, form: str) -> str | None:
    return name + form.format(year) if name and year else name


def table_html(view: dict[str, Any]) -> str:
    """A table with its own header cells and each row's cells (English under each where there is one)."""
    table = view["table"]
    columns, columns_en = table["columns"], table["columns_en"]
    years = table.get("column_years") or [None] * len(columns)
    head = "".join(
        f"<th>{_bilingual(_with_year(zh, year, '（{}）'), _with_year(en, year, ' ({})'))}</th>"
        for zh, en, year in zip(columns, columns_en, years, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td lang="zh">{_bilingual(r["cells"][c], r["cells_en"].get(c)) if r["cells"].get(c) else "—"}</td>'
            for c in columns
        )
        + "</tr>"
        for r in table["rows"]
    )
    return (
        f'<div class="pb-table-wrap"><table class="pb-table" data-clause="{esc(view["clause"])}">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


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
            f'<section lang="en"><h4>English ({"machine translation" if view.get("english") == "machine" else "unofficial"})</h4>'
            f"<p>{esc(text_en)}</p>"
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


_MACHINE_NOTE = " — machine translation, checked against the Chinese, not reviewed by a person"


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
        made = _MACHINE_NOTE if view and view.get("english") == "machine" else " — unofficial translation"
        quote_en = (
            f'<blockquote class="pb-quote" lang="en">{esc(c.quote_en)}<span class="pb-note">{made}</span></blockquote>'
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


def cut_note(length: int, limit: int) -> str:
    return (
        f"问题共 {length} 字，超过 {limit} 字的上限：只保留并回答了前 {limit} 字。"
        f" · The question had {length} characters, over the {limit}-character limit: only the first {limit}"
        " were kept and answered."
    )


def notices_html(answer: Answer, note: str = "") -> str:
    lines = [
        f"<p>回答语言 · Answer language: <b>{esc(LANGUAGE_NAMES.get(answer.language, answer.language))}</b></p>"
    ]
    if note:
        lines.append(f'<p class="pb-cut">⚠️ {esc(note)}</p>')
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


def glossary_html(terms: list[dict[str, Any]], limit: int = 200) -> str:
    """Glossary entries as a table: Simplified term, Traditional forms, English with its variants, type."""
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
