"""One machine-translated sentence checked against its Chinese source before it is kept: every figure of the
source is in the English (in any notation: 10万元 may be "CNY 100,000"), no figure, link, e-mail or phone of
the English is missing from the source, each unit the source counts in (元, %, 日, 个工作日, 个月, 年) is
named, each office the glossary knows is called by its glossary name, a prohibition stays a prohibition and
no negation appears from nowhere, and no Chinese is left untranslated. A sentence that fails is left out,
with its reasons; nothing here repairs a translation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answer.figures import same, values
from bot.answer.prose import CONTACTS
from bot.lang import HAN

# A unit the source counts in, and the English words that name it.
_UNITS: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = (
    (re.compile(r"(?:\d|[〇零一二两三四五六七八九十百千万亿])元"), re.compile(r"\b(?:yuan|rmb|cny|renminbi)\b|¥|￥", re.I), "yuan"),
    (re.compile(r"[%％]|百分之"), re.compile(r"%|\bper ?cent", re.I), "percent"),
    (re.compile(r"个?工作日"), re.compile(r"\b(?:working|business) days?\b", re.I), "working days"),
    (re.compile(r"(?:\d|[一二两三四五六七八九十])(?:个月|月(?:内|以内|之内|后|以上|的|起))"), re.compile(r"\bmonths?\b", re.I), "months"),
    (re.compile(r"(?:\d|[一二两三四五六七八九十])[日天](?:内|以内|之内|后|起|前)"), re.compile(r"\bdays?\b", re.I), "days"),
    (re.compile(r"(?:\d|[一二两三四五六七八九十])年(?:内|以内|之内|后|以上|期)"), re.compile(r"\byears?\b", re.I), "years"),
)  # fmt: skip
# A calendar date counts no days, months or years: 自2025年1月1日起 is a date, not a duration.
_DATES = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]|\d{4}年(?:\d{1,2}月)?")
# Prohibitions and denials in the source; the English must say no at least as often (a sentence with two
# cannot keep one). Caps and floors (不超过, 不低于) are checked by their direction instead.
_PROHIBITION = re.compile(
    r"不得|禁止|严禁|不予|不准|不收取|不收|免收|免于|不属于|不适用|并非|不是|无需|无须|不需|不必|不纳入|不包括|不含|不受理|"
    r"不再|未经|不应|不能|不可|不符合|不重复|不属|未能|未按|未取得|无权"
)
_NEGATION_ZH = re.compile(r"不|无|未|非|禁|免|否|没|勿|毋|严禁")
_NEGATION_EN = re.compile(
    r"\b(?:not|no(?!\.)|never|nor|none|without|prohibited|forbidden|free of charge|exempt\w*|cannot|"
    r"neither|barred|banned|in(?:eligible|valid|complete|admissible))\b|n't\b",
    re.I,
)
# A cap (at most) or a floor (at least) in the source, and the English ways of saying each.
# 以下/以内/以上 bound only after a figure or its unit (6个月（含）以上); 以下简称 and 以下措施 bound nothing.
_AFTER_FIGURE = r"(?<=[\d十百千万亿元年月日天件项次%）)])"
_CAP_ZH = re.compile(
    rf"不超过|不高于|不多于|最高|最多|最长|{_AFTER_FIGURE}(?:以内|之内|以下)|封顶|上限|为限|低于"
)
_CAP_EN = re.compile(
    r"\b(?:not|never|no) (?:to )?exceed|\bno (?:more|higher|greater|longer) than|\bnot (?:more|higher|greater|longer) than|"
    r"\bup to\b|\bat most\b|\bmaxim(?:um|al)\b|\bmax\b|\bceiling\b|\bcap(?:s|ped)?\b|\bwithin\b|\bor (?:less|fewer|below|under)\b|"
    r"\blimit(?:s|ed)?\b|\bless than\b|\blower than\b|\bbelow\b|\bunder\b|\bat the (?:latest|longest|most)\b|\bno later than\b",
    re.I,
)
_FLOOR_ZH = re.compile(rf"不低于|不少于|至少|最低|{_AFTER_FIGURE}以上|不短于|高于|超过")
_FLOOR_EN = re.compile(
    r"\bat least\b|\b(?:no|not) (?:less|fewer|lower|shorter) than|\bminim(?:um|al)\b|\bor (?:more|above|higher|over|longer)\b|"
    r"\bmore than\b|\babove\b|\bover\b|\bexceed(?:s|ing|ed)?\b|\bhigher than\b|\bupwards\b|\bbeyond\b",
    re.I,
)
_ARTICLES = re.compile(r"\b(?:the|a|an)\s+", re.I)
_NAME_STOP = {"of", "the", "and", "for", "a", "an", "on", "in", "&"}
_CONTACT_SPACE = re.compile(r"[\s()\-+]")
# A bare 一 (一批, 一次性) is often "a" or "one-off" in English.
_DROPPABLE_ONE = re.compile(r"一(?![十百千万亿〇零一二三四五六七八九])")
# 每1项 is "each": its 1 is often not written.
_EACH_ONE = re.compile(r"每[1一](?=[项件个次家笔人户宗])")
# Numerals that run together name a period or a list, not one number: 十四五 is the 14th Five-Year Plan.
_RUN = re.compile(r"十[一二三四五六七八九]|[一二三四五六七八九]")
# Words that count without being numerals: 双向 is "two-way".
_COUNT_WORDS = {"双": 2.0, "雙": 2.0}
# A number word with a capital inside a sentence is part of a name (the Hundred Flowers Awards).
_NAMED = re.compile(r"(?<=[\w,;)] )[A-Z][a-z]+")


@dataclass(frozen=True)
class Office:
    """A name the glossary gives an office, with every English name it may go by."""

    zh: str
    names_en: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    key: str
    source: str
    english: str
    reasons: tuple[str, ...]

    @property
    def kept(self) -> bool:
        return not self.reasons


def offices_in(source: str, offices: Sequence[Office]) -> list[Office]:
    """The offices the source names, longest names first, a shorter one only where no longer one covers it
    (市市场监管局(知识产权局) is one office, not also 知识产权局)."""
    found, covered = [], [False] * len(source)
    for office in sorted(offices, key=lambda o: len(o.zh), reverse=True):
        start = source.find(office.zh)
        while start >= 0:
            span = range(start, start + len(office.zh))
            if not any(covered[i] for i in span):
                found.append(office)
                for i in span:
                    covered[i] = True
                break
            start = source.find(office.zh, start + 1)
    return found


def _figures(text: str, strict: bool) -> list[tuple[str, float]]:
    return values(text, strict=strict)


def _pieces(written: str) -> list[float]:
    """十四五 as 14 and 5; empty when the numeral does not break into such a run."""
    parts = _RUN.findall(written)
    if len(parts) < 2 or "".join(parts) != written:
        return []
    return [values(part)[0][1] for part in parts]


def _missing_figures(source: str, english: str) -> list[str]:
    source = _EACH_ONE.sub("每", source)
    given = [value for _, value in _figures(english, strict=False)]
    missing = []
    for written, value in _figures(source, strict=True):
        if value == 1 and _DROPPABLE_ONE.fullmatch(written):
            continue
        if any(same(value, v) for v in given):
            continue
        pieces = _pieces(written)
        if not (pieces and all(any(same(p, v) for v in given) for p in pieces)):
            missing.append(written)
    return list(dict.fromkeys(missing))


def _added_figures(source: str, english: str) -> list[str]:
    known = [value for _, value in _figures(source, strict=False)]
    known += [p for written, _ in _figures(source, strict=False) for p in _pieces(written)]
    known += [value for char, value in _COUNT_WORDS.items() if char in source]
    named = {m.group(0).lower() for m in _NAMED.finditer(english)}
    added = []
    for written, value in _figures(english, strict=True):
        if any(same(value, k) for k in known):
            continue
        if not written[:1].isdigit() and any(w.lower() in named for w in re.findall(r"[A-Z][a-z]+", written)):
            continue
        added.append(written)
    return list(dict.fromkeys(added))


def _contacts(text: str) -> set[str]:
    return {
        _CONTACT_SPACE.sub("", m.group(0)).rstrip(".,;，。").lower()
        for pattern in CONTACTS
        for m in pattern.finditer(text)
    }


def check_sentence(source: str, english: str, offices: Sequence[Office] = (), key: str = "") -> Verdict:
    """The reasons `english` may not stand for `source`; none when it is kept."""
    english = english.strip()
    if not english:
        return Verdict(key, source, english, ("no translation was returned",))
    reasons: list[str] = []
    if HAN.search(english):
        reasons.append("Chinese left in the English")
    reasons += [f"figure {w!r} of the source is missing" for w in _missing_figures(source, english)]
    reasons += [f"figure {w!r} is not in the source" for w in _added_figures(source, english)]
    source_contacts = {_CONTACT_SPACE.sub("", c).lower() for c in _contacts(source)}
    reasons += [f"contact detail {c!r} is not in the source" for c in _contacts(english) - source_contacts]
    undated = _DATES.sub(" ", source)
    for counted, named, unit in _UNITS:
        if counted.search(undated) and not named.search(english):
            reasons.append(f"the unit {unit} is not named")
    for office in offices_in(source, offices):
        if not any(_names(name, english) for name in office.names_en):
            reasons.append(f"{office.zh} is not called {office.names_en[0]!r}")
    denials = len(_PROHIBITION.findall(_CAP_OR_FLOOR.sub(" ", source)))
    if denials > len(_NEGATION_EN.findall(english)):
        reasons.append("the source's prohibition or denial is lost")
    if not _NEGATION_ZH.search(source) and _NEGATION_EN.search(english):
        reasons.append("a negation the source does not have")
    bare = _CAP_OR_FLOOR.sub(lambda m: "" if _FLOOR_ZH.fullmatch(m.group(0)) else m.group(0), source)
    if _CAP_ZH.search(bare) and not _CAP_EN.search(english):
        reasons.append("the source's cap (at most) is lost")
    floors = _CAP_OR_FLOOR.sub(lambda m: m.group(0) if _FLOOR_ZH.fullmatch(m.group(0)) else "", source)
    if _FLOOR_ZH.search(floors) and not _FLOOR_EN.search(english):
        reasons.append("the source's floor (at least) is lost")
    return Verdict(key, source, english, tuple(reasons))


_CAP_OR_FLOOR = re.compile(f"{_FLOOR_ZH.pattern}|{_CAP_ZH.pattern}")


def _stem(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _names(name: str, english: str) -> bool:
    """`english` calls the office `name`: the name itself, or all its words in any order and number
    (Municipal Bureau of Human Resources and Social Security = Municipal Human Resources and Social Security
    Bureau; universities = a university)."""
    if _ARTICLES.sub("", name).lower() in _ARTICLES.sub("", english).lower():
        return True
    wanted = {_stem(w) for w in re.findall(r"[\w'-]+", name) if w.lower() not in _NAME_STOP}
    given = {_stem(w) for w in re.findall(r"[\w'-]+", english)}
    return bool(wanted) and wanted <= given


def offices_from(terms: Iterable[tuple[str, str, Sequence[str]]]) -> list[Office]:
    """Offices from glossary terms given as (zh, en, en_alt)."""
    return [Office(zh, (en, *alts)) for zh, en, alts in terms if zh and en]
