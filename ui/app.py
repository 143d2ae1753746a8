"""The Gradio front end: layout and events only. Answers, clauses and terms come from the bot and bot.views;
the HTML is made (and escaped) in ui.render."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # fully offline: no telemetry calls

import gradio as gr  # noqa: E402

from bot import views  # noqa: E402
from bot.api.cost import metered  # noqa: E402
from bot.feedback import FeedbackStore  # noqa: E402
from bot.schema import Answer  # noqa: E402
from bot.service import BadRequest  # noqa: E402
from bot.state.db import StateUnavailable  # noqa: E402
from bot.state.ratelimit import Limiter  # noqa: E402
from ui.chrome import APPLY_JS, SHOW_CLAUSE_JS  # noqa: E402
from ui.library import clause_choices, example_groups, header_html, library_html  # noqa: E402
from ui.render import (  # noqa: E402
    LANGUAGES,
    UI_CSS,
    _md_text,
    cards_html,
    clause_html,
    cut_note,
    glossary_html,
    notices_html,
    staff_text,
)

if TYPE_CHECKING:
    from bot.service import PolicyBot

SEARCHING = "正在查找相关条款… · Searching the documents…"
STREAM_PACE_S = 0.02  # per chunk of 24 characters: a 600-character answer takes about half a second


def _ask_tab(bot: PolicyBot, feedback: FeedbackStore | None, limiter: Limiter | None) -> None:
    """Chat with language choice, citation cards, staff lines and feedback (inside a Blocks context)."""
    with gr.Row(equal_height=True):
        language = gr.Radio(
            LANGUAGES, value="auto", label="回答语言 · Answer language", elem_id="pb-lang", scale=3
        )
        staff = gr.Checkbox(label="窗口人员模式 · Staff mode", elem_id="pb-staff", scale=1)
    # Created first, placed below the chat: the examples above the chat fill it in.
    question = gr.Textbox(
        show_label=False,
        placeholder="就已载入的政策文件提问 · Ask about the loaded policy documents",
        lines=1,
        max_lines=4,
        scale=5,
        elem_id="pb-question",
        # Room for a long paste: what is over the limit is cut in respond(), which says so.
        max_length=bot.settings.server.max_question_chars * 10,
        render=False,
    )
    with gr.Accordion("示例问题 · Example questions", open=True, elem_id="pb-examples"):
        example_sets = [
            gr.Examples(questions, inputs=question, label=label)
            for label, questions in example_groups(bot).items()
        ]
    chat = gr.Chatbot(
        label="对话 · Conversation",
        elem_id="pb-chat",
        height=None,
        min_height=220,
        max_height=560,
        buttons=["copy"],
        feedback_options=None,
        allow_tags=False,
        placeholder="用简体、繁體或英文提问 · Ask about the loaded policy documents, in Chinese or English.",
    )
    with gr.Row(equal_height=True):
        question.render()
        send = gr.Button("发送 · Send", variant="primary", scale=1, min_width=100, elem_id="pb-send")
        clear = gr.Button("清空对话 · Clear", variant="secondary", scale=1, min_width=100, elem_id="pb-clear")
    notices = gr.HTML(js_on_load=None, elem_id="pb-notices-box")
    staff_lines = gr.Textbox(
        label="可复制的引用 · Citation lines to copy or read out",
        lines=6,
        interactive=False,
        buttons=["copy"],
        visible=False,
        elem_id="pb-staff-lines",
    )
    cards = gr.HTML(js_on_load=None, elem_id="pb-cards")
    # Feedback belongs to an answer: shown once there is one, hidden again when the chat is cleared.
    with gr.Group(elem_id="pb-feedback", visible=False) as feedback_box:
        with gr.Row(equal_height=True):
            thumbs_up = gr.Button("👍 有帮助 · Helpful", size="sm", elem_id="pb-up")
            thumbs_down = gr.Button("👎 没帮助 · Not helpful", size="sm", elem_id="pb-down")
        comment = gr.Textbox(label="意见（可选）· Comment (optional)", max_length=2000, elem_id="pb-comment")
        feedback_status = gr.Markdown(elem_id="pb-feedback-status")
    turns = gr.State([])  # raw {"role", "content"} turns: the bot's history, unescaped
    last = gr.State({})  # the last answer's id and question, for feedback

    def respond(text: str, lang: str, history: list[dict], request: gr.Request) -> Iterator[dict]:
        text = (text or "").strip()
        if not text:
            return
        limit, pasted = bot.settings.server.max_question_chars, len(text)
        text = text[:limit]  # a long paste is cut, and the notice with the answer says so
        shown = [{"role": t["role"], "content": _md_text(t["content"])} for t in history]
        shown.append({"role": "user", "content": _md_text(text)})
        # The page shares the API's per-client budget: the same client is limited the same way in both.
        client = _client(request)
        wait = limiter.take(client) if limiter is not None else 0.0
        if wait > 0:
            notice = f"⚠️ 提问过于频繁，请 {wait:.0f} 秒后再试。 Too many questions: please wait {wait:.0f} s."
            yield {chat: [*shown, {"role": "assistant", "content": notice}]}
            return
        # Clear the previous answer's notices and cards at once, so nothing stale sits beside the new one.
        pending = {"role": "assistant", "content": SEARCHING}
        yield {
            chat: [*shown, pending],
            question: "",
            notices: "",
            cards: "",
            staff_lines: "",
            feedback_status: "",
        }
        partial, answer, cpu = "", None, [0.0]
        try:
            for item in metered(views.answer_stream(bot, text, lang, history), cpu):
                if isinstance(item, Answer):
                    answer = item
                else:
                    partial += item
                    yield {chat: [*shown, {"role": "assistant", "content": _md_text(partial)}]}
                    # The finished answer arrives at once; paced, a reader sees it come in rather than jump.
                    time.sleep(STREAM_PACE_S)
        except BadRequest as exc:
            yield {chat: [*shown, {"role": "assistant", "content": _md_text(f"⚠️ {exc}")}]}
            return
        finally:
            if limiter is not None:
                limiter.charge(client, cpu[0])  # billed by cost, as the API is
        if answer is None:
            return
        yield {
            chat: [*shown, {"role": "assistant", "content": _md_text(answer.answer)}],
            notices: notices_html(answer, cut_note(pasted, limit) if pasted > limit else ""),
            cards: cards_html(bot, answer),
            staff_lines: staff_text(bot, answer),
            turns: [
                *history,
                {"role": "user", "content": text},
                {"role": "assistant", "content": answer.answer},
            ],
            last: {"answer_id": uuid.uuid4().hex, "question": text},
            feedback_box: gr.Group(visible=True),
        }

    outputs = [chat, question, notices, cards, staff_lines, turns, last, feedback_status, feedback_box]
    for trigger in (send.click, question.submit):
        trigger(respond, [question, language, turns], outputs)
    for examples in example_sets:  # a chip asks its question, it does not only fill the box
        examples.load_input_event.then(respond, [question, language, turns], outputs)
    staff.change(lambda on: gr.Textbox(visible=on), staff, staff_lines)
    language.change(None, language, None, js=APPLY_JS)  # the page's own words follow the switch
    # A shared screen at a service window: clearing leaves no turn, card or context for the next person.
    clear.click(
        lambda: ([], "", "", "", "", [], {}, "", gr.Group(visible=False)),
        None,
        [chat, question, notices, cards, staff_lines, turns, last, feedback_status, feedback_box],
    )

    def record_feedback(rating: int) -> Callable[[str, dict, gr.Request], tuple[str, Any]]:
        def handler(note: str, record: dict, request: gr.Request) -> tuple[str, Any]:
            if feedback is None:
                return "反馈功能未启用 · Feedback is not enabled on this server.", gr.skip()
            if not record:
                return "请先提问 · Ask a question first.", gr.skip()
            # Thumbs draw on the client's budget, as questions and POST /v1/feedback do.
            wait = limiter.take(_client(request)) if limiter is not None else 0.0
            if wait > 0:
                return (
                    f"⚠️ 操作过于频繁，请 {wait:.0f} 秒后再试。 Too many clicks: please wait {wait:.0f} s.",
                    gr.skip(),
                )
            try:
                number = feedback.add(rating, (note or "")[:2000], record["question"], record["answer_id"])
            except StateUnavailable:  # the comment stays in its box for a retry
                return (
                    "⚠️ 反馈暂时无法保存，请稍后再试。 Feedback could not be saved now; please retry later.",
                    gr.skip(),
                )
            return f"✅ 已收到，谢谢！Thank you — feedback #{number} saved.", ""

        return handler

    thumbs_up.click(record_feedback(1), [comment, last], [feedback_status, comment])
    thumbs_down.click(record_feedback(-1), [comment, last], [feedback_status, comment])


def _client(request: gr.Request | None) -> str:
    """The page's client as the API names it (the middleware has already resolved trusted proxies)."""
    return request.client.host if request is not None and request.client else "unknown"


