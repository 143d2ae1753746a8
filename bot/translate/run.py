"""A document's English rendition made by an LLM: its title, clause headings, sentences and responsible units
are sent in small numbered batches, each line of the reply is checked against its source (bot.translate.check)
and kept only when it passes. What fails, or never came back, is left out and reported; the rendition is
written in the curated files' format, marked machine-translated."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.answer.llm import call_with_deadline, neutralise
from bot.corpus.bilingual import GlossaryTerm
from bot.schema import Document
from bot.translate.check import Office, Verdict, check_sentence, offices_from

BATCH_LINES = 12
BATCH_CHARS = 1_500
GIVE_UP_AFTER = 3  # failed requests in a row: the backend is gone, the rest is reported as not attempted
MAX_NAMES = 24
_REPLY_LINE = re.compile(r"^\s*\[(\d+)\]\s*(.*?)\s*$")


@dataclass(frozen=True)
class Line:
    """One thing to translate: `key` says where its English goes (doc, title:<clause>, <sentence id>,
    unit:<name>)."""

    key: str
    zh: str


@dataclass
class Translation:
    """What a run kept, what it left out and why, and how it went."""

    document: Document
    model: str
    kept: dict[str, str] = field(default_factory=dict)
    left_out: list[Verdict] = field(default_factory=list)
    requests: int = 0
    failed_requests: int = 0
    stopped: str | None = None  # why the run gave up early, if it did

    @property
    def attempted(self) -> int:
        return len(self.kept) + len(self.left_out)

    def leave_out(self, lines: Sequence[Line], reason: str) -> None:
        self.left_out += [Verdict(line.key, line.zh, "", (reason,)) for line in lines]

    def left_out_records(self) -> list[dict[str, Any]]:
        return [
            {"id": v.key, "zh": v.source, "en": v.english, "reasons": list(v.reasons)} for v in self.left_out
        ]

    def rendition(self, today: dt.date) -> dict[str, Any]:
        """The rendition in the curated files' format (corpus/bilingual/en/<doc_id>.json)."""
        clauses: dict[str, dict[str, Any]] = {}
        for clause in self.document.clauses:
            entry: dict[str, Any] = {}
            if f"title:{clause.clause}" in self.kept:
                entry["title_en"] = self.kept[f"title:{clause.clause}"]
            sentences = {s.id: self.kept[s.id] for s in clause.sentences if s.id in self.kept}
            if sentences:
                entry["sentences"] = sentences
            if entry:
                clauses[clause.clause] = entry
        units = {k.removeprefix("unit:"): v for k, v in self.kept.items() if k.startswith("unit:")}
        return {
            "doc_id": self.document.doc_id,
            "title_en": self.kept.get("doc"),
            "machine_translated": {
                "model": self.model,
                "date": today.isoformat(),
                "source_sha256": self.document.meta.sha256,
                "kept": len(self.kept),
                "left_out": len(self.left_out),
            },
            "clauses": clauses,
            "units": units,
            "tables": {},
            "left_out": self.left_out_records(),
        }


def lines_of(document: Document) -> list[Line]:
    """Everything of the document that has an English in a rendition, in reading order; each text once per
    place (a clause titled by the document's own title still gets its title line)."""
    lines = [Line("doc", document.meta.title)] if document.meta.title else []
    units: dict[str, None] = {}
    for clause in document.clauses:
        if clause.title:
            lines.append(Line(f"title:{clause.clause}", clause.title))
        lines += [Line(s.id, s.text) for s in clause.sentences if s.text.strip()]
        units.update(dict.fromkeys(clause.responsible_units))
    return lines + [Line(f"unit:{name}", name) for name in units]


