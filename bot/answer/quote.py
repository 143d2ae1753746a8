"""Quoting the source: a clause's sentences ranked against the question, verbatim citations of them with their
English rendition and labels, and the table rows a question names."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.corpus.bilingual import Bilingual
from bot.corpus.labels import label_en, label_zh
from bot.intent import gives_orders
from bot.lang import chinese_tokens, english_tokens
from bot.lexicon import Lexicon
from bot.schema import Citation, Clause, Corpus, Document, Hit, Sentence, Table, TableRow

Language = str  # "zh-Hans" | "zh-Hant" | "en"
MAX_QUOTE_CHARS = 450


# How much a sentence's closeness in meaning counts beside the words it shares with the question (measured in
# eval: facts found per language).
SEMANTIC_WEIGHT = 0.5


class Quoter:
    def __init__(self, corpus: Corpus, bilingual: Bilingual, lexicon: Lexicon):
        self.corpus = corpus
        self._token_cache: dict[tuple[str, str], set[str]] = {}
        self._planted: dict[tuple[str, str], bool] = {}
        self._row_cache: dict[tuple[str, str], list[tuple[dict[str, float], dict[str, float]]]] = {}
        self.bilingual = bilingual
        self.lexicon = lexicon

    # ------------------------------------------------------------------ building blocks

    def document(self, doc_id: str) -> Document:
        document = self.corpus.document(doc_id)
        assert document is not None, doc_id
        return document

    def labels(self, document: Document, clause: Clause) -> tuple[str, str]:
        title_en = self.bilingual.rendition(document.doc_id).document_title
        return label_zh(document, clause), label_en(document, clause, title_en)

    def citation(
        self,
        document: Document,
        clause: Clause,
        spans: list[tuple[int, int]],
        english: Sequence[str | None],
        whole: bool = False,
    ) -> tuple[Citation, str]:
        """A citation quoting one contiguous, verbatim source span, and the clause's English label.

        `spans[0]` is the most important piece: the pieces are quoted together when the stretch of text
        that joins them is short enough to read out (or the whole clause is asked for), otherwise only the
        first one is.
        """
        zh_label, en_label = self.labels(document, clause)
        rendition = self.bilingual.rendition(document.doc_id)
        pieces = list(zip(spans, english, strict=True))
        long = pieces and max(b for a, b in spans) - min(a for a, b in spans) > MAX_QUOTE_CHARS
        if long and not whole:
            pieces = pieces[:1]
        if pieces:
            start, end = min(a for (a, _), _ in pieces), max(b for (_, b), _ in pieces)
            quote = document.text[start:end]
            given = [(a, text) for (a, _), text in pieces if text]
            covered = {a for (a, _), _ in pieces}
            inside = [
                (s.start, rendition.sentences.get(s.id))
                for s in clause.sentences
                if start <= s.start and s.end <= end and s.start not in covered
            ]
            quote_en = " ".join(text for _, text in sorted(given + [(a, t) for a, t in inside if t])) or None
        else:
            quote, quote_en = clause.title, rendition.titles.get(clause.clause)
        # The first piece is what answers: its English leads an answer's line when the whole is long.
        point_en = pieces[0][1] if pieces and pieces[0][1] and len(pieces) > 1 else None
        return Citation(
            doc_id=document.doc_id,
            clause=clause.clause,
            title=clause.title,
            label=zh_label,
            quote=quote,
            quote_display=None,
            quote_en=quote_en,
            responsible_units=clause.responsible_units,
            responsible_units_en=tuple(rendition.units.get(u) for u in clause.responsible_units),
            point_en=point_en,
        ), en_label

    def planted(self, sentence: Sentence) -> bool:
        """Whether the sentence is an order planted for a machine reader (bot.intent.gives_orders), once."""
        key = (sentence.id, sentence.text)
        if key not in self._planted:
            self._planted[key] = gives_orders(sentence.text)
        return self._planted[key]

    def sentence_tokens(self, sentence: Sentence) -> set[str]:
        """A sentence's tokens, computed once: the corpus does not change while the answerer lives."""
        key = (sentence.id, sentence.text)  # ids repeat across documents; the text tells them apart
        if key not in self._token_cache:
            self._token_cache[key] = set(chinese_tokens(sentence.text))
        return self._token_cache[key]

    def sentence_scores(
        self, clause: Clause, hit: Hit | None, query_tokens: set[str], en_tokens: set[str]
    ) -> list[tuple[float, Sentence]]:
        """Rank a clause's sentences: retrieval support first, then overlap with the question's terms."""
        support: dict[str, float] = {}
        if hit:
            for rank, unit in enumerate(hit.units):
                for sid in unit.sentence_ids:
                    support[sid] = max(support.get(sid, 0.0), 1.0 / (1 + rank))
        rendition = self.bilingual.rendition(clause.doc_id)
        # Meaning, scaled within the clause (0 for its least, 1 for its most similar sentence): E5's cosines
        # are bunched together, so only their order within a clause says something.
        similarity = dict(hit.sentence_similarity) if hit else {}
        low, high = (min(similarity.values()), max(similarity.values())) if similarity else (0.0, 0.0)
        zh_sets = {s.id: self.sentence_tokens(s) for s in clause.sentences}
        en_sets = {
            s.id: set(english_tokens(rendition.sentences[s.id])) if s.id in rendition.sentences else set()
            for s in clause.sentences
        }
        zh_weight, en_weight = _distinctiveness(query_tokens, zh_sets), _distinctiveness(en_tokens, en_sets)
        ranked = []
        for sentence in clause.sentences:
            if self.planted(sentence):
                continue  # never quoted: an order planted for a machine reader is not the document's rule
            overlap = _weighted_overlap(zh_weight, zh_sets[sentence.id])
            en_overlap = _weighted_overlap(en_weight, en_sets[sentence.id])
            meaning = (similarity.get(sentence.id, low) - low) / (high - low) if high > low else 0.0
            score = support.get(sentence.id, 0.0) + overlap + en_overlap + SEMANTIC_WEIGHT * meaning
            ranked.append((score, sentence))
        return sorted(ranked, key=lambda pair: -pair[0])

    def clause_point(
        self, hit: Hit, query_tokens: set[str], en_tokens: set[str], max_sentences: int = 2
    ) -> tuple[Citation, str, list[Sentence]] | None:
        document = self.document(hit.doc_id)
        clause = document.clause(hit.clause)
        if clause is None or not clause.sentences or clause.kind in ("table", "part", "chapter"):
            return None
        ranked = [s for _, s in self.sentence_scores(clause, hit, query_tokens, en_tokens)[:max_sentences]]
        if not ranked:
            return None
        # Only sentences that can be quoted as one stretch of text together with the best one, and no
        # planted order between them.
        best = ranked[0]
        planted = [s.start for s in clause.sentences if self.planted(s)]
        chosen = [best] + [
            s
            for s in ranked[1:]
            if max(s.end, best.end) - min(s.start, best.start) <= MAX_QUOTE_CHARS
            and not any(min(s.start, best.start) < p < max(s.end, best.end) for p in planted)
        ]
        chosen += _list_items(clause, chosen)
        rendition = self.bilingual.rendition(document.doc_id)
        citation, en_label = self.citation(
            document,
            clause,
            [(s.start, s.end) for s in chosen],
            [rendition.sentences.get(s.id) for s in chosen],
        )
        return citation, en_label, chosen

    # ------------------------------------------------------------------ table

    def best_rows(
        self, question_zh: str, question_en: str, table: Table, limit: int = 2
    ) -> list[tuple[float, int, TableRow]]:
        q_tokens = set(chinese_tokens(question_zh)) if question_zh else set()
        q_en = set(english_tokens(question_en))
        scored = []
        for n, (row, (zh_words, en_words)) in enumerate(zip(table.rows, self._row_words(table), strict=True)):
            score = _weighted_overlap(zh_words, q_tokens)
            if q_en:
                score += _weighted_overlap(en_words, q_en)
            if row.indicator in question_zh:
                score += 1.0
            scored.append((score, n, row))
        scored.sort(key=lambda t: -t[0])
        return [t for t in scored[:limit] if t[0] >= 0.34]

    def _row_words(self, table: Table) -> list[tuple[dict[str, float], dict[str, float]]]:
        """Each row's indicator words, Chinese and English, weighted by how few indicators share them (知识产权 and
        patent say little about which row is asked for); computed once per table."""
        key = (table.doc_id, table.clause)
        if key not in self._row_cache:
            english_rows = self.bilingual.rendition(table.doc_id).tables.get(table.clause, {}).get("rows", [])
            zh_rows = [set(chinese_tokens(row.indicator)) for row in table.rows]
            en_rows = [
                set(english_tokens(english_rows[n].get("indicator_en") or ""))
                if n < len(english_rows)
                else set()
                for n in range(len(table.rows))
            ]
            zh_weight = _distinctiveness(set().union(*zh_rows), {str(n): r for n, r in enumerate(zh_rows)})
            en_weight = _distinctiveness(set().union(*en_rows), {str(n): r for n, r in enumerate(en_rows)})
            self._row_cache[key] = [
                ({t: zh_weight[t] for t in zh}, {t: en_weight[t] for t in en})
                for zh, en in zip(zh_rows, en_rows, strict=True)
            ]
        return self._row_cache[key]


