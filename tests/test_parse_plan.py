"""The plan parsed by its own structure, checked against literal values of the published text."""

from __future__ import annotations

import re

import pytest

from bot.schema import Document

MEASURE_TITLES = {
    "1": "指导思想", "2": "建设目标", "3": "完善知识产权保护制度", "4": "加强知识产权行政保护",
    "5": "加强知识产权司法保护", "6": "完善知识产权协同保护", "7": "推进知识产权融合监管",
    "8": "提升海外保护维权能力", "9": "建设知识产权文化环境", "10": "促进知识产权高质量创造",
    "11": "提升创新主体管理水平", "12": "深化知识产权产业赋能", "13": "强化知识产权转移转化",
    "14": "提升知识产权运营水平", "15": "完善知识产权公共服务体系", "16": "构建金砖创新基地服务体系",
    "17": "深化知识产权要素供给侧改革", "18": "加强知识产权人才队伍建设", "19": "促进区域知识产权经济协作",
    "20": "拓展海外知识产权交流合作", "21": "加强组织领导", "22": "落实条件保障", "23": "强化评估考核",
}  # fmt: skip
PARTS = {"part-1": "总体要求", "part-2": "构建高标准知识产权保护体系", "part-3": "促进高效益知识产权创造运用",
         "part-4": "营造高质量知识产权服务环境", "part-5": "深化高水平知识产权协同发展", "part-6": "保障实施"}  # fmt: skip
MEASURE_PART = {**{m: "part-1" for m in ("1", "2")}, **{str(m): "part-2" for m in range(3, 10)},
                **{str(m): "part-3" for m in range(10, 15)}, **{str(m): "part-4" for m in range(15, 19)},
                **{m: "part-5" for m in ("19", "20")}, **{str(m): "part-6" for m in range(21, 24)}}  # fmt: skip


def test_clause_sequence(plan: Document) -> None:
    ids = [c.clause for c in plan.clauses]
    assert ids[:5] == ["notice", "intro", "part-1", "1", "2"]
    assert ids[5] == "table1"
    assert [i for i in ids if i.isdigit()] == [str(n) for n in range(1, 24)]
    assert [i for i in ids if i.startswith("part-")] == [f"part-{n}" for n in range(1, 7)]


@pytest.mark.parametrize(("clause_id", "title"), MEASURE_TITLES.items())
def test_measure_titles_and_parts(plan: Document, clause_id: str, title: str) -> None:
    clause = plan.clause(clause_id)
    assert clause is not None and clause.kind == "measure"
    assert clause.title == title
    assert clause.part == MEASURE_PART[clause_id]


def test_part_headings(plan: Document) -> None:
    assert {c.clause: c.title for c in plan.clauses if c.kind == "part"} == PARTS


def test_notice(plan: Document) -> None:
    notice = plan.clause("notice")
    assert notice is not None
    assert notice.title == "厦门市人民政府关于印发国家知识产权强市建设示范城市工作方案(2022-2025年)的通知"
    texts = [s.text for s in notice.sentences]
    assert texts[0] == "厦府〔2022〕333号"
    assert texts[1] == "各区人民政府,市直各委、办、局,各开发区管委会,各有关单位:"
    assert "2022年9月29日" in texts
    assert notice.responsible_units == ()
    assert plan.meta.number == "厦府〔2022〕333号"
    assert plan.meta.issued == "2022-09-29"
    assert plan.meta.issuer == "厦门市人民政府"


def test_preamble(plan: Document) -> None:
    intro = plan.clause("intro")
    assert intro is not None
    assert intro.title == "厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)"
    assert intro.text.startswith("为贯彻落实《知识产权强国建设纲要(2021-2035年)》")
    assert intro.text.endswith("制定本方案。")


def test_measure_body_and_sentences(plan: Document) -> None:
    goal = plan.clause("2")
    assert goal is not None
    assert goal.sentences[0].text == "知识产权强市建设示范工作期自2022年7月到2025年6月。"
    assert goal.sentences[0].id == "2.1"
    sixteen = plan.clause("16")
    assert sixteen is not None
    assert sixteen.text.startswith("围绕厦门金砖国家新工业革命伙伴关系创新基地建设")
    assert "责任单位" not in sixteen.text


