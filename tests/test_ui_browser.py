"""The web UI (API + Gradio on one server) driven by Debian's headless Chromium through selenium.

Screenshots go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.corpus.facts.document import status
from bot.corpus.store import CorpusStore
from bot.feedback import FeedbackStore
from bot.wiring import build_bot
from tests.conftest import PLAN_ID, ROOT
from tests.servers import running_server
from ui.library import STANDING

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"
LIBRARY = ROOT / "eval" / "library" / "dev"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_S = 60

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium chromium-driver)",
    ),
]

if CHROMIUM.exists():
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait


@pytest.fixture(scope="module")
def feedback_store(tmp_path_factory: pytest.TempPathFactory) -> FeedbackStore:
    return FeedbackStore(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3")


@pytest.fixture(scope="module")
def server_url(bot: Any, feedback_store: FeedbackStore) -> Iterator[str]:
    from bot.api import build_server

    with running_server(build_server(bot, feedback_store)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="policybot-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument("--window-size=1280,1000")
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def page(browser: WebDriver, server_url: str) -> WebDriver:
    """A fresh page load per test, so each test starts with an empty conversation."""
    browser.set_window_size(1280, 1000)
    browser.get(server_url + "/")
    WebDriverWait(browser, WAIT_S).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "#pb-question textarea"))
    )
    return browser


def screenshot(driver: WebDriver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def bot_messages(driver: WebDriver) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, '#pb-chat [data-testid="bot"]')


def ask(driver: WebDriver, question: str) -> str:
    """Type a question, send it, and wait for the finished answer; returns the last bot message's text."""
    before = len(bot_messages(driver))
    box = driver.find_element(By.CSS_SELECTOR, "#pb-question textarea")
    box.clear()
    box.send_keys(question)
    driver.find_element(By.ID, "pb-send").click()
    # Sending clears the notice box; it is filled again only with the final answer.
    WebDriverWait(driver, WAIT_S).until(
        lambda d: (
            len(bot_messages(d)) > before and d.find_elements(By.CSS_SELECTOR, "#pb-notices-box .pb-notice")
        )
    )
    return str(bot_messages(driver)[-1].text)


def choose_language(driver: WebDriver, label: str) -> None:
    driver.find_element(
        By.XPATH, f'//*[@id="pb-lang"]//label[contains(normalize-space(.), "{label}")]'
    ).click()


def open_tab(driver: WebDriver, label: str) -> None:
    driver.find_element(By.XPATH, f'//button[@role="tab"][contains(normalize-space(.), "{label}")]').click()


def test_chinese_question_gets_a_citation_card(page: WebDriver) -> None:
    answer = ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    assert "金砖办" in answer
    card = WebDriverWait(page, WAIT_S).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, '#pb-cards .pb-card[data-clause="16"]'))
    )
    label = card.find_element(By.CSS_SELECTOR, ".pb-label").text
    assert "《厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)》四、(十六)" in label
    assert "金砖办" in card.find_element(By.CSS_SELECTOR, ".pb-units").text
    assert "简体中文" in page.find_element(By.ID, "pb-notices-box").text
    screenshot(page, "ask-zh")
    page.execute_script("document.getElementById('pb-notices-box').scrollIntoView()")
    screenshot(page, "ask-zh-cards")


def test_open_a_citation_shows_the_full_clause_side_by_side(page: WebDriver) -> None:
    ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    card = WebDriverWait(page, WAIT_S).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, '#pb-cards .pb-card[data-clause="16"]'))
    )
    card.find_element(By.CSS_SELECTOR, "details.pb-full summary").click()
    side = WebDriverWait(page, WAIT_S).until(lambda d: card.find_element(By.CSS_SELECTOR, ".pb-side"))
    assert side.is_displayed()
    assert (
        "围绕厦门金砖国家新工业革命伙伴关系创新基地建设"
        in side.find_element(By.CSS_SELECTOR, 'section[lang="zh"]').text
    )
    assert (
        "In support of building the Xiamen BRICS"
        in side.find_element(By.CSS_SELECTOR, 'section[lang="en"]').text
    )
    page.execute_script("arguments[0].scrollIntoView()", card)
    screenshot(page, "citation-open")


