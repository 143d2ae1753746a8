"""Departments a sentence gives work to, with their role: 由X负责…, X负责…, X牵头, 会同X, X配合,
X按照各自职责, 由X负责解释."""

from __future__ import annotations

import re

from bot.corpus.parse.units import is_unit_name, split_units, strong_unit_name
from bot.schema import Role

# A department's name runs back from its verb to the nearest delimiter (or 由, which introduces it).
_VERBS = re.compile(r"负责解释|负责|牵头|配合|按照各自职责|按各自职责|按职责|具体实施|组织实施")
_ALIAS = re.compile(r"[（(]以下(?:简称|统称)[^）)]*[）)]")
_BOUNDARY = "，,。；;：:由对经在向"


def _role(verb: str, after: str) -> Role:
    if verb == "负责解释" or (verb == "负责" and after.startswith("解释")):
        return "interpret"
    if verb.startswith("按"):
        return "by_duty"
    if verb == "牵头":
        return "lead"
    if verb == "配合":
        return "cooperate"
    return "responsible"


def _names(text: str) -> list[str]:
    text = _ALIAS.sub("", text).strip()
    text = re.sub(r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、])\s*", "", text)  # a list marker
    text = text.replace("会同", "、")
    pieces = re.split(r"和|及|与|、", text) if not re.search(r"[(（]", text) else split_units(text)
    names = [p.strip() for p in pieces if p.strip()]
    return names if names and all(is_unit_name(n) for n in names) else []


# Words that follow a department's name and are not part of it.
_AFTER_NAME = re.compile(
    r"负责|会同|按|牵头|配合|下达|追回|责令|作出|依法|提出|建设|拨付|组织|统筹|审核|受理|出具|做好|开展|根据|应当|可以|"
    r"给予|认定|协调|办理|在|对|于|自|将|要|的|等|和|及|与|、"
)


def leading_unit(text: str) -> str | None:
    """The department's name a text opens with (区财政局 in 区财政局按程序拨付资金): the longest prefix that
    ends in a strong suffix (局, 委员会, 人民政府…) before the words that follow a name, brackets included
    (市市场监管局（知识产权局）); failing that, the shortest with a short suffix (市台港澳办)."""
    strong: str | None = None
    weak: str | None = None
    depth = 0
    for i in range(1, min(len(text), 40) + 1):
        char = text[i - 1]
        depth += char in "(（"
        depth -= char in ")）"
        if depth == 0 and (char in _BOUNDARY or _AFTER_NAME.match(text, i - 1)):
            break
        if depth:
            continue
        piece = text[:i]
        if strong_unit_name(piece):
            strong = piece
        elif weak is None and is_unit_name(piece):
            weak = piece
    return strong or weak


def department_facts(text: str) -> list[tuple[int, str, Role]]:
    """(position, department, role) for each department the sentence gives work to."""
    found: list[tuple[int, str, Role]] = []
    for match in _VERBS.finditer(text):
        start = match.start()
        if text[match.end() : match.end() + 1] in ("人", "同"):
            continue  # 负责人 is a person, not a duty
        # Back to the nearest delimiter, keeping brackets (市市场监管局（知识产权局）) whole.
        depth, i = 0, start
        while i > 0:
            char = text[i - 1]
            if char in ")）":
                depth += 1
            elif char in "(（":
                depth -= 1
            elif depth == 0 and char in _BOUNDARY:
                break
            i -= 1
        span = text[i:start]
        span = re.sub(r"(?:统筹|具体|主要|共同|分别|切实|要)$", "", span)
        for name in _names(span):
            role = _role(match.group(0), text[match.end() :])
            if (name, role) not in [(n, r) for _, n, r in found]:
                found.append((i, name, role))

    def known(name: str) -> bool:
        return name in [n for _, n, _ in found]

    for match in re.finditer(r"由|会同", text):
        opened = leading_unit(text[match.end() :])
        if opened is None:
            continue
        named = _ALIAS.sub("", opened)
        given: Role = "cooperate" if match.group(0) == "会同" else "responsible"
        if match.group(0) == "由" and text[match.end() + len(opened) :].startswith("负责解释"):
            given = "interpret"
        if not known(named):
            found.append((match.start(), named, given))
        if match.group(0) == "会同":
            # X会同Y: X leads the work.
            for lead in _names(re.split(r"[，,。；;：:由]", text[: match.start()])[-1]):
                if not known(lead):
                    found.append((match.start() - len(lead), lead, "responsible"))
    return found
