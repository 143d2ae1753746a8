"""Generated policy libraries for benchmarks: real-shaped documents made from the fictional documents under
eval/library/ (measures with amounts and caps, regulations with chapters and articles, notices whose items
restart per part, tables), each variant its own district, year, document number and amounts. Sentences
that name none of these repeat across the variants of one shape, as boilerplate does across a real library
(about half the units of 100 documents are distinct texts; the embedding cache embeds each once).

    python -m eval.generate OUT_DIR --documents 100
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from pathlib import Path

LIBRARY = Path(__file__).resolve().parent / "library"
PLACES = (
    "思明区",
    "湖里区",
    "海沧区",
    "集美区",
    "同安区",
    "翔安区",
    "鼓浪屿",
    "火炬高新区",
    "自贸片区",
    "象屿",
)
_NUMBER = re.compile(r"(?<![〔\d])(\d+(?:\.\d+)?)(?![〕\d])")
_YEAR = re.compile(r"20[12]\d")


def templates() -> list[tuple[str, str]]:
    """(name, text) of every plain-text fictional document (GBK ones read as such)."""
    found = []
    for path in sorted(LIBRARY.glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        found.append((path.stem, text))
    return found


def variant(text: str, serial: int, rng: random.Random) -> str:
    """The document again for another place and year, its amounts and counts changed."""
    place = PLACES[serial % len(PLACES)]
    out = text
    for known in PLACES:
        out = out.replace(known, place)
    year = 2020 + serial % 9
    out = _YEAR.sub(lambda _: str(year), out)

    def number(match: re.Match[str]) -> str:
        value = float(match[1])
        if value < 2:  # 1:1 ratios, item numbers 1. 2.: kept as they are
            return match[1]
        changed = value * rng.choice((0.5, 0.8, 1.2, 1.5, 2, 3)) + serial % 7
        return f"{changed:.1f}" if "." in match[1] else str(int(changed))

    out = _NUMBER.sub(number, out)
    return f"{out}\n\n（生成样例 {serial}：用于性能测试，并非真实政策文件）\n"


def documents(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """`count` generated documents as (file name, text), cycling through the templates."""
    rng = random.Random(seed)
    shapes = templates()
    for serial in range(count):
        name, text = shapes[serial % len(shapes)]
        yield f"g{serial:05d}_{name}.txt", variant(text, serial, rng)


def write(out: Path, count: int, seed: int = 0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in documents(count, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=100)
    args = parser.parse_args(argv)
    print(f"{len(write(args.out, args.documents))} documents in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
