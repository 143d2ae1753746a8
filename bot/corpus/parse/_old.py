"""Parse a cleaned document by its own structure: a plan (notice, parts, measures, tables) or a regulation
(chapters, articles, paragraphs), falling back to headed paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.corpus.clean import Line
from bot.corpus.references import references_in
from bot.schema import Clause, ClauseKind, Sentence, Table, TableRow

CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUM = f"[{CN_DIGITS}十百千]+"


def cn_to_int(numeral: str) -> int:
    """Chinese numeral (一 … 九千九百九十九, also 二十三, 十, 一百零五) or Arabic digits to int."""
    if numeral.isdigit():
        return int(numeral)
    values = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    total, digit = 0, 0
    for char in numeral:
        if char in values:
            digit = values[char]
        elif char in units:
            total += (digit or 1) * units[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + digit


PART_HEADING = re.compile(rf"^({_CN_NUM})、\s*(.+)$")
MEASURE_HEADING = re.compile(rf"^[(（]({_CN_NUM})[)）]\s*(.+)$")
CHAPTER_HEADING = re.compile(rf"^第({_CN_NUM}|\d+)章\s*(.*)$")
SECTION_HEADING = re.compile(rf"^第({_CN_NUM}|\d+)节\s*(.*)$")
ARTICLE_HEADING = re.compile(rf"^第({_CN_NUM}|\d+)条(?:\s+|　|(?=[^\s]))(.*)$")
TABLE_TITLE = re.compile(r"^(?:表\s*)?(\d{1,2})[\s\u3000]+(\S.{2,60})$")
UNITS = re.compile(r"[〔(（]责任单位[:：]\s*(.+)[〕)）]\s*$")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［【(（](\d{4})[〕\]］】)）]\s*\d+\s*号")
_SENTENCE_END = "。！？；!?;"
_CLOSERS = "”’」』)）〕】"
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?%?$")
_YEAR = re.compile(r"^(\d{4})年?$")
_UNIT_SUFFIXES = re.compile(
    r"(?:局|委|会|院|办|府|部|组|关|单位|门|处|室|厅|馆|中心|所|区管委会|开发区|管委会)$"
)


def sentences_of(clause: str, line: Line, first_index: int, paragraph: int = 1) -> list[Sentence]:
    """Split one line into sentences at 。！？； keeping closing quotes, with offsets into the source."""
    out: list[Sentence] = []
    text, cursor, i = line.text, 0, 0
    while i < len(text):
        if text[i] in _SENTENCE_END:
            j = i + 1
            while j < len(text) and text[j] in _CLOSERS:
                j += 1
            out.append(_sentence(clause, line, cursor, j, first_index + len(out), paragraph))
            cursor, i = j, j
        else:
            i += 1
    if text[cursor:].strip():
        out.append(_sentence(clause, line, cursor, len(text), first_index + len(out), paragraph))
    return out


def _sentence(clause: str, line: Line, a: int, b: int, index: int, paragraph: int) -> Sentence:
    piece = line.text[a:b]
    left = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    start = line.start + a + left
    return Sentence(
        id=f"{clause}.{index}",
        clause=clause,
        start=start,
        end=start + len(piece),
        text=piece,
        paragraph=paragraph,
    )


def split_units(units: str) -> list[str]:
    """Split a 责任单位 list on 、,; outside brackets; a shared suffix (自贸区、火炬高新区管委会) is distributed."""
    groups: list[list[str]] = [[]]
    depth, current = 0, ""
    for char in units:
        if char in "(（〔[":
            depth += 1
        elif char in ")）〕]":
            depth -= 1
        if depth == 0 and char in ",，;；":
            groups[-1].append(current)
            groups.append([])
            current = ""
        elif depth == 0 and char == "、":
            groups[-1].append(current)
            current = ""
        else:
            current += char
    groups[-1].append(current)
    result: list[str] = []
    for group in groups:
        items = [item.strip() for item in group if item.strip()]
        if not items:
            continue
        last = items[-1]
        shared = next((suffix for suffix in ("管委会",) if last.endswith("区" + suffix)), None)
        for item in items[:-1]:
            if shared and item.endswith("区") and not _UNIT_SUFFIXES.search(item):
                item += shared
            result.append(item)
        result.append(last)
    return result


class _ClauseBuilder:
    """Accumulates lines into a clause; units and references are read off the body when it is finished."""

    def __init__(
        self, doc_id: str, clause: str, kind: ClauseKind, title: str, head: Line, part: str | None = None
    ):
        self.doc_id, self.clause, self.kind, self.title, self.part = doc_id, clause, kind, title, part
        self.start, self.end = head.start, head.end
        self.sentences: list[Sentence] = []
        self.units: list[str] = []
        self.units_text: str | None = None
        self.paragraph = 0

    def add(self, line: Line, new_paragraph: bool = True) -> None:
        if new_paragraph:
            self.paragraph += 1
        self.end = max(self.end, line.end)
        match = UNITS.search(line.text)
        if match and self.kind in ("measure", "article", "paragraph"):
            units_start = match.start()
            self.units_text = line.text[units_start:]
            self.units = split_units(match.group(1))
            line = Line(line.start, line.start + units_start, line.text[:units_start].rstrip())
            if not line.text:
                return
        self.sentences.extend(
            sentences_of(self.clause, line, len(self.sentences) + 1, max(self.paragraph, 1))
        )

    def build(self) -> Clause:
        texts = [self.title, *(s.text for s in self.sentences)]
        return Clause(
            doc_id=self.doc_id,
            clause=self.clause,
            kind=self.kind,
            part=self.part,
            title=self.title,
            start=self.start,
            end=self.end,
            sentences=tuple(self.sentences),
            responsible_units=tuple(self.units),
            units_text=self.units_text,
            references=tuple(references_in(texts)),
        )


def detect_shape(lines: Sequence[Line]) -> str:
    texts = [line.text for line in lines]
    articles = sum(1 for t in texts if ARTICLE_HEADING.match(t))
    parts = sum(1 for t in texts if PART_HEADING.match(t))
    measures = sum(1 for t in texts if MEASURE_HEADING.match(t))
    if articles >= 2 and articles >= measures:
        return "regulation"
    if parts >= 2 and measures >= 2:
        return "plan"
    return "paragraphs"


# --------------------------------------------------------------------------------------------- plan


def parse_plan(
    doc_id: str, lines: Sequence[Line], source: str
) -> tuple[list[Clause], list[Table], str | None]:
    """Notice, preamble, parts, measures numbered straight through, and tables. Returns the plan title too."""
    clauses: list[Clause] = []
    tables: list[Table] = []
    first_part = next(i for i, line in enumerate(lines) if PART_HEADING.match(line.text))
    front, body = list(lines[:first_part]), list(lines[first_part:])

    notice_end = _notice_end(front)
    plan_title: str | None = None
    if notice_end is not None:
        head = front[0]
        notice = _ClauseBuilder(doc_id, "notice", "notice", head.text, head)
        for line in front[1 : notice_end + 1]:
            notice.add(line)
        clauses.append(notice.build())
        front = front[notice_end + 1 :]
    if front:
        title_lines = [
            line for line in front if not line.text.endswith(tuple(_SENTENCE_END)) and len(line.text) <= 60
        ]
        head = title_lines[0] if title_lines else front[0]
        plan_title = head.text if title_lines else None
        intro = _ClauseBuilder(doc_id, "intro", "intro", plan_title or "", head)
        for line in front:
            if line is not head or plan_title is None:
                intro.add(line)
        clauses.append(intro.build())

    current: _ClauseBuilder | None = None
    part_id: str | None = None
    measure_count = 0
    i = 0
    while i < len(body):
        line = body[i]
        part = PART_HEADING.match(line.text)
        measure = MEASURE_HEADING.match(line.text)
        table = TABLE_TITLE.match(line.text)
        if part:
            _flush(current, clauses)
            part_id = f"part-{cn_to_int(part.group(1))}"
            current = None
            clauses.append(_ClauseBuilder(doc_id, part_id, "part", part.group(2).strip(), line).build())
        elif measure:
            _flush(current, clauses)
            measure_count += 1
            title, rest = _split_heading(measure.group(2))
            current = _ClauseBuilder(doc_id, str(measure_count), "measure", title, line, part_id)
            if rest is not None:
                current.add(Line(line.end - len(rest), line.end, rest))
        elif table and _looks_like_table_header(body, i + 1):
            _flush(current, clauses)
            current = None
            parsed, consumed = _parse_table(doc_id, f"table{len(tables) + 1}", part_id, body, i)
            tables.append(parsed)
            clauses.append(_table_clause(parsed, body[i], source))
            i += consumed
            continue
        elif current is not None:
            current.add(line)
        i += 1
    _flush(current, clauses)
    return clauses, tables, plan_title


def _flush(builder: _ClauseBuilder | None, clauses: list[Clause]) -> None:
    if builder is not None:
        clauses.append(builder.build())


def _split_heading(text: str) -> tuple[str, str | None]:
    """'指导思想' stays a title; '指导思想。坚持……' is a title followed by body text on the same line."""
    for stop in "。：:":
        position = text.find(stop)
        if 0 < position <= 30 and position < len(text) - 1:
            return text[:position].strip(), text[position + 1 :].strip()
    return text.strip(), None


def _notice_end(front: Sequence[Line]) -> int | None:
    """Index of the notice's last line (publication remark or date), if the front matter is a notice."""
    if not front or not re.search(r"(通知|决定|批复|通告|公告|函)$", front[0].text):
        return None
    end = None
    for i, line in enumerate(front):
        if re.fullmatch(r"[(（]此件\S*公开[)）]|[(（]此件不公开[)）]", line.text):
            return i
        if DATE.fullmatch(line.text):
            end = i
    return end


