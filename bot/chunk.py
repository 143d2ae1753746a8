"""Units of retrieval chosen from the structure (never by character counts), each keeping its clause id."""

from __future__ import annotations

from bot.corpus.bilingual import Bilingual
from bot.schema import Clause, Corpus, Document, Table, Unit, UnitKind


def _number(value: float | int | None) -> str:
    return "" if value is None else f"{value:g}"


class _Units:
    def __init__(self) -> None:
        self.items: list[Unit] = []

    def add(
        self,
        doc: Document,
        clause: str,
        kind: UnitKind,
        lang: str,
        text: str,
        sentence_ids: tuple[str, ...] = (),
    ) -> None:
        text = " ".join(text.split())
        if text:
            self.items.append(
                Unit(
                    id=len(self.items),
                    doc_id=doc.doc_id,
                    clause=clause,
                    kind=kind,
                    lang=lang,
                    text=text,
                    sentence_ids=sentence_ids,
                )  # type: ignore[arg-type]
            )


def _part_titles(doc: Document) -> dict[str, str]:
    return {c.clause: c.title for c in doc.clauses if c.kind in ("part", "chapter")}


def _clause_units(
    units: _Units, doc: Document, clause: Clause, part_title: str | None, bilingual: Bilingual
) -> None:
    english = bilingual.rendition(doc.doc_id)
    # A preamble titled with the document's own name says nothing by its title: every question about the
    # document would match it. Its sentences stand on their own.
    titled = bool(clause.title.strip()) and clause.title.strip() != doc.meta.title.strip()
    if titled:
        heading = " ".join(t for t in (part_title, clause.title) if t)
        units.add(doc, clause.clause, "heading", "zh", heading)
        if clause.clause in english.titles:
            units.add(doc, clause.clause, "heading", "en", english.titles[clause.clause])
    sentences = clause.sentences
    for sentence in sentences:
        text = f"{clause.title}：{sentence.text}" if titled else sentence.text
        units.add(doc, clause.clause, "sentence", "zh", text, (sentence.id,))
        if sentence.id in english.sentences:
            title_en = english.titles.get(clause.clause, "")
            units.add(
                doc,
                clause.clause,
                "english",
                "en",
                f"{title_en}: {english.sentences[sentence.id]}" if titled else english.sentences[sentence.id],
                (sentence.id,),
            )
    for first, second in zip(sentences, sentences[1:], strict=False):
        units.add(doc, clause.clause, "window", "zh", first.text + second.text, (first.id, second.id))
    if clause.responsible_units:
        units.add(
            doc,
            clause.clause,
            "meta",
            "zh",
            f"{clause.title} 责任单位：{'、'.join(clause.responsible_units)}",
        )
        names_en = [english.units[u] for u in clause.responsible_units if u in english.units]
        if len(names_en) == len(clause.responsible_units):
            units.add(
                doc,
                clause.clause,
                "meta",
                "en",
                f"{english.titles.get(clause.clause, '')} responsible units: {'; '.join(names_en)}",
            )
    card = bilingual.card(doc.doc_id, clause.clause)
    if card:
        units.add(
            doc,
            clause.clause,
            "card",
            "zh",
            (f"{clause.title}：" if titled else "") + f"{card.summary_zh} {' '.join(card.keywords_zh)}",
        )
        units.add(
            doc,
            clause.clause,
            "card",
            "en",
            (f"{english.titles.get(clause.clause, '')}: " if titled else "")
            + f"{card.summary_en} {'; '.join(card.keywords_en)}",
        )


def _table_units(units: _Units, doc: Document, table: Table, bilingual: Bilingual) -> None:
    english = bilingual.rendition(doc.doc_id).tables.get(table.clause, {})
    rows_en = english.get("rows", [])
    base, target = table.baseline_year or "", table.target_year or ""
    for n, row in enumerate(table.rows, start=1):
        zh = (
            f"{table.title} {row.indicator} 单位：{row.unit or '未注明'} {base}年基期值：{_number(row.baseline)} "
            f"{target}年预期值：{_number(row.target)} {row.remark or ''}"
        )
        units.add(doc, table.clause, "row", "zh", zh, (f"{table.clause}.{n}",))
        if n <= len(rows_en):
            row_en = rows_en[n - 1]
            en = (
                f"{english.get('title_en', '')}: {row_en.get('indicator_en', '')}, unit: {row_en.get('unit_en') or 'not given'}, "
                f"{base} baseline {_number(row.baseline)}, {target} expected target {_number(row.target)} {row_en.get('remark_en') or ''}"
            )
            units.add(doc, table.clause, "row", "en", en, (f"{table.clause}.{n}",))


def build_units(corpus: Corpus, bilingual: Bilingual) -> list[Unit]:
    units = _Units()
    for doc in corpus.documents:
        parts = _part_titles(doc)
        for clause in doc.clauses:
            if clause.kind in ("part", "chapter", "section"):
                # A part is found by its own heading (questions about the plan's structure); its measures
                # carry the heading too, so a topical question still lands on the measure.
                units.add(doc, clause.clause, "heading", "zh", clause.title)
                title_en = bilingual.rendition(doc.doc_id).titles.get(clause.clause)
                if title_en:
                    units.add(doc, clause.clause, "heading", "en", title_en)
                continue
            if clause.kind == "table":
                table = doc.table(clause.clause)
                if table:
                    _table_units(units, doc, table, bilingual)
                continue
            _clause_units(units, doc, clause, parts.get(clause.part or ""), bilingual)
        if doc.meta.title:
            facts = " ".join(
                x for x in (doc.meta.title, doc.meta.number, doc.meta.issuer, doc.meta.issued) if x
            )
            first = doc.clauses[0].clause
            units.add(doc, "notice" if doc.clause("notice") else first, "meta", "zh", facts)
    return units.items