def _browse_tab(bot: PolicyBot) -> None:
    """A clause to pick from any document, shown in both languages, and every document with its facts,
    standing, outline and tables (inside a Blocks context)."""
    doc_ids = [d.doc_id for d in bot.corpus.documents]
    first_doc = doc_ids[0] if doc_ids else ""
    first_clause = bot.corpus.documents[0].clauses[0].clause if doc_ids else None

    def show_clause(doc_id: str, clause_id: str | None) -> str:
        return clause_html(views.clause_view(bot, doc_id, clause_id)) if clause_id else ""

    def step(doc_id: str, clause_id: str | None, direction: str) -> Any:
        view = views.clause_view(bot, doc_id, clause_id) if clause_id else None
        return (view or {}).get(direction) or gr.skip()

    with gr.Row():
        with gr.Column(scale=1, min_width=260):
            document = gr.Dropdown(
                [(d.meta.title, d.doc_id) for d in bot.corpus.documents],
                value=first_doc,
                label="文件 · Document",
                visible=len(doc_ids) > 1,
                elem_id="pb-doc-pick",
            )
            clause = gr.Dropdown(
                clause_choices(bot, first_doc),
                value=first_clause,
                label="条款 · Clause",
                elem_id="pb-clause-pick",
            )
            with gr.Row():
                previous_button = gr.Button("◀ 上一条 · ◀ Prev", size="sm", min_width=80)
                next_button = gr.Button("下一条 ▶ · Next ▶", size="sm", min_width=80)
        with gr.Column(scale=2, min_width=300):
            clause_panel = gr.HTML(
                show_clause(first_doc, first_clause), js_on_load=None, elem_id="pb-clause-view"
            )
    gr.HTML(library_html(bot), js_on_load=None, elem_id="pb-library")
    # An outline link: the page script writes "doc_id clause" here and clicks nav_go (Gradio sends a value a
    # script set only with an event).
    nav = gr.Textbox(show_label=False, container=False, elem_id="pb-nav", elem_classes=["pb-hidden"])
    nav_go = gr.Button(elem_id="pb-nav-go", elem_classes=["pb-hidden"])

    def go(target: str) -> Any:
        doc_id, _, clause_id = (target or "").partition(" ")
        choices = clause_choices(bot, doc_id) if doc_id in doc_ids else []
        if clause_id not in {value for _, value in choices}:
            return gr.skip(), gr.skip(), gr.skip()
        return doc_id, gr.Dropdown(choices=choices, value=clause_id), show_clause(doc_id, clause_id)

    nav_go.click(go, nav, [document, clause, clause_panel]).then(None, js=SHOW_CLAUSE_JS)
    clause.change(show_clause, [document, clause], clause_panel)
    previous_button.click(lambda d, c: step(d, c, "previous"), [document, clause], clause)
    next_button.click(lambda d, c: step(d, c, "next"), [document, clause], clause)
    # Only a person's choice of document resets the clause list (an outline link sets both at once).
    document.input(lambda d: gr.Dropdown(choices=clause_choices(bot, d), value=None), document, clause)