def _looks_like_table_header(lines: Sequence[Line], start: int) -> bool:
    window = [line.text for line in lines[start : start + 8]]
    return any(text in ("单位", "指标", "主要指标", "序号") for text in window) and any(
        _YEAR.match(t) for t in window
    )


_HEADER_WORDS = {
    "主要指标",
    "指标",
    "单位",
    "基期值",
    "预期值",
    "目标值",
    "备注",
    "属性",
    "序号",
    "指标名称",
    "计量单位",
}


def _parse_table(
    doc_id: str, clause: str, part: str | None, lines: Sequence[Line], start: int
) -> tuple[Table, int]:
    title_match = TABLE_TITLE.match(lines[start].text)
    assert title_match
    i = start + 1
    columns: list[str] = []
    years: list[tuple[int, int]] = []
    while i < len(lines) and (lines[i].text in _HEADER_WORDS or _YEAR.match(lines[i].text)):
        year = _YEAR.match(lines[i].text)
        if year:
            years.append((len(columns), int(year.group(1))))
        else:
            columns.append(lines[i].text)
        i += 1
    baseline_year = _year_before(columns, years, ("基期",))
    target_year = _year_before(columns, years, ("预期", "目标"))

    row_lines: list[Line] = []
    while i < len(lines) and _is_table_cell(lines[i].text):
        row_lines.append(lines[i])
        i += 1
    rows = _rows_by_content(row_lines)
    table = Table(
        doc_id=doc_id,
        clause=clause,
        part=part,
        title=title_match.group(2).strip(),
        baseline_year=baseline_year,
        target_year=target_year,
        columns=tuple(columns),
        rows=tuple(rows),
        start=lines[start].start,
        end=row_lines[-1].end if row_lines else lines[start].end,
    )
    return table, i - start


