"""Read a delivered file into text: format by extension, encoding detected, bad input refused by name."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MAX_BYTES = 20 * 1024 * 1024


class LoadError(ValueError):
    """A file that cannot become a corpus document; the message is one line naming file and reason."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path) -> tuple[str, bytes]:
    """Return (text, raw bytes) of a supported file, or raise LoadError."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            path,
            f"unsupported file type '{suffix or '(none)'}'; expected one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise LoadError(path, "is a directory, not a file") from None
    except FileNotFoundError:
        raise LoadError(path, "no such file") from None
    except OSError as exc:
        raise LoadError(path, f"unreadable ({exc.strerror or exc})") from None
    if not raw.strip():
        raise LoadError(path, "empty file")
    if len(raw) > MAX_BYTES:
        raise LoadError(path, f"too large ({len(raw)} bytes; limit {MAX_BYTES})")
    if suffix == ".docx":
        text = _docx_text(path, raw)
    elif suffix == ".pdf":
        text = _pdf_text(path, raw)
    else:
        text = decode_text(path, raw)
        if suffix in (".html", ".htm"):
            text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _has_words(text):
        raise LoadError(path, "no readable text in the file")
    return text, raw


def decode_text(path: Path | str, raw: bytes) -> str:
    """Decode bytes: BOMs first, then strict UTF-8, then the Chinese national encodings, then detection."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(path, raw[3:], "utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, raw, "utf-16")
    if b"\x00" in raw[:8192]:
        raise LoadError(path, "binary file (contains NUL bytes), not text")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and _looks_like_text(str(best)):
        return str(best)
    raise LoadError(path, "unrecognised text encoding or binary content (tried UTF-8, GB18030 and detection)")


def _strict(path: Path | str, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"invalid {encoding} at byte {exc.start}") from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = len(_CONTROL.findall(text))
    return bad / len(text) < 0.01


def _has_words(text: str) -> bool:
    return bool(re.search(r"[\w\u4e00-\u9fff]", text))


def _docx_text(path: Path, raw: bytes) -> str:
    import io

    try:
        import docx
    except ImportError:  # pragma: no cover - dependency of the project
        raise LoadError(path, "python-docx is not installed") from None
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:
        raise LoadError(path, f"not a readable .docx ({type(exc).__name__})") from None
    # Paragraphs and tables in the order the body holds them; a table row becomes one line of tab-separated cells.
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            for row in Table(element, document).rows:
                # A merged cell is returned once per grid column it spans: it is one cell.
                unique = list({id(cell._tc): cell for cell in row.cells}.values())
                lines.append("\t".join(" ".join(cell.text.split()) for cell in unique))
    return "\n".join(lines)


def _pdf_text(path: Path, raw: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise LoadError(path, "encrypted PDF")
        return unwrap_layout_lines("\n".join((page.extract_text() or "") for page in reader.pages))
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(path, f"not a readable PDF ({type(exc).__name__})") from None


_ENDS_BLOCK = tuple("。！？；：:!?;")
_STARTS_BLOCK = re.compile(
    r"^\s*(?:第[零〇一二三四五六七八九十百千\d]+[章节条款]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|#)"
)


def unwrap_layout_lines(text: str) -> str:
    """Join the lines a PDF broke at the right margin: a line that reaches the usual full width and does
    not end a sentence continues on the next line."""
    lines = text.split("\n")
    widths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if not widths:
        return text
    full = widths[int(len(widths) * 0.9) - 1 if len(widths) >= 10 else -1]
    out: list[str] = []
    for line in lines:
        wrapped = out and out[-1] and len(out[-1]) >= full * 0.9 and not out[-1].endswith(_ENDS_BLOCK)
        if wrapped and not _STARTS_BLOCK.match(line):
            out[-1] += line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out)


class _TextExtractor(HTMLParser):
    _BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "td",
        "th",
    }
    _SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = html.unescape("".join(extractor.parts))
    return re.sub(r"\n[ \t]*\n+", "\n", text)
