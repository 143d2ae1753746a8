"""Request bodies of the HTTP API, and the one error shape (responses are declared in bot.api.responses)."""

from __future__ import annotations

import errno
from typing import Annotated, Any, Literal

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

MAX_BODY_BYTES = 64 * 1024
MODEL_ID = "policybot"
Language = Literal["auto", "zh", "zh-Hant", "en"]
# OpenAPI examples: questions of a kind any policy library answers, naming no particular document.
EXAMPLE_QUESTION = "知识产权质押融资有什么支持？"
EXAMPLE_QUESTION_EN = "Which department handles IP pledge financing?"
EXAMPLE_CLAUSES = ["1", "notice", "table1"]
SOURCES_HEADING = {"zh-Hans": "来源：", "zh-Hant": "來源：", "en": "Sources:"}


def disk_full(exc: BaseException) -> bool:
    """Whether a failure is the disk (or the user's quota) being full, here or in SQLite."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return "disk is full" in str(exc) or (exc.__cause__ is not None and disk_full(exc.__cause__))


DISK_FULL = "the server's disk is full: nothing was saved; retry once space has been freed"


# A client's name for one request: sent again (a retry after a lost reply), the request is not done twice.
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$"),
]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


# ------------------------------------------------------------------------------------------ bodies


class Body(BaseModel):
    """Request bodies: strict, so a value of another JSON type is refused rather than coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class HistoryMessage(Body):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"question": EXAMPLE_QUESTION, "lang": "auto", "history": []},
                {"question": EXAMPLE_QUESTION_EN, "lang": "en", "stream": True},
            ]
        },
    )
    question: str
    lang: Language = "auto"
    history: list[HistoryMessage] = Field(default_factory=list, max_length=50)
    stream: bool = False


class SearchRequest(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"question": EXAMPLE_QUESTION, "k": 5}]})
    question: str
    k: int | None = Field(None, ge=1, le=50)


class FeedbackRequest(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rating": 1, "comment": "清楚", "answer_id": "a1"}]}
    )
    rating: Literal[-1, 1]
    comment: str = Field("", max_length=2000)
    question: str = Field("", max_length=20_000)
    answer_id: str | None = Field(None, max_length=200)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)  # OpenAI clients send name, tool_calls, …
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",  # temperature, max_tokens, … are accepted and ignored
        strict=True,
        json_schema_extra={
            "examples": [
                {"model": MODEL_ID, "messages": [{"role": "user", "content": EXAMPLE_QUESTION}]},
                {"messages": [{"role": "user", "content": EXAMPLE_QUESTION_EN}], "stream": True},
            ]
        },
    )
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    lang: Language = "auto"