def test_every_sentence_is_a_verbatim_slice(plan: Document) -> None:
    for clause in plan.clauses:
        for sentence in clause.sentences:
            assert plan.text[sentence.start : sentence.end] == sentence.text


UNITS = {
    "3": ["市市场监管局(知识产权局)", "市知识产权工作领导小组成员单位"],
    "5": ["市中级法院", "公安局", "检察院"],
    "8": ["市市场监管局(知识产权局)", "商务局", "火炬高新区管委会", "自贸区管委会"],
    "17": ["市市场监管局(知识产权局)", "海丝法务办(市委政法委)", "商务局", "自贸区管委会", "火炬高新区管委会"],
    "20": ["市市场监管局(知识产权局)", "金砖办", "海丝法务办(市委政法委)", "工信局", "发改委", "文旅局", "商务局",
           "外办", "贸促会", "工商联"],
    "21": ["市知识产权工作领导小组成员单位", "市直有关部门", "各区人民政府", "各开发区"],
}  # fmt: skip


@pytest.mark.parametrize(("clause_id", "units"), UNITS.items())
def test_responsible_units(plan: Document, clause_id: str, units: list[str]) -> None:
    clause = plan.clause(clause_id)
    assert clause is not None
    assert list(clause.responsible_units) == units


def test_units_in_both_bracket_styles(plan: Document) -> None:
    measures = [c for c in plan.clauses if c.kind == "measure"]
    with_units = {c.clause for c in measures if c.responsible_units}
    # (一) and (二) are the general requirements: the source names no units for them.
    assert with_units == {str(n) for n in range(3, 24)}
    assert plan.clause("21").units_text.startswith("(责任单位:")  # type: ignore[union-attr]
    assert plan.clause("22").units_text.startswith("〔责任单位:")  # type: ignore[union-attr]


ROWS = [
    ("每万人口高价值发明专利拥有量", None, 17.2, 21.47, "累计值"),
    ("海外发明专利授权量", None, 2357, 3600, "累计值"),
    ("马德里国际注册商标持有量", None, 678, 750, "累计值"),
    ("知识产权质押融资登记金额", "亿元", 25.16, 40, None),
    ("知识产权使用费年进出口总额", "亿美元", 7.14, 12, None),
    ("知识产权保护社会满意度", None, 81, 83, None),
    ("年均知识产权调解、撤诉案件数量", None, 1662, 2000, "年均值"),
    ("保护中心、维权援助中心、快速维权中心、维权工作站等服务创新主体", "家次", 1000, 1500, "年均值"),
    ("专利代理服务机构", None, 50, 54, "累计值"),
    ("执业专利代理师", None, 240, 260, "累计值"),
]


def test_table1(plan: Document) -> None:
    table = plan.table("table1")
    assert table is not None
    assert table.title == "厦门市国家知识产权强市建设示范主要预期性指标"
    assert (table.baseline_year, table.target_year) == (2021, 2025)
    assert table.part == "part-1"
    assert [(r.indicator, r.unit, r.baseline, r.target, r.remark) for r in table.rows] == ROWS
    for row in table.rows:
        assert row.indicator in plan.text[row.start : row.end]


def test_noise_never_reaches_a_clause(plan: Document) -> None:
    everything = "".join(c.title + c.text + (c.units_text or "") for c in plan.clauses)
    for noise in ("133-3505-7288", "加盟电话", "精确检索", "开始检索", "来源:", "相关法规"):
        assert noise not in everything
    assert plan.meta.source is not None


def test_references_are_normalised(corpus) -> None:  # type: ignore[no-untyped-def]
    by_title = {r.title: r for r in corpus.references}
    regulation = by_title["厦门经济特区知识产权促进和保护条例"]
    assert [c for _, c in regulation.cited_by] == ["1", "3", "14"]
    assert regulation.spellings == ("厦厦门经济特区知识产权促进和保护条例",)
    assert regulation.present_doc_id is None
    assert by_title["专利导航指南"].cited_by[0][1] == "17"
    assert by_title["知识产权强国建设纲要(2021-2035年)"].cited_by[0][1] == "intro"
    assert not any(re.match(r"厦厦", t) for t in by_title)
