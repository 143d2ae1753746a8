"""Typed facts of each sentence, by the general rules of Chinese policy texts: amounts (元/万元/亿元) with
what they are for and per what, ratios, caps and thresholds, time limits and from which event, dates and
windows, durations, eligibility, fees charged or not, procedure steps, obligations, penalties, departments
and their roles, definitions, effective dates, validity and repeal. Each fact keeps its span: the stretch of
the sentence between two commas (or the whole sentence) that carries it, verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.corpus.facts.numbers import parse_number
from bot.corpus.facts.patterns import (
    CAP_AFTER,
    CAP_BEFORE,
    CONTACTS,
    COUNT,
    DATE,
    DEFINITION,
    DURATION_BEFORE,
    EFFECTIVE,
    ELIGIBILITY,
    FEE,
    FLOOR_AFTER,
    FLOOR_BEFORE,
    FREE,
    FROM_EVENT,
    MONEY,
    NOT_TIME_AFTER,
    OBLIGATION,
    PENALTY,
    PROCEDURE,
    RATIO,
    REPEAL,
    SEGMENT_END,
    SUPPORT,
    TARGET,
    THIS_DOCUMENT,
    TIME,
    VALIDITY,
    WINDOW,
)
from bot.corpus.facts.roles import department_facts
from bot.intent import gives_orders
from bot.schema import Clause, Fact, FactKind, Sentence, Table


def _segment(text: str, position: int) -> tuple[int, int]:
    """The stretch of `text` between the delimiters around `position` (a clause of the sentence)."""
    start = max((text.rfind(c, 0, position) for c in SEGMENT_END), default=-1) + 1
    ends = [i for i in (text.find(c, position) for c in SEGMENT_END) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while start < end and text[start] in " \u3000":
        start += 1
    return start, end


class _Facts:
    def __init__(self, sentence: Sentence, offset: int = 0):
        self.sentence, self.offset = sentence, offset
        self.items: list[Fact] = []

    def add(self, kind: FactKind, at: int, value: float | None = None, unit: str | None = None,
            qualifier: str | None = None, subject: str | None = None, span: tuple[int, int] | None = None) -> None:  # fmt: skip
        a, b = span or _segment(self.sentence.text, at)
        text = self.sentence.text[a:b]
        fact = Fact(
            kind=kind, sentence=self.sentence.id, start=self.sentence.start + a, end=self.sentence.start + b,
            text=text, value=value, unit=unit, qualifier=qualifier, subject=subject,
        )  # fmt: skip
        if fact not in self.items:
            self.items.append(fact)


def _money(facts: _Facts, text: str) -> None:
    for match in MONEY.finditer(text):
        value = parse_number(match.group("num"))
        if value is None:
            continue
        a, _ = _segment(text, match.start())
        before, after = text[a : match.start()], text[match.end() :]
        cap = CAP_BEFORE.search(before) or CAP_AFTER.match(after)
        floor = FLOOR_BEFORE.search(before) or FLOOR_AFTER.match(after)
        segment = text[a : _segment(text, match.start())[1]]
        purpose = "support" if SUPPORT.search(segment) else "target" if TARGET.search(segment) else None
        subject = before.strip() or None
        if cap:
            facts.add("cap", match.start(), value, match.group("unit"), cap.group(0).strip(), subject)
        elif floor and purpose != "support":
            facts.add("threshold", match.start(), value, match.group("unit"), floor.group(0).strip(), subject)
        else:
            facts.add("amount", match.start(), value, match.group("unit"), purpose, subject)


def _counts(facts: _Facts, text: str) -> None:
    """不少于40件, 5名以上: a threshold of a count (patents, staff, firms)."""
    for match in COUNT.finditer(text):
        value = parse_number(match.group("num"))
        if value is None:
            continue
        a, _ = _segment(text, match.start())
        floor = FLOOR_BEFORE.search(text[a : match.start()]) or FLOOR_AFTER.match(text[match.end() :])
        cap = CAP_BEFORE.search(text[a : match.start()]) or CAP_AFTER.match(text[match.end() :])
        if floor or cap:
            bound = floor or cap
            assert bound is not None
            facts.add(
                "threshold" if floor else "cap",
                match.start(),
                value,
                match.group("unit"),
                bound.group(0).strip(),
            )


def _ratios(facts: _Facts, text: str) -> None:
    for match in RATIO.finditer(text):
        number = match.group("num") or match.group("cn") or match.group("times")
        value = parse_number(number)
        if value is None:
            continue
        a, _ = _segment(text, match.start())
        before = text[a : match.start()]
        of = re.search(r"按(?:照)?([^，。；]{1,30}?)的\s*$", before)
        unit = "倍" if match.group("times") else "%"
        cap = CAP_BEFORE.search(before)
        facts.add(
            "ratio",
            match.start(),
            value,
            unit,
            cap.group(0).strip() if cap else None,
            of.group(1) if of else None,
        )


def _times(facts: _Facts, text: str) -> None:
    for match in TIME.finditer(text):
        number, unit = match.group("num"), match.group("unit")
        if unit == "年" and (
            len(number) == 4 and number.isdigit() or NOT_TIME_AFTER.match(text[match.end() :])
        ):
            continue  # 2024年, 年度
        if unit == "月" and (
            re.match(r"\s*\d{1,2}\s*日", text[match.end() :]) or re.search(r"年\s*$", text[: match.start()])
        ):
            continue  # 3月1日, 2022年7月: dates
        value = parse_number(number)
        if value is None:
            continue
        a, _ = _segment(text, match.start())
        before = text[a : match.start()]
        if re.search(r"近\s*$", before):
            facts.add("eligibility", match.start())
            continue
        source = FROM_EVENT.search(before)
        if VALIDITY.search(before):
            # 本办法有效期5年 is the document's validity; 登记证书有效期3年, a certificate's term.
            whose = "validity" if THIS_DOCUMENT.search(text) else "duration"
            facts.add(whose, match.start(), value, unit)  # type: ignore[arg-type]
        elif match.group("tail") or re.search(r"(?:提前|在|于|之日起|起)\s*$", before):
            facts.add("time_limit", match.start(), value, unit, source.group(1) if source else None)
        elif DURATION_BEFORE.search(before):
            cap = re.search(r"最长|不超过", before)
            facts.add("duration", match.start(), value, unit, cap.group(0) if cap else None)


def _dates(facts: _Facts, text: str) -> None:
    windows = list(WINDOW.finditer(text))
    for match in windows:
        a, _ = _segment(text, match.start())
        facts.add("window", match.start(), qualifier=text[a : match.start()].strip() or None)
    for match in DATE.finditer(text):
        if not any(w.start() <= match.start() < w.end() for w in windows):
            facts.add("date", match.start())


def _patterned(facts: _Facts, text: str) -> None:
    for match in EFFECTIVE.finditer(text):
        facts.add("effective", match.start(), qualifier=match.group("when").strip())
    for match in VALIDITY.finditer(text):
        facts.add("validity", match.start())
    for match in REPEAL.finditer(text):
        facts.add("repeal", match.start(), subject=match.group("title"))
    for match in FEE.finditer(text):
        free = bool(FREE.search(match.group(0)))
        facts.add("fee", match.start(), qualifier="free" if free else "charged")
    for kind, pattern in (("procedure", PROCEDURE), ("eligibility", ELIGIBILITY), ("obligation", OBLIGATION),
                          ("penalty", PENALTY)):  # fmt: skip
        for match in pattern.finditer(text):
            qualifier = (
                "must_not" if kind == "obligation" and match.group(0) in ("不得", "严禁", "禁止") else None
            )
            facts.add(kind, match.start(), qualifier=qualifier)  # type: ignore[arg-type]
    for qualifier, pattern in CONTACTS.items():
        for match in pattern.finditer(text):
            facts.add("contact", match.start(), qualifier=qualifier)
    for match in DEFINITION.finditer(text):
        term = match.group("term") or match.group("head") or match.group("alias")
        facts.add("definition", match.start(), subject=term.strip())


def sentence_facts(sentence: Sentence) -> list[Fact]:
    if gives_orders(sentence.text):
        return []  # an order planted for a machine reader states nothing the document sets
    facts = _Facts(sentence)
    text = sentence.text
    _money(facts, text)
    _counts(facts, text)
    _ratios(facts, text)
    _times(facts, text)
    _dates(facts, text)
    _patterned(facts, text)
    for at, name, role in department_facts(text):
        facts.add("department", at, qualifier=role, subject=name)
    return facts.items


def _lists_under(clause: Clause, facts: list[Fact]) -> Iterator[Fact]:
    """Items of a list a sentence introduces (…符合下列条件：（一）…；（二）…) share that sentence's kind."""
    kinds = {"eligibility": ELIGIBILITY, "procedure": PROCEDURE}
    for i, sentence in enumerate(clause.sentences):
        if not re.search(r"(?:下列|以下|如下)[^，。；]{0,8}[:：]\s*$|如下[:：]|[:：]\s*$", sentence.text):
            continue
        for kind, pattern in kinds.items():
            if not pattern.search(sentence.text):
                continue
            for item in clause.sentences[i + 1 :]:
                if not re.match(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、])", item.text):
                    break
                if not any(f.sentence == item.id and f.kind == kind for f in facts):
                    yield Fact(kind=kind, sentence=item.id, start=item.start, end=item.end, text=item.text)  # type: ignore[arg-type]


