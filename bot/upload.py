"""Uploaded documents on their way into the corpus: size, name, type and content checks, then an ingest
from a private temporary folder that is removed afterwards.

Nothing here knows about HTTP: the API hands over (client file name, bytes) pairs and turns
`UploadRejected` into a JSON error. The client's file name is only read for its suffix and shown back in
messages; the file on disk always gets a name the server makes up.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from bot.corpus.load import SUPPORTED_SUFFIXES, LoadError, decode_text, sha256_bytes
from bot.corpus.store import CorpusStore, IngestError
from bot.schema import Document
from bot.writers import writer_gone

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # per file, and for all files of one request together
MAX_FILES = 10
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024  # the files plus multipart headers
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024  # a .docx that inflates beyond this is refused (zip bomb)
MAX_DOCX_ENTRIES = 5_000
# The XML is what is parsed, and its parse time grows with it: a document's text is far below this.
MAX_DOCX_XML_BYTES = 16 * 1024 * 1024
MAX_READ_S = 60.0  # reading and parsing one upload's files, in a process stopped past it
UPLOADS = "uploads"
STAGING = "ingest-"  # then the ingesting process id
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(eq=False)  # exceptions stay hashable
class UploadRejected(Exception):
    """A refused upload; `status`, `code` and `message` are safe to show to the client."""

    status: int
    code: str
    message: str
    files: list[dict[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Upload:
    """One checked file: the client's bare name (for messages only), its suffix and its bytes."""

    name: str
    suffix: str
    data: bytes


def shown(name: str) -> str:
    """A client-supplied name made safe to echo in a message: no control characters, bounded length."""
    clean = _CONTROL.sub("?", name)
    return clean if len(clean) <= 120 else clean[:117] + "..."


def bare_name(raw: str) -> str:
    """The client's file name without folders; refused when it tries to point anywhere else."""
    if "\x00" in raw:
        raise UploadRejected(422, "invalid_filename", f"file name {shown(raw)!r} contains a NUL byte")
    if _CONTROL.search(raw):
        raise UploadRejected(422, "invalid_filename", f"file name {shown(raw)!r} contains control characters")
    if raw.startswith(("/", "\\")) or _DRIVE.match(raw):
        raise UploadRejected(422, "invalid_filename", f"file name {shown(raw)!r} is an absolute path")
    parts = re.split(r"[\\/]", raw)
    if ".." in (part.strip() for part in parts):
        raise UploadRejected(422, "invalid_filename", f"file name {shown(raw)!r} contains '..'")
    name = parts[-1].strip()
    if name in ("", "."):
        raise UploadRejected(422, "invalid_filename", "every uploaded file needs a file name")
    return name


