"""`policybot corpus --json` in the contract's shape, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PLAN_ID, ROOT


@pytest.fixture(scope="module")
def payload() -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "corpus", "--json"], cwd=ROOT, capture_output=True, check=True
    )
    return json.loads(out.stdout)


def test_document_metadata(payload: dict) -> None:
    (doc,) = [d for d in payload["documents"] if d["doc_id"] == PLAN_ID]
    assert doc["number"] == "厦府〔2022〕333号"
    assert doc["issued"] == "2022-09-29"
    assert (doc["valid_from"], doc["valid_to"]) == ("2022-07", "2025-06")
    assert doc["issuer"] == "厦门市人民政府"
    assert doc["title"] == "厦门市国家知识产权强市建设示范城市工作方案(2022-2025年)"


def test_clauses_and_table_shape(payload: dict) -> None:
    doc = payload["documents"][0]
    clauses = {c["clause"]: c for c in doc["clauses"]}
    assert len([c for c in clauses if c.isdigit()]) == 23
    for key in ("clause", "part", "title", "title_en", "text", "text_en", "responsible_units"):
        assert key in clauses["16"]
    assert clauses["16"]["title"] == "构建金砖创新基地服务体系"
    assert clauses["16"]["part"] == "part-4"
    assert "金砖办" in clauses["16"]["responsible_units"]
    (table,) = doc["tables"]
    assert table["clause"] == "table1"
    assert (table["baseline_year"], table["target_year"]) == (2021, 2025)
    assert len(table["rows"]) == 10
    first = table["rows"][0]
    assert first["baseline"] == 17.2 and isinstance(first["baseline"], float)
    assert first["unit"] is None  # lost in the published table: null, never guessed
    assert table["rows"][3]["unit"] == "亿元" and table["rows"][3]["target"] == 40


def test_noise_absent_everywhere(payload: dict) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    for noise in ("133-3505-7288", "加盟电话", "精确检索", "开始检索", "相关法规"):
        assert noise not in text


def test_references_listed(payload: dict) -> None:
    titles = {r["title"]: r for r in payload["references"]}
    assert titles["厦门经济特区知识产权促进和保护条例"]["present"] is False
    assert [c["clause"] for c in titles["中华人民共和国科技进步法"]["cited_by"]] == ["13"]
