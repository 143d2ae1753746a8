"""What every strategy works with: the question read once (Ask) and the shared services (Kit): the corpus,
its English layer, the quoter, the vocabulary, the messages and the day documents are judged against."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.answer.coverage import Coverage, Vocabulary
from bot.answer.messages import Both, Messages
from bot.answer.quote import Quoter
from bot.corpus.bilingual import Bilingual, Rendition
from bot.corpus.facts.document import status
from bot.corpus.labels import document_name_en
from bot.intent import Intent
from bot.lang import unmark
from bot.lexicon import Lexicon
from bot.query import Query
from bot.schema import Citation, Clause, Corpus, Document, Hit, Sentence


@dataclass
class Ask:
    """One question being answered: as asked, in which language, prepared once, and what retrieval found."""

    question: str
    language: str
    query: Query
    hits: list[Hit]
    vocabulary: Vocabulary = field(repr=False, default=None)  # type: ignore[assignment]
    documents: list[str] = field(default_factory=list)  # the documents the question names, if any

    @property
    def intent(self) -> Intent:
        return self.query.intent

    @cached_property
    def coverage(self) -> Coverage:
        return self.vocabulary.coverage(self.query)

    @property
    def tokens(self) -> tuple[set[str], set[str]]:
        return set(self.query.zh_tokens), set(self.query.en_tokens)


@dataclass
class Kit:
    quoter: Quoter
    vocabulary: Vocabulary
    messages: Messages
    today: dt.date | None = None

    @property
    def corpus(self) -> Corpus:
        return self.quoter.corpus

    @property
    def bilingual(self) -> Bilingual:
        return self.quoter.bilingual

    @property
    def lexicon(self) -> Lexicon:
        return self.quoter.lexicon

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    def document(self, doc_id: str) -> Document:
        return self.quoter.document(doc_id)

    def clause(self, hit: Hit) -> Clause:
        clause = self.document(hit.doc_id).clause(hit.clause)
        assert clause is not None, hit
        return clause

    def rendition(self, doc_id: str) -> Rendition:
        return self.bilingual.rendition(doc_id)

    def book(self, document: Document) -> str:
        return f"《{document.meta.title}》"

    def name_en(self, document: Document) -> str:
        """The document's English name in labels: its curated short name or English title, else its title."""
        return document_name_en(document, self.rendition(document.doc_id).document_title)

    def names(self, document: Document) -> Both:
        """The document as a sentence names it: 《title》 in Chinese; in English "the Work Plan", or 《title》
        where it has no English name."""
        english = (
            document.meta.short_title_en
            or document.meta.title_en
            or self.rendition(document.doc_id).document_title
        )
        return Both(self.book(document), f"the {english}" if english else self.book(document))

    def status(self, document: Document) -> str:
        return status(document.meta, self.day())

    def say(self, key: str, **values: str | Both) -> dict[str, str]:
        return self.messages.say(key, **values)

    def taiwan(self, text: str) -> str:
        """The bot's own Chinese sentences for a Traditional reader, in Taiwan's words (智慧財產權)."""
        return self.lexicon.to_taiwan(text)

    def labels(self, document: Document, clause: Clause) -> tuple[str, str]:
        return self.quoter.labels(document, clause)

    def citation(
        self,
        document: Document,
        clause: Clause,
        spans: list[tuple[int, int]],
        english: list[str | None],
        whole: bool = False,
    ) -> tuple[Citation, str]:
        return self.quoter.citation(document, clause, spans, [unmark(e) if e else e for e in english], whole)

    def point(self, hit: Hit, ask: Ask, max_sentences: int = 2):  # type: ignore[no-untyped-def]
        zh, en = ask.tokens
        return self.quoter.clause_point(hit, zh, en, max_sentences=max_sentences)

    def sentence_citation(
        self,
        document: Document,
        clause: Clause,
        sentences: Sequence[Sentence],
        whole: bool = False,
    ) -> tuple[Citation, str]:
        rendition = self.rendition(document.doc_id)
        return self.citation(
            document,
            clause,
            [(s.start, s.end) for s in sentences],
            [rendition.sentences.get(s.id) for s in sentences],
            whole,
        )

    def hit_for(self, document: Document, clause: Clause, hits: list[Hit]) -> Hit:
        """The retrieval hit of a clause, or a bare one for a clause found by a structured lookup."""
        return next(
            (h for h in hits if h.doc_id == document.doc_id and h.clause == clause.clause),
            Hit(doc_id=document.doc_id, clause=clause.clause, title=clause.title, score=0.0),
        )
