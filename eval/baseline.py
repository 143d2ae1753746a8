"""The usual RAG template as yardstick: fixed ~250-character chunks with overlap, dense top-k, same embedder."""

from __future__ import annotations

import numpy as np

from bot.embed import Embedder
from bot.schema import Document


def fixed_chunks(document: Document, size: int = 250, overlap: int = 50) -> list[tuple[int, int]]:
    """Spans of the cleaned text (noise excluded) cut every `size` characters with `overlap`."""
    start, end = document.clauses[0].start, document.clauses[-1].end
    spans, position = [], start
    while position < end:
        spans.append((position, min(end, position + size)))
        position += size - overlap
    return spans


class FixedChunkBaseline:
    def __init__(self, documents: list[Document], embedder: Embedder):
        self.embedder = embedder
        self.chunks: list[tuple[Document, int, int]] = [
            (d, a, b) for d in documents for a, b in fixed_chunks(d)
        ]
        self.vectors = embedder.embed_passages([d.text[a:b] for d, a, b in self.chunks])

    def _clauses_of(self, document: Document, a: int, b: int) -> list[str]:
        """A chunk counts for every clause it overlaps, in reading order (the most generous reading)."""
        return [c.clause for c in document.clauses if c.start < b and c.end > a and c.kind != "part"]

    def search(self, question: str, k: int = 8) -> list[str]:
        query = self.embedder.embed_queries([question])[0]
        order = np.argsort(-(self.vectors @ query))
        hits: list[str] = []
        for i in order:
            document, a, b = self.chunks[i]
            for clause in self._clauses_of(document, a, b):
                if clause not in hits:
                    hits.append(clause)
            if len(hits) >= k:
                break
        return hits[:k]
