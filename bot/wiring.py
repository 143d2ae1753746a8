"""The composition root: the only place that chooses implementations from settings."""

from __future__ import annotations

import functools
import logging
import os
from typing import TYPE_CHECKING

from bot.answer.compose import Composer
from bot.answer.coverage import Vocabulary
from bot.answer.quote import Quoter
from bot.config import Settings
from bot.conversation import Conversation
from bot.corpus.bilingual import Bilingual, load_bilingual
from bot.corpus.labels import display_title
from bot.corpus.store import CorpusStore
from bot.embed import E5Embedder, Embedder, HashingEmbedder, SentenceTransformerEmbedder
from bot.fusion import FusionWeights
from bot.index import (
    LoadedIndex,
)
from bot.lang import init_jieba
from bot.lexicon import Lexicon
from bot.retrieve import HybridRetriever
from bot.schema import Corpus
from bot.scope import DocumentNames
from bot.topics import Labels
from bot.upkeep import ensure_index

if TYPE_CHECKING:
    from bot.bridge import TermBridge
    from bot.feedback import FeedbackStore
    from bot.state.ratelimit import Limiter

log = logging.getLogger("policybot")


def make_embedder(settings: Settings) -> Embedder:
    section = settings.embedding
    if section.backend == "e5":
        return E5Embedder(
            batch_size=section.batch_size, num_threads=section.threads, instances=section.instances
        )
    if section.backend == "sentence-transformers":
        return SentenceTransformerEmbedder(
            section.model, section.batch_size, section.query_prefix, section.passage_prefix
        )
    return HashingEmbedder()


def for_serving(settings: Settings) -> Settings:
    """A server answers many callers at once: one single-threaded E5 engine per core keeps every core busy,
    where one multi-threaded engine makes concurrent requests queue (eval/load.py measures both). The cores
    are shared among the worker processes: one engine per core in all, not per worker."""
    return one_engine_per_core(settings, settings.server.workers)


