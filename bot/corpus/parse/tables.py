"""Tables as they reach us in text: rows of cells split by tabs, bars or wide spaces, or a page's table
flattened to one cell per line (empty cells dropped). Each keeps its own header cells as its columns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.corpus.clean import Line
from bot.corpus.parse.lines import SENTENCE_END, heading_of
from bot.schema import TableRow

TITLE = re.compile(r"^附?表\s*(\d{1,2})(?:[\s　:：、.．]+(.{0,60}))?$")
# A title that lost its 表 when the page was copied: "1 厦门市…主要预期性指标", recognised by the header after it.
BARE_TITLE = re.compile(r"^(\d{1,2})[\s\u3000]+(\S.{2,60})$")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?%?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_SERIAL = re.compile(r"^\d{1,3}$")
_HEADER_END = re.compile(
    r"(?:值|号|称|标|位|注|目|项|准|额|容|别|限|例|式|间|门|象|件|据|型|量|数|率|期|分|性|名|类|点|人|限额)$"
)
_ROLES = {"baseline": ("基期", "基准", "现状"), "target": ("预期", "目标"), "remark": ("备注", "说明")}


def _column_roles(columns: Sequence[str]) -> dict[str, str | None]:
    """Which header cell holds the base and target figures, the unit and the remark (when the table has them)."""
    roles: dict[str, str | None] = {
        name: next((c for c in columns if any(cue in c for cue in cues)), None)
        for name, cues in _ROLES.items()
    }
    roles["unit"] = next((c for c in columns if c in ("单位", "计量单位")), None)
    return roles


@dataclass
class ParsedTable:
    title: str
    columns: tuple[str, ...]
    rows: list[TableRow]
    start: int
    end: int
    baseline_year: int | None = None
    target_year: int | None = None
    complete: bool = True  # False when the rows could not be matched to the header cell by cell


def split_cells(text: str) -> list[str] | None:
    """A row's cells when the line is one (tabs, |bars|, or runs of two or more spaces)."""
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
    elif text.count("|") >= 2:
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
    else:
        cells = [c.strip() for c in re.split(r"[ \u3000]{2,}", text)]
    return cells if len(cells) >= 2 else None


def _is_rule(text: str) -> bool:
    return bool(re.fullmatch(r"[|\-:+=\s]+", text))


def _is_cell(text: str) -> bool:
    if heading_of(text) is not None and not _SERIAL.match(text):
        return False
    return len(text) <= 60 and not text.endswith(tuple(SENTENCE_END))


def _header_like(text: str) -> bool:
    return bool(_YEAR.match(text)) or (
        len(text) <= 8
        and not _NUMBER.match(text)
        and bool(_HEADER_END.search(text))
        and not _is_punctuated(text)
    )


def _is_punctuated(text: str) -> bool:
    return bool(re.search(r"[，,。；;：:、]", text))


def _number(text: str | None) -> int | float | None:
    if text is None or not _NUMBER.match(text):
        return None
    value = text.rstrip("%")
    return float(value) if "." in value else int(value)


def table_at(lines: Sequence[Line], i: int) -> tuple[ParsedTable, int] | None:
    """The table that starts at line i (with its title line, or a run of delimited rows), and how many lines
    it takes; None when no table starts there."""
    title_match = TITLE.match(lines[i].text)
    bare = BARE_TITLE.match(lines[i].text) if title_match is None else None
    if title_match or bare:
        match = title_match or bare
        assert match is not None
        title = (match.group(2) or "").strip()
        body = i + 1
        if body < len(lines) and split_cells(lines[body].text) and _delimited_run(lines, body) >= 2:
            table, used = _delimited(lines, body, title, lines[i].start)
            return table, used + 1
        if body < len(lines) and _header_like(lines[body].text) and (title_match or _has_years(lines, body)):
            flattened = _flattened(lines, body, title, lines[i].start)
            if flattened is not None:
                return flattened[0], flattened[1] + 1
        return None
    if split_cells(lines[i].text) and _delimited_run(lines, i) >= 3:
        return _delimited(lines, i, "", lines[i].start)
    return None


def _has_years(lines: Sequence[Line], start: int) -> bool:
    window = [line.text for line in lines[start : start + 8]]
    return any(t in ("单位", "指标", "主要指标", "序号") for t in window) and any(
        _YEAR.match(t) for t in window
    )


def _delimited_run(lines: Sequence[Line], start: int) -> int:
    width = len(split_cells(lines[start].text) or [])
    n = 0
    for line in lines[start:]:
        cells = split_cells(line.text)
        if _is_rule(line.text):
            n += 1
            continue
        if cells is None or len(cells) > width or len(cells) < max(2, width - 2):
            break
        n += 1
    return n


def _delimited(lines: Sequence[Line], start: int, title: str, title_start: int) -> tuple[ParsedTable, int]:
    used = _delimited_run(lines, start)
    header = split_cells(lines[start].text) or []
    rows = []
    for line in lines[start + 1 : start + used]:
        if _is_rule(line.text):
            continue
        cells = split_cells(line.text) or []
        rows.append(_row(header, cells + [""] * (len(header) - len(cells)), line.start, line.end))
    return ParsedTable(title, tuple(header), rows, title_start, lines[start + used - 1].end), used


