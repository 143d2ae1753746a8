"""Clauses and tables collected in document order, and what a title line looks like."""

from __future__ import annotations

import re

from bot.corpus.clean import Line
from bot.corpus.parse.lines import SENTENCE_END, ClauseBuilder, heading_of
from bot.corpus.parse.tables import ParsedTable
from bot.schema import Clause, Sentence, Table

MD_HEADING = re.compile(r"^#{1,6}\s+(.+)$")


def is_title(text: str) -> bool:
    if MD_HEADING.match(text):
        return True
    return len(text) <= 60 and not text.endswith(tuple(SENTENCE_END + "，,")) and heading_of(text) is None


class Collector:
    """Clauses and tables in document order, with table numbers counted across the whole document."""

    def __init__(self, doc_id: str, source: str):
        self.doc_id, self.source = doc_id, source
        self.clauses: list[Clause] = []
        self.tables: list[Table] = []
        self.problems: list[str] = []
        self.pending: list[Clause] = []  # tables met inside a clause, placed after it

    def flush(self, builder: ClauseBuilder | None) -> None:
        if builder is not None:
            clause = builder.build()
            if (
                not clause.sentences
                and clause.kind in ("measure", "article", "item", "annex")
                and not clause.title
            ):
                self.problems.append(f"clause {clause.clause} has no text")
            self.clauses.append(clause)
        self.clauses += self.pending
        self.pending = []

    def name_tables(self, positions: range, title: str) -> None:
        """Give the tables at these positions that have no title this one, in the table and its clause."""
        for n in positions:
            if self.tables[n].title or not title:
                continue
            self.tables[n] = self.tables[n].model_copy(update={"title": title})
            for clauses in (self.clauses, self.pending):
                for i, clause in enumerate(clauses):
                    if clause.clause == self.tables[n].clause:
                        clauses[i] = clause.model_copy(update={"title": title})

    def table(self, parsed: ParsedTable, head: Line, part: str | None, inside: bool) -> None:
        clause_id = f"table{len(self.tables) + 1}"
        if not parsed.rows or not parsed.complete:
            self.problems.append(
                f"{clause_id} ({parsed.title or 'untitled'}): rows could not be matched to its header"
            )
        table = Table(
            doc_id=self.doc_id, clause=clause_id, part=part, title=parsed.title, baseline_year=parsed.baseline_year,
            target_year=parsed.target_year, columns=parsed.columns, rows=tuple(parsed.rows),
            start=parsed.start, end=parsed.end,
        )  # fmt: skip
        self.tables.append(table)
        sentences = [
            Sentence(id=f"{clause_id}.0", clause=clause_id, start=head.start, end=head.end, text=head.text)
        ]
        sentences += [
            Sentence(
                id=f"{clause_id}.{n}",
                clause=clause_id,
                start=row.start,
                end=row.end,
                text=self.source[row.start : row.end],
            )
            for n, row in enumerate(parsed.rows, start=1)
        ]
        clause = Clause(
            doc_id=self.doc_id, clause=clause_id, kind="table", part=part, title=parsed.title, start=parsed.start,
            end=parsed.end, sentences=tuple(sentences), number=len(self.tables),
        )  # fmt: skip
        (self.pending if inside else self.clauses).append(clause)
