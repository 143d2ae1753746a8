"""The character table the page script uses to write the page's own words in Traditional characters."""

from __future__ import annotations

import json
import re

from ui.chrome import page_js, traditional_characters


def test_the_table_covers_the_characters_of_the_ui_strings() -> None:
    table = traditional_characters()
    assert {"问": "問", "条": "條", "览": "覽", "发": "發"}.items() <= table.items()
    assert all(len(s) == len(t) == 1 and s != t for s, t in table.items())


def test_the_page_script_carries_the_table() -> None:
    script = page_js()
    assert "__TRADITIONAL__" not in script
    found = re.search(r"const TRADITIONAL = (\{.*?\});", script)
    assert found and json.loads(found.group(1)) == traditional_characters()
