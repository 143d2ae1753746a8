"""A trial read of staged files in a process of its own, so that a file whose reading would take too long
(a .docx of deeply nested XML, a hostile PDF) can be stopped: `python -m bot.corpus.trial FILE...` reads and
parses each file as an ingest would and prints, one JSON line per file, the reason it cannot be read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.corpus.load import LoadError, read_document, sha256_bytes
from bot.corpus.store import build_document
from bot.schema import DocumentMeta


def main(argv: list[str]) -> int:
    failed = 0
    for name in argv:
        path = Path(name)
        try:
            text, raw = read_document(path)
            meta = DocumentMeta(doc_id="trial", path=path.name, sha256=sha256_bytes(raw), filename=path.name)
            build_document(meta, text)
        except LoadError as exc:
            print(json.dumps({"path": name, "reason": exc.reason}, ensure_ascii=False), flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
