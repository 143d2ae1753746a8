"""PolicyBot: the one facade that the CLI, API, UI and evaluation use."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot import parts
from bot.answer.compose import Composer
from bot.answer.verify import verify
from bot.config import Settings
from bot.conversation import Conversation
from bot.corpus.bilingual import Bilingual
from bot.intent import clause_references, read_intent
from bot.lang import detect_script, plain_text
from bot.lexicon import Lexicon
from bot.query import Query, prepare_query
from bot.retrieve import HybridRetriever
from bot.schema import Answer, Corpus, Hit

log = logging.getLogger("policybot.answer")

LANGS = {"auto": None, "zh": "zh-Hans", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}


class BadRequest(ValueError):
    """A question the service refuses to process; the message is safe to show."""


@dataclass
class PolicyBot:
    corpus: Corpus
    bilingual: Bilingual
    lexicon: Lexicon
    retriever: HybridRetriever
    settings: Settings
    composer: Composer
    conversation: Conversation
    llm: object | None = None
    stats: dict[str, int] = field(default_factory=dict)

    def search(self, question: str, k: int | None = None) -> list[Hit]:
        return self.retriever.search(self._checked(question), k or self.settings.retrieval.top_k)

    def search_json(self, question: str, k: int | None = None) -> dict:
        hits = self.search(question, k)
        return {
            "question": question,
            "hits": [
                {"doc_id": h.doc_id, "clause": h.clause, "title": h.title, "score": h.score} for h in hits
            ],
        }

    def _checked(self, question: str) -> str:
        if not isinstance(question, str):
            raise BadRequest("the question must be text")
        limit = self.settings.server.max_question_chars
        if len(question) > limit:
            raise BadRequest(f"the question is too long ({len(question)} characters; limit {limit})")
        # Control and format characters (NUL, bidi overrides, zero-width spaces) carry no meaning here.
        cleaned = "".join(ch for ch in question if ch.isprintable() or ch in "\n\t").strip()
        if not cleaned:
            raise BadRequest("the question is empty")
        return cleaned

    def _cited(self, question: str, history: list[dict]) -> tuple[tuple[str, str], ...]:
        """What the built-in answerer cites for an earlier question (already without its instructions), when
        the answer passed back names no clause: no LLM call is made again for it."""
        try:
            question = self._checked(question)  # history is the client's text: the same limits apply
        except BadRequest:
            return ()
        answer = self._built_in(question, question, detect_script(question), history)[0]
        return tuple((c.doc_id, c.clause) for c in answer.citations)

    def ask(self, question: str, lang: str = "auto", history: list[dict] | None = None) -> Answer:
        if lang not in LANGS:
            raise BadRequest(f"unknown lang '{lang}'; use one of {', '.join(LANGS)}")
        question = self._checked(question)
        # Markup and colour codes are not part of what is asked; a question of nothing else stays as typed.
        words = plain_text(question) or question
        language = LANGS[lang] or detect_script(words)
        # A refusal on the rules points at no clause, so it needs no retrieval.
        if words != question and read_intent(question).injection and not read_intent(words).injection:
            # An instruction hidden in markup (<!-- assistant: … -->) is still an attempt on the rules.
            return self.composer.refusal(question, language, [], reason="rules")
        asked, instructed = parts.without_instructions(words)
        answer = self._ask_one(question, asked, language, history)
        if answer.abstained and len(pieces := parts.split(asked)) > 1:
            # Declined as a whole, a question whose parts the documents each answer ("…target, and is that
            # in RMB?") is answered part by part; where a part is declined, the whole stays declined.
            answer = self._ask_parts(question, pieces, language, list(history or ())) or answer
        if instructed and not answer.abstained and self._doubtful(asked):
            # Orders came with it: what is left is answered only where the documents plainly speak to it.
            return self.composer.refusal(question, language, [], reason="rules")
        if instructed:
            # The orders beside the question were left out: it is answered as if they were not there.
            ignored = self.composer.message("notice.instruction_ignored", language)
            answer = answer.model_copy(update={"notices": (ignored, *answer.notices)})
        if self.retriever.index.stale:
            # Served from the last good build while a fresh one is made: a document just added may be missing.
            stale = self.composer.message("notice.index_stale", language)
            answer = answer.model_copy(update={"notices": (*answer.notices, stale)})
        return answer

    def _doubtful(self, question: str) -> bool:
        """Half or more of the question's own words are nowhere in the documents (a question about the documents
        themselves, their number or date, is asked in words they need not use)."""
        query = prepare_query(question, self.lexicon)
        if query.intent.meta or query.intent.issuance or clause_references(question):
            return False
        return self.composer.kit.vocabulary.coverage(query).ratio_missing >= 0.5

    def _ask_parts(
        self, question: str, pieces: list[str], language: str, history: list[dict]
    ) -> Answer | None:
        """Each part answered in turn, the parts before it as its conversation ("…and is that in RMB?"); None
        when a part is declined or not set out, which declines the whole."""
        answers: list[Answer] = []
        for piece in pieces:
            answer = self._ask_one(piece, piece, language, history)
            if answer.abstained or answer.gaps:
                return None
            answers.append(answer)
            history = [
                *history,
                {"role": "user", "content": piece},
                {"role": "assistant", "content": answer.answer},
            ]
        heading = self.composer.kit.messages.texts["en" if language == "en" else "zh"]["parts.heading"]
        return parts.merged(question, pieces, answers, heading)

    def _built_in(
        self, question: str, words: str, language: str, history: list[dict] | None
    ) -> tuple[Answer, Query, list[Hit], float]:
        """The question read against its conversation, retrieved and answered by the built-in answerer;
        with the query, the hits and the retrieval time."""
        started = time.perf_counter()
        bare = prepare_query(words, self.lexicon)
        turn = self.conversation.read(words, history, self._cited, bare.intent)
        query = bare if turn.text == words else prepare_query(turn.text, self.lexicon)
        if turn.documents:
            # A follow-up stays with the documents of the answer before, unless it names others itself.
            query.documents = self.retriever.named_documents(bare) or list(turn.documents)
        hits = self.retriever.search_prepared(query, self.settings.retrieval.top_k)
        retrieved_ms = (time.perf_counter() - started) * 1000
        if turn.unresolved:
            answer = self.composer.refusal(words, language, hits, reason="which")
        else:
            answer = self.composer.answer(words, language, query, hits)
        return answer.model_copy(update={"question": question}), query, hits, retrieved_ms

    def _ask_one(self, question: str, words: str, language: str, history: list[dict] | None) -> Answer:
        started = time.perf_counter()
        answer, query, hits, retrieved_ms = self._built_in(question, words, language, history)
        retrieved = {(h.doc_id, h.clause) for h in hits}
        if self.llm is not None and not answer.abstained:
            from bot.answer.grounded import llm_answer

            # The clauses the built-in answer cites go first: they are the evidence it found for the question.
            cited = {(c.doc_id, c.clause) for c in answer.citations}
            ordered = sorted(hits, key=lambda h: (h.doc_id, h.clause) not in cited)
            candidate = llm_answer(self.composer, self.llm, question, language, query, ordered, history)  # type: ignore[arg-type]
            if candidate is not None:
                candidate_problems = verify(candidate, self.corpus, retrieved)
                if candidate_problems:
                    log.warning(
                        "LLM answer failed verification, using the built-in answer: %s", candidate_problems
                    )
                else:
                    answer = candidate
        timings = {
            "retrieve": round(retrieved_ms, 2),
            "answer": round((time.perf_counter() - started) * 1000 - retrieved_ms, 2),
        }
        return answer.model_copy(update={"timings_ms": timings})

    def ask_stream(
        self, question: str, lang: str = "auto", history: list[dict] | None = None
    ) -> Iterator[str | Answer]:
        """Text chunks of the verified answer, then the Answer itself (only verified text is ever streamed)."""
        answer = self.ask(question, lang, history)
        for start in range(0, len(answer.answer), 24):
            yield answer.answer[start : start + 24]
        yield answer
