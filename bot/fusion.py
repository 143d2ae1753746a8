"""How the ranked lists of retrieval are weighed against each other in reciprocal-rank fusion."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the ranked lists in reciprocal-rank fusion; measured in eval, not assumed.

    The structural lists are used only when the question's form asks for them: the document's parts
    (outline), its enacting formula (basis), its period of application (period), its issuing notice (for the
    number, issuer and date), the clauses on public funding (for subsidies and budgets), and the clauses a
    question names by number or exact title (named: 第十六条, (十六), Part III, Table 1)."""

    dense: float = 1.0
    keyword_zh: float = 0.6
    keyword_en: float = 1.0
    # An English question is compared like with like: its meaning with the Chinese units and, apart, with the
    # English renditions (a document with English units must not win merely for sharing the question's
    # language); its words, carried into Chinese by the glossary and the dictionary bridge, with the Chinese
    # units as strongly as with the English ones. Each clause takes the better of the two votes.
    dense_zh: float = 1.0
    dense_en: float = 1.0
    keyword_bridge: float = 1.0
    table_rows: float = 0.6
    outline: float = 6.0
    basis: float = 1.0
    period: float = 1.0
    notice: float = 1.0
    funding: float = 1.0
    facts: float = 1.0
    named: float = 3.0
    rrf_k: int = 5
    # Ranks hide margins: a keyword list whose best clause scores `decisive_ratio` times its runner-up has
    # found decisive lexical evidence, worth `decisive_bonus` x the list's weight on top of its rank vote.
    decisive_ratio: float = 3.0
    decisive_bonus: float = 0.1
