"""Optional LLM composer: asks an OpenAI-compatible chat model to answer from cited passages."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

Reason = Literal["timeout", "http_error", "connection", "empty", "malformed"]
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
MAX_HISTORY_MESSAGES = 6
CANCEL_GRACE_S = 1.0  # how long a cancelled call may take to close its connection
T = TypeVar("T")
_DELIMITER = re.compile(r"<(/?)(passages?|question|lines)\b", re.IGNORECASE)


class LLMUnavailable(RuntimeError):
    """The LLM gave no usable answer; `reason` says why in one machine-readable word."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"LLM unavailable ({reason}){': ' + detail if detail else ''}")
        self.reason: Reason = reason


@dataclass(frozen=True)
class Passage:
    """One retrieved clause shown to the model under its citation marker."""

    marker: str  # e.g. "C1"
    label: str  # human label
    text_zh: str
    text_en: str | None


class LLMComposer:
    """Composes an answer citing [Cn] markers; verification is left to the caller."""

    def __init__(
        self, chat_model: BaseChatModel, prompts_dir: Path, timeout_s: float, model_name: str
    ) -> None:
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        self._chat_model = chat_model
        self._timeout_s = timeout_s
        self._model_name = model_name
        self._system = {lang: _read(prompts_dir / f"answer.system.{lang}.txt") for lang in LANGUAGES}
        self._user = _read(prompts_dir / "answer.user.txt")

    @property
    def model_name(self) -> str:
        """The model name as configured."""
        return self._model_name

    @property
    def backend_label(self) -> str:
        """Label for answers and logs, e.g. "llm:qwen2.5-7b-instruct"."""
        return f"llm:{self._model_name}"

    def compose(
        self, question: str, language: str, passages: list[Passage], history: list[dict] | None = None
    ) -> str:
        """Return the model's raw answer text, or raise LLMUnavailable."""
        messages = self.messages(question, language, passages, history)
        try:
            reply = call_with_deadline(self._chat_model.ainvoke(messages), self._timeout_s)
        except TimeoutError as exc:
            raise LLMUnavailable("timeout", f"no reply within {self._timeout_s:g} s") from exc
        except Exception as exc:
            raise LLMUnavailable(_reason(exc), f"{type(exc).__name__}: {exc}") from exc
        content = getattr(reply, "content", None)
        if not isinstance(content, str) or not content.strip():
            raise LLMUnavailable("empty", "the model returned no text")
        return content

    def messages(
        self, question: str, language: str, passages: list[Passage], history: list[dict] | None = None
    ) -> list[BaseMessage]:
        """Build the system, history and user messages sent to the model."""
        if language not in self._system:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {language!r}")
        user = self._user.format(
            question=neutralise(question.strip()),
            passages="\n\n".join(_render(passage) for passage in passages),
        )
        return [SystemMessage(self._system[language]), *_history(history), HumanMessage(user)]


class _CallLoop:
    """One event loop in one daemon thread for every LLM call. A call past its time-out is cancelled there,
    which closes its connection: a backend that trickles its reply keeps no thread (and no socket) after the
    user has had the built-in answer."""

    _lock = threading.Lock()
    _loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def loop(cls) -> asyncio.AbstractEventLoop:
        with cls._lock:
            if cls._loop is None or cls._loop.is_closed():
                cls._loop = asyncio.new_event_loop()
                # What the clients hand to threads (callbacks, platform probes) gets two, reused, by name.
                cls._loop.set_default_executor(ThreadPoolExecutor(2, thread_name_prefix="policybot-llm-aux"))
                threading.Thread(target=cls._loop.run_forever, name="policybot-llm", daemon=True).start()
            return cls._loop


def call_with_deadline(call: Coroutine[Any, Any, T], timeout_s: float) -> T:
    """Run a coroutine on the LLM loop and wait for it at most `timeout_s`; TimeoutError when it takes
    longer, after it was cancelled."""
    future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(call, timeout_s), _CallLoop.loop())
    try:
        return future.result(timeout_s + CANCEL_GRACE_S)
    except FutureTimeout:  # the loop itself is stuck: give up on the call all the same
        future.cancel()
        raise TimeoutError from None


def make_chat_model(
    base_url: str, model: str, api_key: str | None, timeout_s: float, temperature: float
) -> BaseChatModel:
    """A ChatOpenAI client for any OpenAI-compatible server, with no retries and a request timeout."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=SecretStr(api_key or "not-needed"),
        timeout=timeout_s,
        max_retries=0,
        temperature=temperature,
        use_responses_api=False,  # compatible servers (vLLM, Ollama, llama.cpp) speak chat completions
    )


def _read(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(f"prompt template {path} is missing (check BOT_PROMPTS_DIR)")
    return path.read_text(encoding="utf-8").strip()


def neutralise(text: str) -> str:
    """Defuse look-alike delimiter tags so data cannot close its <passages> block."""
    return _DELIMITER.sub(lambda m: f"‹{m.group(1)}{m.group(2)}", text)


def _render(passage: Passage) -> str:
    lines = [f"[{passage.marker}] {neutralise(passage.label)}", neutralise(passage.text_zh.strip())]
    if passage.text_en:
        lines.append(f"English: {neutralise(passage.text_en.strip())}")
    return f'<passage marker="{passage.marker}">\n' + "\n".join(lines) + "\n</passage>"


def _history(history: list[dict] | None) -> list[BaseMessage]:
    """Earlier user and assistant turns only; other roles (e.g. "system") are dropped."""
    turns: list[BaseMessage] = []
    for item in history or []:
        content = item.get("content")
        if not isinstance(content, str) or not content.strip():
            continue
        if item.get("role") == "user":
            turns.append(HumanMessage(content))
        elif item.get("role") == "assistant":
            turns.append(AIMessage(content))
    return turns[-MAX_HISTORY_MESSAGES:]


def _reason(exc: BaseException) -> Reason:
    """Classify a client exception; the openai and httpx checks are lazy so they stay optional."""
    try:
        import openai
    except ImportError:
        openai = None  # type: ignore[assignment]
    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            return "timeout"
        if isinstance(exc, openai.APIConnectionError):
            return "connection"
        if isinstance(exc, openai.APIStatusError):
            return "http_error"
        if isinstance(exc, openai.APIResponseValidationError):
            return "malformed"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ConnectionError):
        return "connection"
    return "malformed"  # invalid JSON or an unexpected reply shape, raised while parsing it
