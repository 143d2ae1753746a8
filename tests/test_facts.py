"""Facts read at ingest: each document's own (number, issuer, dates, validity, repeal) and each sentence's typed
facts (amounts, caps, ratios, time limits, fees, departments with roles, definitions), as verbatim spans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.corpus.facts.document import status
from bot.corpus.facts.numbers import parse_number
from bot.corpus.load import read_document
from bot.corpus.store import build_document
from bot.schema import Document, DocumentMeta, Fact

DEV = Path(__file__).resolve().parent.parent / "eval" / "library" / "dev"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    out = {}
    for path in sorted(DEV.iterdir()):
        if path.suffix in (".txt", ".docx"):
            text, _ = read_document(path)
            out[path.stem[:2]] = build_document(
                DocumentMeta(doc_id=path.stem, path=path.name, sha256=""), text
            )
    return out


def facts(document: Document, clause: str, kind: str) -> list[Fact]:
    found = document.clause(clause)
    assert found is not None
    return [f for f in found.facts if f.kind == kind]


def test_every_fact_is_a_verbatim_span(docs: dict[str, Document], plan: Document) -> None:
    for document in [*docs.values(), plan]:
        for clause in document.clauses:
            for fact in clause.facts:
                assert document.text[fact.start : fact.end] == fact.text


def test_amounts_caps_and_what_they_are_for(docs: dict[str, Document]) -> None:
    d1 = docs["d1"]
    amounts = [(f.value, f.unit, f.qualifier, f.text) for f in facts(d1, "3", "amount")]
    assert (5000.0, "元", "support", "每件给予一次性奖励5000元，") in amounts
    caps = [(f.value, f.unit, f.text) for f in facts(d1, "3", "cap")]
    assert (20.0, "万元", "每家企业每年最高不超过20万元。") in caps
    ratio = facts(d1, "5", "ratio")[0]
    assert (ratio.value, ratio.unit, ratio.subject) == (50.0, "%", "贷款市场报价利率（LPR）")
    assert [(f.value, f.unit, f.qualifier) for f in facts(d1, "5", "duration")] == [(2.0, "年", "不超过")]
    # 分别给予50万元、30万元、10万元: three amounts of one sentence.
    assert [f.value for f in facts(d1, "4", "amount")][:3] == [50.0, 30.0, 10.0]


def test_time_limits_from_their_event_and_fees(docs: dict[str, Document]) -> None:
    d2 = docs["d2"]
    limit = facts(d2, "9", "time_limit")[0]
    assert (limit.value, limit.unit, limit.qualifier) == (5.0, "个工作日", "收到请求书")
    assert [(f.qualifier, f.text) for f in facts(d2, "5", "fee")] == [("free", "行政裁决不收取任何费用。")]
    assert [f.subject for f in facts(d2, "3", "definition")] == ["专利侵权纠纷行政裁决", "利害关系人"]
    assert [(f.value, f.unit) for f in facts(d2, "19", "time_limit")][:1] == [(3.0, "个月")]


def test_table_cells_as_facts(docs: dict[str, Document]) -> None:
    d3, d4 = docs["d3"], docs["d4"]
    caps = [(f.value, f.unit, f.qualifier) for f in facts(d3, "table1", "cap")]
    assert (30.0, "万元", "上限") in caps
    assert ("free", "免费") in [(f.qualifier, f.text) for f in facts(d4, "table1", "fee")]
    assert (3000.0, "元") in [(f.value, f.unit) for f in facts(d4, "table1", "amount")]


def test_departments_with_their_roles(docs: dict[str, Document]) -> None:
    d1, d3 = docs["d1"], docs["d3"]
    two = d3.clause("2.2")
    assert two is not None
    assert [(r.name, r.role) for r in two.unit_roles] == [
        ("市科技局", "responsible"),
        ("市市场监管局（知识产权局）", "cooperate"),
    ]
    assert two.responsible_units == ("市科技局", "市市场监管局（知识产权局）")
    interpret = [
        (f.subject, f.qualifier) for f in facts(d3, "4.3", "department") if f.qualifier == "interpret"
    ]
    assert interpret == [("市台港澳办", "interpret"), ("市市场监管局（知识产权局）", "interpret")]
    assert [(r.name, r.role) for r in d3.clause("3.2").unit_roles] == [("各区人民政府", "by_duty")]  # type: ignore[union-attr]
    assert [(f.subject, f.qualifier) for f in facts(d1, "12", "department")] == [
        ("区市场监督管理局", "interpret")
    ]


def test_the_plan_sets_no_grant_amounts_by_its_own_text(plan: Document) -> None:
    kinds = {f.kind for c in plan.clauses for f in c.facts}
    assert not kinds & {"amount", "cap", "ratio", "time_limit", "procedure", "penalty"}
    # Its one word on charges: a platform that is public-interest first (公益性服务为主), nothing charged.
    assert [(f.qualifier, f.text) for c in plan.clauses for f in c.facts if f.kind == "fee"] == [
        ("free", "坚持“公益性服务为主、市场化服务为辅”定位,")
    ]
    assert {f.kind for f in plan.clause("2").facts} == {"window", "validity"}  # type: ignore[union-attr]


def test_document_facts_read_from_the_text(docs: dict[str, Document], plan: Document) -> None:
    meta = plan.meta
    assert (meta.number, meta.issuer, meta.issued) == ("厦府〔2022〕333号", "厦门市人民政府", "2022-09-29")
    assert (meta.valid_from, meta.valid_to, meta.publicity) == ("2022-07", "2025-06", "此件主动公开")
    assert meta.provenance["valid_to"] == "extracted" and meta.provenance["title_en"] == "curated"
    assert meta.fact_sources["valid_to"] == "2.1" and meta.fact_sources["number"] == "notice.1"
    d1, d3, d4, d5 = docs["d1"].meta, docs["d3"].meta, docs["d4"].meta, docs["d5"].meta
    assert (d1.number, d1.issuer, d1.issued, d1.effective, d1.valid_to) == (
        "厦湖政规〔2023〕6号", "厦门市湖里区人民政府", "2023-12-20", "2024-01-01", "2026-12-31",
    )  # fmt: skip
    assert (d3.title, d3.effective, d3.valid_to) == (
        "厦门市支持台资企业知识产权创造运用若干措施",
        "2024-04-12",
        "2026-12-31",
    )
    assert (d4.issuer, d4.effective, d4.valid_to, d4.period_label) == (
        "厦门火炬高技术产业开发区管理委员会", "2024-08-01", "2026-07-31", "试行期",
    )  # fmt: skip
    assert d5.repeals == ("厦门市商标品牌战略专项资金管理办法",)
    assert d5.addressees == "各区市场监督管理局，局机关各处室、各直属单位，各有关单位"


def test_status_on_the_day_asked(docs: dict[str, Document], plan: Document) -> None:
    day = dt.date(2026, 12, 1)
    assert status(plan.meta, day) == "expired"
    assert status(docs["d1"].meta, day) == "in_force"
    assert status(docs["d4"].meta, day) == "expired"
    assert status(docs["d1"].meta, dt.date(2023, 12, 31)) == "not_yet"
    assert status(DocumentMeta(doc_id="x", path="x", sha256=""), day) == "unknown"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5000", 5000),
        ("5,000", 5000),
        ("５０００", 5000),
        ("五千", 5000),
        ("二十万", 200000),
        ("一百零五", 105),
        ("两亿", 2e8),
    ],
)
def test_numbers_as_documents_write_them(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_a_date_that_is_no_calendar_date_is_no_fact_and_no_crash() -> None:
    """A typo in the source (13月, 2月30日) must not stop the ingest, nor become a validity to judge; a real
    date beside it is still read. (Found by the benchmark's generated documents.)"""
    text = (
        "关于印发某区专利奖励办法的通知\n\n各有关单位：\n现将《某区专利奖励办法》印发给你们，请遵照执行。\n\n"
        "某区市场监督管理局\n2023年13月40日\n\n某区专利奖励办法\n\n"
        "第一条　为鼓励创新，制定本办法。\n第二条　本办法自2024年2月30日起施行，有效期3年。\n"
        "第三条　申报时间为2024年3月1日至2024年4月30日。\n"
    )
    document = build_document(DocumentMeta(doc_id="typo", path="typo.txt", sha256=""), text)
    meta = document.meta
    assert meta.issued is None and meta.effective is None
    assert meta.valid_to is None  # 有效期3年 from no date is no end date
    assert status(meta, dt.date(2025, 1, 1)) == "unknown"
    assert document.clause("3") is not None  # the rest of the document is there
