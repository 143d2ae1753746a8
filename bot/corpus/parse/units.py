"""Responsible departments as documents name them, with their role: a bracket at the end of an item
((责任单位：…), (牵头单位：…；配合单位：…)) or a sentence (由X负责…, X负责解释, X牵头, 会同X, 按照各自职责)."""

from __future__ import annotations

import re

from bot.schema import Role, UnitRole

_LABELS = r"(?:责任|牵头|配合|参与|协同|协办|主办|承办|实施|主责)(?:单位|部门)"
UNITS_BRACKET = re.compile(rf"[〔(（]\s*({_LABELS}\s*[:：].+)[〕)）]\s*$")
_LABEL_ROLE: dict[str, Role] = {
    "责任": "responsible", "主责": "responsible", "实施": "responsible", "主办": "lead", "牵头": "lead",
    "配合": "cooperate", "参与": "cooperate", "协同": "cooperate", "协办": "cooperate", "承办": "responsible",
}  # fmt: skip
# How a department's name ends: 局, 委, 办, 管委会, 人民政府, 中心, 法院, 海关 …
UNIT_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公室|办公厅|办|管委会|管理委员会|人民政府|政府|中心|法院|检察院|海关|厅|部|院|署|所|协会|联合会|"
    r"总会|分会|会|处|科|室|馆|组|银行|单位|部门|机构|机关)$"
)
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def split_units(units: str) -> list[str]:
    """Split a list of departments on 、,; outside brackets; a shared suffix (自贸区、火炬高新区管委会) is
    distributed."""
    groups: list[list[str]] = [[]]
    depth, current = 0, ""
    for char in units:
        if char in "(（〔[":
            depth += 1
        elif char in ")）〕]":
            depth -= 1
        if depth == 0 and char in ",，;；":
            groups[-1].append(current)
            groups.append([])
            current = ""
        elif depth == 0 and char == "、":
            groups[-1].append(current)
            current = ""
        else:
            current += char
    groups[-1].append(current)
    result: list[str] = []
    for group in groups:
        items = [item.strip() for item in group if item.strip()]
        if not items:
            continue
        last = items[-1]
        shared = "管委会" if last.endswith("区管委会") else None
        for item in items[:-1]:
            if shared and item.endswith("区") and not UNIT_SUFFIX.search(item):
                item += shared
            result.append(item)
        result.append(last)
    return result


def _top_level_groups(text: str) -> list[str]:
    groups, depth, current = [], 0, ""
    for char in text:
        if char in "(（〔[":
            depth += 1
        elif char in ")）〕]":
            depth -= 1
        if depth == 0 and char in ";；":
            groups.append(current)
            current = ""
        else:
            current += char
    return [*groups, current]


def roles_of(bracket: str) -> list[UnitRole]:
    """(责任单位：A、B), (牵头单位：A；配合单位：B、C): each department with the role its label gives."""
    roles: list[UnitRole] = []
    role: Role = "responsible"
    for group in _top_level_groups(bracket):
        label = re.match(rf"\s*({_LABELS})\s*[:：]\s*", group)
        if label:
            role = _LABEL_ROLE.get(label.group(1)[:2], "responsible")
            group = group[label.end() :]
        roles += [UnitRole(name=name, role=role) for name in split_units(group)]
    return roles


_STRONG_SUFFIX = re.compile(
    r"(?:局|委员会|管委会|管理委员会|办公室|办公厅|人民政府|政府|中心|法院|检察院|海关|厅|协会|联合会|银行)$"
)
_LEVEL = re.compile(
    r"^(?:市|区|省|县|镇|街道|国家|国务院|各|厦门|福建|中国|中共|全国|自治区|管委会|火炬|自贸)"
)


def is_unit_name(text: str) -> bool:
    """Does the text read as a department's name (市台港澳办, 市市场监管局（知识产权局）, 各区人民政府)? A
    short suffix (办, 委, 部) counts only after a level (市, 区, 省, 各…): 承办 and 1名承办 are not departments."""
    core = _BRACKETED.sub("", text).strip()
    if (
        not (2 <= len(core) <= 30)
        or re.search(r"[，,。；;：:“”《》\d]", core)
        or not UNIT_SUFFIX.search(core)
    ):
        return False
    return bool(_STRONG_SUFFIX.search(core)) and len(core) >= 3 or bool(_LEVEL.match(core))


def strong_unit_name(text: str) -> bool:
    return is_unit_name(text) and bool(_STRONG_SUFFIX.search(_BRACKETED.sub("", text).strip()))
