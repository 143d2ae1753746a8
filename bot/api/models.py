"""Request and response bodies of the HTTP API, and the one error shape."""

from __future__ import annotations

from typing import Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.schema import Citation

MAX_BODY_BYTES = 64 * 1024
MODEL_ID = "policybot"
Language = Literal["auto", "zh", "zh-Hant", "en"]
EXAMPLE_QUESTION = "构建金砖创新基地服务体系由哪些单位负责？"
EXAMPLE_DOC_ID = "000_ea0fa33b9b77872c"  # the seed work plan (see the answer contract)
SOURCES_HEADING = {"zh-Hans": "来源：", "zh-Hant": "來源：", "en": "Sources:"}


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
                {"question": "Who runs the BRICS innovation base services?", "lang": "en", "stream": True},
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
                {"messages": [{"role": "user", "content": "知识产权质押融资"}], "stream": True},
            ]
        },
    )
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False
    lang: Language = "auto"


# ------------------------------------------------------------------------------------------ responses
# What the handlers return, declared for the OpenAPI schema only (`response_model=None`): the handlers keep
# returning plain dicts, and tests/test_fuzz.py checks every response against these declarations.


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileProblem(Out):
    file: str
    reason: str


class ErrorDetail(Out):
    code: str
    message: str
    files: list[FileProblem] | None = Field(None, description="per-file reasons (ingest failures only)")


class ErrorBody(Out):
    error: ErrorDetail


class Hit(Out):
    doc_id: str
    clause: str
    title: str
    score: float


class SearchResult(Out):
    question: str
    hits: list[Hit]


class ClauseOutline(Out):
    clause: str
    kind: str
    part: str | None
    title: str
    title_en: str | None


class DocumentOutline(Out):
    doc_id: str
    title: str
    title_en: str | None
    number: str | None
    issuer: str | None
    issued: str | None
    valid_from: str | None
    valid_to: str | None
    source: str | None
    language: str
    shape: str | None
    filename: str | None = None
    notice_title: str | None = None
    addressees: str | None = None
    publicity: str | None = None
    basis: list[str] = []
    effective: str | None = None
    period_label: str | None = None
    repeals: list[str] = []
    repealed_by: str | None = None
    status: Literal["in_force", "expired", "not_yet", "repealed", "unknown"] = "unknown"
    provenance: dict[str, str] = Field({}, description="for each field: extracted from the text, or curated")
    fact_sources: dict[str, str] = Field({}, description="for each field: the sentence it was read from")
    problems: list[str] = Field([], description="what ingest could not read in this document")
    clauses: list[ClauseOutline]


class Names(Out):
    zh: str
    en: str | None


class SentenceView(Out):
    id: str
    text: str
    text_en: str | None


class ChildClause(Out):
    clause: str
    title: str
    title_en: str | None


class TableRowView(Out):
    indicator: str
    indicator_en: str | None
    unit: str | None
    unit_en: str | None
    baseline: float | None
    target: float | None
    remark: str | None
    remark_en: str | None


class TableView(Out):
    columns: list[str]
    columns_en: list[str | None]
    baseline_year: int | None
    target_year: int | None
    rows: list[TableRowView]


class ClauseView(Out):
    doc_id: str
    document_title: str
    document_title_en: str | None
    clause: str
    kind: str
    label: Names
    part: str | None
    part_title: str | None
    part_title_en: str | None
    title: str
    title_en: str | None
    text: str
    text_en: str | None
    sentences: list[SentenceView]
    note: str
    responsible_units: list[Names]
    previous: str | None
    next: str | None
    children: list[ChildClause]
    table: TableView | None = Field(None, description="tables only")


class Status(Out):
    status: str


class Ready(Out):
    status: Literal["ready"]
    built_at: str | None
    counts: dict[str, int] | None


class Saved(Out):
    id: int


class IngestedDocument(Out):
    doc_id: str
    title: str
    shape: str | None
    clauses: int


class Ingested(Out):
    status: Literal["ingested"]
    documents: list[IngestedDocument]
    reindexed: bool


class ModelCard(Out):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str


class ModelList(Out):
    object: Literal["list"]
    data: list[ModelCard]


class ChatMessageOut(Out):
    role: Literal["assistant"]
    content: str


class ChatChoice(Out):
    index: int
    message: ChatMessageOut
    finish_reason: Literal["stop"]


class Usage(Out):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(Out):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citations: list[Citation]


class ChatDelta(Out):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChatChunkChoice(Out):
    index: int
    delta: ChatDelta
    finish_reason: Literal["stop"] | None


class ChatChunk(Out):
    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChatChunkChoice]
    citations: list[Citation] | None = Field(None, description="on the last chunk")


class TextChunk(Out):
    text: str
