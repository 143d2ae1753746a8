"""`policybot ingest`: formats, encodings, structure of regulations, and bad input that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.corpus.load import LoadError, decode_text, read_document
from bot.corpus.store import CorpusStore, IngestError
from tests.conftest import FIXTURES, PLAN_ID, snapshot


@pytest.fixture
def docx_file(tmp_path: Path) -> Path:
    from tests.fixtures.make_fixtures import write_docx

    target = tmp_path / "regulation.docx"
    write_docx(target)
    return target


@pytest.mark.parametrize("name", ["regulation.txt", "regulation_gbk.txt", "regulation.pdf", "docx"])
def test_regulation_structure_in_every_format(corpus_copy: Path, docx_file: Path, name: str) -> None:
    path = docx_file if name == "docx" else FIXTURES / name
    (document,) = CorpusStore(corpus_copy).ingest([path])
    assert document.meta.shape == "regulation"
    assert document.meta.title == "厦门经济特区知识产权促进和保护条例（测试样例）"
    ids = [c.clause for c in document.clauses]
    assert ids == ["intro", "chapter-1", "1", "2", "chapter-2", "3", "4", "chapter-3", "5"]
    article2 = document.clause("2")
    assert article2 is not None and article2.part == "chapter-1"
    assert [s.paragraph for s in article2.sentences] == [1, 2]  # 第二条 has two 款
    assert article2.sentences[1].text == "本条例所称知识产权，包括专利、商标、著作权、地理标志、商业秘密等。"
    assert document.clause("4").text == "对故意侵害知识产权、情节严重的，依法适用惩罚性赔偿。"  # type: ignore[union-attr]
    for clause in document.clauses:
        for sentence in clause.sentences:
            assert document.text[sentence.start : sentence.end] == sentence.text


def test_ingest_links_the_referenced_regulation(corpus_copy: Path) -> None:
    store = CorpusStore(corpus_copy)
    (document,) = store.ingest([FIXTURES / "regulation_gbk.txt"])
    assert document.doc_id.startswith("001_")
    corpus = store.load()
    reference = next(r for r in corpus.references if r.title == "厦门经济特区知识产权促进和保护条例")
    assert reference.present_doc_id == document.doc_id
    catalogue = json.loads((corpus_copy / "catalogue.json").read_text(encoding="utf-8"))
    linked = next(r for r in catalogue["references"] if r["title"] == reference.title)
    assert linked["present_doc_id"] == document.doc_id
    assert (corpus_copy / document.meta.path).read_bytes() == (FIXTURES / "regulation_gbk.txt").read_bytes()


def test_headed_paragraph_fallback(corpus_copy: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(
        "# 服务指南\n\n## 办理地点\n\n市民服务中心二楼知识产权窗口。\n\n## 所需材料\n\n申请表一份。\n",
        encoding="utf-8",
    )
    (document,) = CorpusStore(corpus_copy).ingest([note])
    assert document.meta.shape == "paragraphs"
    assert [(c.clause, c.title, c.text) for c in document.clauses] == [
        ("s1", "办理地点", "市民服务中心二楼知识产权窗口。"),
        ("s2", "所需材料", "申请表一份。"),
    ]


def test_html_is_reduced_to_text(corpus_copy: Path, tmp_path: Path) -> None:
    page = tmp_path / "reg.html"
    body = (FIXTURES / "regulation.txt").read_text(encoding="utf-8").splitlines()
    page.write_text(
        "<html><head><script>var x=1;</script></head><body>"
        + "".join(f"<p>{line}</p>" for line in body)
        + "</body></html>"
    )
    (document,) = CorpusStore(corpus_copy).ingest([page])
    assert document.meta.shape == "regulation"
    assert "var x" not in document.text


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n \t")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    fake_pdf = tmp_path / "broken.pdf"
    fake_pdf.write_bytes(b"this is not a pdf at all")
    fake_docx = tmp_path / "broken.docx"
    fake_docx.write_bytes(b"PK\x03\x04 truncated zip")
    unknown = tmp_path / "sheet.xlsx"
    unknown.write_bytes(b"whatever")
    missing = tmp_path / "missing.txt"
    return {
        "empty": (empty, "empty file"),
        "blank": (blank, "empty file"),
        "binary": (binary, "binary"),
        "pdf": (fake_pdf, "not a readable PDF"),
        "docx": (fake_docx, "not a readable .docx"),
        "type": (unknown, "unsupported file type"),
        "missing": (missing, "no such file"),
        "duplicate": (
            FIXTURES.parent.parent / "corpus" / "sources" / f"{PLAN_ID}.txt",
            f"duplicate of {PLAN_ID}",
        ),
    }


@pytest.mark.parametrize("case", ["empty", "blank", "binary", "pdf", "docx", "type", "missing", "duplicate"])
def test_bad_input_names_file_and_reason_and_changes_nothing(
    corpus_copy: Path,
    tmp_path: Path,
    case: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, reason = _bad_files(tmp_path)[case]
    before = snapshot(corpus_copy)
    monkeypatch.setenv("BOT_CORPUS_DIR", str(corpus_copy))
    # A good file in the same batch is not added either: ingest is all-or-nothing.
    assert main(["ingest", str(FIXTURES / "regulation.txt"), str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"policybot ingest: {path}: ") and reason in line for line in err), err
    assert snapshot(corpus_copy) == before


def test_same_text_in_another_encoding_is_a_duplicate(corpus_copy: Path) -> None:
    store = CorpusStore(corpus_copy)
    store.ingest([FIXTURES / "regulation.txt"])
    with pytest.raises(IngestError, match="duplicate"):
        store.ingest([FIXTURES / "regulation_gbk.txt"])


def test_gbk_is_detected() -> None:
    raw = (FIXTURES / "regulation_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode_text("x", raw).startswith("厦门经济特区知识产权促进和保护条例")


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "第一条　测试。\r\n第二条　再测。\r\n".encode())
    text, _ = read_document(path)
    assert text == "第一条　测试。\n第二条　再测。\n"


def test_load_error_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes(b"")
    with pytest.raises(LoadError) as info:
        read_document(path)
    assert str(info.value) == f"{path}: empty file"


def test_what_ingest_cannot_read_is_reported_not_dropped(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "partly_empty.txt"
    source.write_text(
        "测试办法（测试样例）\n第一条 为了测试，制定本办法。\n第二条\n第三条 本办法自2024年1月1日起施行。\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BOT_CORPUS_DIR", str(corpus_copy))
    assert main(["ingest", str(source)]) == 0
    captured = capsys.readouterr()
    assert "clause 2 has no text" in captured.err
    (document,) = [
        d for d in CorpusStore(corpus_copy).load().documents if d.meta.filename == "partly_empty.txt"
    ]
    assert document.problems == ("clause 2 has no text",)
    assert [c.clause for c in document.clauses] == ["1", "2", "3"]