def one_engine_per_core(settings: Settings, processes: int = 1) -> Settings:
    """Single-threaded E5 engines, one per core (shared among `processes`): an index build runs a batch on
    each at once, where one engine's own threads barely use the second core (eval/bench.py measures both).
    Explicit settings (BOT_EMBEDDING__INSTANCES / __THREADS) win."""
    chosen = settings.embedding.model_fields_set
    if settings.embedding.backend != "e5" or {"instances", "threads"} & chosen:
        return settings
    engines = max(1, (os.cpu_count() or 1) // processes)
    embedding = settings.embedding.model_copy(update={"instances": engines, "threads": 1})
    return settings.model_copy(update={"embedding": embedding})


def make_state(settings: Settings) -> tuple[FeedbackStore, Limiter]:
    """Feedback and the rate limit: in PostgreSQL when BOT_DATA__DATABASE_URL is set, else feedback in SQLite
    under data_dir and the rate limit in this process, or in SQLite beside it when workers share it."""
    from bot.feedback import FeedbackStore
    from bot.state.db import open_database
    from bot.state.ratelimit import SharedLimiter, TokenBucketLimiter

    url = settings.data.database_url
    database = open_database(url.get_secret_value()) if url else settings.data_dir / "feedback.sqlite3"
    feedback = FeedbackStore(database)
    per_minute = settings.server.rate_limit_per_minute
    shared = settings.data.shared_rate_limit
    if shared is None:
        shared = bool(url) or settings.server.workers > 1
    if not shared:
        return feedback, TokenBucketLimiter(per_minute)
    # Rate buckets are rewritten on every request and worth nothing after a power cut: their own SQLite
    # file, committed without waiting for the disk, so they never queue behind feedback.
    buckets = feedback.database if url else open_database(settings.data_dir / "ratelimit.sqlite3", False)
    return feedback, SharedLimiter(buckets, per_minute)


def make_lexicon(
    bilingual: Bilingual, corpus: Corpus | None = None, bridge: TermBridge | None = None
) -> Lexicon:
    init_jieba(bilingual.segmentation_terms)
    titles = tuple(d.meta.title for d in corpus.documents) if corpus is not None else ()
    text = "".join(d.text for d in corpus.documents) if corpus is not None else ""
    return Lexicon(
        [(t.zh, [t.zh_hant, *t.zh_hant_alt], [t.en, *t.en_alt]) for t in bilingual.glossary],
        titles,
        text,
        bridge,
    )


def make_bridge(settings: Settings, index: LoadedIndex) -> TermBridge | None:
    """The dictionary bridge to the words of the indexed Chinese units, unless turned off."""
    if not settings.retrieval.bridge:
        return None
    from bot.bridge import TermBridge

    words = {t for u, tokens in zip(index.units, index.tokens, strict=True) if u.lang == "zh" for t in tokens}
    return TermBridge.for_words(words)


def prepared_index(
    settings: Settings,
    rebuild: bool = False,
    progress: bool = True,
    serve_stale: bool = False,
    embedder: Embedder | None = None,
) -> tuple[LoadedIndex, CorpusStore, Bilingual, Embedder]:
    """The index fit for the corpus (loaded, or built), with what it was made from. `embedder` is one already
    running with these settings (a reload keeps its model instead of loading it again)."""
    store = CorpusStore(settings.corpus_dir)
    bilingual = load_bilingual(settings.corpus_dir)
    init_jieba(bilingual.segmentation_terms)  # the units are tokenised with the glossary's words
    embedder = embedder or make_embedder(settings)
    index = ensure_index(settings, store, None, bilingual, embedder, rebuild, progress, serve_stale)
    return index, store, bilingual, embedder


def build_bot(  # type: ignore[no-untyped-def]
    settings: Settings,
    rebuild_index: bool = False,
    progress: bool = True,
    serve_stale: bool = False,
    embedder: Embedder | None = None,
):
    from bot.service import PolicyBot

    index, store, bilingual, embedder = prepared_index(
        settings, rebuild_index, progress, serve_stale, embedder
    )
    corpus = index.corpus if index.corpus is not None else store.load()
    lexicon = make_lexicon(bilingual, corpus, make_bridge(settings, index))
    titles = {(d.doc_id, c.clause): display_title(d, c) for d in corpus.documents for c in d.clauses}
    retriever = HybridRetriever(
        index,
        embedder,
        lexicon,
        titles,
        dense_candidates=settings.retrieval.dense_candidates,
        keyword_candidates=settings.retrieval.keyword_candidates,
        weights=FusionWeights(rrf_k=settings.retrieval.rrf_k),
        names=DocumentNames(corpus),
        sentence_facts=sentence_fact_kinds(corpus),
    )
    vocabulary = make_vocabulary(index, corpus, bilingual, lexicon.bridge)

    @functools.cache
    def vocabulary_for(doc_ids: tuple[str, ...]) -> Vocabulary:
        return make_vocabulary(index, corpus, bilingual, lexicon.bridge, frozenset(doc_ids))

    quoter = Quoter(corpus, bilingual, lexicon)
    composer = Composer(quoter, vocabulary, settings.today, vocabulary_for)
    return PolicyBot(
        corpus=corpus,
        bilingual=bilingual,
        lexicon=lexicon,
        retriever=retriever,
        settings=settings,
        composer=composer,
        conversation=Conversation(corpus, Labels(corpus, quoter.labels), bilingual, lexicon.chinese_for),
        llm=make_llm(settings),
    )


def make_vocabulary(
    index: LoadedIndex,
    corpus: Corpus,
    bilingual: Bilingual,
    bridge: TermBridge | None = None,
    doc_ids: frozenset[str] | None = None,
) -> Vocabulary:
    """The words of the documents (all, or those named): what a question can be answered about. An English
    word the bridge carries to one of their Chinese words is one of their words too."""
    units = [
        (u, t)
        for u, t in zip(index.units, index.tokens, strict=True)
        if doc_ids is None or u.doc_id in doc_ids
    ]
    documents = [d for d in corpus.documents if doc_ids is None or d.doc_id in doc_ids]
    zh_words = {t for u, tokens in units if u.lang == "zh" for t in tokens}
    # A document with an English rendition answers English by its own words; the dictionary speaks only for
    # those without one (it would find "tax" in 税务局, which the rendition calls an office, not a tax).
    rendered = {u.doc_id for u, _ in units if u.lang == "en"}
    unrendered = {t for u, tokens in units if u.lang == "zh" and u.doc_id not in rendered for t in tokens}
    carried = bridge.restricted(unrendered) if bridge is not None else None
    bridged = carried.words if carried is not None else set()
    zh_text = (
        # A clause's departments (金砖办, 市委台港澳办) are the documents' words too.
        "".join(c.title + c.text + "".join(c.responsible_units) for d in documents for c in d.clauses)
        # A table's words (its columns 基期值/备注, its cells) are the documents' words too.
        + "".join(
            t.title
            + "".join(t.columns)
            + "".join(f"{r.indicator}{r.unit or ''}{r.remark or ''}" for r in t.rows)
            + "".join(v for r in t.rows for v in r.cells.values() if v)
            for d in documents
            for t in d.tables
        )
    )
    return Vocabulary(
        zh_words,
        {t for u, tokens in units if u.lang == "en" for t in tokens} | bridged,
        zh_text,
        " ".join(u.text for u, _ in units if u.lang == "en"),
        # English names of the documents' terms ("pledge loan", "renewal" for 续展): of terms they use.
        [
            form
            for term in bilingual.glossary
            if term.zh in zh_text
            for form in (term.en, *term.en_alt)
        ],
        [name for d in corpus.documents for place in d.meta.districts for name in place.names],
        set(carried.names) if carried is not None else set(),
    )  # fmt: skip


def sentence_fact_kinds(corpus: Corpus) -> dict[tuple[str, str], frozenset[str]]:
    kinds: dict[tuple[str, str], set[str]] = {}
    for document in corpus.documents:
        for clause in document.clauses:
            for fact in clause.facts:
                if fact.qualifier != "document":  # the document's own dates are no event's
                    kinds.setdefault((document.doc_id, fact.sentence), set()).add(fact.kind)
    return {key: frozenset(value) for key, value in kinds.items()}


def _chat_model(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.answer.llm import make_chat_model

    section = settings.llm
    key = section.api_key.get_secret_value() if section.api_key else None
    return make_chat_model(
        section.base_url or "", section.model or "", key, section.timeout_s, section.temperature
    )


def make_llm(settings: Settings):  # type: ignore[no-untyped-def]
    """An LLM composer when an OpenAI-compatible endpoint is configured; None means the built-in answerer."""
    if not settings.llm.enabled:
        return None
    from bot.answer.llm import LLMComposer

    return LLMComposer(
        _chat_model(settings), settings.prompts_dir, settings.llm.timeout_s, settings.llm.model or ""
    )


def make_translator(settings: Settings, glossary):  # type: ignore[no-untyped-def]
    """A translator through the configured OpenAI-compatible endpoint; None when no LLM is configured."""
    if not settings.llm.enabled:
        return None
    from bot.translate.run import Translator

    return Translator(
        _chat_model(settings),
        settings.prompts_dir,
        settings.llm.timeout_s,
        settings.llm.model or "",
        glossary,
    )
