"""policybot ingest | index | search | ask | corpus | serve."""

from __future__ import annotations

import argparse
import json
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
    payload = corpus_json(corpus, load_bilingual(settings.corpus_dir))
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
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policybot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    corpus = commands.add_parser("corpus", help="print the parsed corpus")
    corpus.add_argument("--json", action="store_true", help="one JSON object in the contract's shape")
    corpus.set_defaults(run=cmd_corpus)

    ingest = commands.add_parser("ingest", help="add .txt .md .html .docx .pdf documents to the corpus")
    ingest.add_argument("paths", nargs="+")
    ingest.set_defaults(run=cmd_ingest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
