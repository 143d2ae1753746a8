"""The policy library: question sets on documents other than the plan, each run on the plan plus its own
documents, scored per document and per language.

    python -m eval.library [SET_DIR ...] [--fails]

A set is a folder under eval/library/ holding its documents (any format `policybot ingest` takes), a
`questions.jsonl` and a MANIFEST.md. A question's `clauses` name `FILE:CLAUSE` (FILE is the document's file
name as delivered; the plan is `000_ea0fa33b9b77872c.txt`). The corpus of a run is a copy of corpus/ with the
set's documents ingested, indexed under index/eval-<set>/ (kept, so its embedding cache serves the next run).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

from bot.answer.verify import squeeze
from eval.answers import answer_text
from eval.run import ROOT, load_questions

LIBRARY = ROOT / "eval" / "library"
PLAN_FILE = "000_ea0fa33b9b77872c.txt"
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
NOT_DOCUMENTS = {"MANIFEST", "README"}  # a set's own notes
LANGUAGE_OF = {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}
METRICS = (
    "cited",
    "facts",
    "refusal_right",
    "false_refusal",
    "verbatim",
    "language",
    "foreign_caveat",
    "gap_contradicted",
)


def library_bot(set_dir: Path):  # type: ignore[no-untyped-def]
    """A bot over corpus/ plus the set's documents; returns it with the map FILE -> doc_id."""
    from bot.config import Settings
    from bot.corpus.store import CorpusStore
    from bot.wiring import build_bot

    work = ROOT / "index" / f"eval-{set_dir.name}"
    corpus_dir = work / "corpus"
    if corpus_dir.exists():
        shutil.rmtree(corpus_dir)
    shutil.copytree(ROOT / "corpus", corpus_dir)
    files = sorted(
        p for p in set_dir.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES and p.stem not in NOT_DOCUMENTS
    )
    documents = CorpusStore(corpus_dir).ingest(files)
    doc_ids = {path.name: document.doc_id for path, document in zip(files, documents, strict=True)}
    doc_ids[PLAN_FILE] = PLAN_FILE.removesuffix(".txt")
    settings = Settings(corpus_dir=corpus_dir, index_dir=work / "index")
    return build_bot(settings, progress=False), doc_ids


def expected(question: dict, doc_ids: dict[str, str]) -> set[tuple[str, str]]:
    found = set()
    for item in question.get("clauses", []):
        name, _, clause = item.rpartition(":")
        found.add((doc_ids.get(name, name), clause))
    return found


def documents_of(question: dict) -> list[str]:
    names = [item.rpartition(":")[0] for item in question.get("clauses", [])]
    return list(dict.fromkeys(names)) or ["(none)"]


def within(cited: set[tuple[str, str]], wanted: set[tuple[str, str]]) -> bool:
    """A citation of an expected clause, or of an item of an expected annex (annex-2.2 within annex-2)."""
    return any(
        c in wanted or (c[0], c[1].rsplit(".", 1)[0]) in wanted for c in cited if c[1].startswith("annex-")
    ) or bool(cited & wanted)