def test_english_question_and_language_switch(page: WebDriver) -> None:
    answer = ask(page, "Which departments are responsible for the BRICS innovation base service system?")
    assert "Xiamen BRICS Innovation Center Office" in answer
    assert "English" in page.find_element(By.ID, "pb-notices-box").text
    screenshot(page, "ask-en")
    choose_language(page, "繁體中文")
    answer = ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    assert "金磚辦" in answer
    assert "繁體中文" in page.find_element(By.ID, "pb-notices-box").text
    choose_language(page, "English")
    answer = ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    assert "Xiamen BRICS Innovation Center Office" in answer
    screenshot(page, "language-switch")


def test_staff_mode_shows_a_copyable_citation_line(page: WebDriver) -> None:
    page.find_element(By.CSS_SELECTOR, "#pb-staff input").click()
    ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    lines = WebDriverWait(page, WAIT_S).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, "#pb-staff-lines textarea"))
    )
    WebDriverWait(page, WAIT_S).until(lambda d: lines.get_attribute("value"))
    text = lines.get_attribute("value") or ""
    assert text.startswith("1. 《厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)》四、(十六)：“")
    assert "责任单位：市市场监管局(知识产权局)、工信局、金砖办" in text
    page.execute_script("arguments[0].scrollIntoView()", lines)
    screenshot(page, "staff-mode")


def test_feedback_is_saved(page: WebDriver, feedback_store: FeedbackStore) -> None:
    before = feedback_store.count()
    # No thumbs before there is an answer to judge.
    assert not [e for e in page.find_elements(By.ID, "pb-up") if e.is_displayed()]
    ask(page, "企业做知识产权质押融资有什么支持？")
    page.find_element(By.CSS_SELECTOR, "#pb-comment textarea").send_keys("很有用")
    page.find_element(By.ID, "pb-up").click()
    WebDriverWait(page, WAIT_S).until(lambda d: "saved" in d.find_element(By.ID, "pb-feedback-status").text)
    assert feedback_store.count() == before + 1
    # A second click on the same answer updates its one record.
    page.find_element(By.ID, "pb-down").click()
    WebDriverWait(page, WAIT_S).until(lambda d: "saved" in d.find_element(By.ID, "pb-feedback-status").text)
    number = int(page.find_element(By.ID, "pb-feedback-status").text.split("#")[1].split()[0])
    assert feedback_store.count() == before + 1 and feedback_store.rating(number) == -1
    page.execute_script("document.getElementById('pb-feedback').scrollIntoView()")
    screenshot(page, "feedback")


def test_header_names_the_loaded_documents_and_offers_their_examples(page: WebDriver, bot: Any) -> None:
    header = page.find_element(By.CSS_SELECTOR, ".pb-header").text
    documents = bot.corpus.documents
    assert f"已载入 {len(documents)} 份文件" in header
    assert f"{len(documents)} document{'' if len(documents) == 1 else 's'} loaded" in header
    for document in documents:
        assert f"《{document.meta.title}》" in header
    plan = bot.corpus.document(PLAN_ID)
    assert plan.meta.title_en and plan.meta.title_en in header
    chips = page.find_element(By.ID, "pb-examples").text
    assert plan.meta.examples and all(question in chips for question in plan.meta.examples)
    box = page.find_element(By.CSS_SELECTOR, "#pb-question textarea")
    assert (
        box.get_attribute("placeholder") == "就已载入的政策文件提问 · Ask about the loaded policy documents"
    )
    screenshot(page, "header")


