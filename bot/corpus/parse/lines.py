"""What a line of a Chinese official document is (a chapter, an article, a part, an item, an annex), its
sentences with offsets into the source, and the clause a run of lines becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.clean import Line
from bot.corpus.parse.numerals import CN_NUM, cn_to_int
from bot.corpus.parse.units import UNITS_BRACKET, roles_of
from bot.corpus.references import references_in
from bot.schema import Clause, ClauseKind, Sentence, UnitRole

_NUM = rf"(?:{CN_NUM}|\d+)"
PATTERNS: dict[str, re.Pattern[str]] = {
    "chapter": re.compile(rf"^第\s*({_NUM})\s*章(?:[\s　:：]+|(?=\S)|$)(.*)$"),
    "section": re.compile(rf"^第\s*({_NUM})\s*节(?:[\s　:：]+|(?=\S)|$)(.*)$"),
    # 第三条 / 第三条　… / 第三条… (a cross-reference such as 第三条规定的 starts no line of a document)
    "article": re.compile(rf"^第\s*({_NUM})\s*条(?![规所之中的和、，,])(?:[\s　:：]+|(?=\S)|$)(.*)$"),
    "part": re.compile(rf"^({CN_NUM})\s*[、．.]\s*(.*)$"),
    "item": re.compile(rf"^[(（]\s*({CN_NUM})\s*[)）]\s*(.*)$"),
    "arabic": re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$"),
    "annex": re.compile(rf"^附\s*件\s*({_NUM})?\s*[:：]?\s*(.{{0,40}})$"),
}
SENTENCE_END = "。！？；!?;"
_CLOSERS = "”’」』)）〕】"
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True)
class Heading:
    kind: str
    number: int
    rest: str  # the text after the numbering: a title, a body, or both


def heading_of(text: str) -> Heading | None:
    """The numbering a line opens with, if any (the first kind that matches, in the order above)."""
    for kind, pattern in PATTERNS.items():
        match = pattern.match(text)
        if not match:
            continue
        if kind == "annex":
            rest = match.group(2).strip()
            # "附件：1.申报表" in a notice lists attachments; an annex opens with 附件 and at most a short title.
            if rest.endswith(tuple(SENTENCE_END)) or re.match(r"^\d", rest):
                return None
            return Heading("annex", cn_to_int(match.group(1)) if match.group(1) else 0, rest)
        if kind == "part" and not match.group(2).strip():
            continue
        return Heading(kind, cn_to_int(match.group(1)), match.group(2).strip())
    return None


def sentences_of(clause: str, line: Line, first_index: int, paragraph: int = 1) -> list[Sentence]:
    """Split one line into sentences at 。！？； keeping closing quotes, with offsets into the source."""
    out: list[Sentence] = []
    text, cursor, i = line.text, 0, 0
    while i < len(text):
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < len(text) and text[j] in _CLOSERS:
                j += 1
            out.append(_sentence(clause, line, cursor, j, first_index + len(out), paragraph))
            cursor, i = j, j
        else:
            i += 1
    if text[cursor:].strip():
        out.append(_sentence(clause, line, cursor, len(text), first_index + len(out), paragraph))
    return out


def _sentence(clause: str, line: Line, a: int, b: int, index: int, paragraph: int) -> Sentence:
    piece = line.text[a:b]
    left = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    start = line.start + a + left
    return Sentence(
        id=f"{clause}.{index}",
        clause=clause,
        start=start,
        end=start + len(piece),
        text=piece,
        paragraph=paragraph,
    )


def split_heading(text: str, limit: int = 30) -> tuple[str, str | None]:
    """'指导思想' stays a title; '指导思想。坚持……' is a title followed by body text on the same line."""
    for stop in "。：:":
        position = text.find(stop)
        # 1:1 is a ratio, not a heading's end.
        while 0 < position < len(text) - 1 and text[position - 1].isdigit() and text[position + 1].isdigit():
            position = text.find(stop, position + 1)
        if 0 < position <= limit and position < len(text) - 1:
            return text[:position].strip(), text[position + 1 :].strip()
    return text.strip(), None


# An article's own heading is a short phrase before its first full stop (第三条　发明专利创造奖励。对…); a
# document either heads its articles that way or not, so structure.py asks whether most of its articles do.
_NOT_HEADING = re.compile(
    r"[，,、；;：:“”《》()（）]|^(?:本|为|对|在|凡|各|由|经|自|有|依|根据|按照|申请|除)"
)


def article_heading(body: str) -> tuple[str | None, str]:
    position = body.find("。")
    head = body[:position] if position > 0 else ""
    if 2 <= len(head) <= 16 and not _NOT_HEADING.search(head) and position < len(body) - 1:
        return head, body[position + 1 :].lstrip()
    return None, body


def item_heading(rest: str) -> tuple[str | None, str | None]:
    """An item's heading and body: '指导思想' (a heading, its body on the next lines), '发明专利授权资助。台资企业…'
    (both), '审核程序。' (a heading), '专利证书等复印件；' or '本细则由市局负责解释。' (a body only)."""
    heading, body = split_heading(rest)
    if body is not None:
        return (heading, body) if not re.search(r"[，,；;]", heading) else (None, rest)
    stripped = rest.rstrip("。")
    if rest.endswith("。") and len(stripped) <= 15 and not _NOT_HEADING.search(stripped):
        return stripped, None
    if rest.endswith(tuple(SENTENCE_END)) or re.search(r"[，,；;]", rest):
        return None, rest
    return rest.strip(), None


class ClauseBuilder:
    """Accumulates lines into a clause; units and references are read off the body when it is finished."""

    def __init__(
        self,
        doc_id: str,
        clause: str,
        kind: ClauseKind,
        title: str,
        head: Line,
        part: str | None = None,
        number: int | None = None,
        heading: str | None = None,
        annex: str | None = None,
    ):
        self.doc_id, self.clause, self.kind, self.title, self.part = doc_id, clause, kind, title, part
        self.number, self.heading, self.annex = number, heading, annex
        self.start, self.end = head.start, head.end
        self.sentences: list[Sentence] = []
        self.roles: list[UnitRole] = []
        self.units_text: str | None = None
        self.paragraph = 0

    def add(self, line: Line, new_paragraph: bool = True) -> None:
        if new_paragraph:
            self.paragraph += 1
        self.end = max(self.end, line.end)
        match = UNITS_BRACKET.search(line.text)
        if match and self.kind in ("measure", "article", "paragraph", "part"):
            units_start = match.start()
            self.units_text = line.text[units_start:]
            self.roles = roles_of(match.group(1))
            line = Line(line.start, line.start + units_start, line.text[:units_start].rstrip())
            if not line.text:
                return
        self.sentences.extend(
            sentences_of(self.clause, line, len(self.sentences) + 1, max(self.paragraph, 1))
        )

    def build(self) -> Clause:
        texts = [self.title, *(s.text for s in self.sentences)]
        return Clause(
            doc_id=self.doc_id,
            clause=self.clause,
            kind=self.kind,
            part=self.part,
            title=self.title,
            start=self.start,
            end=self.end,
            sentences=tuple(self.sentences),
            responsible_units=tuple(dict.fromkeys(r.name for r in self.roles)),
            units_text=self.units_text,
            references=tuple(references_in(texts)),
            number=self.number,
            heading=self.heading,
            annex=self.annex,
            unit_roles=tuple(self.roles),
        )
