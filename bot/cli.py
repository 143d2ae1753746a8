"""policybot ingest | translate | index | search | ask | corpus | serve."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pydantic import ValidationError


def _settings():  # type: ignore[no-untyped-def]
    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        lines = [f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise SystemExit("policybot: invalid settings\n  " + "\n  ".join(lines)) from None


def _print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_corpus(args: argparse.Namespace) -> int:
    from bot.corpus.bilingual import load_bilingual
    from bot.corpus.export import corpus_json
    from bot.corpus.store import CorpusStore

    settings = _settings()
    corpus = CorpusStore(settings.corpus_dir).load()
    payload = corpus_json(corpus, load_bilingual(settings.corpus_dir), settings.day())
    if args.json:
        _print_json(payload)
    else:
        for doc in payload["documents"]:
            print(
                f"{doc['doc_id']}  {doc['title']}  ({doc['number'] or 'no number'}, {doc['issued'] or 'undated'})"
            )
            for clause in doc["clauses"]:
                print(f"  {clause['clause']:>10}  {clause['title']}")
        for ref in payload["references"]:
            state = f"loaded as {ref['doc_id']}" if ref["present"] else "not loaded"
            cites = ", ".join(c["clause"] for c in ref["cited_by"])
            print(f"《{ref['title']}》 cited by {cites}: {state}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from bot.corpus.store import CorpusStore, IngestError

    settings = _settings()
    try:
        added = CorpusStore(settings.corpus_dir).ingest([Path(p) for p in args.paths])
    except IngestError as exc:
        for error in exc.errors:
            print(f"policybot ingest: {error}", file=sys.stderr)
        print("policybot ingest: nothing was added; the corpus is unchanged", file=sys.stderr)
        return 1
    for document in added:
        print(
            f"added {document.doc_id}: {document.meta.title} ({document.meta.shape}, {len(document.clauses)} clauses)"
        )
        # What could not be read is said, not dropped: an empty clause, a table whose rows do not fit its header.
        for problem in document.problems:
            print(f"policybot ingest: {document.doc_id}: {problem}", file=sys.stderr)
    if args.translate and added:
        return _translate(settings, added, force=False)
    return 0


def _translate(settings, documents, force: bool) -> int:  # type: ignore[no-untyped-def]
    from bot.corpus.bilingual import load_bilingual
    from bot.translate.command import translate_documents
    from bot.wiring import make_translator

    translator = make_translator(settings, load_bilingual(settings.corpus_dir).glossary)
    if translator is None:
        print(
            "policybot translate: no LLM is configured; set BOT_LLM__BASE_URL and BOT_LLM__MODEL to an "
            "OpenAI-compatible endpoint (see README)",
            file=sys.stderr,
        )
        return 2
    return translate_documents(settings, translator, documents, force=force, progress=sys.stderr.isatty())


def cmd_translate(args: argparse.Namespace) -> int:
    from bot.corpus.store import CorpusStore
    from bot.translate.command import select

    settings = _settings()
    documents = CorpusStore(settings.corpus_dir).load().documents
    chosen, unknown = select(documents, args.documents)
    if unknown:
        known = ", ".join(d.doc_id for d in documents) or "none"
        print(f"policybot translate: no document {', '.join(unknown)} (loaded: {known})", file=sys.stderr)
        return 2
    return _translate(settings, chosen, force=args.force)


def _bot(rebuild: bool = False, settings=None, serve_stale: bool = False):  # type: ignore[no-untyped-def]
    from bot.wiring import build_bot, one_engine_per_core

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = settings or one_engine_per_core(_settings())  # a build here uses every core
    return build_bot(settings, rebuild_index=rebuild, progress=sys.stderr.isatty(), serve_stale=serve_stale)


def _questions(args: argparse.Namespace) -> list[str]:
    if args.batch:
        handle = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
        with handle:
            return [line.rstrip("\n") for line in handle if line.strip()]
    if not args.question:
        raise SystemExit("policybot: give a QUESTION or --batch FILE|-")
    return [" ".join(args.question)]


def cmd_index(args: argparse.Namespace) -> int:
    bot = _bot(rebuild=True)
    manifest = bot.retriever.index.manifest
    print(
        f"index built: {manifest['counts']['units']} units, {manifest['counts']['clauses']} clauses, "
        f"{manifest['build_seconds']} s, embedder {manifest['embedder'].get('model', manifest['embedder']['backend'])}"
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from bot.service import BadRequest

    bot = _bot()
    for question in _questions(args):
        try:
            payload = bot.search_json(question, args.k)
        except BadRequest as exc:
            payload = {"question": question, "hits": [], "error": str(exc)}
        if args.json:
            _print_json(payload)
        else:
            print(question)
            for hit in payload["hits"]:
                print(f"  {hit['clause']:>8}  {hit['score']:.3f}  {hit['title']}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.service import BadRequest

    bot = _bot()
    for question in _questions(args):
        try:
            payload = bot.ask(question, args.lang).contract()
        except BadRequest as exc:
            payload = {"question": question, "error": str(exc)}
        if args.json:
            _print_json(payload)
        else:
            print(payload.get("answer") or payload.get("error"))
            for citation in payload.get("citations", []):
                print(f"\n[{citation['label']}] {citation['quote']}")
            for notice in payload.get("notices", []):
                print(f"\n{notice}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.api import serve
    from bot.wiring import for_serving

    configured = _settings()
    settings = for_serving(configured)
    host, port = args.host or settings.server.host, args.port or settings.server.port
    if settings.server.workers > 1:
        from bot.api.server import serve_workers
        from bot.wiring import one_engine_per_core, prepared_index

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        # Built once here, on every core, for every worker to load.
        prepared_index(one_engine_per_core(configured), progress=sys.stderr.isatty())
        serve_workers(settings, host, port)
        return 0
    bot = _bot(settings=settings, serve_stale=True)  # a stale index answers while serve() rebuilds it
    serve(bot, host=host, port=port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policybot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    corpus = commands.add_parser("corpus", help="print the parsed corpus")
    corpus.add_argument("--json", action="store_true", help="one JSON object in the contract's shape")
    corpus.set_defaults(run=cmd_corpus)

    ingest = commands.add_parser("ingest", help="add .txt .md .html .docx .pdf documents to the corpus")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument(
        "--translate", action="store_true", help="then translate what was added (needs an LLM)"
    )
    ingest.set_defaults(run=cmd_ingest)

    translate = commands.add_parser(
        "translate", help="write a checked machine English rendition (needs an LLM)"
    )
    translate.add_argument("documents", nargs="+", metavar="DOC", help="doc_id, or a unique prefix of one")
    translate.add_argument("--force", action="store_true", help="replace a curated rendition")
    translate.set_defaults(run=cmd_translate)

    index = commands.add_parser("index", help="build (or rebuild) the index from corpus/")
    index.set_defaults(run=cmd_index)

    for name, run, helptext in (
        ("search", cmd_search, "best clauses for a question"),
        ("ask", cmd_ask, "a cited answer"),
    ):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("question", nargs="*")
        sub.add_argument("--json", action="store_true")
        sub.add_argument("--batch", metavar="FILE", help="one question a line; - for standard input")
        if name == "search":
            sub.add_argument("-k", type=int, default=None, help="number of hits (default from settings)")
        else:
            sub.add_argument("--lang", default="auto", choices=["auto", "zh", "zh-Hans", "zh-Hant", "en"])
        sub.set_defaults(run=run)

    serve = commands.add_parser("serve", help="serve the HTTP API and the web UI on one port")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