def score(question: dict, answer: dict, doc_ids: dict[str, str], bot) -> dict[str, float | None]:  # type: ignore[no-untyped-def]
    citations = answer["citations"]
    text = answer_text(answer)
    cited = {(c["doc_id"], c["clause"]) for c in citations}
    wanted = expected(question, doc_ids)
    sources = {d.doc_id: squeeze(d.text) for d in bot.corpus.documents}
    result: dict[str, float | None] = dict.fromkeys(METRICS)
    result["verbatim"] = float(all(squeeze(c["quote"]) in sources.get(c["doc_id"], "") for c in citations))
    if question["lang"] in LANGUAGE_OF:
        result["language"] = float(answer["language"] == LANGUAGE_OF[question["lang"]])
    # A standing caveat names its document; one naming a document the answer does not cite is another's.
    cited_docs = {d for d, _ in cited}
    titles = {d.doc_id: d.meta.title for d in bot.corpus.documents}
    foreign = [
        n for n in answer["notices"] for d, t in titles.items() if d not in cited_docs and t and t in n
    ]
    result["foreign_caveat"] = float(bool(foreign))
    # "Not set out" said of a kind of fact that a cited clause does set out.
    gaps = answer.get("gaps") or []
    contradicted = False
    for gap in gaps:
        for doc_id, clause_id in cited:
            document = bot.corpus.document(doc_id)
            clause = document.clause(clause_id) if document else None
            if clause is not None and any(f.kind == gap.get("kind") for f in getattr(clause, "facts", ())):
                contradicted = True
    result["gap_contradicted"] = float(contradicted)
    if question.get("abstain") and not question.get("accept_abstain"):
        result["refusal_right"] = float(answer["abstained"])
    elif question.get("accept_abstain"):
        result["refusal_right"] = float(answer["abstained"] or within(cited, wanted))
    else:
        result["cited"] = float(within(cited, wanted))
        if question.get("facts"):
            result["facts"] = float(all(re.search(f, text) for f in question["facts"]))
        result["false_refusal"] = float(answer["abstained"])
    if any(re.search(f, text) for f in question.get("forbid", [])):
        result["facts"] = 0.0
    return result


def table(title: str, buckets: dict[str, dict[str, list[float]]]) -> str:
    lines = [f"\n{title}", f"{'group':<34}" + "".join(f"{n:>17}" for n in METRICS)]
    for group, values in buckets.items():
        cells = "".join(
            f"{(sum(values[n]) / len(values[n])) if values[n] else float('nan'):>12.3f}{len(values[n]):>5}"
            for n in METRICS
        )
        lines.append(f"{group[:34]:<34}{cells}")
    return "\n".join(lines)


def run_set(set_dir: Path, show_fails: bool = False, record: Path | None = None) -> str:
    bot, doc_ids = library_bot(set_dir)
    questions = load_questions(set_dir / "questions.jsonl")
    by_lang: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    by_doc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    fails, answers = [], []
    for q in questions:
        answer = bot.ask(q["q"]).contract()
        answers.append(
            {
                "id": q["id"],
                **{k: answer[k] for k in ("answer", "abstained", "notices")},
                "citations": [[c["doc_id"], c["clause"], c["quote"]] for c in answer["citations"]],
            }
        )
        scores = score(q, answer, doc_ids, bot)
        groups = [by_lang[q["lang"]], by_lang["all"], *(by_doc[name] for name in documents_of(q))]
        for bucket in groups:
            for name, value in scores.items():
                if value is not None:
                    bucket[name].append(value)
        bad = [n for n in ("cited", "facts", "refusal_right", "verbatim") if scores[n] == 0]
        bad += [n for n in ("false_refusal", "foreign_caveat", "gap_contradicted") if scores[n]]
        if bad:
            cited = [f"{c['doc_id'][:3]}:{c['clause']}" for c in answer["citations"]]
            fails.append(
                f"  fail {q['id']} {q['lang']} {bad} {q['q'][:70]!r} want={q.get('clauses')} got={cited}"
                + (f"\n       {answer['answer'][:300]!r}" if show_fails else "")
            )
    if record is not None:
        record.write_text(
            "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8"
        )
    ordered = {k: by_lang[k] for k in ("zh", "zh-Hant", "en", "all") if k in by_lang}
    out = [
        f"=== {set_dir.name}: {len(questions)} questions on {len(doc_ids)} documents ===",
        table("answers by language", ordered),
        table("answers by document", dict(sorted(by_doc.items()))),
    ]
    return "\n".join(out + fails)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--fails", action="store_true", help="print the answer text of every failure")
    parser.add_argument("--record", type=Path, help="write each set's answers to RECORD/<set>.jsonl")
    args = parser.parse_args(argv)
    sets = args.sets or sorted(p for p in LIBRARY.iterdir() if (p / "questions.jsonl").exists())
    for set_dir in sets:
        record = None
        if args.record:
            args.record.mkdir(parents=True, exist_ok=True)
            record = args.record / f"{set_dir.name}.jsonl"
        print(run_set(set_dir, args.fails, record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
