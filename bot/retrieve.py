"""Hybrid bilingual retrieval: one dense search and two keyword searches, fused per clause."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from bot.ask.kinds import wanted_fact_kinds
from bot.embed import Embedder
from bot.fusion import FusionWeights
from bot.index import LoadedIndex
from bot.intent import SUBSIDY, clause_references
from bot.keywords import KeywordIndex
from bot.lexicon import Lexicon
from bot.parts import gist
from bot.query import Query, prepare_query
from bot.schema import Hit, Unit
from bot.scope import DocumentNames

_HAN = re.compile(r"[\u4e00-\u9fff]")


# The sentence that says why and on what authority a document was made (为…, 根据…, 制定本方案).
_ENACTING = re.compile(r"制定本(?:方案|条例|办法|规定|细则|意见|计划|规划|措施)")
# Public money for firms or for the plan itself: what a question about subsidies or budgets can be answered by.
_FUNDING = re.compile(r"资助|奖励|补贴|补助|专项资金|财政资金")
# A date range such as 自2022年7月到2025年6月: how long a document applies.
_DATE_RANGE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?\s*(?:到|至|—|–|-)\s*\d{4}\s*年")


class HybridRetriever:
    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        lexicon: Lexicon,
        titles: dict[tuple[str, str], str],
        dense_candidates: int = 60,
        keyword_candidates: int = 60,
        weights: FusionWeights | None = None,
        names: DocumentNames | None = None,
        sentence_facts: dict[tuple[str, str], frozenset[str]] | None = None,
    ):
        self.index = index
        self.units: list[Unit] = index.units
        self.embedder = embedder
        self.lexicon = lexicon
        self.titles = titles
        self.dense_candidates = dense_candidates
        self.keyword_candidates = keyword_candidates
        self.weights = weights or FusionWeights()
        self.names = names
        # The fact kinds each unit carries (an amount, a time limit…), from its sentences' facts read at ingest.
        facts = sentence_facts or {}
        self.unit_facts = [
            frozenset().union(*(facts.get((u.doc_id, sid), frozenset()) for sid in u.sentence_ids))
            for u in self.units
        ]
        zh = [u.id for u in self.units if u.lang == "zh"]
        en = [u.id for u in self.units if u.lang == "en"]
        self.keyword_zh = KeywordIndex(zh, [index.tokens[i] for i in zh])
        self.keyword_en = KeywordIndex(en, [index.tokens[i] for i in en])
        # Every unit that stands for one sentence (its Chinese text or English rendition), by clause, and the
        # stored vectors (a flat index gives them back; other kinds may not, and then sentences are chosen
        # by words alone).
        self._sentence_units: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for unit in self.units:
            if unit.kind in ("sentence", "english") and len(unit.sentence_ids) == 1:
                self._sentence_units.setdefault((unit.doc_id, unit.clause), []).append(
                    (unit.id, unit.sentence_ids[0])
                )
        self._first_unit: dict[tuple[str, str], int] = {}
        for unit in self.units:
            self._first_unit.setdefault((unit.doc_id, unit.clause), unit.id)
        self._documents = list(dict.fromkeys(unit.doc_id for unit in self.units))
        self._languages = len({unit.lang for unit in self.units})
        try:
            self._vectors: np.ndarray | None = index.vectors.reconstruct_n(0, index.vectors.ntotal)
        except (RuntimeError, AttributeError):
            self._vectors = None
        self.structural = {
            "outline": self._one_per_clause(
                u for u in self.units if u.kind == "heading" and u.clause.startswith(("part-", "chapter-"))
            ),
            "basis": self._one_per_clause(
                u for u in self.units if u.kind == "sentence" and _ENACTING.search(u.text)
            ),
            "period": self._one_per_clause(
                u for u in self.units if u.kind == "sentence" and _DATE_RANGE.search(u.text)
            ),
            "notice": self._one_per_clause(u for u in self.units if u.clause == "notice"),
            "funding": self._one_per_clause(
                u for u in self.units if u.kind == "sentence" and _FUNDING.search(u.text)
            ),
        }

    def named(self, question: str, zh_text: str = "") -> list[tuple[int, float]]:
        """The clauses a question names by number or by their exact title, each represented by its first unit."""
        wanted = [
            clause
            for (_, clause), title in self.titles.items()
            if len(title) >= 4 and (title in question or (zh_text and title in zh_text))
        ]
        for kind, number in clause_references(question):
            if kind == "table":
                wanted.append(f"table{number}")
            elif kind == "part":
                wanted += [f"part-{number}", f"chapter-{number}"]
            else:
                wanted.append(str(number))
        # Clause ids repeat across documents (article 5, measure (5)): every document's clause is named.
        return [
            (self._first_unit[(doc_id, clause)], 1.0)
            for clause in dict.fromkeys(wanted)
            for doc_id in self._documents
            if (doc_id, clause) in self._first_unit
        ]

    @staticmethod
    def _one_per_clause(units: Iterable[Unit]) -> list[tuple[int, float]]:
        """The first unit of each clause, in document order: a ranked list that lists clauses, not units."""
        seen: set[tuple[str, str]] = set()
        ranked = []
        for unit in units:
            if (unit.doc_id, unit.clause) not in seen:
                seen.add((unit.doc_id, unit.clause))
                ranked.append((unit.id, 1.0))
        return ranked

    def dense(self, query: Query) -> list[tuple[int, float]]:
        # Traditional questions are embedded in the plan's script and vocabulary; others as asked.
        text = query.zh_text if query.script == "zh-Hant" and query.zh_text else query.text
        # The embedder's cost grows with the text (about 1 ms a character here): a long paste is embedded by
        # the sentences that ask, so one question's cost stays small and bounded.
        vector = self.embedder.embed_queries([gist(text)])
        query.vector = vector[0]
        # Deep enough that each language's units have their own candidates (bot.retrieve.FusionWeights).
        depth = self.dense_candidates * (3 if query.script == "en" and self._languages > 1 else 1)
        scores, ids = self.index.vectors.search(vector.astype(np.float32), min(depth, len(self.units)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search(self, question: str, k: int = 8) -> list[Hit]:
        return self.search_prepared(prepare_query(question, self.lexicon), k)

    def search_prepared(self, query: Query, k: int = 8) -> list[Hit]:
        """Search with a query already prepared (the answerer reuses the same preparation)."""
        dense = self.dense(query)
        lists = {
            "dense": dense[: self.dense_candidates],
            "keyword_zh": self.keyword_zh.search(query.zh_tokens, self.keyword_candidates),
            "keyword_en": self.keyword_en.search(query.en_tokens, self.keyword_candidates),
        }
        groups: dict[str, str] = {}
        if query.script == "en":
            lists["keyword_bridge"] = lists.pop("keyword_zh")
            del lists["dense"]
            for lang in ("zh", "en"):
                lists[f"dense_{lang}"] = [p for p in dense if self.units[p[0]].lang == lang][
                    : self.dense_candidates
                ]
            groups = {
                "dense_zh": "dense",
                "dense_en": "dense",
                "keyword_bridge": "keyword",
                "keyword_en": "keyword",
            }
        intent = query.intent
        wanted = {
            "outline": intent.outline,
            "basis": intent.basis,
            "period": intent.period,
            "notice": intent.issuance,
            "funding": intent.subsidy,
        }
        for name, asked in wanted.items():
            if asked and self.structural[name]:
                lists[name] = self.structural[name]
        named = self.named(query.text, query.zh_text)
        if named:
            lists["named"] = named
        fact_kinds = wanted_fact_kinds(intent)
        if fact_kinds:
            # Clauses that set out what is asked (a time limit for "how long"), in the order of meaning.
            lists["facts"] = [p for p in dense if self.unit_facts[p[0]] & fact_kinds][: self.dense_candidates]
        if intent.subsidy:
            # A table row answers a question about money a firm receives only if the row is about such money
            # (a subsidy schedule); indicator rows that merely share words (发明专利, 亿元) are not evidence.
            lists = {
                name: [
                    p
                    for p in ranked
                    if self.units[p[0]].kind != "row" or SUBSIDY.search(self.units[p[0]].text)
                ]
                for name, ranked in lists.items()
            }
        elif intent.value:  # a figure: its answer is more often a table row than a sentence
            rows = [
                pair
                for name in ("keyword_zh", "keyword_bridge", "keyword_en", "dense", "dense_zh", "dense_en")
                for pair in lists.get(name, ())
                if self.units[pair[0]].kind == "row"
            ]
            lists["table_rows"] = rows
        if not query.documents:
            query.documents = self.named_documents(query)
        if query.documents:
            # A question that names its documents is answered from them: their clauses come first.
            wide = self.fuse(lists, k * 4, groups)
            first = [h for h in wide if h.doc_id in query.documents]
            if first:
                hits = (first + [h for h in wide if h.doc_id not in query.documents])[:k]
                return self.with_sentence_similarity(hits, query.vector)
        return self.with_sentence_similarity(self.fuse(lists, k, groups), query.vector)

    def named_documents(self, query: Query) -> list[str]:
        """The documents a question names (by title, number, short name or the terms its English gives)."""
        if self.names is None:
            return []
        return self.names.named(query.text, query.zh_text, query.translated_terms + query.bridged_terms)

    def with_sentence_similarity(self, hits: list[Hit], vector: np.ndarray | None) -> list[Hit]:
        if vector is None or self._vectors is None:
            return hits
        out = []
        for hit in hits:
            best: dict[str, float] = {}
            for unit_id, sentence_id in self._sentence_units.get((hit.doc_id, hit.clause), ()):
                similarity = float(self._vectors[unit_id] @ vector)
                best[sentence_id] = max(best.get(sentence_id, -1.0), similarity)
            out.append(hit.model_copy(update={"sentence_similarity": tuple(best.items())}) if best else hit)
        return out

    def fuse(
        self, lists: dict[str, list[tuple[int, float]]], k: int, groups: dict[str, str] | None = None
    ) -> list[Hit]:
        """Reciprocal-rank fusion at clause level: each list votes with the rank of a clause's best unit; lists
        of one group (the same evidence in two languages) give a clause the better of their votes."""
        groups = groups or {}
        votes: dict[tuple[tuple[str, str], str], float] = {}
        best_units: dict[tuple[str, str], list[tuple[float, int]]] = {}
        raw: dict[tuple[str, str], dict[str, float]] = {}
        for name, ranked in lists.items():
            weight = getattr(self.weights, name)
            clause_scores: list[tuple[tuple[str, str], float]] = []  # each clause once, at its best unit
            seen: set[tuple[str, str]] = set()
            for position, (unit_id, score) in enumerate(ranked):
                unit = self.units[unit_id]
                key = (unit.doc_id, unit.clause)
                best_units.setdefault(key, []).append((weight / (self.weights.rrf_k + position + 1), unit_id))
                if key in seen:
                    continue
                seen.add(key)
                clause_scores.append((key, score))
                vote = weight / (self.weights.rrf_k + len(clause_scores))
                if name.startswith("keyword") and len(clause_scores) == 2:
                    (best, top), (_, runner_up) = clause_scores
                    if top >= self.weights.decisive_ratio * runner_up:
                        slot = (best, groups.get(name, name))
                        votes[slot] += self.weights.decisive_bonus * weight
                slot = (key, groups.get(name, name))
                votes[slot] = max(votes.get(slot, 0.0), vote)
                raw.setdefault(key, {})[name] = score
        fused: dict[tuple[str, str], float] = {}
        for (key, _), vote in votes.items():
            fused[key] = fused.get(key, 0.0) + vote
        ordered = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        hits = []
        for key, score in ordered:
            supporting = sorted(best_units[key], key=lambda su: -su[0])
            unit_ids = list(dict.fromkeys(uid for _, uid in supporting))[:6]
            hits.append(
                Hit(
                    doc_id=key[0],
                    clause=key[1],
                    title=self.titles.get(key, ""),
                    score=round(score, 6),
                    units=tuple(self.units[i] for i in unit_ids),
                    dense_score=round(
                        max((v for n, v in raw[key].items() if n.startswith("dense")), default=0.0), 6
                    ),
                    keyword_score=round(sum(v for n, v in raw[key].items() if n.startswith("keyword")), 6),
                )
            )
        return hits
