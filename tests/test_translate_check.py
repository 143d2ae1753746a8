"""The checks one machine-translated sentence must pass before it is kept (bot.translate.check)."""

from __future__ import annotations

import pytest

from bot.translate.check import Office, check_sentence, offices_in

OFFICES = [
    Office(
        "市市场监管局(知识产权局)",
        ("Xiamen Municipal Administration for Market Regulation (Xiamen Intellectual Property Office)",),
    ),
    Office("知识产权局", ("intellectual property office",)),
    Office("人社局", ("Municipal Bureau of Human Resources and Social Security",)),
    Office("高校", ("universities",)),
]


@pytest.mark.parametrize(
    ("source", "english"),
    [
        (
            "每件给予一次性资助5000元，每家企业每年累计不超过20万元。",
            "A one-time grant of CNY 5,000 per patent, up to CNY 200,000 per enterprise per year.",
        ),
        ("自2025年1月1日起施行，有效期3年。", "It takes effect on 1 January 2025 and is valid for 3 years."),
        (
            "应当自受理之日起15个工作日内作出决定。",
            "A decision shall be made within 15 working days of acceptance.",
        ),
        ("按实际费用的50%给予补助。", "A subsidy of 50 percent of the actual costs is granted."),
        ("申请资助不收取任何费用。", "No fee is charged for an application."),
        ("贯彻落实“十四五”规划。", "Implement the 14th Five-Year Plan."),
        ("建立双向交流机制。", "Set up a two-way exchange mechanism."),
        ("由市人社局负责。", "The Municipal Human Resources and Social Security Bureau is responsible."),
        ("支持高校建设。", "Support a university in building it."),
        ("单笔贷款期限在6个月（含）以上；", "the term of each loan is 6 months or more (inclusive);"),
        ("序号　　扶持事项", "No.    Support item"),
        ("以下简称市知识产权局", "hereinafter the Municipal Intellectual Property Office"),
    ],
)
def test_an_honest_translation_is_kept(source: str, english: str) -> None:
    verdict = check_sentence(source, english, OFFICES)
    assert verdict.kept, verdict.reasons


@pytest.mark.parametrize(
    ("source", "english", "reason"),
    [
        ("给予资助5000元。", "A grant of CNY 6,000.", "figure '5000' of the source is missing"),
        (
            "给予资助5000元。",
            "A grant of CNY 5,000, or CNY 8,000 for large firms.",
            "figure '8,000' is not in the source",
        ),
        ("给予资助5000元。", "A grant of 5,000.", "the unit yuan is not named"),
        ("15个工作日内作出决定。", "A decision within 15 days.", "the unit working days is not named"),
        ("6个月内提出申请。", "Apply within 6 weeks.", "the unit months is not named"),
        ("按费用的50%给予补助。", "A subsidy of 50 times the cost.", "the unit percent is not named"),
        (
            "同一专利不得重复申请。",
            "The same patent may be applied for again.",
            "the source's prohibition or denial is lost",
        ),
        (
            "就高不重复，不得重复享受。",
            "The higher applies without duplication and may be enjoyed twice.",
            "prohibition",
        ),
        ("每年累计不超过20万元。", "CNY 200,000 or more a year.", "cap (at most) is lost"),
        ("出资比例不低于25%。", "a contribution of less than 25%", "floor (at least) is lost"),
        ("给予资助。", "No grant is given.", "a negation the source does not have"),
        ("详见通知。", "See the notice or call 0592-5550123.", "contact detail"),
        ("详见通知。", "See www.example.gov.cn for details.", "contact detail"),
        ("给予发明专利资助。", "A grant for 发明专利.", "Chinese left in the English"),
        ("由市人社局负责。", "The competent authority is responsible.", "人社局 is not called"),
        ("给予资助。", "", "no translation was returned"),
    ],
)
def test_a_faulty_translation_is_left_out_with_its_reason(source: str, english: str, reason: str) -> None:
    verdict = check_sentence(source, english, OFFICES)
    assert not verdict.kept
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_the_longest_office_name_is_the_one_checked() -> None:
    found = offices_in("由市市场监管局(知识产权局)负责", OFFICES)
    assert [o.zh for o in found] == ["市市场监管局(知识产权局)"]
    english = "The Xiamen Municipal Administration for Market Regulation (Xiamen Intellectual Property Office) leads."
    assert check_sentence("由市市场监管局(知识产权局)负责", english, OFFICES).kept


def test_on_honest_translations_a_person_wrote_the_checks_keep_nearly_all_and_catch_planted_faults() -> None:
    from eval.translation import run

    result = run()
    assert result["kept"] >= 0.97 * result["lines"]  # type: ignore[operator]
    for fault, (hits, total) in result["caught"].items():  # type: ignore[union-attr]
        assert total and hits >= 0.8 * total, fault
