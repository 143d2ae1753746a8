"""Parse a cleaned document by its own structure (see structure.py); document facts come from facts.py."""

from bot.corpus.parse.numerals import cn_to_int, int_to_cn
from bot.corpus.parse.structure import Parsed, parse_document

__all__ = ["Parsed", "cn_to_int", "int_to_cn", "parse_document"]
