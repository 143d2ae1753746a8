"""The built-in answerer's face to the service: a question read once, its hits, and the route table that
turns them into a grounded answer or an honest refusal (bot.answer.route)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from bot.answer import outcome
from bot.answer.coverage import Vocabulary
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Messages
from bot.answer.quote import Quoter
from bot.answer.route import answer as route
from bot.query import Query
from bot.schema import Answer, Citation, Hit

log = logging.getLogger("policybot.answer")


class Composer:
    def __init__(
        self,
        quoter: Quoter,
        vocabulary: Vocabulary,
        today: dt.date | None = None,
        vocabulary_for: Callable[[tuple[str, ...]], Vocabulary] | None = None,
    ):
        self.kit = Kit(quoter=quoter, vocabulary=vocabulary, messages=Messages(), today=today)
        self.vocabulary_for = vocabulary_for

    @property
    def x(self) -> Quoter:
        return self.kit.quoter

    def ask(self, question: str, language: str, query: Query, hits: list[Hit]) -> Ask:
        # A question that names its documents is answerable only from their words.
        named = tuple(query.documents)
        vocabulary = self.vocabulary_for(named) if named and self.vocabulary_for else self.kit.vocabulary
        return Ask(question, language, query, hits, vocabulary, list(named))

    def answer(self, question: str, language: str, query: Query, hits: list[Hit]) -> Answer:
        result, name = route(self.kit, self.ask(question, language, query, hits))
        log.debug("route %s answered %r", name, question[:60])
        return result

    def refusal(
        self, question: str, language: str, hits: list[Hit], reason: str, query: Query | None = None
    ) -> Answer:
        from bot.query import Query as Q

        prepared = query or Q(text=question, script=language, zh_text="", zh_tokens=[], en_tokens=[])
        return outcome.refusal(self.kit, self.ask(question, language, prepared, hits), reason)

    def message(self, key: str, language: str) -> str:
        """One of the bot's own sentences in the answer's language (Taiwan's words for a Traditional one)."""
        return outcome.in_language(self.kit, self.kit.say(key), language)

    def localised(self, citation: Citation, language: str) -> Citation:
        return outcome.localised(self.kit, citation, language)

    def notices(self, language: str, citations: tuple[Citation, ...], question: str = "") -> list[str]:
        return outcome.notices(self.kit, language, citations, question)
