"""Answers from a table: the rows a question names, cell by cell under the table's own columns; an indicator
table's base and target years; what the table does not give (another year, a district's own figure)."""

from __future__ import annotations

import re

from bot.answer.draft import Draft
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.outcome import districts_named, english_districts
from bot.intent import CLAIMED_NUMBER
from bot.lang import english_tokens
from bot.schema import Document, Hit, Table, TableRow

# "基期是哪一年", "which year are the expected values for": the table's years, not a row.
_TABLE_YEARS = re.compile(
    r"(?:基期|预期值|預期值|目标值|目標值)[^，,。？?]{0,6}(?:哪一年|哪年|哪个年份|哪個年份|什么年份|什麼年份)|"
    r"(?:哪一年|哪年)[^，,。？?]{0,4}(?:为|為|作为|作為|是)?(?:基期|基準)|"
    r"\bwhich years?\b[^?]{0,40}\b(?:base|baseline|expected|target)|\bbase(?:-| )?(?:period )?year\b",
    re.IGNORECASE,
)
_RELATIVE_YEAR = re.compile(
    r"去年|今年|前年|明年|上一年|上年度|本年度|last year|this year|next year|the year before", re.IGNORECASE
)
_ASKED_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# "2022-2025年" names a period (often a document's own title), not a year asked about.
_YEAR_RANGE = re.compile(r"20\d\d\s*(?:年)?\s*[-—–~～至到]\s*20\d\d")
_TARGET_COLUMN = re.compile(r"预期|目标")


def _num(value: float | int | None) -> str:
    return "—" if value is None else f"{value:g}"


def plain_number(value: object) -> str:
    number = float(str(value).replace(",", ""))
    return str(int(number)) if number.is_integer() else str(number)


def rows_for(kit: Kit, table: Table, ask: Ask) -> list[tuple[float, int, TableRow]]:
    """The rows the question asks for: by their names' words, or all rows with a remark it quotes
    ("哪几项备注是年均值"). (Not by unit: "定成了40亿美元" names the wrong unit of another row.)"""
    remark = _remark_asked(kit, table, ask)
    by_column = [(1.0, i, row) for i, row in enumerate(table.rows) if remark and row.remark == remark]
    if by_column and len(by_column) < len(table.rows):
        return by_column
    query = ask.query
    return kit.quoter.best_rows(query.zh_text + " " + " ".join(query.translated_terms), query.text, table)


def _remark_asked(kit: Kit, table: Table, ask: Ask) -> str | None:
    """The remark the question quotes (年均值, "annual averages"); of two ("年均值而不是累计值"), the first."""
    english_rows = kit.rendition(table.doc_id).tables.get(table.clause, {}).get("rows", [])
    asked = " ".join(english_tokens(ask.query.text))
    zh_text = ask.query.zh_text
    found: dict[str, int] = {}
    for i, row in enumerate(table.rows):
        if not row.remark or len(row.remark) < 2:
            continue
        remark_en = english_rows[i].get("remark_en") if i < len(english_rows) else None
        stems = " ".join(english_tokens(remark_en or ""))
        at = zh_text.find(row.remark) if row.remark in zh_text else asked.find(stems) if stems else -1
        if at >= 0:
            found[row.remark] = at
    return min(found, key=lambda remark: found[remark]) if found else None


def rows_draft(kit: Kit, document: Document, table: Table, rows: list[tuple[float, int, TableRow]]) -> Draft:
    """The rows cell by cell: an indicator table's target and base values with their years and unit, any
    other table's cells under its own columns. A second row is shown when it matches nearly as well."""
    clause = document.clause(table.clause)
    assert clause is not None
    english = kit.rendition(document.doc_id).tables.get(table.clause, {})
    english_rows = english.get("rows", [])
    points: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    rendered: list[str | None] = []
    shown = [r for i, r in enumerate(rows) if i == 0 or r[0] >= min(rows[0][0] - 0.2, 1.0)]
    indicator_table = bool(table.baseline_year and table.target_year)
    for _, n, row in shown:
        row_en = english_rows[n] if n < len(english_rows) else {}
        if indicator_table:
            texts = kit.say(
                "table.indicator_row",
                indicator=Both(row.indicator, row_en.get("indicator_en") or row.indicator),
                target_year=str(table.target_year), target=_num(row.target),
                base_year=str(table.baseline_year), baseline=_num(row.baseline),
                unit=Both(row.unit or kit.say("table.no_unit")["zh"], row_en.get("unit_en") or kit.say("table.no_unit")["en"]),
                remark=Both(
                    kit.say("table.remark", remark=row.remark)["zh"] if row.remark else "",
                    kit.say("table.remark", remark=row_en["remark_en"])["en"] if row_en.get("remark_en") else "",
                ),
            )  # fmt: skip
        else:
            cells = [
                (c, v) for c, v in row.cells.items() if v and c not in ("序号", "编号") and v != row.indicator
            ]
            texts = kit.say(
                "table.row",
                indicator=row.indicator,
                cells=Both(
                    "；".join(f"{c}：{v}" for c, v in cells), "; ".join(f"{c}: {v}" for c, v in cells)
                ),
            )
        points.append((texts["zh"], texts["en"]))
        spans.append((row.start, row.end))
        rendered.append(texts["en"])
    citation, en_label = kit.citation(document, clause, spans, rendered)
    title_en = (
        english.get("title_en") or kit.rendition(document.doc_id).titles.get(table.clause) or table.title
    )
    return Draft(
        lead=kit.say("table.lead", label=Both(citation.label, en_label), title=Both(table.title, title_en)),
        points=[(f"{zh} [{citation.label}]", f"{en} [{en_label}]") for zh, en in points],
        citations=[citation],
    )