def allowed_suffix(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRejected(
            415,
            "unsupported_file_type",
            f"{shown(name)}: unsupported file type '{suffix or '(none)'}'; "
            f"expected one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    return suffix


def sniff(name: str, suffix: str, data: bytes) -> None:
    """The content must be what the suffix says: %PDF, a Word zip, or decodable text."""

    def refuse(reason: str) -> UploadRejected:
        return UploadRejected(422, "content_mismatch", f"{shown(name)}: {reason}")

    if not data.strip():
        raise refuse("empty file")
    if suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise refuse("not a PDF (a PDF file starts with %PDF-)")
    elif suffix == ".docx":
        docx_problem = _docx_problem(data)
        if docx_problem:
            raise refuse(docx_problem)
    elif suffix in TEXT_SUFFIXES:
        try:
            decode_text(name, data)
        except LoadError as exc:
            raise refuse(exc.reason) from None


def _docx_problem(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return "not a .docx (a .docx file is a zip archive)"
    if len(entries) > MAX_DOCX_ENTRIES or sum(e.file_size for e in entries) > MAX_DOCX_UNPACKED_BYTES:
        return "the .docx archive unpacks to too much data"
    if sum(e.file_size for e in entries if e.filename.endswith((".xml", ".rels"))) > MAX_DOCX_XML_BYTES:
        return f"the .docx holds more than {MAX_DOCX_XML_BYTES // (1024 * 1024)} MB of XML to parse"
    if "word/document.xml" not in {e.filename for e in entries}:
        return "not a .docx (the archive has no word/document.xml)"
    return None


def check(files: Sequence[tuple[str, bytes]]) -> list[Upload]:
    """Every file checked in turn; the first problem is raised as UploadRejected."""
    if not files:
        raise UploadRejected(422, "no_files", "send at least one file in the multipart field 'files'")
    if len(files) > MAX_FILES:
        raise UploadRejected(422, "too_many_files", f"at most {MAX_FILES} files per upload")
    if sum(len(data) for _, data in files) > MAX_UPLOAD_BYTES:
        raise UploadRejected(413, "upload_too_large", f"the files exceed {MAX_UPLOAD_BYTES} bytes together")
    uploads = []
    for raw_name, data in files:
        name = bare_name(raw_name)
        suffix = allowed_suffix(name)
        if len(data) > MAX_UPLOAD_BYTES:
            raise UploadRejected(413, "file_too_large", f"{shown(name)} exceeds {MAX_UPLOAD_BYTES} bytes")
        sniff(name, suffix, data)
        uploads.append(Upload(name, suffix, data))
    return uploads


def clean_staging(data_dir: Path) -> list[str]:
    """Remove staging folders whose ingest process is gone (killed mid-upload); a running one's are kept."""
    root = Path(data_dir) / UPLOADS
    if not root.is_dir():
        return []
    gone = [p for p in root.iterdir() if p.name.startswith(STAGING) and writer_gone(p.name, STAGING)]
    for path in gone:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in gone]


def stage(uploads: Sequence[Upload], data_dir: Path) -> tuple[Path, list[Path]]:
    """Write the files into a fresh private folder under data_dir/uploads, under names the server makes."""
    root = Path(data_dir) / UPLOADS
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=root))
    paths = []
    try:
        for number, upload in enumerate(uploads, 1):
            target = folder / f"upload-{number:02d}{upload.suffix}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(target, flags, 0o600), "wb") as handle:  # never executable
                handle.write(upload.data)
            paths.append(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, paths


def ingest(
    files: Sequence[tuple[str, bytes]], corpus_dir: Path, data_dir: Path, resume: bool = False
) -> list[Document]:
    """Check, stage and add the files to the corpus all-or-nothing; the staged copies are always removed.
    With `resume` (the retry of an ingest that was interrupted), a file already catalogued byte for byte is
    taken as added by that first attempt and reported, not refused as a duplicate."""
    uploads = check(files)
    store = CorpusStore(corpus_dir)
    done: dict[int, Document] = {}
    if resume:
        catalogued = {m.sha256: m.doc_id for m in store.metas()}
        digests = {n: sha256_bytes(u.data) for n, u in enumerate(uploads)}
        ids = {n: catalogued[digest] for n, digest in digests.items() if digest in catalogued}
        if ids:
            loaded = {d.doc_id: d for d in store.load().documents}
            done = {n: loaded[doc_id] for n, doc_id in ids.items() if doc_id in loaded}
        if len(done) == len(uploads):
            return [done[n] for n in range(len(uploads))]
    rest = [u for n, u in enumerate(uploads) if n not in done]
    added = iter(_ingest(rest, store, data_dir))
    return [done[n] if n in done else next(added) for n in range(len(uploads))]


def _ingest(uploads: list[Upload], store: CorpusStore, data_dir: Path) -> list[Document]:
    folder, paths = stage(uploads, data_dir)
    try:
        return store.ingest(paths)
    except IngestError as exc:
        names = {str(path): upload.name for path, upload in zip(paths, uploads, strict=True)}
        problems = [
            {"file": shown(names.get(e.path, "upload")), "reason": _without_paths(e.reason, names, folder)}
            for e in exc.errors
        ]
        summary = "; ".join(f"{p['file']}: {p['reason']}" for p in problems)
        raise UploadRejected(422, "ingest_failed", f"nothing was added: {summary}", problems) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def trial_read(files: Sequence[tuple[str, bytes]], data_dir: Path, timeout_s: float | None = None) -> None:
    """Read and parse the files as an ingest would, in a process of its own stopped after `timeout_s`: a
    file whose reading takes too long (or fails) is refused before the admin lock is taken for the commit."""
    uploads = check(files)
    limit = MAX_READ_S if timeout_s is None else timeout_s
    folder, paths = stage(uploads, data_dir)
    try:
        command = [sys.executable, "-m", "bot.corpus.trial", *map(str, paths)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=False)
        except subprocess.TimeoutExpired:
            raise UploadRejected(
                422, "read_timeout", f"reading the files took more than {limit:g} s; nothing was added"
            ) from None
        if done.returncode == 0:
            return
        names = {str(path): upload.name for path, upload in zip(paths, uploads, strict=True)}
        problems = []
        for line in done.stdout.splitlines():
            failure = json.loads(line)
            reason = _without_paths(failure["reason"], names, folder)
            problems.append({"file": shown(names.get(failure["path"], "upload")), "reason": reason})
        if not problems:  # the reader itself failed (killed, out of memory): not the client's fault alone
            raise UploadRejected(422, "unreadable", "the files could not be read; nothing was added")
        summary = "; ".join(f"{p['file']}: {p['reason']}" for p in problems)
        raise UploadRejected(422, "ingest_failed", f"nothing was added: {summary}", problems)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _without_paths(reason: str, names: dict[str, str], folder: Path) -> str:
    """A reason that may name a staged file, with the server's paths replaced by the client's names."""
    for path, name in names.items():
        reason = reason.replace(path, shown(name))
    return reason.replace(str(folder), "upload")