def test_browse_shows_the_plan_and_table_1(page: WebDriver, bot: Any) -> None:
    plan = bot.corpus.document(PLAN_ID)
    open_tab(page, "Browse")
    article = WebDriverWait(page, WAIT_S).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, f'#pb-library .pb-doc[data-doc="{PLAN_ID}"]'))
    )
    table = article.find_element(By.CSS_SELECTOR, 'table[data-clause="table1"]')
    header = [th.text.split("\n")[0] for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert header == ["主要指标", "单位", "基期值（2021）", "预期值（2025）", "备注"]
    assert [h.split("（")[0] for h in header] == list(plan.tables[0].columns)
    assert "海外发明专利授权量" in table.text
    assert "3600" in table.text
    assert "Overseas invention patents granted" in table.text
    outline = article.find_element(By.CSS_SELECTOR, ".pb-outline").text
    assert "构建金砖创新基地服务体系" in outline
    zh, en = STANDING[status(plan.meta, bot.settings.day())]
    assert f"{zh} · {en}" in article.find_element(By.CSS_SELECTOR, ".pb-meta .pb-status").text
    assert plan.meta.number in article.find_element(By.CSS_SELECTOR, ".pb-meta").text
    screenshot(page, "browse")
    page.execute_script("arguments[0].scrollIntoView()", table)
    screenshot(page, "browse-table1")
    page.find_element(By.XPATH, '//button[contains(normalize-space(.), "Next")]').click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: "关于印发" not in d.find_element(By.ID, "pb-clause-view").text
    )
    assert "厦门市国家知识产权强市建设示范城市工作方案" in page.find_element(By.ID, "pb-clause-view").text


def test_glossary_search(page: WebDriver) -> None:
    open_tab(page, "Glossary")
    box = WebDriverWait(page, WAIT_S).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "#pb-term textarea, #pb-term input"))
    )
    box.send_keys("智慧財產權")
    WebDriverWait(page, WAIT_S).until(
        lambda d: "intellectual property (IP)" in d.find_element(By.ID, "pb-terms").text
    )
    screenshot(page, "glossary")


def test_html_in_a_question_is_shown_as_text(page: WebDriver) -> None:
    page.execute_script("window.__alerted = false; window.alert = () => { window.__alerted = true; };")
    question = "<img src=x onerror=alert(1)>"
    ask(page, question)
    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert.text  # noqa: B018
    assert page.execute_script("return window.__alerted") is False
    assert page.find_elements(By.CSS_SELECTOR, 'img[src="x"]') == []
    assert question in page.find_element(By.CSS_SELECTOR, '#pb-chat [data-testid="user"]').text
    screenshot(page, "html-as-text")


def test_phone_width_layout(page: WebDriver) -> None:
    page.set_window_size(390, 844)
    ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    overflow = page.execute_script("const e = document.documentElement; return e.scrollWidth - e.clientWidth")
    assert overflow <= 0  # no sideways scrolling at phone width
    screenshot(page, "phone")
    page.execute_script("document.getElementById('pb-cards').scrollIntoView()")
    screenshot(page, "phone-cards")


def test_the_page_and_the_api_share_one_rate_limit(bot: Any, browser: WebDriver) -> None:
    import dataclasses

    import httpx

    from bot.api import build_server

    server = bot.settings.server.model_copy(update={"rate_limit_per_minute": 2})
    limited = dataclasses.replace(bot, settings=bot.settings.model_copy(update={"server": server}))
    with running_server(build_server(limited)) as url:
        browser.set_window_size(1280, 1000)
        browser.get(url + "/")
        WebDriverWait(browser, WAIT_S).until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, "#pb-question textarea"))
        )
        assert (
            httpx.post(f"{url}/v1/ask", json={"question": "金砖知识产权交易平台怎么建设？"}).status_code
            == 200
        )
        ask(browser, "知识产权质押融资有什么支持？")  # the second question of this client: allowed
        box = browser.find_element(By.CSS_SELECTOR, "#pb-question textarea")
        box.clear()
        box.send_keys("海外维权有什么帮助？")
        browser.find_element(By.ID, "pb-send").click()
        WebDriverWait(browser, WAIT_S).until(lambda d: "Too many questions" in bot_messages(d)[-1].text)
        screenshot(browser, "rate-limited")
        assert httpx.post(f"{url}/v1/ask", json={"question": "海外维权有什么帮助？"}).status_code == 429


