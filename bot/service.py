"""PolicyBot: the one facade that the CLI, API, UI and evaluation use."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.corpus.bilingual import Bilingual
from bot.lang import Lexicon
from bot.retrieve import HybridRetriever
from bot.schema import Corpus, Hit


@dataclass
class PolicyBot:
    corpus: Corpus
    bilingual: Bilingual
    lexicon: Lexicon
    retriever: HybridRetriever
    settings: Settings

    def search(self, question: str, k: int | None = None) -> list[Hit]:
        return self.retriever.search(question, k or self.settings.retrieval.top_k)

    def search_json(self, question: str, k: int | None = None) -> dict:
        hits = self.search(question, k)
        return {
            "question": question,
            "hits": [{"doc_id": h.doc_id, "clause": h.clause, "title": h.title, "score": h.score} for h in hits],
        }
