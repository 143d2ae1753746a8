"""Which loaded documents a question names: by title (《…》 or not), by a curated alias, or by its subject, the
words of its title that no other loaded document's title shares ("台资企业那份措施", "the adjudication rules")."""

from __future__ import annotations

import re
from collections import Counter

from bot.lang import chinese_tokens, english_tokens
from bot.schema import Corpus, Document

# Words every policy title is made of: they say what kind of document it is, not which one.
_GENERIC = frozenset(
    [
        "关于",
        "印发",
        "通知",
        "若干",
        "措施",
        "办法",
        "实施",
        "细则",
        "规定",
        "条例",
        "方案",
        "意见",
        "决定",
        "规则",
        "暂行",
        "试行",
        "工作",
        "管理",
        "建设",
        "促进",
        "加强",
        "支持",
        "推进",
        "知识产权",
        "知识",
        "产权",
        "厦门",
        "厦门市",
        "福建",
        "福建省",
        "国家",
        "中国",
        "年",
        "市",
        "区",
        "省",
        "的",
        "和",
        "与",
        "及",
        "发展",
        "高质量",
        "若干措施",
        "实施细则",
        "管理办法",
        "工作方案",
        "实施方案",
        "行政",
        "服务",
        "城市",
        "体系",
        "强市",
        "示范",
    ]
)
# What a question calls a document: 那份/这份…, 措施, 办法, "the rules", "the notice".
_DOCUMENT_WORD = re.compile(
    r"那份|这份|這份|那个|那個|这个文件|這個文件|文件|措施|办法|辦法|细则|細則|规定|規定|条例|條例|方案|通知|意见|意見|规则|規則|"
    r"\b(?:rules?|measures?|regulations?|plan|notice|document|policy|policies|guidelines?|provisions)\b",
    re.IGNORECASE,
)
_TITLE_NOISE = re.compile(r"[(（][^()（）]*[)）]|《|》")


def _title_words(document: Document) -> set[str]:
    title = _TITLE_NOISE.sub("", document.meta.title)
    return {w for w in chinese_tokens(title) if len(w) >= 2 and w not in _GENERIC}


class DocumentNames:
    """The names and subject words of each loaded document, computed once."""

    def __init__(self, corpus: Corpus):
        self.documents = corpus.documents
        words = {d.doc_id: _title_words(d) for d in corpus.documents}
        shared = Counter(w for ws in words.values() for w in ws)
        # A title word names its document when no other title has it and at most half the documents use it
        # at all (行政裁决 names the adjudication rules; 企业, in every document, names none).
        texts = [d.text for d in corpus.documents]
        common = {
            w for ws in words.values() for w in ws if sum(w in t for t in texts) > max(1, len(texts) // 2)
        }
        self.distinctive = {
            d: {w for w in ws if shared[w] == 1 and w not in common} for d, ws in words.items()
        }
        self.names: dict[str, list[str]] = {}
        for d in corpus.documents:
            core = _TITLE_NOISE.sub("", d.meta.title)
            self.names[d.doc_id] = [n for n in (d.meta.title, core, *d.meta.aliases) if len(n) >= 4]
        self.english = {
            d.doc_id: {
                t for t in english_tokens(" ".join(n for n in (d.meta.title_en, d.meta.short_title_en) if n))
                if len(t) >= 4 and t not in {"work", "plan", "measur", "rule", "xiamen", "build", "city"}
            }
            for d in corpus.documents
        }  # fmt: skip

    def named(self, text: str, zh_text: str, translated: list[str]) -> list[str]:
        """The doc_ids the question names, in the order it names them; [] when it names none."""
        if len(self.documents) < 2:
            return []
        asked = " ".join([zh_text, *translated])
        found: list[tuple[int, str]] = []
        tokens = set(chinese_tokens(asked)) if asked.strip() else set()
        en = set(english_tokens(text))
        refers = bool(_DOCUMENT_WORD.search(text) or _DOCUMENT_WORD.search(asked))
        for document in self.documents:
            doc_id = document.doc_id
            by_name = [asked.find(n) for n in self.names[doc_id] if n in asked]
            subject = [w for w in self.distinctive[doc_id] if w in tokens]
            english = self.english[doc_id] & en
            position = min(by_name) if by_name else (asked.find(subject[0]) if subject else 0)
            if by_name or len(subject) >= 2 or (subject and refers) or (len(english) >= 2 and refers):
                found.append((max(position, 0), doc_id))
        return [doc_id for _, doc_id in sorted(found)]