_ITEM = re.compile(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、])")


def _list_items(clause: Clause, chosen: list[Sentence]) -> list[Sentence]:
    """A chosen sentence that introduces a list (…不予登记：) brings the list's items, as far as they can be
    quoted with it."""
    out: list[Sentence] = []
    sentences = list(clause.sentences)
    for sentence in chosen:
        if not sentence.text.rstrip().endswith(("：", ":")):
            continue
        for item in sentences[sentences.index(sentence) + 1 :]:
            if not _ITEM.match(item.text) or item.end - sentence.start > MAX_QUOTE_CHARS:
                break
            if item not in chosen and item not in out:
                out.append(item)
    return out


def _num(value: float | int | None) -> str:
    return "—" if value is None else f"{value:g}"


def _distinctiveness(query_tokens: set[str], sentence_tokens: dict[str, set[str]]) -> dict[str, float]:
    """Each question term's weight within one clause: a term found in one of its sentences (展会) says more
    about which sentence answers than one found in all of them (专利). Terms the clause lacks weigh 1."""
    count = len(sentence_tokens) or 1
    weights = {}
    for token in query_tokens:
        df = sum(token in tokens for tokens in sentence_tokens.values())
        weights[token] = math.log(1 + count / df) if df else 1.0
    return weights


def _weighted_overlap(weights: dict[str, float], tokens: set[str]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in tokens) / total if total else 0.0


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_in(text: str) -> set[str]:
    return set(_NUMBER.findall(text))
