"""The corpus folder: delivered sources, the catalogue, all-or-nothing ingest."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bot.corpus.clean import clean
from bot.corpus.facts.document import with_facts
from bot.corpus.facts.sentence import clause_facts, table_facts
from bot.corpus.load import LoadError, read_document, sha256_bytes
from bot.corpus.parse import parse_document
from bot.corpus.references import canonical_titles, normalise_title
from bot.schema import Clause, Corpus, Document, DocumentMeta, Reference, Table, UnitRole
from bot.writers import exclusive

CATALOGUE = "catalogue.json"
SOURCES = "sources"


def detect_language(text: str) -> str:
    from bot.lang import detect_script

    return detect_script(text)


def build_document(meta: DocumentMeta, text: str) -> Document:
    """Clean and parse one document, and read its facts: the document's own, and each clause's."""
    cleaned = clean(text)
    if not cleaned.lines:
        raise LoadError(meta.path, "no document text left after removing page noise")
    parsed = parse_document(meta.doc_id, cleaned.lines, text)
    if not parsed.clauses:
        raise LoadError(meta.path, "no clauses could be parsed from the text")
    tables = {t.clause: t for t in parsed.tables}
    titles = {c.clause: c.title for c in parsed.clauses}
    clauses = [
        with_clause_facts(c, tables.get(c.clause), text, (titles.get(c.annex or "", ""),))
        for c in parsed.clauses
    ]
    facts_meta = with_facts(meta, clauses, parsed.title or cleaned.lines[0].text)
    clauses = own_dates(clauses, set(facts_meta.fact_sources.values()))
    updates = {"source": meta.source or cleaned.source, "shape": parsed.shape}
    return Document(
        meta=facts_meta.model_copy(update=updates),
        text=text,
        clauses=tuple(clauses),
        tables=tuple(parsed.tables),
        problems=tuple(parsed.problems),
    )


def with_clause_facts(
    clause: Clause, table: Table | None, source: str, headings: tuple[str, ...] = ()
) -> Clause:
    """The clause with its typed facts (its annex's heading read as its own); a clause without a bracket of
    responsible units takes the departments its sentences give work to (由X负责…, X牵头, 会同X)."""
    facts = table_facts(table, clause, source) if table is not None else clause_facts(clause, headings)
    update: dict[str, object] = {"facts": facts}
    if not clause.unit_roles and clause.kind != "table":
        roles = [
            UnitRole(name=f.subject, role=f.qualifier) for f in facts if f.kind == "department" and f.subject
        ]  # type: ignore[arg-type]
        unique = list(dict.fromkeys(roles))
        if unique:
            update |= {
                "unit_roles": tuple(unique),
                "responsible_units": tuple(dict.fromkeys(r.name for r in unique)),
            }
    return clause.model_copy(update=update)


def own_dates(clauses: list[Clause], sentences: set[str]) -> list[Clause]:
    """A date in the sentences the document's own facts were read from (issued, effective, valid until) is the
    document's, not an event's: it is marked so, and answers no question about deadlines or schedules."""
    out = []
    for clause in clauses:
        if any(f.sentence in sentences and f.kind in ("date", "window") for f in clause.facts):
            facts = tuple(
                f.model_copy(update={"qualifier": "document"})
                if f.sentence in sentences and f.kind in ("date", "window")
                else f
                for f in clause.facts
            )
            clause = clause.model_copy(update={"facts": facts})
        out.append(clause)
    return out


def _repealed(documents: Sequence[Document]) -> list[Document]:
    """A loaded document that another loaded document repeals (原《…》同时废止) is marked so."""
    by_title = {normalise_title(d.meta.title): d.doc_id for d in documents if d.meta.title}
    repealer = {
        by_title[normalise_title(t)]: d.doc_id
        for d in documents
        for t in d.meta.repeals
        if normalise_title(t) in by_title
    }
    return [
        d.model_copy(update={"meta": d.meta.model_copy(update={"repealed_by": repealer[d.doc_id]})})
        if d.doc_id in repealer
        else d
        for d in documents
    ]


def _with_canonical_references(documents: Sequence[Document]) -> tuple[list[Document], list[Reference]]:
    titles = [ref for doc in documents for clause in doc.clauses for ref in clause.references]
    titles += [normalise_title(doc.meta.title) for doc in documents]
    mapping = canonical_titles(titles)
    present: dict[str, str] = {}
    for doc in documents:
        title = normalise_title(doc.meta.title)
        # A loaded copy is often titled with an annotation: 《…条例》(2019年修正), (测试样例).
        present.setdefault(title, doc.doc_id)
        present.setdefault(re.sub(r"\([^()]*\)$", "", title), doc.doc_id)
    fixed: list[Document] = []
    cited: dict[str, list[tuple[str, str]]] = {}
    spellings: dict[str, set[str]] = {}
    for doc in documents:
        clauses: list[Clause] = []
        for clause in doc.clauses:
            canonical = list(dict.fromkeys(mapping[ref] for ref in clause.references))
            for raw in clause.references:
                spellings.setdefault(mapping[raw], set()).add(raw)
            for ref in canonical:
                cited.setdefault(ref, []).append((doc.doc_id, clause.clause))
            clauses.append(clause.model_copy(update={"references": tuple(canonical)}))
        fixed.append(doc.model_copy(update={"clauses": tuple(clauses)}))
    references = [
        Reference(
            title=title,
            cited_by=tuple(cites),
            spellings=tuple(sorted(spellings[title] - {title})),
            present_doc_id=present.get(title),
        )
        for title, cites in cited.items()
    ]
    return fixed, references


class CorpusStore:
    """`root/sources/*` as delivered, `root/catalogue.json` describing them."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def catalogue_path(self) -> Path:
        return self.root / CATALOGUE

    def metas(self) -> list[DocumentMeta]:
        if not self.catalogue_path.exists():
            return []
        data = json.loads(self.catalogue_path.read_text(encoding="utf-8"))
        return [DocumentMeta(**entry) for entry in data.get("documents", [])]

    def load(self) -> Corpus:
        documents = []
        for meta in self.metas():
            text, raw = read_document(self.root / meta.path)
            if sha256_bytes(raw) != meta.sha256:
                raise LoadError(meta.path, "file differs from the catalogue's checksum; re-ingest it")
            documents.append(build_document(meta, text))
        fixed, references = _with_canonical_references(_repealed(documents))
        return Corpus(documents=tuple(fixed), references=tuple(references))

    def fingerprint(self) -> str:
        """Hash of the catalogue and every source and curated file: any change makes an index stale."""
        import hashlib

        digest = hashlib.sha256()
        # Only what the corpus consists of: temporaries of an interrupted write and sources copied by an
        # ingest that was killed before its catalogue was written are not part of it.
        catalogued = {self.root / m.path for m in self.metas()}
        for path in sorted(p for p in self.root.rglob("*") if p.is_file() and not p.name.startswith(".")):
            if path.parent == self.root / SOURCES and path not in catalogued:
                continue
            digest.update(str(path.relative_to(self.root)).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def ingest(self, paths: Sequence[Path]) -> list[Document]:
        """Add files all-or-nothing: every file is checked first; on any error nothing is written. One ingest
        at a time across processes: the catalogue is read, changed and written back under a lock."""
        with exclusive(self.root):
            return self._ingest(paths)

    def _ingest(self, paths: Sequence[Path]) -> list[Document]:
        metas = self.metas()
        known_hashes = {m.sha256: m for m in metas}
        errors: list[LoadError] = []
        staged: list[tuple[Path, DocumentMeta, Document]] = []
        next_number = 1 + max(
            (int(m.doc_id[:3]) for m in metas if re.match(r"^\d{3}_", m.doc_id)), default=-1
        )
        existing_texts = {_text_fingerprint(read_document(self.root / m.path)[0]): m.doc_id for m in metas}
        for path in paths:
            path = Path(path)
            try:
                text, raw = read_document(path)
                digest = sha256_bytes(raw)
                if digest in known_hashes:
                    raise LoadError(
                        path, f"duplicate of {known_hashes[digest].doc_id} ({known_hashes[digest].path})"
                    )
                fingerprint = _text_fingerprint(text)
                if fingerprint in existing_texts:
                    raise LoadError(path, f"duplicate: same text as {existing_texts[fingerprint]}")
                doc_id = f"{next_number:03d}_{digest[:16]}"
                relative = f"{SOURCES}/{doc_id}{path.suffix.lower()}"
                meta = DocumentMeta(
                    doc_id=doc_id,
                    path=relative,
                    sha256=digest,
                    language=detect_language(text),
                    filename=path.name,
                )
                document = build_document(meta, text)
            except LoadError as exc:
                errors.append(exc if exc.path == str(path) else LoadError(path, exc.reason))
                continue
            known_hashes[digest] = meta
            existing_texts[fingerprint] = str(path)
            # The catalogue keeps what identifies the file; what its text says is read again at every load.
            staged.append((path, meta, document))
            next_number += 1
        if errors:
            raise IngestError(errors)
        self._commit(metas, staged)
        return [document for _, _, document in staged]

    def _commit(self, metas: list[DocumentMeta], staged: list[tuple[Path, DocumentMeta, Document]]) -> None:
        (self.root / SOURCES).mkdir(parents=True, exist_ok=True)
        catalogued = {self.root / m.path for m in metas}
        leftovers = [p for p in (self.root / SOURCES).iterdir() if p.is_file() and p not in catalogued]
        for leftover in [*leftovers, *self.root.glob(f".{CATALOGUE}.*")]:  # of an ingest killed mid-commit
            leftover.unlink(missing_ok=True)
        written: list[Path] = []
        try:
            for path, meta, _ in staged:
                target = self.root / meta.path
                _atomic_copy(path, target)
                written.append(target)
            self.write_catalogue([*metas, *(meta for _, meta, _ in staged)])
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise

    def write_catalogue(self, metas: Sequence[DocumentMeta]) -> None:
        """Rewrite the catalogue atomically, with the references derived from the documents."""
        documents = [build_document(m, read_document(self.root / m.path)[0]) for m in metas]
        _, references = _with_canonical_references(documents)
        payload = {
            "documents": [m.model_dump(exclude_none=False) for m in metas],
            "references": [r.model_dump() for r in references],
        }
        atomic_write(self.catalogue_path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def _text_fingerprint(text: str) -> str:
    return sha256_bytes(re.sub(r"\s+", "", text).encode("utf-8"))


class IngestError(Exception):
    def __init__(self, errors: list[LoadError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def atomic_write(target: Path, content: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_copy(source: Path, target: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
