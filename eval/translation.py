"""How well the translation checks (bot.translate.check) sort English: honest translations a person wrote for
three fictional documents (eval/translate/human.jsonl, written without reading the code) should be kept, and
the same sentences with one fault planted each should be left out.

    python -m eval.translation [--show]

Prints the share of honest lines kept, the reasons the rest were refused, and per fault the share caught."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bot.corpus.bilingual import load_bilingual
from bot.translate.check import Office, check_sentence, offices_from, offices_in

HERE = Path(__file__).resolve().parent
HUMAN = HERE / "translate" / "human.jsonl"
CORPUS = HERE.parent / "corpus"

_NUMBER = re.compile(r"\d[\d,.]*")
_UNITS = (("working days", "days"), ("months", "weeks"), ("%", " times"), ("CNY", "USD"), ("yuan", "dollars"))
_NEGATIONS = (
    ("shall not", "shall"),
    ("may not", "may"),
    ("not ", ""),
    ("No fee", "A fee"),
    ("free of charge", "for a fee"),
)


def _shift(en: str, zh: str, offices: list[Office]) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group(0)[0]) % 9 + 1) + m.group(0)[1:], en, count=1)


def _drop_number(en: str, zh: str, offices: list[Office]) -> str:
    return _NUMBER.sub("", en, count=1)


def _unit(en: str, zh: str, offices: list[Office]) -> str:
    for old, new in _UNITS:
        if old in en:
            return en.replace(old, new)
    return en


def _negation(en: str, zh: str, offices: list[Office]) -> str:
    for old, new in _NEGATIONS:
        if old in en:
            return en.replace(old, new, 1)
    return en


def _office(en: str, zh: str, offices: list[Office]) -> str:
    for office in offices_in(zh, offices):
        for name in office.names_en:
            if name.lower() in en.lower():
                return re.sub(re.escape(name), "the competent authority", en, flags=re.I)
    return en


def _claim(en: str, zh: str, offices: list[Office]) -> str:
    return en.rstrip(".") + ", and up to CNY 3 million more in special cases." if _NUMBER.search(en) else en


def _contact(en: str, zh: str, offices: list[Office]) -> str:
    return en + " Enquiries: 0592-5550123." if len(en) > 40 else en


FAULTS: dict[str, Callable[[str, str, list[Office]], str]] = {
    "number changed": _shift,
    "number dropped": _drop_number,
    "unit changed": _unit,
    "prohibition lifted": _negation,
    "office renamed": _office,
    "claim with a figure added": _claim,
    "phone number added": _contact,
}


def run(show: bool = False) -> dict[str, object]:
    rows = [json.loads(line) for line in HUMAN.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r["zh"].strip()]  # an empty heading has nothing to translate
    glossary = load_bilingual(CORPUS).glossary
    offices = offices_from(
        (t.zh, t.en, t.en_alt) for t in glossary if t.type == "institution" and t.source == "domain"
    )
    refused: Counter[str] = Counter()
    kept = 0
    for row in rows:
        verdict = check_sentence(row["zh"], row["en"], offices)
        kept += verdict.kept
        for reason in verdict.reasons:
            refused[re.sub(r"'[^']*'", "…", reason)] += 1
        if show and not verdict.kept:
            print(
                f"  refused {row['doc'][:6]} {row['id']}: {'; '.join(verdict.reasons)}\n    {row['zh']}\n    {row['en']}"
            )
    caught: dict[str, tuple[int, int]] = {}
    for name, fault in FAULTS.items():
        planted = [(row, fault(row["en"], row["zh"], offices)) for row in rows]
        planted = [(row, en) for row, en in planted if en != row["en"]]
        hits = sum(not check_sentence(row["zh"], en, offices).kept for row, en in planted)
        caught[name] = (hits, len(planted))
        if show:
            for row, en in planted:
                if check_sentence(row["zh"], en, offices).kept:
                    print(f"  missed {name}: {row['zh']}\n    {en}")
    return {"lines": len(rows), "kept": kept, "refused": dict(refused), "caught": caught}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.translation")
    parser.add_argument(
        "--show", action="store_true", help="print every refused honest line and missed fault"
    )
    args = parser.parse_args(argv)
    result = run(args.show)
    lines, kept = result["lines"], result["kept"]
    assert isinstance(lines, int) and isinstance(kept, int)
    print(f"honest lines kept: {kept}/{lines} = {kept / lines:.3f}")
    for reason, count in sorted(result["refused"].items(), key=lambda kv: -kv[1]):  # type: ignore[union-attr]
        print(f"  refused for {reason}: {count}")
    print("| fault | caught |\n|---|---|")
    for name, (hits, total) in result["caught"].items():  # type: ignore[union-attr]
        print(f"| {name} | {hits}/{total} = {hits / total:.3f} |" if total else f"| {name} | n/a |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