def _year_before(columns: list[str], years: list[tuple[int, int]], cues: tuple[str, ...]) -> int | None:
    """The year printed just before the column whose name carries one of the cues (2021 / 基期值)."""
    for position, year in years:
        if position < len(columns) and any(cue in columns[position] for cue in cues):
            return year
    return None


def _is_table_cell(text: str) -> bool:
    if PART_HEADING.match(text) or MEASURE_HEADING.match(text) or ARTICLE_HEADING.match(text):
        return False
    return len(text) <= 60 and not text.endswith(("。", "；"))


def _number(text: str) -> int | float:
    value = text.rstrip("%")
    return float(value) if "." in value else int(value)


def _is_remark(text: str, following: str | None) -> bool:
    """After a row's numbers, a short word such as 累计值 or 年均值 is a remark unless numbers follow it."""
    if following is not None and _NUMBER.match(following):
        return False
    return len(text) <= 6 or text.endswith(("值", "性"))


def _rows_by_content(cells: Sequence[Line]) -> list[TableRow]:
    """Rebuild rows from a flattened table whose empty cells were dropped: read each cell by what it is."""
    rows: list[TableRow] = []
    i = 0
    while i < len(cells):
        first = cells[i]
        indicator, unit, remark = first.text, None, None
        numbers: list[int | float] = []
        end = first.end
        i += 1
        unit_then_number = i + 1 < len(cells) and _NUMBER.match(cells[i + 1].text)
        if unit_then_number and not _NUMBER.match(cells[i].text) and len(cells[i].text) <= 6:
            unit = cells[i].text
            end = cells[i].end
            i += 1
        while i < len(cells) and _NUMBER.match(cells[i].text) and len(numbers) < 2:
            numbers.append(_number(cells[i].text))
            end = cells[i].end
            i += 1
        if i < len(cells) and not _NUMBER.match(cells[i].text):
            following = cells[i + 1].text if i + 1 < len(cells) else None
            if _is_remark(cells[i].text, following):
                remark = cells[i].text
                end = cells[i].end
                i += 1
        rows.append(
            TableRow(
                indicator=indicator,
                unit=unit,
                baseline=numbers[0] if numbers else None,
                target=numbers[1] if len(numbers) > 1 else None,
                remark=remark,
                start=first.start,
                end=end,
            )
        )
    return rows


def _table_clause(table: Table, head: Line, source: str) -> Clause:
    """A table is also a clause: sentence 0 is its title, sentence N its row N (verbatim source spans)."""
    sentences = [
        Sentence(id=f"{table.clause}.0", clause=table.clause, start=head.start, end=head.end, text=head.text)
    ]
    sentences += [
        Sentence(
            id=f"{table.clause}.{n}",
            clause=table.clause,
            start=row.start,
            end=row.end,
            text=source[row.start : row.end],
        )
        for n, row in enumerate(table.rows, start=1)
    ]
    return Clause(
        doc_id=table.doc_id,
        clause=table.clause,
        kind="table",
        part=table.part,
        title=table.title,
        start=table.start,
        end=table.end,
        sentences=tuple(sentences),
    )


