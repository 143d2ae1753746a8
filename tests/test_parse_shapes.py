"""Documents of other shapes parsed by their own structure: articles with and without chapters and sections,
items restarting in each part, tables with their own columns, annexes, a closing signature, a .docx with Word
tables in place, a GBK text. The documents are the fictional development set in eval/library/dev/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.clean import clean
from bot.corpus.load import read_document
from bot.corpus.parse import Parsed, parse_document

DEV = Path(__file__).resolve().parent.parent / "eval" / "library" / "dev"


def parse(name: str) -> Parsed:
    text, _ = read_document(DEV / name)
    return parse_document(name, clean(text).lines, text)


def ids(parsed: Parsed) -> list[str]:
    return [c.clause for c in parsed.clauses]


def clause(parsed: Parsed, clause_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in parsed.clauses if c.clause == clause_id)


def test_articles_without_chapters_and_a_closing_signature() -> None:
    parsed = parse("d1_patent_incentives.txt")
    assert parsed.shape == "regulation"
    assert ids(parsed) == ["intro", *[str(n) for n in range(1, 13)], "signature"]
    assert parsed.title == "湖里区促进知识产权高质量发展若干措施"
    # Most articles carry a heading of their own; one that opens with its text has none.
    assert clause(parsed, "3").title == "发明专利创造奖励"
    assert clause(parsed, "3").text.startswith("对首次获得国内发明专利授权的企业，给予一次性奖励1万元。")
    assert clause(parsed, "12").title == ""
    assert [s.text for s in clause(parsed, "signature").sentences] == [
        "厦门市湖里区人民政府",
        "2023年12月20日",
    ]
    assert parsed.problems == []


def test_chapters_sections_and_articles_numbered_straight_through() -> None:
    parsed = parse("d2_adjudication_rules.txt")
    structure = [i for i in ids(parsed) if not i.isdigit()]
    assert structure == [
        "intro",
        "chapter-1",
        "chapter-2",
        "chapter-3",
        "section-3.1",
        "section-3.2",
        "chapter-4",
        "chapter-5",
    ]
    assert [i for i in ids(parsed) if i.isdigit()] == [str(n) for n in range(1, 27)]
    assert clause(parsed, "section-3.2").title == "简易程序"
    assert clause(parsed, "17").part == "section-3.2"
    assert clause(parsed, "section-3.2").part == "chapter-3"
    # 款 and 项 stay inside their article.
    assert "（一）请求人是专利权人或者利害关系人；" in clause(parsed, "7").text
    # A document that does not head its articles: none is given a sentence as its title.
    assert all(c.title == "" for c in parsed.clauses if c.kind == "article")


def test_items_restarting_in_each_part_with_roles_a_table_and_annexes() -> None:
    parsed = parse("d3_taiwan_measures_notice.txt")
    assert ids(parsed)[:4] == ["notice", "intro", "part-1", "1.1"]
    assert [i for i in ids(parsed) if i.startswith("2.")] == ["2.1", "2.2", "2.3", "2.4"]
    item = clause(parsed, "2.1")
    assert (item.title, item.part, item.number) == ("知识产权质押融资", "part-2", 1)
    assert [(r.name, r.role) for r in item.unit_roles] == [
        ("市金融监管局", "lead"),
        ("市市场监管局（知识产权局）", "cooperate"),
        ("市财政局", "cooperate"),
    ]
    table = parsed.tables[0]
    assert (table.clause, table.title) == ("table1", "支持标准一览表")
    assert table.columns == ("序号", "支持事项", "支持标准", "上限", "责任单位")
    assert len(table.rows) == 8
    assert table.rows[4].cells["支持标准"] == "实际支付利息的40%"
    assert table.rows[4].cells["上限"] == "单户企业年度30万元，贴息期限1年"
    assert clause(parsed, "annex-1").title == "申报材料清单"
    assert [i for i in ids(parsed) if i.startswith("annex-2")] == [
        "annex-2",
        *[f"annex-2.{n}" for n in range(1, 6)],
    ]
    assert (
        clause(parsed, "annex-2.2").text == "区台港澳办会同区市场监管局自申报截止之日起15个工作日内完成初审；"
    )
    assert clause(parsed, "annex-1.3").text == "专利证书、商标注册证等权利证明文件复印件；"
    # The page's furniture (breadcrumbs, print widgets, licence line) is not part of any clause.
    assert not any("ICP" in c.text or "打印本页" in c.text for c in parsed.clauses)


def test_docx_tables_stay_where_the_document_has_them() -> None:
    parsed = parse("d4_brics_platform.docx")
    order = ids(parsed)
    assert order.index("table1") == order.index("8") + 1 and order.index("table2") == order.index("14") + 1
    fees = parsed.tables[0]
    assert fees.columns == ("序号", "服务事项", "服务内容", "收费标准", "备注")
    assert fees.rows[2].cells["收费标准"] == "每份3000元"
    assert parsed.tables[1].rows[0].cells == {
        "序号": "1",
        "考核指标": "服务企业数量",
        "分值": "30",
        "考核内容": "年度服务企业不少于300家",
    }


def test_gbk_text_with_items_numbered_straight_through_the_parts() -> None:
    parsed = parse("d5_trademark_rules_gbk.txt")
    assert ids(parsed)[:3] == ["notice", "part-1", "1"]
    assert [i for i in ids(parsed) if i.isdigit()] == [str(n) for n in range(1, 19)]
    assert clause(parsed, "14").title == "审核程序"
    assert clause(parsed, "18").title == ""  # a sentence (…起施行，有效期五年。) is not a heading
    assert clause(parsed, "6").text.startswith("资助标准如下：1. 通过马德里体系")


@pytest.mark.parametrize(
    ("line", "kind", "number"),
    [
        ("第二十三条　本办法自2024年1月1日起施行。", "article", 23),
        ("第三章 审理", "chapter", 3),
        ("第二节 简易程序", "section", 2),
        ("(十六)构建金砖创新基地服务体系", "item", 16),
        ("（三）近三年内未被列入严重违法失信名单；", "item", 3),
        ("四、保障措施", "part", 4),
        ("2. 区级初审：区台港澳办……", "arabic", 2),
        ("附件1", "annex", 1),
        ("附件2：申报流程", "annex", 2),
    ],
)
def test_line_headings(line: str, kind: str, number: int) -> None:
    from bot.corpus.parse.lines import heading_of

    heading = heading_of(line)
    assert heading is not None and (heading.kind, heading.number) == (kind, number)


@pytest.mark.parametrize(
    "line", ["第三条规定的期限届满的，", "附件：1.申报表 2.承诺书", "2024年3月1日", "1.5倍"]
)
def test_lines_that_open_no_heading(line: str) -> None:
    from bot.corpus.parse.lines import heading_of

    assert heading_of(line) is None


def test_a_long_notice_title_and_its_attachment_note_before_the_annex() -> None:
    """Two issuers make the notice's title long; its "附件：…一览表" names the attachment, which opens later
    under the same number. The measures stay the body, numbered in their parts, not items of the annex."""
    text = (
        "厦门市人民政府台港澳事务办公室　厦门市市场监督管理局（厦门市知识产权局）关于印发《支持台资企业知识产权若干措施》的通知\n"
        "厦台港澳〔2025〕9号\n各区人民政府：\n"
        "　　现将《支持台资企业知识产权若干措施》印发给你们，请认真贯彻落实。\n"
        "　　附件：台资企业知识产权扶持标准一览表\n"
        "厦门市人民政府台港澳事务办公室\n2025年6月10日\n（此件主动公开）\n\n"
        "支持台资企业知识产权若干措施\n"
        "一、支持知识产权创造\n（一）商标注册补助。每件给予补助1000元。\n（二）专利授权补助。每件给予补助5000元。\n"
        "二、附则\n（一）本措施自印发之日起施行，有效期至2027年12月31日。\n\n"
        "附件\n台资企业知识产权扶持标准一览表\n序号　　扶持事项　　扶持标准\n1　　国内商标注册　　每件1000元\n"
        "2　　国内发明专利授权　　每件5000元\n"
    )
    parsed = parse_document("k2", clean(text).lines, text)
    assert ids(parsed)[0] == "notice" and parsed.title == "支持台资企业知识产权若干措施"
    assert [c for c in ids(parsed) if c in ("1.1", "1.2", "2.1")] == ["1.1", "1.2", "2.1"]
    # The annex is a table: the annex keeps its title, the table is a clause with its own columns.
    assert ids(parsed)[-2:] == ["annex-1", "table1"] and "annex-1.1.1" not in ids(parsed)
    assert clause(parsed, "annex-1").title == "台资企业知识产权扶持标准一览表"
    (table,) = parsed.tables
    assert (
        table.columns == ("序号", "扶持事项", "扶持标准") and table.title == "台资企业知识产权扶持标准一览表"
    )
    assert clause(parsed, "table1").title == table.title
    assert table.rows[0].cells["扶持标准"] == "每件1000元"
    assert "附件：台资企业知识产权扶持标准一览表" in clause(parsed, "notice").text
    assert clause(parsed, "1.2").text == "每件给予补助5000元。"


def test_parts_with_arabic_items_restarting_in_each_part() -> None:
    """一、 with 1. 2. under it: the items are clauses P.I (二、1. is 2.1), a ratio 1:1 ends no heading, and a
    sentence before the first full stop is the item's text, not a title."""
    text = (
        "风险补偿资金池操作规程\n一、资金池设立\n1.资金池由市、区两级财政按照1:1的比例共同出资设立，首期规模1亿元。\n"
        "2.资金池实行专户管理、封闭运行。每年补偿支出不超过资金池规模的30%。\n"
        "二、补偿程序\n1.合作银行应当自贷款逾期满60日之日起12个月内提出补偿申请。\n"
    )
    parsed = parse_document("k3", clean(text).lines, text)
    assert parsed.title == "风险补偿资金池操作规程"
    assert ids(parsed) == ["part-1", "1.1", "1.2", "part-2", "2.1"]
    assert clause(parsed, "1.1").text.startswith("资金池由市、区两级财政按照1:1的比例")
    assert clause(parsed, "1.2").title == ""
    assert clause(parsed, "1.2").text == "资金池实行专户管理、封闭运行。每年补偿支出不超过资金池规模的30%。"
    assert clause(parsed, "2.1").text == "合作银行应当自贷款逾期满60日之日起12个月内提出补偿申请。"
