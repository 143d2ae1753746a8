"""Response bodies of the HTTP API, declared for the OpenAPI schema only (`response_model=None`): the handlers
keep returning plain dicts, and tests/test_fuzz.py checks every response against these declarations."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.schema import Citation


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
    english: Literal["curated", "machine"] | None = Field(
        None, description="the English rendition: by a person, by `policybot translate`, or none"
    )
    english_model: str | None = Field(None, description="the model that wrote a machine rendition")
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
    cells: dict[str, str | None] = Field(description="the row's cells by the table's own columns")
    cells_en: dict[str, str | None] = Field(description="English of each cell, where there is one")


class TableView(Out):
    columns: list[str]
    columns_en: list[str | None]
    column_years: list[int | None] = Field(description="the year a column's values are for, if stated")
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
    english: Literal["curated", "machine"] | None = Field(
        None,
        description="how the English was made: by a person, or by `policybot translate` (checked, not reviewed)",
    )
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
    stale: str | None = None


class Saved(Out):
    id: int


class IngestedDocument(Out):
    doc_id: str
    title: str
    shape: str | None
    clauses: int
    problems: list[str] = Field(
        [], description="what could not be read: an empty clause, a table without rows"
    )


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
    notices: list[str] = Field(
        default_factory=list, description="Standing caveats, and that system messages were not followed"
    )


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
