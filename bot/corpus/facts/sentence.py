"""Typed facts of each sentence, by the general rules of Chinese policy texts: amounts (元/万元/亿元) with
what they are for and per what, ratios, caps and thresholds, time limits and from which event, dates and
windows, durations, eligibility, fees charged or not, procedure steps, obligations, penalties, departments
and their roles, definitions, effective dates, validity and repeal. Each fact keeps its span: the stretch of
the sentence between two commas (or the whole sentence) that carries it, verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.corpus.facts.numbers import CN_NUMERAL, NUMBER, parse_number
from bot.corpus.facts.roles import department_facts
from bot.schema import Clause, Fact, FactKind, Sentence, Table

_SEGMENT_END = "，,；;：:。！？!?"
MONEY = re.compile(rf"(?P<num>{NUMBER})\s*(?P<unit>亿元|億元|万元|萬元|千元|元|万美元|美元)")
RATIO = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cn>{CN_NUMERAL}|\d+(?:\.\d+)?)|(?P<times>{NUMBER})\s*倍"
)
_CAP_BEFORE = re.compile(
    r"(?:最高|最多|不超过|不超過|不高于|上限(?:为)?|封顶|累计(?:不超过)?|总额(?:最高)?(?:不超过)?|限额)\s*(?:为)?\s*$"
)
_CAP_AFTER = re.compile(r"^\s*(?:以内|以下|为限|封顶)")
_FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少|超过|达到|满)\s*$")
_FLOOR_AFTER = re.compile(r"^\s*(?:以上|及以上)")
_SUPPORT = re.compile(r"给予|奖励|补助|资助|补贴|贴息|扶持|资金|拨付|兑现|支持|补足|加计|上浮|减免")
_TARGET = re.compile(r"达到|突破|实现|增长|提高到|提升到|累计值|年均")
COUNT = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>名|人|家|件|项|个(?!月|工作日|自然日|小时)|场|次|平方米|分)(?![a-z])"
)
TIME = re.compile(
    rf"(?P<num>{NUMBER})\s*(?P<unit>个工作日|工作日|个自然日|日|天|个月|月|年|周|小时)(?P<tail>\s*(?:内|以内|之内|前))?"
)
_NOT_TIME_AFTER = re.compile(r"^(?:度|底|初|末|份|均|以来|起|月)")
_DURATION_BEFORE = re.compile(
    r"(?:期限|期|周期|为期|最长|不超过|满|协议期|期间)\s*(?:为|是)?\s*(?:最长)?\s*(?:不超过)?\s*$"
)
_THIS_DOCUMENT = re.compile(r"本(?:办法|措施|细则|规定|条例|方案|通知|意见|规则|决定|计划)")
_FROM_EVENT = re.compile(r"自\s*([^，。；]{1,30}?)(?:之日)?起")
DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
_DAY = r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
WINDOW = re.compile(rf"(?P<a>{_DAY})\s*(?:至|到|—|–|-|~|～)\s*(?P<b>{_DAY})")
EFFECTIVE = re.compile(r"自\s*(?P<when>[^，。；]{1,24}?)\s*起\s*(?:施行|实施|执行|生效)")
VALIDITY = re.compile(
    r"有效期|试行期|试行(?:\d|[一二两三四五六])年|执行期限|实施期限|实施期(?!间)|执行期(?!间)|工作期(?!间)|执行至|有效至"
)
REPEAL = re.compile(
    r"《(?P<title>[^《》]{2,60})》(?:\s*[（(][^（）()]*[）)])?\s*(?:同时|即行|一并)?(?:废止|失效|停止执行)"
)
FEE = re.compile(
    r"不(?:收取|收)(?:任何)?(?:费用|费)|免费|免收|无偿|公益性(?:服务)?|不另(?:行)?收(?:取)?费|收费标准|收费项目|实行收费|"
    r"收取(?P<what>[^，。；]{0,12})费|费用由(?P<payer>[^，。；]{1,20})承担|收取费用"
)
_FREE = re.compile(r"^不|免费|免收|无偿|不另|公益")
PROCEDURE = re.compile(
    r"提交|报送|報送|填写|填报|提出(?:书面)?(?:申请|请求)|受理|审核|审批|审查|初审|复审|公示|拨付|流程|程序|手续|步骤|"
    r"(?:下列|以下|如下)(?:材料|资料)|(?:申报|申请)材料|材料清单|在线(?:申报|提交)|送达"
)
ELIGIBILITY = re.compile(
    r"(?:符合|满足|具备)(?:下列|以下|如下)?(?:条件|要求)|(?:下列|以下|如下)(?:条件|标准)|(?:认定|申报|申请|准入)(?:的)?(?:标准|条件)|"
    r"资格|适用于|不适用|具有独立法人|(?:注册|登记)(?:地)?(?:在|于)|在本(?:市|区|省)(?:依法)?(?:注册|登记)|近[一二两三四五\d]年内|依法纳税"
)
OBLIGATION = re.compile(r"应当|必须|(?<![必无])须(?!知)|不得|严禁|禁止|义务")
PENALTY = re.compile(
    r"罚款|没收|责令(?:改正|限期|停止|退还)|警告|通报批评|追回|取消[^，。；]{0,30}资格|撤销|吊销|依法(?:依规)?追究|"
    r"移送(?:司法|公安)机关|列入[^，。；]{0,12}名单|不再受理|[一二两三四五\d]年内(?:不再|不得)|解除[^，。；]{0,8}协议|不予(?:补助|奖励|受理)"
)
DEFINITION = re.compile(
    r"本(?:办法|措施|细则|条例|方案|规定|意见|制度|规则|通知)所称(?P<term>[^，。；]{1,30}?)[，,]?(?:是指|包括|指)|"
    r"^(?P<head>[^，。；（(]{2,20})是指|[（(]以下(?:简称|统称)(?P<alias>[^）)]{1,20})[）)]"
)


# How to reach an office: a phone number, an e-mail address, a web address, a street address, a contact person.
CONTACTS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(
        r"(?<!\d)(?:0\d{2,3}[-－]?\d{7,8}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|400[- ]?\d{3}[- ]?\d{4})(?!\d)"
    ),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "url": re.compile(r"https?://[^\s，。；、)）]+|www\.[^\s，。；、)）]+"),
    "address": re.compile(r"(?:地址|地点|地點|办公地点|辦公地點)\s*[:：]\s*\S"),
    "person": re.compile(r"联系人|聯繫人|聯絡人"),
}


def _segment(text: str, position: int) -> tuple[int, int]:
    """The stretch of `text` between the delimiters around `position` (a clause of the sentence)."""
    start = max((text.rfind(c, 0, position) for c in _SEGMENT_END), default=-1) + 1
    ends = [i for i in (text.find(c, position) for c in _SEGMENT_END) if i >= 0]
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
        cap = _CAP_BEFORE.search(before) or _CAP_AFTER.match(after)
        floor = _FLOOR_BEFORE.search(before) or _FLOOR_AFTER.match(after)
        segment = text[a : _segment(text, match.start())[1]]
        purpose = "support" if _SUPPORT.search(segment) else "target" if _TARGET.search(segment) else None
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
        floor = _FLOOR_BEFORE.search(text[a : match.start()]) or _FLOOR_AFTER.match(text[match.end() :])
        cap = _CAP_BEFORE.search(text[a : match.start()]) or _CAP_AFTER.match(text[match.end() :])
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
        cap = _CAP_BEFORE.search(before)
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
            len(number) == 4 and number.isdigit() or _NOT_TIME_AFTER.match(text[match.end() :])
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
        source = _FROM_EVENT.search(before)
        if VALIDITY.search(before):
            # 本办法有效期5年 is the document's validity; 登记证书有效期3年, a certificate's term.
            whose = "validity" if _THIS_DOCUMENT.search(text) else "duration"
            facts.add(whose, match.start(), value, unit)  # type: ignore[arg-type]
        elif match.group("tail") or re.search(r"(?:提前|在|于|之日起|起)\s*$", before):
            facts.add("time_limit", match.start(), value, unit, source.group(1) if source else None)
        elif _DURATION_BEFORE.search(before):
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
        free = bool(_FREE.search(match.group(0)))
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
