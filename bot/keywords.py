"""A keyword index: bm25s over the stored tokens of one language's units."""

from __future__ import annotations

import numpy as np


class KeywordIndex:
    """bm25s over the stored tokens of one language's units."""

    def __init__(self, unit_ids: list[int], tokens: list[list[str]]):
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)

        self.unit_ids = np.array(unit_ids, dtype=np.int64)
        self.model = bm25s.BM25()
        if unit_ids:
            self.model.index([t or ["∅"] for t in tokens], show_progress=False)

    def search(self, tokens: list[str], limit: int) -> list[tuple[int, float]]:
        if not tokens or len(self.unit_ids) == 0:
            return []
        scores = self.model.get_scores(tokens)
        top = np.argsort(-scores)[:limit]
        return [(int(self.unit_ids[i]), float(scores[i])) for i in top if scores[i] > 0]
