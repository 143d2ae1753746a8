"""Separate a republished page's scraping noise from the document, keeping offsets into the source text.

Nothing is rewritten: the cleaner only decides which lines belong to the document, so every later
span still indexes the text as delivered and a quote is always a verbatim slice of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PHONE = re.compile(
    r"(?<!\d)(?:1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8}|400[- ]?\d{3}[- ]?\d{4})(?!\d)"
)
# Advertising cues only: a contact number inside an official notice is document text, not noise.
_PHONE_CUE = re.compile(r"加盟|招商|客服|热线|熱線|加盟電話|微信")
_SITE_WIDGETS = re.compile(
    r"^(?:精确检索|模糊检索|开始检索|高级检索|全文检索|标题检索|检索|搜索|站内搜索|首页|返回首页|返回顶部|"
    r"打印本页|打印|关闭窗口|关闭|分享到|收藏|字号|大|中|小|上一篇|下一篇|【?(?:打印|关闭)】?)$"
)
_FOOTER = re.compile(r"^(?:来源|信息来源|文章来源|稿源|來源)\s*[:：]\s*(.*)$")
# A web page's furniture around a document: breadcrumbs, the font-size and print widgets, the page's owner,
# its licence number and counters, the QR-code prompt, a PDF's page numbers.
_PAGE_FURNITURE = re.compile(
    r"^(?:首页|当前位置|您的位置|您现在的位置)\s*[:：>»/]|"
    r"^(?:【\s*)?字号\s*[:：]|打印本页|关闭窗口|【\s*(?:打印|关闭|收藏|返回顶部)\s*】|"
    r"(?:ICP备|ICP证|公网安备|网站标识码)|^(?:主办单位|承办单位|版权所有|技术支持|网站地图|联系我们)\s*[:：]|"
    r"^扫一扫|^(?:浏览次数|访问量|阅读次数|点击数|浏览量)\s*[:：]|^(?:发布时间|发布日期|更新时间)\s*[:：][\d\s:：年月日/-]*$|"
    r"^(?:分享到|分享)\s*[:：]|^(?:上一篇|下一篇)\s*[:：]|^[-—–]\s*\d{1,3}\s*[-—–]$|^第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?$|"
    r"^\d{1,3}\s*/\s*\d{1,3}$"
)
_RELATED = re.compile(r"(?:相关法规|相关文章|相关阅读|相关链接|相关政策|猜你喜欢|推荐阅读)\s*$")


@dataclass(frozen=True)
class Line:
    """A content line: `text` is `source[start:end]`, stripped of surrounding blanks."""

    start: int
    end: int
    text: str


@dataclass
class Cleaned:
    lines: list[Line]
    removed: list[tuple[Line, str]] = field(default_factory=list)
    source: str | None = None


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        # str.strip() knows every Unicode space (U+3000, U+2003 …); the BOM is not one of them.
        left = len(raw) - len(raw.lstrip().lstrip("\ufeff").lstrip())
        stripped = raw.strip().strip("\ufeff").strip()
        if stripped:
            start = offset + left
            lines.append(Line(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


def noise_reason(line: str) -> str | None:
    """Why a line is page furniture rather than document text, or None."""
    if _PHONE.search(line) and _PHONE_CUE.search(line) and len(_PHONE.sub("", line)) <= 12:
        return "phone number"
    if _SITE_WIDGETS.match(line):
        return "search box / site navigation"
    if _RELATED.search(line) and len(line) <= 30:
        return "related-links footer"
    if _PAGE_FURNITURE.search(line) and len(line) <= 80:
        return "page furniture"
    return None


def clean(text: str) -> Cleaned:
    """Drop noise lines, the footer's source line (kept as metadata) and immediately repeated lines."""
    result = Cleaned(lines=[])
    previous: str | None = None
    for line in split_lines(text):
        reason = noise_reason(line.text)
        footer = _FOOTER.match(line.text)
        if footer and len(line.text) <= 40:
            result.source = result.source or footer.group(1).strip() or None
            reason = "source footer"
        elif reason is None and previous is not None and line.text == previous:
            reason = "duplicated line"
        if reason:
            result.removed.append((line, reason))
            continue
        result.lines.append(line)
        previous = line.text
    return result
