"""A turn read against the conversation before it.

The previous answer's focus is what it cited: its clause labels, read back from its text (main clause first),
with the question it answered. A follow-up leans on that focus in one of three ways:
- a reference (这条, 该措施, "that measure", it) points at the focus's main clause: the question is asked of
  that clause, named as its document names it;
- an ellipsis (那X呢, "what about X?", "and for the BRICS one?") puts X into the previous question's frame, in
  place of the topic that question asked about;
- a reference with nothing to point at (no earlier answer, no topic of its own) cannot be resolved: the bot asks
  which clause is meant.
A question that asks something of its own is read on its own, whatever came before."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.ask.words import words
from bot.corpus.bilingual import Bilingual
from bot.corpus.labels import place_en, place_zh
from bot.intent import REFERENCE, Intent, clause_references, read_intent
from bot.lang import detect_script, english_tokens, to_simplified
from bot.parts import without_instructions
from bot.schema import Corpus
from bot.topics import ASKS, EN_ASPECTS, ClauseKey, Labels, is_aspect, topic_words

MAX_HISTORY_TURNS = 6
# The clauses an earlier question's answer cites, when its text names none (an LLM's or a client's summary).
Reanswer = Callable[[str, list[dict]], tuple[ClauseKey, ...]]

_OPENERS = sorted(words("ellipsis_openers"), key=len, reverse=True)
_OPENER = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(o) + (r"\b" if o[-1].isascii() else "") for o in _OPENERS)
    + r")[\s,，:：]*",
    re.IGNORECASE,
)
_CLOSER = re.compile(r"(?:的)?呢?\s*[?？.。!！]*\s*$")
_EN_LEAD = re.compile(
    r"^(?:(?:for|in|about|on|with|regarding|under|to)\s+)?(?:the\s+)?"
    r"(?:(?:section|part|measure|clause|item|article|one|bit|rules?)\s+(?:on|about|for|of|regarding)\s+(?:the\s+)?)?",
    re.IGNORECASE,
)
_EN_ONE = re.compile(r"\s+(?:one|ones|case)$", re.IGNORECASE)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_JOINERS = re.compile(r"^(?:\s|的|和|与|與|及|、|\band\b|\bof\b|\bfor\b)*$", re.IGNORECASE)


@dataclass(frozen=True)
class Focus:
    question: str  # the previous question, as it was resolved
    answer: str  # the previous answer's text
    clauses: tuple[ClauseKey, ...]  # what it cited, main clause first
    topic: str = ""  # what an ellipsis put into that question, if it was one


@dataclass(frozen=True)
class Turn:
    text: str  # what is retrieved and answered
    documents: tuple[str, ...] = ()  # the documents the conversation is about
    clause: ClauseKey | None = None  # the clause a reference points at
    unresolved: bool = False  # a reference with nothing to point at
    topic: str = ""  # what an ellipsis put into the previous question's frame


class Conversation:
    def __init__(
        self,
        corpus: Corpus,
        labels: Labels,
        bilingual: Bilingual,
        chinese_for: Callable[[str], list[str]] = lambda _: [],
    ):
        # The documents' Chinese for an English word (glossary, dictionary bridge): "Brazil" was answered by 巴西.
        self.chinese_for = chinese_for
        self.corpus = corpus
        self.labels = labels
        self.bilingual = bilingual
        self._titles = sorted(
            {to_simplified(c.title) for d in corpus.documents for c in d.clauses if len(c.title) >= 4},
            key=len,
        )

    def read(
        self,
        question: str,
        history: Sequence[dict] | None,
        reanswer: Reanswer | None = None,
        intent: Intent | None = None,
    ) -> Turn:
        """How the question is to be read after this history (`intent`: the question's, if already read)."""
        intent = intent or read_intent(question)
        simplified = to_simplified(question)
        names_place = bool(clause_references(question))
        refers = intent.reference and not names_place
        if not history and not refers:
            return Turn(text=question)  # the usual question: nothing to lean on, nothing pointed at
        own = topic_words(REFERENCE.sub(" ", simplified) if refers else simplified) or self._titles_in(
            simplified
        )
        leans = refers or intent.follow_up or not own
        focus = self.focus(list(history or ()), reanswer) if history and leans else None
        main = focus.clauses[0] if focus is not None and focus.clauses else None
        if main is None:
            # "Who is responsible for it?" with nothing before it: which clause is meant is asked back.
            return Turn(text=question, unresolved=refers and not own)
        assert focus is not None
        if (refers or not own) and not names_place:
            if own and not self._mentions(main, own, focus.answer):
                return Turn(text=question)  # "我是说金鸡百花电影节那条": the clause of that, not the last one
            return self._referred(question, main, focus)
        documents = (main[0],)
        if not intent.follow_up:
            return Turn(text=question)
        topic = _bare_topic(question)
        if ASKS.search(topic):
            return Turn(text=question, documents=documents)  # "那台湾企业有什么支持？" asks on its own
        return Turn(text=self._reframed(focus, topic), documents=documents, topic=topic)

    def _titles_in(self, simplified: str) -> list[str]:
        """Clause titles the question names ("落实条件保障这一条…"): a clause named by its title is no reference."""
        return [t for t in self._titles if t in simplified]

    def focus(self, history: list[dict], reanswer: Reanswer | None) -> Focus | None:
        turns = history[-2 * MAX_HISTORY_TURNS :]
        asked = [i for i, turn in enumerate(turns) if turn.get("role") == "user" and _content(turn)]
        if not asked:
            return None
        last = asked[-1]
        question = without_instructions(_content(turns[last]))[0]
        answer = next((_content(t) for t in turns[last + 1 :] if t.get("role") == "assistant"), "")
        earlier = turns[:last]
        cited = self.labels.cited(answer)
        if not cited and reanswer is not None:
            cited = reanswer(question, earlier)
        resolved = self.read(question, earlier) if earlier else Turn(text=question)
        return Focus(question=resolved.text, answer=answer, clauses=cited, topic=resolved.topic)

    def _mentions(self, key: ClauseKey, words: list[str], answer: str) -> bool:
        """Whether the clause (or the answer that cited it) has every topic word of the question."""
        document = self.corpus.document(key[0])
        clause = document.clause(key[1]) if document else None
        if clause is None:
            return False
        rendition = self.bilingual.rendition(key[0])
        sentences = [s.id for s in clause.sentences]
        english = " ".join(
            t for t in (rendition.titles.get(key[1]), rendition.clause_text(key[1], sentences)) if t
        )
        zh = to_simplified(f"{clause.title}{clause.text}{answer}")
        en = set(english_tokens(f"{english} {answer}"))
        return all(w in en if w.isascii() else w in zh for w in words)

    def _referred(self, question: str, key: ClauseKey, focus: Focus) -> Turn:
        """The question asked of the clause pointed at, named as its document names it (四、(十六), Article 5)."""
        document = self.corpus.document(key[0])
        clause = document.clause(key[1]) if document else None
        if document is None or clause is None:
            return Turn(text=question)
        english = detect_script(question) == "en"
        name = place_en(document, clause) if english else place_zh(document, clause)
        # The cues are written in Simplified characters; the Traditional question is read in them too.
        asked = question if english else to_simplified(question)
        if REFERENCE.search(asked):
            text = REFERENCE.sub(lambda _: f" {name} " if english else name, asked, count=1)
        else:
            text = f"{name} {_OPENER.sub('', asked)}"
        if clause.kind == "table":
            # A table's rows are its parts: the row the previous question asked about is still meant.
            text = f"{text} {' '.join(self._topic_spans(focus))}"
        return Turn(text=re.sub(r"\s{2,}", " ", text).strip(), documents=(key[0],), clause=key)

    def _topic_spans(self, focus: Focus) -> list[str]:
        """The words of the previous question that its answer was about."""
        return [focus.question[a:b] for a, b in self._answered_spans(focus)]

    def _answered_spans(self, focus: Focus) -> list[tuple[int, int]]:
        """Where the previous question names what its answer was about."""
        frame = focus.question
        # Words of the document's own name say which document, not what was asked of it ("the BRICS measures").
        title = self._document_title(focus)
        if detect_script(frame) == "en":
            answered = set(english_tokens(focus.answer))
            answered_zh = to_simplified(focus.answer)
            named = set(english_tokens(title))

            def in_answer(word: str) -> bool:
                stems = [t for t in english_tokens(word) if "-" not in t]
                if not stems or any(s in EN_ASPECTS or s in named for s in stems):
                    return False
                chinese = self.chinese_for(word)
                if any(z in title for z in chinese):
                    return False
                return all(s in answered for s in stems) or any(z in answered_zh for z in chinese)

            return [(m.start(), m.end()) for m in _EN_WORD.finditer(frame) if in_answer(m.group(0))]
        import jieba

        answered_zh = to_simplified(focus.answer)
        spans, position = [], 0
        for token in jieba.cut(frame):
            start, position = position, position + len(token)
            simplified = to_simplified(token)
            if (
                len(token) >= 2
                and simplified in answered_zh
                and simplified not in title
                and not is_aspect(simplified)
                and not ASKS.search(token)
            ) or (token.isascii() and token.strip() and token.lower() in focus.answer.lower()):
                spans.append((start, position))
        return spans

    def _document_title(self, focus: Focus) -> str:
        document = self.corpus.document(focus.clauses[0][0]) if focus.clauses else None
        if document is None:
            return ""
        english = self.bilingual.rendition(document.doc_id).document_title or document.meta.title_en or ""
        return f"{to_simplified(document.meta.title)} {english}"

    def _reframed(self, focus: Focus, topic: str) -> str:
        """The previous question with its topic (what its answer was about, or what the ellipsis before put
        in) replaced by the new one."""
        frame = focus.question
        if not topic:
            return frame
        if focus.topic and focus.topic in frame:
            return frame.replace(focus.topic, topic, 1)  # "那实用新型呢" after "那外观设计呢"
        run = _first_run(frame, self._answered_spans(focus), topic)
        if run is None:
            return f"{frame} {topic}"
        start, end = run
        return f"{frame[:start]}{topic}{frame[end:]}"


def _content(turn: dict) -> str:
    content = turn.get("content", "")
    return content if isinstance(content, str) else ""


def _bare_topic(question: str) -> str:
    """那马德里商标呢 -> 马德里商标; "And for the BRICS one?" -> BRICS."""
    text = _CLOSER.sub("", _OPENER.sub("", question.strip()))
    if detect_script(text) == "en":
        text = _EN_ONE.sub("", _EN_LEAD.sub("", text.strip()))
    return text.strip(" ,，")


def _first_run(frame: str, spans: list[tuple[int, int]], topic: str = "") -> tuple[int, int] | None:
    """The stretch of topic words to replace, joined by nothing but 的/和/spaces ("overseas rights protection"):
    the first, or for a name ("and India?") the first that is a name too."""
    runs: list[tuple[int, int]] = []
    for start, end in spans:
        if runs and _JOINERS.match(frame[runs[-1][1] : start]):
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    if not runs:
        return None
    if topic[:1].isupper():
        return next((r for r in runs if frame[r[0]].isupper()), runs[0])
    return runs[0]