def batches(lines: Sequence[Line]) -> Iterator[list[Line]]:
    batch: list[Line] = []
    size = 0
    for line in lines:
        if batch and (len(batch) >= BATCH_LINES or size + len(line.zh) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(line)
        size += len(line.zh)
    if batch:
        yield batch


def parse_reply(reply: str, count: int) -> dict[int, str]:
    """`[n] text` lines of a reply, by n (1-based); what is outside that form is not a translation."""
    found: dict[int, str] = {}
    for raw in reply.splitlines():
        match = _REPLY_LINE.match(raw)
        if match and 1 <= int(match.group(1)) <= count and int(match.group(1)) not in found:
            found[int(match.group(1))] = match.group(2)
    return found


class Translator:
    """Translates a document through an OpenAI-compatible chat model; see the module docstring."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompts_dir: Path,
        timeout_s: float,
        model_name: str,
        glossary: Sequence[GlossaryTerm],
    ) -> None:
        self._chat_model = chat_model
        self._timeout_s = timeout_s
        self.model_name = model_name
        self._system = (prompts_dir / "translate.system.txt").read_text(encoding="utf-8").strip()
        self._user = (prompts_dir / "translate.user.txt").read_text(encoding="utf-8").strip()
        self._glossary = list(glossary)

    def _offices(self, doc_id: str) -> list[Office]:
        return offices_from(
            (t.zh, t.en, t.en_alt)
            for t in self._glossary
            if t.type == "institution" and t.source in ("domain", doc_id)
        )

    def _names(self, batch: Sequence[Line], doc_id: str) -> str:
        text = "".join(line.zh for line in batch)
        terms = [
            t for t in self._glossary if t.source in ("domain", doc_id) and len(t.zh) > 1 and t.zh in text
        ]
        terms.sort(key=lambda t: len(t.zh), reverse=True)
        return "\n".join(f"{t.zh} = {t.en}" for t in terms[:MAX_NAMES]) or "(none)"

    def _ask(self, document: Document, batch: Sequence[Line]) -> str:
        user = self._user.format(
            title=neutralise(document.meta.title),
            names=self._names(batch, document.doc_id),
            lines="\n".join(f"[{n}] {neutralise(line.zh)}" for n, line in enumerate(batch, start=1)),
        )
        messages = [SystemMessage(self._system), HumanMessage(user)]
        reply = call_with_deadline(self._chat_model.ainvoke(messages), self._timeout_s)
        content = getattr(reply, "content", None)
        if not isinstance(content, str):
            raise ValueError("the model returned no text")
        return content

    def translate(self, document: Document, tick: Callable[[int], None] = lambda _: None) -> Translation:
        """Every line sent, every reply line checked; `tick(n)` after each batch of n lines."""
        result = Translation(document, self.model_name)
        offices = self._offices(document.doc_id)
        failures_in_a_row = 0
        for batch in batches(lines_of(document)):
            if result.stopped:
                result.leave_out(batch, result.stopped)
                tick(len(batch))
                continue
            result.requests += 1
            try:
                reply = parse_reply(self._ask(document, batch), len(batch))
                failures_in_a_row = 0
            except Exception as exc:  # a dead, slow or malformed backend: this batch is reported, not kept
                result.failed_requests += 1
                failures_in_a_row += 1
                reason = (
                    "no reply within the time-out"
                    if isinstance(exc, TimeoutError)
                    else f"no usable reply ({type(exc).__name__})"
                )
                result.leave_out(batch, reason)
                if failures_in_a_row >= GIVE_UP_AFTER:
                    result.stopped = f"not attempted: the model failed {GIVE_UP_AFTER} requests in a row"
                tick(len(batch))
                continue
            for n, line in enumerate(batch, start=1):
                verdict = check_sentence(line.zh, reply.get(n, ""), offices, key=line.key)
                if verdict.kept:
                    result.kept[line.key] = verdict.english
                else:
                    result.left_out.append(verdict)
            tick(len(batch))
        return result


def write_rendition(path: Path, rendition: dict[str, Any]) -> None:
    from bot.corpus.store import atomic_write

    atomic_write(path, json.dumps(rendition, ensure_ascii=False, indent=1) + "\n")