def test_a_second_document_appears_in_the_header_and_the_browse_view(
    browser: WebDriver, tmp_path: Path, corpus_copy: Path
) -> None:
    """A document ingested into a corpus copy is named in the header and browsed with its own table columns."""
    from bot.api import build_server

    (added,) = CorpusStore(corpus_copy).ingest([LIBRARY / "d3_taiwan_measures_notice.txt"])
    settings = Settings(
        corpus_dir=corpus_copy,
        index_dir=tmp_path / "index",
        data_dir=tmp_path / "data",
        embedding={"backend": "hashing"},
    )
    two = build_bot(settings, progress=False)
    with running_server(build_server(two)) as url:
        browser.set_window_size(1280, 1000)
        browser.get(url + "/")
        WebDriverWait(browser, WAIT_S).until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, "#pb-question textarea"))
        )
        header = browser.find_element(By.CSS_SELECTOR, ".pb-header").text
        assert "已载入 2 份文件 · 2 documents loaded" in header
        assert "《厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)》" in header
        assert "《厦门市支持台资企业知识产权创造运用若干措施》" in header
        screenshot(browser, "two-documents-header")
        open_tab(browser, "Browse")
        article = WebDriverWait(browser, WAIT_S).until(
            ec.visibility_of_element_located(
                (By.CSS_SELECTOR, f'#pb-library .pb-doc[data-doc="{added.doc_id}"]')
            )
        )
        assert "《厦门市支持台资企业知识产权创造运用若干措施》" in article.text
        zh, en = STANDING[status(added.meta, settings.day())]
        assert zh in article.find_element(By.CSS_SELECTOR, ".pb-meta .pb-status").text
        table = article.find_element(By.CSS_SELECTOR, 'table[data-clause="table1"]')
        header_cells = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
        assert (
            header_cells
            == ["序号", "支持事项", "支持标准", "上限", "责任单位"]
            == list(added.tables[0].columns)
        )
        assert "以台湾地区专利申请为优先权基础获得大陆发明专利授权" in table.text
        assert "每件加计2000元" in table.text
        # Its outline starts folded (the first document's is open) and opens on a click.
        outline = article.find_element(By.CSS_SELECTOR, ".pb-outline")
        assert "发明专利授权资助" not in outline.text
        outline.find_element(By.TAG_NAME, "summary").click()
        WebDriverWait(browser, WAIT_S).until(lambda d: "发明专利授权资助" in outline.text)
        assert "Part I, item (1)" in outline.text
        browser.execute_script("arguments[0].scrollIntoView()", article)
        screenshot(browser, "two-documents-browse")


def test_clearing_the_chat_leaves_no_turn_card_or_context(page: WebDriver) -> None:
    ask(page, "知识产权质押融资有什么措施？")
    assert page.find_elements(By.CSS_SELECTOR, "#pb-cards .pb-card")
    page.find_element(By.ID, "pb-clear").click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: not bot_messages(d) and not d.find_elements(By.CSS_SELECTOR, "#pb-cards .pb-card")
    )
    # The next person's "这条" points at nothing: the bot asks which clause is meant.
    answer = ask(page, "这条由哪些部门负责？")
    assert "请问您指的是哪一条" in answer and len(bot_messages(page)) == 1


def test_an_over_long_paste_says_what_was_cut(page: WebDriver, bot: Any) -> None:
    limit = bot.settings.server.max_question_chars
    pasted = "金砖创新基地有什么知识产权服务？" + "补充说明。" * (limit // 5 + 200)
    box = page.find_element(By.CSS_SELECTOR, "#pb-question textarea")
    page.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        box,
        pasted,
    )
    page.find_element(By.ID, "pb-send").click()
    WebDriverWait(page, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pb-notices-box .pb-cut"))
    note = page.find_element(By.CSS_SELECTOR, "#pb-notices-box .pb-cut").text
    assert str(len(pasted)) in note and str(limit) in note


def test_the_api_docs_render_offline(browser: WebDriver, server_url: str) -> None:
    """Swagger UI (bundled, no CDN) lists the operations: the spec it reads is one it can render."""
    browser.get(server_url + "/docs")
    WebDriverWait(browser, WAIT_S).until(
        lambda d: any("/v1/ask" in e.text for e in d.find_elements(By.CSS_SELECTOR, ".opblock-summary-path"))
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".errors-wrapper")
    screenshot(browser, "docs")


def test_an_example_chip_asks_its_question(page: WebDriver, bot: Any) -> None:
    question = bot.corpus.document(PLAN_ID).meta.examples[0]
    chip = page.find_element(By.XPATH, f'//*[@id="pb-examples"]//*[normalize-space(text())="{question}"]')
    chip.click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: bot_messages(d) and d.find_elements(By.CSS_SELECTOR, "#pb-cards .pb-card")
    )
    users = page.find_elements(By.CSS_SELECTOR, '#pb-chat [data-testid="user"]')
    assert users and question in users[-1].text