# ---------------------------------------------------------------------------------------- regulation


def parse_regulation(
    doc_id: str, lines: Sequence[Line], source: str
) -> tuple[list[Clause], list[Table], str | None]:
    """Chapters (chapter-N), sections, articles numbered straight through (N) with paragraphs (款)."""
    clauses: list[Clause] = []
    title = lines[0].text if lines else None
    preamble = _ClauseBuilder(doc_id, "intro", "intro", title or "", lines[0]) if lines else None
    current: _ClauseBuilder | None = None
    chapter: str | None = None
    for line in lines[1:]:
        chapter_match = CHAPTER_HEADING.match(line.text)
        section_match = SECTION_HEADING.match(line.text)
        article_match = ARTICLE_HEADING.match(line.text)
        if chapter_match:
            _flush(current, clauses)
            current = None
            chapter = f"chapter-{cn_to_int(chapter_match.group(1))}"
            clauses.append(
                _ClauseBuilder(doc_id, chapter, "chapter", chapter_match.group(2).strip(), line).build()
            )
        elif section_match and chapter:
            _flush(current, clauses)
            current = None
            section = f"{chapter}.section-{cn_to_int(section_match.group(1))}"
            clauses.append(
                _ClauseBuilder(
                    doc_id, section, "section", section_match.group(2).strip(), line, chapter
                ).build()
            )
        elif article_match:
            _flush(current, clauses)
            number = cn_to_int(article_match.group(1))
            label = line.text[: article_match.start(2)].strip()
            current = _ClauseBuilder(doc_id, str(number), "article", label, line, chapter)
            body = article_match.group(2)
            if body.strip():
                current.add(Line(line.end - len(body), line.end, body))
        elif current is not None:
            current.add(line)
        elif preamble is not None:
            preamble.add(line)
    _flush(current, clauses)
    if preamble is not None and preamble.sentences:
        clauses.insert(0, preamble.build())
    return clauses, [], title


# ---------------------------------------------------------------------------------------- paragraphs

_MD_HEADING = re.compile(r"^#{1,6}\s+(.+)$")


def _is_heading(text: str) -> bool:
    return bool(_MD_HEADING.match(text)) or (
        len(text) <= 30 and not text.endswith(tuple(_SENTENCE_END + "，,：:"))
    )


def parse_paragraphs(
    doc_id: str, lines: Sequence[Line], source: str
) -> tuple[list[Clause], list[Table], str | None]:
    """Fallback: each heading-like line opens a clause s1, s2, …; text before any heading goes to s1."""
    clauses: list[Clause] = []
    title = lines[0].text if lines and _is_heading(lines[0].text) else None
    rest = lines[1:] if title else lines
    current: _ClauseBuilder | None = None
    for line in rest:
        if _is_heading(line.text):
            _flush(current, clauses)
            heading = _MD_HEADING.match(line.text)
            current = _ClauseBuilder(
                doc_id,
                f"s{len(clauses) + 1}",
                "paragraph",
                (heading.group(1) if heading else line.text),
                line,
            )
        else:
            if current is None:
                current = _ClauseBuilder(doc_id, f"s{len(clauses) + 1}", "paragraph", title or "", line)
            current.add(line)
    _flush(current, clauses)
    return clauses, [], title


def parse_lines(
    doc_id: str, lines: Sequence[Line], source: str, shape: str | None = None
) -> tuple[str, list[Clause], list[Table], str | None]:
    shape = shape or detect_shape(lines)
    parser = {"plan": parse_plan, "regulation": parse_regulation, "paragraphs": parse_paragraphs}[shape]
    clauses, tables, title = parser(doc_id, lines, source)
    return shape, clauses, tables, title


def notice_facts(lines: Iterable[str]) -> dict[str, str]:
    """Number, issuer and issue date read off a notice's or document's own lines."""
    facts: dict[str, str] = {}
    texts = list(lines)
    for text in texts:
        number = DOC_NUMBER.search(text)
        if number and "number" not in facts:
            facts["number"] = number.group(0)
    for i, text in enumerate(texts):
        date = DATE.fullmatch(text)
        if date:
            facts["issued"] = f"{int(date.group(1)):04d}-{int(date.group(2)):02d}-{int(date.group(3)):02d}"
            if i > 0 and re.search(r"(政府|委员会|局|厅|办公室|办公厅|部|院)$", texts[i - 1]):
                facts["issuer"] = texts[i - 1]
    return facts
