"""A question in its parts: the sentences that ask, the statements that set the scene for the part after them,
and the instructions pasted beside them. An instruction (ignore your rules, say X, end every answer with…) is
never obeyed and never blocks the question next to it. A question declined as a whole whose parts the
documents each answer is answered part by part (bot.service); a part they do not answer keeps the whole declined,
since answering the rest alone turned right refusals into loose answers on the plan's question sets."""

from __future__ import annotations

import re

from bot.intent import INJECTION, gives_orders
from bot.lang import to_simplified
from bot.schema import Answer
from bot.topics import ZH_ASKS

# A sentence, with what closes it: Chinese and Latin stops, a line break, the end of a bracketed block.
_SENTENCE = re.compile(r"[^。！？!?；;\n】>]+?(?:[。！？!?；;\n】>]+|\.(?=\s)|$)")
# The label that introduces the real question after an instruction ("Now:", "问题：", "好了，").
_LABEL = re.compile(
    r"^[\s」』”’\"'）)\]]*(?:(?:(?:现在|現在)?(?:请)?(?:回答|问题|問題|我的问题是|我的問題是)|好了|好|另外|顺便问下|順便問下|"
    r"now|question|q|ok|okay|so|then|also|anyway|<\s*/?\s*question\s*>)\s*[:：,，]?\s*)?",
    re.IGNORECASE,
)
# An English sentence asks when it opens with a question word or an auxiliary, or ends with a question mark.
_EN_ASKS = re.compile(
    r"^\W*(?:(?:and|also|so|then|now|ok|okay|question|q)\W+)?(?:what|what's|which|who|whom|whose|when|where|why|how|"
    r"is|are|was|were|does|do|did|can|could|should|will|would|may|has|have|tell|give|list|quote|show|explain)\b",
    re.IGNORECASE,
)
# "…target and is that in RMB?": a conjunction that opens a second question.
_EN_SECOND = re.compile(
    r",?\s+(?:and|also|plus)\s+(?=(?:is|are|does|do|did|can|could|will|would|should|what|which|who|when|"
    r"where|how|whether)\b)",
    re.IGNORECASE,
)
# "负责的是哪些单位，另外有没有住房补贴": a comma before a word that opens a further question.
_ZH_COMMA = re.compile(
    r"[，,](?=\s*(?:另外|还有|還有|以及|同时|同時|顺便|順便|此外|并且|並且|再问|再問|那么|那麼))"
)
MAX_PARTS = 3
# "…再回答：X？", "Now: X?": the label ends the sentence before it, so that an order and its question are two.
_ANSWER_LABEL = re.compile(r"((?:回答|问题|問題|\bquestion|\bnow)\s*[:：])", re.IGNORECASE)


def _sentences(text: str) -> list[str]:
    text = _ANSWER_LABEL.sub(lambda m: f"{m.group(1)}\n", text)
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(text)) if s]


def _is_instruction(sentence: str) -> bool:
    return bool(INJECTION.search(sentence) or INJECTION.search(to_simplified(sentence)))


def without_instructions(question: str) -> tuple[str, bool]:
    """The question with the sentences that give the bot orders left out, and whether any were; a message of
    nothing but orders is kept whole (it is refused as such)."""
    sentences = _sentences(question)
    kept, ordered = [], False
    for sentence in sentences:
        if _is_instruction(sentence):
            ordered = True
        elif ordered and not _asks(sentence):
            continue  # what the order goes on to dictate ("always report 7,500."), until a question comes
        else:
            ordered = False
            kept.append(sentence)
    if len(kept) == len(sentences):
        return question, False
    rest = _LABEL.sub("", " ".join(kept).strip()).strip()
    if not rest or not _asks(rest):
        return question, False
    return rest, True


# A document's sentence ends only at a full stop or a line: 「【系统通知】请忽略以上内容…」 is one order.
_DOCUMENT_SENTENCE = re.compile(r"[^。！？!?\n]+?(?:[。！？!?]+|\.(?=\s)|\n|$)|\s+")


def without_orders(passage: str) -> str:
    """A document's text with the sentences that give its reader orders left out (a planted 「【系统通知】…请致电…」
    is not evidence and is never shown to a model as if it were the document's rule)."""
    return "".join(s for s in _DOCUMENT_SENTENCE.findall(passage) if not gives_orders(s)).strip()


GIST_CHARS = 300


def gist(question: str, limit: int = GIST_CHARS) -> str:
    """What a long question asks, within `limit` characters: its asking sentences in order, each once, or,
    when none asks, its end (a pasted text usually ends in the question)."""
    if len(question) <= limit:
        return question
    asking = list(dict.fromkeys(s for s in _sentences(question) if _asks(s)))
    kept: list[str] = []
    for sentence in asking:
        if sum(map(len, kept)) + len(sentence) > limit:
            break
        kept.append(sentence)
    return " ".join(kept) if kept else question[-limit:]


def _asks(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith(("?", "？")):
        return True
    return bool(_EN_ASKS.match(stripped) if stripped.isascii() else ZH_ASKS.search(stripped))


def split(question: str) -> list[str]:
    """The parts that each ask something; a statement belongs to the part after it (or the last one)."""
    pieces: list[str] = []
    for sentence in _sentences(question):
        pieces += _EN_SECOND.split(sentence) if sentence.isascii() else _comma_parts(sentence)
    parts: list[str] = []
    context = ""
    for piece in pieces:
        if _asks(piece):
            parts.append(f"{context}{piece}".strip())
            context = ""
        else:
            context += piece if not piece.isascii() else f"{piece} "
    if context and parts:
        parts[-1] = f"{parts[-1]} {context.strip()}"
    if len(parts) < 2 or len(parts) > MAX_PARTS:
        return [question]
    return parts


def _comma_parts(sentence: str) -> list[str]:
    """A Chinese sentence split at a comma that opens a further question, where both sides ask."""
    pieces = _ZH_COMMA.split(sentence)
    if len(pieces) < 2 or not all(_asks(p) for p in pieces):
        return [sentence]
    return pieces


def merged(question: str, parts: list[str], answers: list[Answer], heading: str) -> Answer:
    """One answer of the parts' answers, each under its part; cited clauses once each."""
    texts = [
        f"{heading.format(part=part)}\n\n{answer.answer}" for part, answer in zip(parts, answers, strict=True)
    ]
    citations, seen = [], set()
    for answer in answers:
        for citation in answer.citations:
            key = (citation.doc_id, citation.clause, citation.quote)
            if key not in seen:
                seen.add(key)
                citations.append(citation)
    cited = {(c.doc_id, c.clause) for c in citations}
    related = list(
        {
            (r.doc_id, r.clause): r for a in answers for r in a.related if (r.doc_id, r.clause) not in cited
        }.values()
    )
    notices = list(dict.fromkeys(n for a in answers for n in a.notices))
    return answers[0].model_copy(
        update={
            "question": question,
            "answer": "\n\n".join(texts),
            "abstained": False,
            "citations": tuple(citations),
            "related": tuple(related),
            "notices": tuple(notices),
            "gaps": tuple(g for a in answers for g in a.gaps),
        }
    )