CONTRAST_JS = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")


def low_contrast(driver: WebDriver, selector: str = "body") -> list[dict[str, Any]]:
    """Visible texts below WCAG 2.2 AA contrast (4.5:1, 3:1 when large), computed as the browser paints."""
    return list(driver.execute_script(CONTRAST_JS, selector))


def contrast_report(found: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['ratio']}:1 < {f['needed']}:1 {f['where']} {f['color']} on {f['background']}: {f['text']!r}"
        for f in found
    ]


def test_every_text_meets_wcag_aa_contrast(page: WebDriver) -> None:
    checked = {}
    ask(page, "构建金砖创新基地服务体系由哪些单位负责？")
    card = page.find_element(By.CSS_SELECTOR, "#pb-cards .pb-card")
    card.find_element(By.CSS_SELECTOR, "details.pb-full summary").click()
    checked["ask (answer, notices, cards, full clause)"] = low_contrast(page)
    choose_language(page, "English")
    ask(page, "What is the target for patent pledge financing?")
    checked["ask in English"] = low_contrast(page)
    open_tab(page, "Browse")
    checked["browse"] = low_contrast(page)
    open_tab(page, "Glossary")
    checked["glossary"] = low_contrast(page)
    failing = [f"{view}: {line}" for view, found in checked.items() for line in contrast_report(found)]
    assert not failing, "\n".join(failing)


def test_dark_mode_meets_wcag_aa_contrast_too(browser: WebDriver, server_url: str) -> None:
    browser.get(server_url + "/?__theme=dark")
    WebDriverWait(browser, WAIT_S).until(
        ec.element_to_be_clickable((By.CSS_SELECTOR, "#pb-question textarea"))
    )
    ask(browser, "构建金砖创新基地服务体系由哪些单位负责？")
    found = low_contrast(browser)
    open_tab(browser, "Browse")
    found += low_contrast(browser)
    screenshot(browser, "dark-mode")
    assert not found, "\n".join(contrast_report(found))


def in_view(driver: WebDriver, element_id: str) -> bool:
    return bool(
        driver.execute_script(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return r.top >= -1 && r.top < window.innerHeight * 0.5;",
            element_id,
        )
    )


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_outline_entry_opens_its_clause_in_view(page: WebDriver, width: int) -> None:
    page.set_window_size(width, 844)
    open_tab(page, "Browse")
    article = WebDriverWait(page, WAIT_S).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, f'#pb-library .pb-doc[data-doc="{PLAN_ID}"]'))
    )
    link = article.find_element(By.CSS_SELECTOR, '.pb-outline li[data-clause="16"] > a.pb-go')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    assert not in_view(page, "pb-clause-view")
    link.click()
    WebDriverWait(page, WAIT_S).until(
        lambda d: (
            "围绕厦门金砖国家新工业革命伙伴关系创新基地建设" in d.find_element(By.ID, "pb-clause-view").text
        )
    )
    WebDriverWait(page, WAIT_S).until(lambda d: in_view(d, "pb-clause-view"))
    picked = page.find_element(By.CSS_SELECTOR, "#pb-clause-pick input").get_attribute("value") or ""
    assert "(十六)" in picked
    screenshot(page, f"outline-link-{width}")
    # Keyboard users reach the same link and open it with Enter.
    other = article.find_element(By.CSS_SELECTOR, '.pb-outline li[data-clause="3"] > a.pb-go')
    page.execute_script("arguments[0].focus()", other)
    other.send_keys("\n")
    WebDriverWait(page, WAIT_S).until(
        lambda d: (
            "(三)" in (d.find_element(By.CSS_SELECTOR, "#pb-clause-pick input").get_attribute("value") or "")
        )
    )


def tab_labels(driver: WebDriver) -> list[str]:
    return [t.text.strip() for t in driver.find_elements(By.CSS_SELECTOR, 'button[role="tab"]')]


def placeholder(driver: WebDriver) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, "#pb-question textarea").get_attribute("placeholder"))