def _glossary_tab(bot: PolicyBot) -> None:
    def show(q: str | None) -> str:
        return glossary_html(views.glossary(bot, q))

    term = gr.Textbox(
        label="搜索术语 · Search terms",
        placeholder="简体、繁體或英文术语 · A term in Chinese or English",
        elem_id="pb-term",
    )
    terms = gr.HTML(show(None), js_on_load=None, elem_id="pb-terms")
    term.change(show, term, terms)


def build_ui(
    bot: PolicyBot,
    api_base: str = "",
    feedback: FeedbackStore | None = None,
    limiter: Limiter | None = None,
) -> gr.Blocks:
    """The whole page; mount it with gr.mount_gradio_app(app, ui, path="/", css=UI_CSS)."""
    with gr.Blocks(title="policybot · 政策文件问答 · Policy documents Q&A", analytics_enabled=False) as ui:
        gr.HTML(header_html(bot, api_base), js_on_load=None)
        with gr.Tabs():
            with gr.Tab("问答 · Ask", id="ask"):
                _ask_tab(bot, feedback, limiter)
            with gr.Tab("浏览 · Browse", id="browse"):
                _browse_tab(bot)
            with gr.Tab("术语 · Glossary", id="glossary"):
                _glossary_tab(bot)
    # Every listener gets this many concurrent runs (Gradio's default is one for all users): a short
    # question does not wait behind long ones, and a full queue says so instead of growing without bound.
    server = bot.settings.server
    ui.queue(default_concurrency_limit=server.ui_concurrency, max_size=server.ui_queue_size)
    return ui


__all__ = ["UI_CSS", "build_ui"]
