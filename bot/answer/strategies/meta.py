"""A document's own facts (number, issuer, date, addressees, publicity, effective date, validity), answered from
what ingest read, each quoted from the sentence it was read from, with its standing on the day asked."""

from __future__ import annotations

from bot.answer.draft import Draft, quoted_point
from bot.answer.kit import Ask, Kit
from bot.answer.messages import Both
from bot.answer.outcome import period_names, when
from bot.schema import Citation, Document, Sentence

_STRUCTURAL = {"notice", "intro", "signature"}


def _sentence(document: Document, sentence_id: str | None) -> Sentence | None:
    if not sentence_id:
        return None
    clause = document.clause(sentence_id.rsplit(".", 1)[0])
    return next((s for s in clause.sentences if s.id == sentence_id), None) if clause else None


def sources(document: Document) -> set[str]:
    """The clauses a document's own facts were read from."""
    return {sid.rsplit(".", 1)[0] for sid in document.meta.fact_sources.values()}


def applies(kit: Kit, ask: Ask) -> bool:
    intent = ask.intent
    notice_line = intent.publicity or intent.addressees or intent.repeal
    if not (intent.meta or notice_line) or not ask.hits:
        return False
    if notice_line or ((intent.period or intent.issuance) and ask.documents):
        return True  # the document's own facts are asked of a document the question names
    top = {(h.doc_id, h.clause) for h in ask.hits[:3]}
    return any((d.doc_id, c) in top for d in target_documents(kit, ask) for c in _STRUCTURAL | sources(d))


def target_documents(kit: Kit, ask: Ask) -> list[Document]:
    named = [kit.document(d) for d in ask.documents]
    return named or [kit.document(ask.hits[0].doc_id)]


def _issuance(kit: Kit, document: Document) -> tuple[Citation, tuple[str, str]] | None:
    meta = document.meta
    chosen = [
        s
        for s in (_sentence(document, meta.fact_sources.get(f)) for f in ("number", "issued", "issuer"))
        if s
    ]
    if not chosen or not (meta.number or meta.issuer or meta.issued):
        return None
    by_clause = [s for s in chosen if s.clause == chosen[0].clause]
    clause = document.clause(by_clause[0].clause)
    assert clause is not None
    rendition = kit.rendition(document.doc_id)
    citation, en_label = kit.sentence_citation(document, clause, sorted(by_clause, key=lambda s: s.start))
    number_sentence = _sentence(document, meta.fact_sources.get("number"))
    date_sentence = _sentence(document, meta.fact_sources.get("issued"))
    unknown = kit.say("meta.not_given")
    texts = kit.say(
        "meta.issuance",
        number=Both(meta.number or unknown["zh"], (rendition.sentences.get(number_sentence.id) if number_sentence else None) or meta.number or unknown["en"]),
        issuer=Both(meta.issuer or unknown["zh"], rendition.units.get(meta.issuer or "") or meta.issuer or unknown["en"]),
        issued=Both(when(meta.issued)[0] if meta.issued else unknown["zh"],
                    (rendition.sentences.get(date_sentence.id) if date_sentence else None) or meta.issued or unknown["en"]),
    )  # fmt: skip
    return citation, (f"{texts['zh']} [{citation.label}]", f"{texts['en']} [{en_label}]")


def _notice_lines(kit: Kit, ask: Ask, document: Document) -> list[tuple[Citation, tuple[str, str]]]:
    """ "有主动公开吗", "to whom is it addressed": the notice's own closing or addressee line."""
    intent, meta = ask.intent, document.meta
    wanted = [f for f, asked in (("publicity", intent.publicity), ("addressees", intent.addressees)) if asked]
    out = []
    for name in wanted:
        sentence = _sentence(document, meta.fact_sources.get(name))
        if sentence is None:
            continue
        clause = document.clause(sentence.clause)
        assert clause is not None
        citation, en_label = kit.sentence_citation(document, clause, [sentence])
        out.append((citation, quoted_point(citation, en_label)))
    return out


def _repeal(kit: Kit, ask: Ask, document: Document) -> tuple[Citation, tuple[str, str]] | None:
    """'原来哪个文件废止了': the sentence that repeals it."""
    sentence = _sentence(document, document.meta.fact_sources.get("repeals")) if ask.intent.repeal else None
    if sentence is None:
        return None
    clause = document.clause(sentence.clause)
    assert clause is not None
    citation, en_label = kit.sentence_citation(document, clause, [sentence])
    return citation, quoted_point(citation, en_label)


def _period(kit: Kit, document: Document) -> tuple[Citation, tuple[str, str]] | None:
    """The sentence that sets the document's period, and whether that period still runs."""
    meta = document.meta
    sentence = _sentence(document, meta.fact_sources.get("valid_to") or meta.fact_sources.get("effective"))
    if sentence is None:
        return None
    clause = document.clause(sentence.clause)
    assert clause is not None
    citation, en_label = kit.sentence_citation(document, clause, [sentence])
    state = kit.status(document)
    key = {"expired": "meta.ended", "in_force": "meta.running", "not_yet": "meta.not_yet"}.get(state)
    texts = (
        kit.say(key, period=period_names(meta.period_label))
        if key and meta.valid_to
        else {"zh": "", "en": ""}
    )
    if state == "not_yet":
        texts = kit.say("meta.not_yet", period=period_names(meta.period_label))
    english = kit.rendition(document.doc_id).sentences.get(sentence.id) or sentence.text
    return citation, (
        f"{sentence.text}{texts['zh']} [{citation.label}]",
        f"{english} {texts['en']}".rstrip() + f" [{en_label}]",
    )


def meta_draft(kit: Kit, ask: Ask) -> Draft | None:
    """Document number, issuer, dates and period: from the document's facts, cited to where it says them."""
    citations: list[Citation] = []
    points: list[tuple[str, str]] = []
    documents = target_documents(kit, ask)
    for document in documents[:3]:
        parts = [_repeal(kit, ask, document), _issuance(kit, document), *_notice_lines(kit, ask, document)]
        parts.append(_period(kit, document))
        for part in parts:
            if part is not None and all(part[0].quote != c.quote for c in citations):
                citations.append(part[0])
                points.append(part[1])
    if not citations:
        return None
    names = Both(
        "、".join(kit.book(d) for d in documents[:3]), "; ".join(kit.names(d)[1] for d in documents[:3])
    )
    return Draft(
        lead=kit.say("meta.lead", document=names),
        points=points,
        citations=citations,
        looked_up=tuple((c.doc_id, c.clause) for c in citations),
    )
