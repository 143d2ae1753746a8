"""The nouns every stage exchanges: documents, clauses, sentences, tables, hits, citations, answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


ClauseKind = Literal[
    "notice",
    "intro",
    "part",
    "measure",
    "item",
    "chapter",
    "section",
    "article",
    "table",
    "paragraph",
    "annex",
    "signature",
]
Role = Literal["responsible", "lead", "cooperate", "interpret", "by_duty"]
FactKind = Literal[
    "amount",
    "ratio",
    "cap",
    "threshold",
    "time_limit",
    "date",
    "window",
    "duration",
    "eligibility",
    "fee",
    "procedure",
    "obligation",
    "penalty",
    "department",
    "definition",
    "effective",
    "validity",
    "repeal",
    "contact",
]


class Sentence(Model):
    """A sentence of a clause; `start`/`end` index the decoded source text, so `text` is verbatim."""

    id: str
    clause: str
    start: int
    end: int
    text: str
    paragraph: int = 1


class UnitRole(Model):
    """A department a clause names, with what it is to do there (lead, cooperate, interpret…)."""

    name: str
    role: Role = "responsible"


class Fact(Model):
    """A typed fact of one sentence, found at ingest: `text` is `source[start:end]`, verbatim."""

    kind: FactKind
    sentence: str
    start: int
    end: int
    text: str
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = (
        None  # 最高/不超过 for a cap, the event a time limit runs from, free/charged for a fee
    )
    subject: str | None = None  # what an amount or ratio is for; a department's role


class Clause(Model):
    doc_id: str
    clause: str
    kind: ClauseKind
    part: str | None = None
    title: str
    start: int
    end: int
    sentences: tuple[Sentence, ...] = ()
    responsible_units: tuple[str, ...] = ()
    units_text: str | None = None
    references: tuple[str, ...] = ()
    number: int | None = None  # its own number: 第N条, (N) within its part, 附件N, 表N
    heading: str | None = None  # its own heading, where it has one (第三条　发明专利创造奖励。…)
    annex: str | None = None  # the annex it belongs to (annex-1), if any
    unit_roles: tuple[UnitRole, ...] = ()
    facts: tuple[Fact, ...] = ()

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)


class TableRow(Model):
    indicator: str
    unit: str | None
    baseline: float | int | None
    target: float | int | None
    remark: str | None
    start: int
    end: int
    cells: dict[str, str | None] = {}  # the row's cells by the table's own column names


class Table(Model):
    doc_id: str
    clause: str
    part: str | None
    title: str
    baseline_year: int | None
    target_year: int | None
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    start: int
    end: int


class Reference(Model):
    """A document named by the corpus (《…》), normalised, with the clauses that cite it."""

    title: str
    cited_by: tuple[tuple[str, str], ...]
    spellings: tuple[str, ...] = ()
    present_doc_id: str | None = None


class District(Model):
    """A place inside the issuer's own area: its Chinese name and the English spellings it goes by."""

    zh: str
    en: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every way a question names it: 湖里区, 湖里 (the 区 is often dropped), Huli."""
        return (self.zh, self.zh.removesuffix("区"), *self.en)


class DocumentMeta(Model):
    """What the catalogue knows about a document, independent of its parsed text."""

    doc_id: str
    path: str
    sha256: str
    title: str = ""
    title_en: str | None = None
    number: str | None = None
    issuer: str | None = None
    issued: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    source: str | None = None
    language: str = "zh-Hans"
    shape: str | None = (
        None  # how its body is numbered: plan (parts and items), regulation (articles), parts, list, paragraphs
    )
    # Curated display names: the short English name labels use ("Work Plan"), and the English word for its
    # (一)-style items ("Measure"); without them the English title and "item" are used.
    short_title_en: str | None = None
    item_noun_en: str | None = None
    # The places inside the issuer's own area (Xiamen's districts, in Chinese and English): a question set in
    # one of them is about this document's area, not somewhere else, though the document sets nothing per place.
    districts: tuple[District, ...] = ()
    aliases: tuple[str, ...] = ()  # curated: other names people use for it
    examples: tuple[str, ...] = ()  # curated: example questions the UI offers for this document
    filename: str | None = None  # the file's name as delivered
    # Read off the text at ingest (bot.corpus.facts.document), unless the catalogue curates them.
    notice_title: str | None = None
    addressees: str | None = None
    publicity: str | None = None
    basis: tuple[str, ...] = ()
    effective: str | None = None
    period_label: str | None = None  # what the text calls its period: 有效期, 试行期, 示范工作期…
    repeals: tuple[str, ...] = ()
    repealed_by: str | None = None  # a loaded document that repeals this one
    provenance: dict[str, str] = {}  # field -> extracted | curated
    fact_sources: dict[str, str] = {}  # field -> the sentence id it was read from


class Document(Model):
    meta: DocumentMeta
    text: str
    clauses: tuple[Clause, ...]
    tables: tuple[Table, ...] = ()
    problems: tuple[str, ...] = ()  # what ingest could not read (an empty clause, a table without rows)

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.clause == clause_id), None)

    def table(self, clause_id: str) -> Table | None:
        return next((t for t in self.tables if t.clause == clause_id), None)

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end]


class Corpus(Model):
    documents: tuple[Document, ...]
    references: tuple[Reference, ...] = ()

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


UnitKind = Literal["sentence", "window", "heading", "english", "card", "row", "meta"]


class Unit(Model):
    """A unit of retrieval: a piece of a clause chosen by the structure, in one language."""

    id: int
    doc_id: str
    clause: str
    kind: UnitKind
    lang: Literal["zh", "en"]
    text: str
    sentence_ids: tuple[str, ...] = ()


class Hit(Model):
    """One clause found for a question, with the units that put it there (best first)."""

    doc_id: str
    clause: str
    title: str
    score: float
    units: tuple[Unit, ...] = ()
    dense_score: float = 0.0
    keyword_score: float = 0.0
    # How close each of the clause's sentences is to the question in meaning (sentence id, cosine), so the
    # answerer can quote the sentence that answers even when it shares no word with the question.
    sentence_similarity: tuple[tuple[str, float], ...] = ()


class Citation(Model):
    doc_id: str
    clause: str
    title: str
    label: str
    quote: str
    quote_display: str | None = None
    quote_en: str | None = None
    responsible_units: tuple[str, ...] = ()
    responsible_units_en: tuple[str | None, ...] = ()
    # The English of the quote's answering sentence, for an answer's line; the card and the contract carry
    # the whole quote.
    point_en: str | None = Field(None, exclude=True)


class Related(Model):
    doc_id: str
    clause: str
    title: str


class Answer(Model):
    question: str
    language: Literal["zh-Hans", "zh-Hant", "en"]
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    related: tuple[Related, ...] = ()
    notices: tuple[str, ...] = ()
    backend: str = "extractive"
    timings_ms: dict[str, float] = {}
    # What the answer says the documents do not set out: {"kind": fact kind, "documents": [doc_id, …]}.
    gaps: tuple[dict, ...] = ()

    def contract(self) -> dict:
        """The contract's JSON object (quote_display and *_en extras are additive)."""
        payload = self.model_dump()
        payload["citations"] = [
            {k: (list(v) if isinstance(v, tuple) else v) for k, v in c.items()} for c in payload["citations"]
        ]
        payload["related"] = list(payload["related"])
        payload["notices"] = list(payload["notices"])
        payload["gaps"] = list(payload["gaps"])
        return payload
