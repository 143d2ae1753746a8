"""`policybot translate DOC...` and `ingest --translate`: choose the documents, refuse to overwrite a curated
rendition, run the translator with a progress bar, write what was kept and report what was left out."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.schema import Document
    from bot.translate.run import Translator

SHOWN_LEFT_OUT = 20  # per document on the terminal; the rendition file keeps them all


def rendition_path(settings: Settings, doc_id: str) -> Path:
    return Path(settings.corpus_dir) / "bilingual" / "en" / f"{doc_id}.json"


def curated_exists(path: Path) -> bool:
    """A rendition made by a person is there (a machine one may be replaced freely)."""
    if not path.exists():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True  # unreadable: not ours to overwrite
    return not (isinstance(data, dict) and isinstance(data.get("machine_translated"), dict))


def select(documents: Sequence[Document], wanted: Sequence[str]) -> tuple[list[Document], list[str]]:
    """The documents named by doc_id (or a unique prefix of one), and the names that matched none."""
    chosen, unknown = [], []
    for name in wanted:
        matches = [d for d in documents if d.doc_id == name] or [
            d for d in documents if d.doc_id.startswith(name)
        ]
        if len(matches) == 1:
            chosen.append(matches[0])
        else:
            unknown.append(name)
    return list({d.doc_id: d for d in chosen}.values()), unknown


def translate_documents(
    settings: Settings,
    translator: Translator,
    documents: Sequence[Document],
    force: bool = False,
    progress: bool = True,
    err: TextIO = sys.stderr,
) -> int:
    """Translate each document and write its rendition; 0 when every document got one, 1 otherwise."""
    from tqdm import tqdm

    from bot.translate.run import lines_of, write_rendition

    failed = 0
    for document in documents:
        path = rendition_path(settings, document.doc_id)
        if curated_exists(path) and not force:
            print(
                f"policybot translate: {document.doc_id} has a curated English rendition ({path}); "
                "it is kept (use --force to replace it with a machine translation)",
                file=err,
            )
            failed += 1
            continue
        total = len(lines_of(document))
        with tqdm(total=total, desc=document.doc_id, unit="line", disable=not progress, file=err) as bar:
            result = translator.translate(document, bar.update)
        if not result.kept:
            why = result.stopped or "no line passed the checks"
            print(f"policybot translate: {document.doc_id}: nothing kept ({why}); nothing written", file=err)
            _report(result.left_out_records(), err)
            failed += 1
            continue
        write_rendition(path, result.rendition(settings.day()))
        print(
            f"translated {document.doc_id}: {len(result.kept)} of {result.attempted} lines kept, "
            f"{len(result.left_out)} left out; written to {path}"
        )
        if result.stopped:
            print(f"policybot translate: {document.doc_id}: {result.stopped}", file=err)
        _report(result.left_out_records(), err)
    if failed < len(documents):
        print("run `policybot index` (or ask a question) to put the English in the index")
    return 1 if failed else 0


def _report(records: list[dict], err: TextIO) -> None:
    for record in records[:SHOWN_LEFT_OUT]:
        print(f"  left out {record['id']}: {'; '.join(record['reasons'])}", file=err)
    if len(records) > SHOWN_LEFT_OUT:
        print(f"  … and {len(records) - SHOWN_LEFT_OUT} more (listed under 'left_out' in the file)", file=err)