def _row(header: Sequence[str], cells: Sequence[str], start: int, end: int) -> TableRow:
    values: dict[str, str | None] = {
        column: (cell or None) for column, cell in zip(header, cells, strict=False)
    }
    role = _column_roles(header)
    names = [c for c in header if c not in ("序号", "编号") and c not in role.values()]
    indicator = values.get(names[0]) if names else (cells[0] if cells else "")
    return TableRow(
        indicator=indicator or "",
        unit=values.get(role["unit"]) if role["unit"] else None,
        baseline=_number(values.get(role["baseline"])) if role["baseline"] else None,
        target=_number(values.get(role["target"])) if role["target"] else None,
        remark=values.get(role["remark"]) if role["remark"] else None,
        start=start,
        end=end,
        cells=values,
    )


def _flattened(
    lines: Sequence[Line], start: int, title: str, title_start: int
) -> tuple[ParsedTable, int] | None:
    """A table flattened to one cell per line: the header cells, then the rows, told apart by a serial number
    column (序号), by the header's width, or (an indicator table with base and target years) by what each
    cell is."""
    i = start
    columns: list[str] = []
    years: list[tuple[int, int]] = []
    while i < len(lines) and _header_like(lines[i].text):
        year = _YEAR.match(lines[i].text)
        if year:
            years.append((len(columns), int(year.group(1))))
        else:
            columns.append(lines[i].text)
        i += 1
    cells: list[Line] = []
    while i < len(lines) and _is_cell(lines[i].text):
        cells.append(lines[i])
        i += 1
    if not columns or not cells:
        return None
    used = i - start
    end = cells[-1].end
    if years:
        rows = _rows_by_content(cells, columns)
        base, target = (
            _year_before(columns, years, _ROLES["baseline"]),
            _year_before(columns, years, _ROLES["target"]),
        )
        return ParsedTable(title, tuple(columns), rows, title_start, end, base, target), used
    groups = _by_serial(cells) if columns[0] in ("序号", "编号") else None
    if groups is None:
        groups = [cells[n : n + len(columns)] for n in range(0, len(cells), len(columns))]
    complete = all(len(group) == len(columns) for group in groups)
    rows = [
        _row(columns, [c.text for c in group], group[0].start, group[-1].end) for group in groups if group
    ]
    return ParsedTable(title, tuple(columns), rows, title_start, end, complete=complete), used


def _by_serial(cells: Sequence[Line]) -> list[list[Line]] | None:
    """Rows that each begin with the next serial number (1, 2, 3 …)."""
    groups: list[list[Line]] = []
    expected = 1
    for cell in cells:
        if cell.text == str(expected):
            groups.append([cell])
            expected += 1
        elif groups:
            groups[-1].append(cell)
        else:
            return None
    return groups or None


def _year_before(columns: list[str], years: list[tuple[int, int]], cues: tuple[str, ...]) -> int | None:
    """The year printed just before the column whose name carries one of the cues (2021 / 基期值)."""
    for position, year in years:
        if position < len(columns) and any(cue in columns[position] for cue in cues):
            return year
    return None


def _is_remark(text: str, following: str | None) -> bool:
    """After a row's numbers, a short word such as 累计值 or 年均值 is a remark unless numbers follow it."""
    if following is not None and _NUMBER.match(following):
        return False
    return len(text) <= 6 or text.endswith(("值", "性"))


def _rows_by_content(cells: Sequence[Line], columns: Sequence[str]) -> list[TableRow]:
    """Rebuild an indicator table's rows when its empty cells were dropped: read each cell by what it is
    (the indicator, a short unit, the base and target numbers, a remark)."""
    role = _column_roles(columns)
    first = next((c for c in columns if c not in role.values()), columns[0])
    rows: list[TableRow] = []
    i = 0
    while i < len(cells):
        head = cells[i]
        indicator, unit, remark = head.text, None, None
        numbers: list[int | float] = []
        end = head.end
        i += 1
        unit_then_number = i + 1 < len(cells) and _NUMBER.match(cells[i + 1].text)
        if unit_then_number and not _NUMBER.match(cells[i].text) and len(cells[i].text) <= 6:
            unit = cells[i].text
            end = cells[i].end
            i += 1
        while i < len(cells) and _NUMBER.match(cells[i].text) and len(numbers) < 2:
            numbers.append(_number(cells[i].text) or 0)
            end = cells[i].end
            i += 1
        if i < len(cells) and not _NUMBER.match(cells[i].text):
            following = cells[i + 1].text if i + 1 < len(cells) else None
            if _is_remark(cells[i].text, following):
                remark = cells[i].text
                end = cells[i].end
                i += 1
        baseline = numbers[0] if numbers else None
        target = numbers[1] if len(numbers) > 1 else None
        values: dict[str, str | None] = {first: indicator}
        for name, value in (("unit", unit), ("baseline", baseline), ("target", target), ("remark", remark)):
            column = role[name]
            if column:
                values[column] = None if value is None else value if isinstance(value, str) else f"{value:g}"
        rows.append(
            TableRow(
                indicator=indicator, unit=unit, baseline=baseline, target=target, remark=remark,
                start=head.start, end=end, cells=values,
            )
        )  # fmt: skip
    return rows