def test_the_page_chrome_follows_the_language_switch(page: WebDriver, bot: Any) -> None:
    assert "问答 · Ask" in tab_labels(page)
    choose_language(page, "English")
    WebDriverWait(page, WAIT_S).until(lambda d: "Ask" in tab_labels(d))
    assert {"Ask", "Browse", "Glossary"} <= set(tab_labels(page))
    assert page.find_element(By.ID, "pb-send").text.strip() == "Send"
    assert placeholder(page) == "Ask about the loaded policy documents"
    assert page.find_element(By.CSS_SELECTOR, ".pb-header h1").text.strip() == "Policy documents — Q&A"
    assert "1 document loaded" in page.find_element(By.ID, "pb-doc-count").text
    assert "已载入" not in page.find_element(By.ID, "pb-doc-count").text
    # Chrome added after the switch (an answer's cards) follows it too; the answer itself is the bot's.
    ask(page, "What is the target for patent pledge financing?")
    WebDriverWait(page, WAIT_S).until(
        lambda d: (
            "Open full clause" in d.find_element(By.ID, "pb-cards").text
            and "查看条款全文" not in d.find_element(By.ID, "pb-cards").text
        )
    )
    screenshot(page, "chrome-en")
    choose_language(page, "繁體中文")
    WebDriverWait(page, WAIT_S).until(lambda d: "問答" in tab_labels(d))
    assert {"問答", "瀏覽", "術語"} <= set(tab_labels(page))
    assert page.find_element(By.ID, "pb-send").text.strip() == "發送"
    assert placeholder(page) == "就已載入的政策文件提問"
    assert page.find_element(By.CSS_SELECTOR, ".pb-header h1").text.strip() == "政策文件問答"
    assert "查看條款全文" in page.find_element(By.ID, "pb-cards").text
    # A document's own words are not chrome: its issuer and number stay as the document writes them.
    open_tab(page, "瀏覽")
    WebDriverWait(page, WAIT_S).until(lambda d: "文件一覽" in d.find_element(By.ID, "pb-library").text)
    assert "Documents in the library" not in page.find_element(By.ID, "pb-library").text
    meta = page.find_element(By.CSS_SELECTOR, f'#pb-library .pb-doc[data-doc="{PLAN_ID}"] .pb-meta').text
    plan = bot.corpus.document(PLAN_ID).meta
    assert plan.number in meta and plan.issuer in meta
    screenshot(page, "chrome-zh-hant")
    open_tab(page, "問答")
    choose_language(page, "简体中文")
    WebDriverWait(page, WAIT_S).until(lambda d: "问答" in tab_labels(d))
    choose_language(page, "自动")
    WebDriverWait(page, WAIT_S).until(lambda d: "问答 · Ask" in tab_labels(d))


def test_an_answer_is_seen_coming_in(page: WebDriver) -> None:
    """The bot's message is watched while it is written: a searching note first, then text that grows."""
    page.execute_script(
        "window.pbSeen = [];"
        "new MutationObserver(() => {"
        "  const bots = document.querySelectorAll('#pb-chat [data-testid=\"bot\"]');"
        "  const text = bots.length ? bots[bots.length - 1].innerText : '';"
        "  const last = window.pbSeen[window.pbSeen.length - 1];"
        "  if (text && (!last || text !== last[1])) window.pbSeen.push([performance.now(), text]);"
        "}).observe(document.getElementById('pb-chat'), {subtree: true, childList: true, characterData: true});"
    )
    final = ask(page, "知识产权质押融资有哪些支持措施？")
    states = [(float(t), str(s)) for t, s in page.execute_script("return window.pbSeen")]
    seen = [s for _, s in states]
    assert any("Searching the documents" in s or "正在查找相关条款" in s for s in seen)
    growing = [(t, s) for t, s in states if "Searching the documents" not in s and s.strip()]
    assert len(growing) >= 3, seen
    assert growing[0][1][:10] == final[:10] and len(growing[0][1]) < len(growing[-1][1])
    # Long enough for an eye to follow: a few hundred characters come in over a third of a second or more.
    assert growing[-1][0] - growing[0][0] >= 300, [round(t - growing[0][0]) for t, _ in growing]