def clause_facts(clause: Clause, headings: tuple[str, ...] = ()) -> tuple[Fact, ...]:
    """The clause's facts; a heading that names materials, steps or conditions (附件1 申报材料清单, 审核程序,
    申报条件) makes each of its sentences a fact of that kind."""
    facts = [fact for sentence in clause.sentences for fact in sentence_facts(sentence)]
    facts += list(_lists_under(clause, facts))
    for kind, pattern in (("procedure", PROCEDURE), ("eligibility", ELIGIBILITY)):
        if any(pattern.search(h) for h in (clause.title, *headings) if h):
            have = {f.sentence for f in facts if f.kind == kind}
            facts += [
                Fact(kind=kind, sentence=s.id, start=s.start, end=s.end, text=s.text)  # type: ignore[arg-type]
                for s in clause.sentences
                if s.id not in have
            ]
    return tuple(facts)


_CAP_COLUMN = re.compile(r"上限|最高|限额|封顶")
_FEE_COLUMN = re.compile(r"收费|费用|价格|价款")
_UNIT_COLUMN = re.compile(r"责任单位|牵头单位|责任部门|负责单位|实施单位|主管部门")


def table_facts(table: Table, clause: Clause, source: str) -> tuple[Fact, ...]:
    """A table's cells read as sentences are: an amount in a 上限 column is a cap, in a 收费 column a fee."""
    out: list[Fact] = []
    rows = {s.id: s for s in clause.sentences}
    for n, row in enumerate(table.rows, start=1):
        sentence = rows.get(f"{table.clause}.{n}")
        if sentence is None:
            continue
        cursor = 0
        for column, cell in row.cells.items():
            if not cell:
                continue
            at = sentence.text.find(cell, cursor)
            if at < 0:
                continue
            cursor = at + len(cell)
            piece = Sentence(id=sentence.id, clause=sentence.clause, start=sentence.start + at,
                             end=sentence.start + at + len(cell), text=cell)  # fmt: skip
            found = sentence_facts(piece)
            if _UNIT_COLUMN.search(column):
                found.append(Fact(kind="department", sentence=sentence.id, start=piece.start, end=piece.end,
                                  text=cell, qualifier="responsible", subject=cell))  # fmt: skip
            for fact in found:
                if fact.kind == "amount" and _CAP_COLUMN.search(column):
                    fact = fact.model_copy(update={"kind": "cap", "qualifier": column})
                elif fact.kind == "amount" and fact.qualifier is None:
                    fact = fact.model_copy(
                        update={"qualifier": "support" if not _FEE_COLUMN.search(column) else None}
                    )
                out.append(fact)
            if _FEE_COLUMN.search(column):
                free = bool(re.search(r"免费|不收|无偿", cell))
                out.append(Fact(kind="fee", sentence=sentence.id, start=piece.start, end=piece.end, text=cell,
                                qualifier="free" if free else "charged", subject=column))  # fmt: skip
    return tuple(out)
