"""A document's own facts, read by the general rules of Chinese official documents: its title and the
title it issues, number (厦府〔2022〕333号), issuer, date, addressees, publicity (此件主动公开), basis
(为贯彻落实…/根据…制定本…), effective date (自…起施行), validity (有效期至…, 有效期N年, 工作期 A 至 B) and what
it repeals. Each field says which sentence it was read from, and whether it was extracted or curated."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence

from bot.corpus.facts.numbers import parse_number
from bot.corpus.parse.units import is_unit_name
from bot.schema import Clause, DocumentMeta, Sentence

NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_ISSUANCE = re.compile(
    rf"(?P<date>{DATE.pattern})\s*(?P<issuer>[^，。；\s　]{{3,40}}?)\s*(?:印发|发布|公布)|"
    rf"(?P<issuer2>[^，。；\s　]{{3,40}}?)[\s　]+(?P<date2>{DATE.pattern})\s*(?:印发|发布|公布)"
)
_PUBLICITY = re.compile(r"此件[^\s()（）]{0,8}公开(?:发布)?|此件不公开")
_ENACTING = re.compile(
    r"制定(?:本|以下|如下)(?:办法|措施|方案|细则|规定|条例|意见|计划|规划|规则|通知|决定|实施意见)"
)
_TITLE_IN = re.compile(r"《([^《》]{2,80})》")
_ISSUES = re.compile(r"关于印发《([^《》]{2,80})》")
_VALID_UNTIL = re.compile(
    rf"(?:有效期|执行期限|实施期限)?\s*(?:至|到|执行至|有效至)\s*(?P<date>{DATE.pattern})"
)
_VALID_FOR = re.compile(
    r"(?P<label>有效期|试行期|试行|执行期|实施期)\s*(?:为|是)?\s*(?P<n>\d+|[一二两三四五六七八九十]+)\s*(?P<unit>年|个月)"
)
_PERIOD = re.compile(
    rf"(?P<label>[\u4e00-\u9fff]{{0,20}}(?:期|期限))\s*(?:为|是)?\s*(?:自|从)?\s*(?P<a>{DATE.pattern})\s*(?:至|到|—|–|-)\s*(?P<b>{DATE.pattern})"
)
_DAY_OF = re.compile(r"印发之日|发布之日|公布之日|下发之日|印发|发布")


def iso(match: re.Match[str] | tuple[str, str, str | None]) -> str:
    """The date in ISO form, or "" (no fact) when the text names no calendar date (2023年13月, 2月30日: a
    typo in the source must not stop its ingest, nor become a validity to judge)."""
    year, month, day = match.groups()[:3] if isinstance(match, re.Match) else match
    value = f"{int(year):04d}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    try:
        dt.date.fromisoformat(value if day else f"{value}-01")
    except ValueError:
        return ""
    return value


def _sentences(clause: Clause | None) -> Sequence[Sentence]:
    return clause.sentences if clause is not None else ()


def _first(sentences: Sequence[Sentence], pattern: re.Pattern[str]) -> tuple[re.Match[str], Sentence] | None:
    for sentence in sentences:
        match = pattern.search(sentence.text)
        if match:
            return match, sentence
    return None


def _add_years(start: str, years: int = 0, months: int = 0) -> str:
    """The last day of a period of N years or months from `start` (2024-01-01 + 3 years = 2026-12-31)."""
    first = dt.date.fromisoformat(start if len(start) == 10 else f"{start}-01")
    month_index = first.month - 1 + months + 12 * years
    year, month = first.year + month_index // 12, month_index % 12 + 1
    day = min(first.day, calendar.monthrange(year, month)[1])
    return (dt.date(year, month, day) - dt.timedelta(days=1)).isoformat()


def extract(clauses: Sequence[Clause], title: str | None) -> tuple[dict[str, object], dict[str, str]]:
    """(fields, sources): each field's value and the sentence id it was read from."""
    by_id = {c.clause: c for c in clauses}
    notice, intro, signature = by_id.get("notice"), by_id.get("intro"), by_id.get("signature")
    front = [*_sentences(notice), *_sentences(intro)]
    everything = [s for c in clauses if c.kind != "table" for s in c.sentences]
    fields: dict[str, object] = {}
    sources: dict[str, str] = {}

    def put(name: str, value: object, sentence: Sentence | None = None) -> None:
        if value and name not in fields:
            fields[name] = value
            if sentence is not None:
                sources[name] = sentence.id

    if notice is not None:
        fields["notice_title"] = notice.title
        issued = _ISSUES.search(notice.title)
        put("title", title or (issued.group(1) if issued else notice.title))
    put("title", title)
    found = _first(front or everything[:3], NUMBER)
    if found:
        put("number", re.sub(r"\s+", "", found[0].group(0)), found[1])
    closing = [*_sentences(notice), *_sentences(signature)]
    for i, sentence in enumerate(closing):
        if DATE.fullmatch(re.sub(r"(?:印发|发布)$", "", sentence.text)):
            put("issued", iso(DATE.search(sentence.text)), sentence)  # type: ignore[arg-type]
            if i > 0 and is_unit_name(closing[i - 1].text):
                put("issuer", closing[i - 1].text, closing[i - 1])
    issuance = _first(front, _ISSUANCE)
    if issuance:
        match, sentence = issuance
        date = DATE.search(match.group("date") or match.group("date2"))
        put("issued", iso(date), sentence)  # type: ignore[arg-type]
        put("issuer", match.group("issuer") or match.group("issuer2"), sentence)
    if notice is not None:
        prefix = re.match(r"^(.{3,40}?)关于", notice.title)
        if prefix and is_unit_name(prefix.group(1)):
            put("issuer", prefix.group(1))
        addressed = next((s for s in notice.sentences if s.text.rstrip().endswith((":", "："))), None)
        put("addressees", addressed.text.rstrip(":： ") if addressed else None, addressed)
    publicity = _first(closing, _PUBLICITY)
    if publicity:
        put("publicity", publicity[0].group(0), publicity[1])
    basis = _first(everything[:40], _ENACTING)
    if basis:
        titles = tuple(dict.fromkeys(_TITLE_IN.findall(basis[1].text)))
        put("basis", titles or (basis[1].text,), basis[1])
    _validity(everything, fields, sources, put)
    repeals = [
        (m, s)
        for s in everything
        for m in re.finditer(r"《([^《》]{2,60})》[^，。；]{0,30}?(?:同时|即行|一并)?(?:废止|失效)", s.text)
    ]
    if repeals:
        put("repeals", tuple(m.group(1) for m, _ in repeals), repeals[0][1])
    return fields, sources