def years_draft(kit: Kit, document: Document, table: Table) -> Draft | None:
    """ "Which year is the base?": the table's own header, where each year heads its column."""
    text = document.text
    target_column = next((c for c in table.columns if _TARGET_COLUMN.search(c)), None)
    start = text.find(str(table.baseline_year), table.start, table.end)
    end = text.find(target_column, start, table.end) if target_column and start >= 0 else -1
    clause = document.clause(table.clause)
    if start < 0 or end < 0 or clause is None or target_column is None:
        return None
    end += len(target_column)
    base, target = str(table.baseline_year), str(table.target_year)
    en = kit.say("table.years_line", base=base, target=target)["en"]
    citation, en_label = kit.citation(document, clause, [(start, end)], [en])
    return Draft(
        lead=kit.say(
            "table.years", label=Both(citation.label, en_label), title=table.title, base=base, target=target
        ),
        points=[(f"{' '.join(citation.quote.split())} [{citation.label}]", f"{en} [{en_label}]")],
        citations=[citation],
    )


def table_draft(kit: Kit, ask: Ask, hits: list[Hit] | None = None) -> Draft | None:
    hits = ask.hits if hits is None else hits
    intent, text = ask.intent, ask.query.text
    table_hit = next((h for h in hits[:3] if h.clause.startswith("table")), None)
    # "听说要增加到500人？" states a figure of its own: the table is where it is checked.
    states_figure = bool(CLAIMED_NUMBER.search(text))
    if table_hit is None or not (intent.value or states_figure or hits[0].clause == table_hit.clause):
        return None
    document = kit.document(table_hit.doc_id)
    table = document.table(table_hit.clause)
    if table is None:
        return None
    if _TABLE_YEARS.search(text) and table.baseline_year and table.target_year:
        return years_draft(kit, document, table)
    rows = rows_for(kit, table, ask)
    if not rows:
        return None
    draft = rows_draft(kit, document, table, rows)
    # "2023年完成了多少": the table gives its base and target years only; the rows are shown, but a year it
    # does not give is not answered.
    years = {int(y) for y in _ASKED_YEAR.findall(_YEAR_RANGE.sub("", text))}
    given = {y for y in (table.baseline_year, table.target_year) if y}
    relative = _RELATIVE_YEAR.findall(text)  # 去年, "last year": never a year the table names
    if given and (years - given or relative):
        absent = [str(y) for y in sorted(years - given)]
        draft.lead = kit.say(
            "table.other_year",
            given=Both(
                "年和".join(str(y) for y in sorted(given)), " and ".join(str(y) for y in sorted(given))
            ),
            missing=Both("、".join([f"{y}年" for y in absent] + relative), ", ".join(absent + relative)),
            document=kit.book(document),
        )
        draft.abstained = True
        return draft
    # "思明区、湖里区各自的目标": the table gives the city's figures only.
    districts = districts_named(document, text)
    if districts:
        draft.lead = district_lead(kit, districts, document)
        draft.abstained = True
        return draft
    # "听说目标是500人？": a figure the question states that the table does not give is corrected, and
    # never repeated (every number in an answer must come from the source).
    shown = {plain_number(n) for _, _, row in rows for n in (row.baseline, row.target) if n is not None}
    shown |= {
        plain_number(n)
        for _, _, row in rows
        for v in row.cells.values()
        if v
        for n in re.findall(r"\d+(?:\.\d+)?", v)
    }
    claimed = {plain_number(n) for n in CLAIMED_NUMBER.findall(text)}
    if claimed - shown:
        table_clause = document.clause(table.clause)
        assert table_clause is not None
        draft.lead = kit.say("table.different", label=Both(*kit.labels(document, table_clause)))
    return draft


def district_lead(kit: Kit, districts: list, document: Document | None) -> dict[str, str]:  # type: ignore[type-arg]
    """What to say when figures are asked for a district: the table's, or (no table row) the nearest clauses."""
    names = Both("、".join(d.zh for d in districts), english_districts(districts))
    if document is not None:
        return kit.say("table.city_wide", districts=names, document=kit.book(document))
    return kit.say("table.city_wide_clauses", districts=names)
