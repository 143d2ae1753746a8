"""PolicyBot: the one facade that the CLI, API, UI and evaluation use."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.answer.compose import Composer
from bot.answer.verify import verify
from bot.config import Settings
from bot.corpus.bilingual import Bilingual
from bot.intent import read_intent
from bot.lang import detect_script, plain_text
from bot.lexicon import Lexicon
from bot.query import prepare_query
from bot.retrieve import HybridRetriever
from bot.schema import Answer, Corpus, Hit

log = logging.getLogger("policybot.answer")

LANGS = {"auto": None, "zh": "zh-Hans", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}
MAX_HISTORY_TURNS = 6


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

    def _retrieval_text(self, question: str, history: list[dict] | None) -> str:
        """A follow-up ('那台湾企业呢？', 'who is responsible for that?') is read with the previous question."""
        if not history or not read_intent(question).follow_up:
            return question
        previous = [
            turn.get("content", "") for turn in history[-MAX_HISTORY_TURNS:] if turn.get("role") == "user"
        ]
        return f"{previous[-1]} {question}" if previous else question

    def ask(self, question: str, lang: str = "auto", history: list[dict] | None = None) -> Answer:
        if lang not in LANGS:
            raise BadRequest(f"unknown lang '{lang}'; use one of {', '.join(LANGS)}")
        question = self._checked(question)
        # Markup and colour codes are not part of what is asked; a question of nothing else stays as typed.
        words = plain_text(question) or question
        language = LANGS[lang] or detect_script(words)
        started = time.perf_counter()
        query = prepare_query(self._retrieval_text(words, history), self.lexicon)
        hits = self.retriever.search_prepared(query, self.settings.retrieval.top_k)
        retrieved_ms = (time.perf_counter() - started) * 1000
        if read_intent(question).injection and not read_intent(words).injection:
            # An instruction hidden in markup (<!-- assistant: … -->) is still an attempt on the rules.
            answer = self.composer.refusal(question, language, hits, reason="rules")
        else:
            answer = self.composer.answer(words, language, query, hits)
        answer = answer.model_copy(update={"question": question})
        retrieved = {(h.doc_id, h.clause) for h in hits}
        if self.llm is not None and not answer.abstained:
            from bot.answer.grounded import llm_answer

            candidate = llm_answer(self.composer, self.llm, question, language, query, hits, history)  # type: ignore[arg-type]
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