def _validity(
    everything: Sequence[Sentence], fields: dict[str, object], sources: dict[str, str], put
) -> None:  # type: ignore[no-untyped-def]
    effective = _first(
        everything, re.compile(r"自\s*(?P<when>[^，。；]{1,24}?)\s*起\s*(?:施行|实施|执行|生效)")
    )
    if effective:
        match, sentence = effective
        date = DATE.search(match.group("when"))
        if date:
            put("effective", iso(date), sentence)
        elif _DAY_OF.search(match.group("when")) and fields.get("issued"):
            put("effective", fields["issued"], sentence)
    period = _first(everything, _PERIOD)
    if period:
        match, sentence = period
        a, b = DATE.search(match.group("a")), DATE.search(match.group("b"))
        put("valid_from", iso(a), sentence)  # type: ignore[arg-type]
        put("valid_to", iso(b), sentence)  # type: ignore[arg-type]
        put("period_label", match.group("label").lstrip("自从"), sentence)
    until = _first(everything, _VALID_UNTIL)
    if until and re.search(r"有效|执行|实施|施行", until[1].text):
        put("valid_to", iso(DATE.search(until[0].group("date"))), until[1])  # type: ignore[arg-type]
        put("period_label", "有效期", until[1])
    span = _first(everything, _VALID_FOR)
    start = fields.get("effective") or fields.get("issued")
    if span and isinstance(start, str):
        match, sentence = span
        n = int(parse_number(match.group("n")) or 0)
        if n:
            end = _add_years(start, years=n) if match.group("unit") == "年" else _add_years(start, months=n)
            put("valid_to", end, sentence)
            put(
                "period_label",
                "试行期" if match.group("label").startswith("试行") else match.group("label"),
                sentence,
            )
    if fields.get("effective"):
        put("valid_from", fields["effective"], None)
        if "effective" in sources:
            sources.setdefault("valid_from", sources["effective"])


def _last_day(value: str) -> dt.date:
    if len(value) == 7:
        year, month = (int(p) for p in value.split("-"))
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date.fromisoformat(value)


def _first_day(value: str) -> dt.date:
    return dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01")


def status(meta: DocumentMeta, today: dt.date) -> str:
    """in_force, expired, not_yet, repealed or unknown, on the day asked."""
    if meta.repealed_by:
        return "repealed"
    start = meta.effective or meta.valid_from
    if meta.valid_to and today > _last_day(meta.valid_to):
        return "expired"
    if start and today < _first_day(start):
        return "not_yet"
    if start or meta.valid_to:
        return "in_force"
    return "unknown"


FIELDS = ("title", "notice_title", "number", "issuer", "issued", "addressees", "publicity", "basis", "effective",
          "valid_from", "valid_to", "period_label", "repeals")  # fmt: skip


def with_facts(meta: DocumentMeta, clauses: Sequence[Clause], title: str | None) -> DocumentMeta:
    """The catalogue's entry completed with what the text says; a curated value is kept and marked so."""
    fields, sources = extract(clauses, title)
    provenance: dict[str, str] = {}
    updates: dict[str, object] = {}
    for name in FIELDS:
        curated = getattr(meta, name)
        if curated:
            provenance[name] = "curated"
        elif name in fields:
            updates[name] = fields[name]
            provenance[name] = "extracted"
    for name in ("title_en", "short_title_en", "item_noun_en", "districts", "aliases", "examples", "source"):
        if getattr(meta, name):
            provenance[name] = "curated"
    return meta.model_copy(update={**updates, "provenance": provenance, "fact_sources": sources})
