"""Does the corpus answer the question? Decided from evidence: how much of the question's vocabulary the
indexed documents contain at all, and whether the very thing asked for occurs in them, not from a list of
topics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.lang import chinese_tokens, english_tokens
from bot.retrieve import Query
from bot.schema import Clause

_HAN = re.compile(r"[\u4e00-\u9fff]")

_CONTACT_DETAIL = re.compile(r"\d{3,4}-\d{7,8}|1[3-9]\d[- ]?\d{4}[- ]?\d{4}|[\w.]+@[\w.]+\.\w+|电话[:：]")

# What a question asks for sits next to its question word: 利率是多少, 年费怎么计算, 办哪些证件, 多少官费,
# "what is the deadline for", "how do I get a visa". If that very thing never occurs in the documents,
# the documents cannot answer, however well the rest of the question matches.
_ZH_ASKING = frozenset(
    [
        "多少",
        "多少钱",
        "多久",
        "多长时间",
        "什么时候",
        "哪天",
        "哪一天",
        "几号",
        "怎么",
        "怎么样",
        "如何",
        "什么",
        "哪些",
        "哪种",
        "哪",
    ]
)
_ZH_LINKING = frozenset(
    [
        "是",
        "为",
        "有",
        "大概",
        "大约",
        "具体",
        "一般",
        "的",
        "会",
        "要",
        "需要",
        "交",
        "缴",
        "缴纳",
        "支付",
        "付",
    ]
)
_ZH_WHICH = frozenset(["什么", "哪些", "哪种"])
_AMOUNT_NOUN_ENDINGS = frozenset("费额率价税")
_PLACE_SETTING_AFTER = frozenset("的对對市省有怎如政跟和与與比、")
# Words jieba tags as places that name a relation, not somewhere else: 回国创业, 在大陆, 全国.
_NOT_PLACES = frozenset(
    [
        "回国",
        "出国",
        "归国",
        "全国",
        "本国",
        "外国",
        "各国",
        "国外",
        "国内",
        "海外",
        "境外",
        "境内",
        "两岸",
        "大陆",
        "内地",
        "本地",
    ]
)
# 比深圳, 跟上海相比: a place the question compares with is a setting of its own.
_PLACE_COMPARED_AFTER = frozenset(["比", "跟", "和", "与", "與", "同", "对比", "對比", "相比"])
# Words before a place that make it an object, not the question's setting: where goods go (出口到巴西), or a
# place checked against one of the documents' own lists (是不是包括井冈山).
_PLACE_OBJECT_BEFORE = frozenset(
    [
        "到",
        "去",
        "往",
        "至",
        "向",
        "销往",
        "銷往",
        "出口到",
        "进入",
        "進入",
        "包括",
        "包含",
        "包不包括",
        "有没有",
        "有沒有",
    ]
)
# jieba tags of words that name a thing: nouns, idioms and fixed phrases, words it does not know.
_ZH_NOMINAL = ("n", "i", "l", "x")
_EN_FOCUS = [
    re.compile(
        r"\bwhat(?:'s| is| are| was)? the ((?:[a-z-]+ ){0,5}?[a-z-]+) (?:of|for|to|in|at|on)\b", re.IGNORECASE
    ),
    re.compile(r"\b(?:get|obtain|apply for|receive) (?:an? |the )?((?:[a-z-]+ )?[a-z-]+)", re.IGNORECASE),
    # "what does the plan say about cryptocurrency patents", "does it cover plant variety rights"
    re.compile(
        r"\b(?:say|says|said|mention|mentions|cover|covers|address|addresses)(?: anything)? "
        r"(?:about |on |regarding |concerning )?(?:the |an? )?((?:[a-z-]+ ){0,3}[a-z-]+)\s*[?？.]?$",
        re.IGNORECASE,
    ),
    # "what tax breaks do IP-intensive firms get"
    re.compile(
        r"\bwhat ((?:[a-z-]+ ){0,2}[a-z-]+) (?:do|does|can|will|would) (?:[a-z-]+ ){1,4}(?:get|receive|enjoy|obtain)\b",
        re.IGNORECASE,
    ),
    # "what visa or work-permit options exist", "which filing requirements apply"
    re.compile(
        r"\b(?:what|which) ((?:[a-z-]+ ){0,3}?[a-z-]+) (?:options|requirements|procedures?|steps|forms) "
        r"(?:exist|are|apply|do|does|must|should)\b",
        re.IGNORECASE,
    ),
]
_MIXED_TOPIC = re.compile(
    r"(?<![A-Za-z])([A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*)+) ?(?:的)?(?:有什么|有什麼|有哪些|是什么|是什麼|怎么|怎麼|如何)"
)
# A name the documents never use, in a place that makes it the question's subject or setting: "Shanghai's
# rules", "an agreement with Japan", "what penalties does Singapore impose".
_EN_ELSEWHERE = re.compile(
    r"\b([A-Z][A-Za-z]{2,})(?:'s|’s)|\b(?:in|with|from|than|versus|vs\.?|compared (?:to|with)) (?:the )?([A-Z][A-Za-z]{2,})\b|"
    r"\b(?:does|do|did) (?:the )?([A-Z][A-Za-z]{2,})\b"
)
# A capitalised name of several words ("Patent Prosecution Highway"): a programme or body of its own.
_EN_PROPER_PHRASE = re.compile(r"(?<!^)(?<![.?!] )\b((?:[A-Z][a-z]+ ){1,4}[A-Z][a-z]+)\b")

# English words that carry the asking, not the topic ("is customs actually named anywhere"): a question is not
# unanswerable because the documents never say "actually".
_EN_FILLER = frozenset(
    english_tokens(
        "actually anywhere really also just only even ever still exactly specifically basically currently "
        "literally named name mention mentioned listed somewhere something anything everything thing things "
        "stuff kind sort please thanks thank wondering wonder curious quick question"
    )
)
# English words that name an aspect rather than a thing (the role of, the purpose of, the main …).
_EN_GENERIC_FOCUS = frozenset(
    [
        "main",
        "key",
        "overall",
        "specific",
        "exact",
        "current",
        "new",
        "role",
        "purpose",
        "goal",
        "aim",
        "content",
    ]
)
# Words that name a measure of something rather than a thing: questions about table 1 and about measures
# use them without their being words of the plan itself.
_GENERIC_FOCUS = frozenset(
    [
        "人数",
        "数量",
        "数目",
        "个数",
        "家数",
        "总数",
        "规模",
        "目标",
        "情况",
        "内容",
        "安排",
        "措施",
        "政策",
        "规定",
        "要求",
        "作用",
        "意义",
        "办法",
        "部门",
        "单位",
        "机构",
        "目的",
        "支持",
        "帮助",
        "优惠",
        "条件",
        "方式",
        "方面",
        "重点",
        "任务",
        "计划",
        "成效",
        "结果",
        "举措",
        "具体",
        "预期",
        "效果",
        "水平",
        "指标",
        "基数",
        "数值",
        "数字",
        "时候",
        "东西",
        "事情",
        "问题",
        "地方",
        "部分",
        "领域",
        "行业",
        "企业",
        "公司",
        "条文",
        "条款",
        "文件",
        "上位",
        "依据",
        "补助金",
        "资金",
        "好处",
        "帮忙",
        "鼓励",
        "扶持",
        "东西",
        "原文",
        "标题",
        "题目",
        "全文",
        "第几条",
        "说法",
        "角色",
        "牌子",
        "名称",
        "名字",
        "意思",
        "含义",
        "定位",
        "地位",
        "解释",
        "表述",
        "说明",
        "目标值",
        "预期值",
        "基期值",
        "期末值",
        "时间",
        "服务",
        "保护",
        "合作",
        "关系",
        "打算",
        "局处",
        "口径",
        "年份",
        "年度",
        "对象",
        "范围",
        "做法",
        "手段",
        "途径",
        "方法",
        "路径",
        "抓手",
        "原话",
        "原句",
        "态度",
        "立场",
        # Kinds of a thing asked for ("哪些类型的知识产权", 作法 as Taiwan writes 做法): the answer names them.
        "作法",
        "类型",
        "种类",
        "类别",
        "形式",
        # The documents name rights by their kind (所有权、长期使用权, 知识产权), never by the word 权利.
        "权利",
        "处室",
        "科室",
        "机关",
        "部会",
        "基期",
        "基期年",
        "目标年",
        "考虑",
        "想法",
        "思路",
        "部署",
        "方向",
        "动作",
    ]
)
# Months and days name a time, not a place or body the question is set in ("from January 2022").
_EN_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)


# Which way a claim says something moves: "要大幅提高专利授权资助" against the clause's "逐步减少专利授权资助".
_MOVES = re.compile(
    r"(提高|增加|加大|扩大|上调|增长|翻倍|减少|降低|削减|下调|压减|缩减|取消)(?:了)?([\u4e00-\u9fff]{2,12})"
)
_UP = frozenset(["提高", "增加", "加大", "扩大", "上调", "增长", "翻倍"])
_EN_MOVES = re.compile(
    r"\b(?:(?P<up>increas|rais|boost|expand|doubl|enlarg)|(?P<down>reduc|cut|lower|decreas|scrap|abolish|phas\w* out))"
    r"\w*((?:\s+[\w-]+){1,6})",
    re.IGNORECASE,
)


def _misspelt_generic(word: str) -> bool:
    """预其值 for 预期值: one character off a generic word of three or more."""
    return len(word) >= 3 and any(
        len(g) == len(word) and sum(a != b for a, b in zip(g, word, strict=True)) == 1 for g in _GENERIC_FOCUS
    )


def contradicts(claim: Query, clause: Clause, clause_en: str = "") -> bool:
    """Does the clause move the thing the claim names the other way (the claim raises what it reduces)?"""
    for verb, thing in _MOVES.findall(claim.zh_text):
        for stated_verb, stated_thing in _MOVES.findall(clause.text):
            if (verb in _UP) != (stated_verb in _UP):
                match = SequenceMatcher(None, thing, stated_thing).find_longest_match(
                    0, len(thing), 0, len(stated_thing)
                )
                if match.size >= 4:
                    return True
    if claim.zh_text or not clause_en:
        return False
    for moved in _EN_MOVES.finditer(claim.text):
        for stated in _EN_MOVES.finditer(clause_en):
            if bool(moved.group("up")) != bool(stated.group("up")):
                shared = set(english_tokens(moved.group(3))) & set(english_tokens(stated.group(3)))
                if len(shared) >= 2:
                    return True
    return False


_INTRODUCTION = re.compile(
    r"^\s*(?:您好|你好|hi|hello)?\W*(?:我们|我們|我|本公司|我司|本会|本會|敝公司)(?:是|在|来自|來自|位于|位於)|"
    r"^\s*(?:hi|hello)?\W*(?:we|i)(?:'re| are| am)\b|^\s*our [a-z]+(?: [a-z]+)? (?:is|are) (?:based |located )?in\b|"
    r"^\s*we represent\b",
    re.IGNORECASE,
)
_PARTS = re.compile(r"[，,。；;？?！!]")
# The words that make a part of a question the asking part.
_ASKING = re.compile(
    r"多少|几|幾|什么|什麼|哪|怎么|怎麼|如何|吗|嗎|是否|有没有|有沒有|能否|可否|多久|多长|多長"
)
_CLAUSES = re.compile(r"[^。！？!?；;，,.]+[。！？!?；;，,.]?")


def _without_introduction(text: str) -> str:
    """The question without the clauses that say who is asking."""
    kept = [c for c in _CLAUSES.findall(text) if not _INTRODUCTION.search(c)]
    return "".join(kept) if kept else text


@dataclass(frozen=True)
class Coverage:
    content_tokens: int
    missing: tuple[str, ...]
    elsewhere: bool = False
    recognised: int = 1  # words of any kind the tokenisers recognised (0: gibberish, emoji, other scripts)
    absent_focus: tuple[str, ...] = ()  # what the question asks for, where the documents never mention it
    # Words absent from the documents in the very part of the question that asks ("软件著作权登记有没有补贴",
    # "要缴多少保证金"): an amount, fee or time limit of that thing cannot be answered by another thing's.
    asked_missing: tuple[str, ...] = ()

    @property
    def ratio_missing(self) -> float:
        return len(self.missing) / self.content_tokens if self.content_tokens else 0.0

    @property
    def unanswerable(self) -> bool:
        """Nothing the question asks about occurs in the corpus, or most of its salient terms are absent."""
        if self.absent_focus or self.recognised == 0 or self.elsewhere:
            return True
        if self.content_tokens and len(self.missing) == self.content_tokens:
            return True
        return len(self.missing) >= 2 and self.ratio_missing >= 0.6


class Vocabulary:
    def __init__(
        self,
        zh_tokens: set[str],
        en_tokens: set[str],
        zh_text: str,
        en_text: str = "",
        en_terms: list[str] | tuple[str, ...] = (),
        local_places: list[str] | tuple[str, ...] = (),
    ):
        self.zh = zh_tokens
        # Districts of the documents' own city (思明区, Huli): where a question is set, but not elsewhere.
        self.local = {p.lower() for p in local_places}
        self.en = en_tokens
        self.zh_text = zh_text
        self.en_words = set(re.findall(r"[a-z]+", en_text.lower()))
        # Every English phrase the documents or the glossary use, as a stream of stems, one phrase per line.
        self.en_stream = "\n".join(" ".join(english_tokens(text)) for text in [en_text, *en_terms])
        self.has_contacts = bool(_CONTACT_DETAIL.search(zh_text))

    def coverage(self, query: Query) -> Coverage:
        import jieba.posseg as pseg

        tagged = [(pair.word, pair.flag) for pair in pseg.cut(query.zh_text)] if query.zh_text else []
        zh_content = [t for t in chinese_tokens(query.zh_text) if len(t) >= 2] if query.zh_text else []
        # Who is asking ("我是澳门投资者", "our association is in Kinmen") is not what is asked: its words count
        # neither as the question's setting nor as its missing topics.
        asked_zh, asked_text = _without_introduction(query.zh_text), _without_introduction(query.text)
        setting = (
            [(pair.word, pair.flag) for pair in pseg.cut(asked_zh)] if asked_zh != query.zh_text else tagged
        )
        nouns = {
            w
            for w, flag in setting
            if len(w) >= 2 and (flag.startswith("n") and flag != "nr" or flag == "x" and _HAN.match(w))
        }
        # A place the documents never mention (深圳, 杭州, 高雄) means the question is about somewhere else.
        # Where the place is the question's setting (深圳的…, 上海知识产权保护中心), not where goods go
        # (出口到巴西，金砖国家的…).
        places = [
            w
            for i, (w, flag) in enumerate(setting)
            if flag == "ns"
            and len(w) >= 2
            and w not in _NOT_PLACES
            and w not in self.zh_text
            and w not in _GENERIC_FOCUS
            and w.lower() not in self.local
            and not (i > 0 and setting[i - 1][0] in _PLACE_OBJECT_BEFORE)
            and self._setting(setting, i)
        ]
        names = [
            name
            for match in _EN_ELSEWHERE.finditer(asked_text)
            for name in match.groups()
            if name
            and name.lower() not in self.en_words
            and name.lower() not in _EN_CALENDAR
            and name.lower() not in self.local
        ]
        names += [
            phrase
            for phrase in _EN_PROPER_PHRASE.findall(asked_text)
            if sum(word.lower() not in self.en_words for word in phrase.split()) >= 2
            and phrase.split()[0].lower() not in self.local
        ]
        if places or names:
            return Coverage(content_tokens=len(nouns) or 1, missing=tuple(places + names), elsewhere=True)
        covered_zh = [t for t in zh_content if t in self.zh or t in self.zh_text]
        missing = [w for w in nouns if w not in self.zh and w not in self.zh_text]
        en_content = [t for t in query.en_tokens if t not in _EN_FILLER]
        en_missing = [t for t in en_content if t not in self.en]
        known_nothing = not covered_zh and not query.translated_terms and len(en_missing) == len(en_content)
        if zh_content and known_nothing:
            return Coverage(len(zh_content) + len(en_content), tuple(zh_content) + tuple(en_missing))
        asking = [p for p in _PARTS.split(asked_zh) if _ASKING.search(p)]
        return Coverage(
            content_tokens=len(nouns) + len(en_content) + len(query.translated_terms),
            missing=tuple(missing) + tuple(en_missing),
            recognised=len(zh_content) + len(query.en_tokens) + len(query.translated_terms),
            absent_focus=tuple(self.absent_focus(query, tagged)),
            asked_missing=tuple(
                w
                for w in missing
                if any(w in p for p in asking) and self._absent(w) and not self._loosely_present(w)
            ),
        )

    def _loosely_present(self, word: str) -> bool:
        """A word the documents write with a character or two between (律师费 for 律师代理费)."""
        if len(word) < 3:
            return False
        return bool(re.search(".{0,2}".join(map(re.escape, word)), self.zh_text))

    @staticmethod
    def _setting(tagged: list[tuple[str, str]], i: int) -> bool:
        """Is the place at `i` where the question is set: 深圳的…, 杭州对…, 在上海…, 上海知识产权保护中心?"""
        if i > 0 and tagged[i - 1][0] in ("在", "於", "于", *_PLACE_COMPARED_AFTER):
            return True
        if i + 1 >= len(tagged):
            return False
        word, flag = tagged[i + 1]
        # 福州现在…, 深圳目前…: a place with a time is where the state of affairs asked about is.
        return word[:1] in _PLACE_SETTING_AFTER or (flag[:1] in ("n", "x", "t") and bool(_HAN.match(word)))

    def absent_focus(self, query: Query, tagged: list[tuple[str, str]]) -> list[str]:
        """`tagged`: the question's words with their part-of-speech flags (jieba.posseg)."""
        absent: list[str] = []
        words: list[tuple[str, str]] = []
        for w, f in tagged:  # jieba sometimes splits 什么时候 in two
            if w == "时候" and words and words[-1][0] == "什么":
                words[-1] = ("什么时候", "r")
            elif w.strip():
                # Punctuation ends a phrase: the thing asked for never lies across it (有哪些？全部列出).
                words.append((w, f) if re.search(r"\w", w) else ("", "w"))
        for i, (word, _) in enumerate(words):
            if word not in _ZH_ASKING:
                continue
            position, before = next(
                ((j, words[j]) for j in range(i - 1, -1, -1) if words[j][0] not in _ZH_LINKING), (-1, None)
            )
            if before is not None and not before[0]:
                before = None
            after = words[i + 1] if i + 1 < len(words) and words[i + 1][0] else None
            # 多少个工作日, 几天: what is counted follows the measure word.
            if word in ("多少", "几") and after is not None and after[1] in ("q", "m") and i + 2 < len(words):
                counted = words[i + 2]
                if counted[0] and counted[1][:1] in _ZH_NOMINAL and self._absent(counted[0]):
                    absent.append(counted[0])
            # 要缴多少保证金: the thing whose amount is asked follows 多少 directly.
            elif (
                word == "多少"
                and after is not None
                and after[1][:1] in _ZH_NOMINAL
                and self._absent(after[0])
            ):
                absent.append(after[0])
            # "X有什么Y": Y is asked for and X is only the subject; "X是多少", "X怎么算": X is asked for.
            asks_after = word in _ZH_WHICH and after is not None and after[0] not in "？?。，,！!吗嗎呢"
            if before is not None and not asks_after:
                absent += self._absent_before(before, words[position - 1] if position > 0 else None)
            # 办什么签证, 需要哪些手续: the word after 什么/哪些 is the thing asked for, whatever its tag.
            if (
                after
                and word in _ZH_WHICH
                and (after[1][:1] in _ZH_NOMINAL or after[1] == "v")
                and self._absent(after[0])
            ):
                absent.append(after[0])
        # "对cross-border data transfer有什么规定": an English name of several words, in a Chinese question,
        # that neither the documents nor the glossary ever use as such.
        for match in _MIXED_TOPIC.finditer(query.text):
            stems = english_tokens(match.group(1))
            if (
                len(match.group(1).split()) >= 2
                and stems
                and f" {' '.join(stems)} " not in f" {self.en_stream} "
            ):
                absent.append(match.group(1))
        for pattern in _EN_FOCUS:
            for match in pattern.finditer(query.text):
                # "the official fee and processing time for": any named thing the documents never use.
                tokens = [t for t in english_tokens(match.group(1)) if t not in _EN_GENERIC_FOCUS]
                if any(t not in self.en and f" {t} " not in f" {self.en_stream} " for t in tokens):
                    absent.append(match.group(1))
        return absent

    def _absent_english(self, word: str) -> bool:
        tokens = [t for t in english_tokens(word) if t not in _EN_GENERIC_FOCUS]
        return bool(tokens) and all(t not in self.en and word.lower() not in self.en_words for t in tokens)

    def _absent(self, word: str) -> bool:
        return (
            len(word) >= 2
            and bool(_HAN.search(word))
            and word not in _GENERIC_FOCUS
            and word[-2:] not in _GENERIC_FOCUS
            and word not in self.zh_text
            and not _misspelt_generic(word)
        )

    def _absent_before(self, word: tuple[str, str], previous: tuple[str, str] | None) -> list[str]:
        """The thing asked for before 多少/怎么/什么时候: a noun (年费, 截止日), or a generic head (时间) that a
        missing modifier (截止) makes specific. Words jieba split apart (年 + 费) are read as one."""
        text, flag = word
        if flag == "eng":  # "deadline 是哪天": an English noun in a Chinese question
            return [text] if self._absent_english(text) else []
        # Words ending in 费/额/率/价/税 name an amount whatever jieba tags them (保费 comes out a verb).
        nominal = (flag[:1] in _ZH_NOMINAL or text[-1:] in _AMOUNT_NOUN_ENDINGS) and flag not in ("nr", "vn")
        if nominal and self._absent(text):
            return [text]
        if (
            previous is None
            or not previous[0]
            or previous[0] in _ZH_LINKING
            or previous[1][:1] not in _ZH_NOMINAL + ("v", "m")
        ):
            return []
        if len(text) == 1 and len(previous[0]) == 1 and nominal:
            merged = previous[0] + text
            return [merged] if merged not in self.zh_text and merged not in _GENERIC_FOCUS else []
        if nominal and (text in _GENERIC_FOCUS or len(text) == 1) and self._absent(previous[0]):
            return [previous[0] + text]
        return []
