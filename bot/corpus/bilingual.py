"""The curated bilingual layer: English rendition per sentence, glossary, clause cards.

Written per clause and per term (never per question) under `corpus/bilingual/`. The English is an
unofficial translation; the Chinese original prevails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.schema import Model

DISCLAIMER_EN = "Unofficial English translation; the Chinese original prevails."
DISCLAIMER_ZH = "英文为非官方译文，以中文原文为准。"
MACHINE_EN = (
    "Machine translation ({model}), each sentence checked against the Chinese for its figures, units and office "
    "names, not reviewed by a person; the Chinese original prevails."
)


class GlossaryTerm(Model):
    zh: str
    zh_hant: str
    zh_hant_alt: tuple[str, ...] = ()
    en: str
    en_alt: tuple[str, ...] = ()
    type: str
    # "domain": valid for any document (policy language, kinds of support, offices); otherwise the doc_id of
    # the document the term was taken from.
    source: str = "domain"


class Card(Model):
    summary_zh: str
    summary_en: str
    audience: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    keywords_zh: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()


@dataclass
class Rendition:
    """English for one document: clause titles, sentences by id, units, table cells."""

    titles: dict[str, str] = field(default_factory=dict)
    sentences: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict] = field(default_factory=dict)
    document_title: str | None = None
    # The model that wrote it, for a machine translation (`policybot translate`); None when curated by hand.
    machine: str | None = None

    @property
    def note(self) -> str:
        return MACHINE_EN.format(model=self.machine) if self.machine else DISCLAIMER_EN

    @property
    def provenance(self) -> str | None:
        """How the English was made: "curated", "machine", or None when there is none."""
        if not (self.sentences or self.titles or self.document_title):
            return None
        return "machine" if self.machine else "curated"

    def clause_text(self, clause_id: str, sentence_ids: list[str]) -> str | None:
        parts = [self.sentences[s] for s in sentence_ids if s in self.sentences]
        return " ".join(parts) if parts else None


@dataclass
class Bilingual:
    renditions: dict[str, Rendition] = field(default_factory=dict)
    glossary: tuple[GlossaryTerm, ...] = ()
    cards: dict[str, dict[str, Card]] = field(default_factory=dict)

    @property
    def segmentation_terms(self) -> list[str]:
        """The terms jieba must keep whole: names of offices, programmes, documents and concepts. The policy
        language of the domain glossary (最高, 登记, 截止) is ordinary words jieba already knows; forcing them
        would cut the documents' text differently (数据登记 → 数据 | 登记 holds, 数据知识产权 would not)."""
        return [term.zh for term in self.glossary if term.type != "policy"]

    def rendition(self, doc_id: str) -> Rendition:
        return self.renditions.get(doc_id) or Rendition()

    def card(self, doc_id: str, clause_id: str) -> Card | None:
        return self.cards.get(doc_id, {}).get(clause_id)


def _read_json(path: Path) -> dict | list:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: unreadable curated file ({exc})") from None


def load_bilingual(corpus_dir: Path) -> Bilingual:
    root = Path(corpus_dir) / "bilingual"
    result = Bilingual()
    # The domain glossary (the language of policy documents in general), then the terms curated per document.
    terms: list[GlossaryTerm] = []
    for name in ("domain.json", "glossary.json"):
        path = root / name
        if path.exists():
            terms += [GlossaryTerm(**entry) for entry in _read_json(path)]  # type: ignore[union-attr]
    result.glossary = tuple(terms)
    cards_dir = root / "cards"
    for path in sorted(cards_dir.glob("*.json")) if cards_dir.is_dir() else []:
        data = _read_json(path)
        assert isinstance(data, dict)
        result.cards[path.stem] = {clause: Card(**card) for clause, card in data.items()}
    en_dir = root / "en"
    for path in sorted(en_dir.glob("*.json")) if en_dir.is_dir() else []:
        data = _read_json(path)
        assert isinstance(data, dict)
        machine = data.get("machine_translated")
        rendition = Rendition(
            document_title=data.get("title_en"),
            machine=str(machine.get("model") or "unnamed model") if isinstance(machine, dict) else None,
        )
        for clause_id, clause in data.get("clauses", {}).items():
            if clause.get("title_en"):
                rendition.titles[clause_id] = clause["title_en"]
            rendition.sentences.update(clause.get("sentences", {}))
        rendition.units.update(data.get("units", {}))
        rendition.tables.update(data.get("tables", {}))
        result.renditions[path.stem] = rendition
    return result
