"""Scoring functions, all pure: evidence matching, rank metrics, answer overlap, citations, abstention.

Answers and citations are read in their JSON shape (`Answer.to_json()`), so a saved run can be
scored again by the same code without the assistant.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

_MARKER = re.compile(r"\[(\d+)\]")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation)


# -- evidence in retrieved passages ----------------------------------------------------------------
def squash(text: str) -> str:
    """Runs of white space (newlines, no-break spaces) become one space; ends trimmed."""
    return " ".join(text.split())


def holds(text: str, needle: str) -> bool:
    """True when `needle` occurs in `text` after squashing white space in both (case-sensitive)."""
    needle = squash(needle)
    return bool(needle) and needle in squash(text)


def evidence_rank(passages: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first passage holding any evidence string, or None."""
    return min((r for r in evidence_ranks(passages, evidence) if r is not None), default=None)


def evidence_ranks(passages: Sequence[str], evidence: Sequence[str]) -> list[int | None]:
    """For each evidence string, the 1-based rank of the first passage holding it, or None."""
    squashed = [squash(p) for p in passages]
    out: list[int | None] = []
    for e in evidence:
        needle = squash(e)
        out.append(next((i for i, p in enumerate(squashed, start=1) if needle and needle in p), None))
    return out


def recall_at(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of questions whose first evidence rank is within k (None: no questions)."""
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr(ranks: Sequence[int | None], k: int | None = None) -> float | None:
    """Mean of 1/rank of the first evidence passage, 0 when missing or below k (None: no questions)."""
    if not ranks:
        return None
    return sum(1 / r for r in ranks if r is not None and (k is None or r <= k)) / len(ranks)


# -- answers ---------------------------------------------------------------------------------------
def strip_markers(text: str) -> str:
    """The text without `[n]` citation markers, white space squashed."""
    return squash(_MARKER.sub(" ", text))


def contains_all(answer: str, golds: Sequence[str]) -> bool:
    """True when every gold string occurs in the answer, ignoring case and white-space runs."""
    low = squash(answer).lower()
    return all(squash(g).lower() in low for g in golds)


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, drop punctuation and the articles a/an/the, squash spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1 of the normalised texts; 1.0 when both are empty, 0.0 when only one is."""
    pred, ref = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    p, r = common / len(pred), common / len(ref)
    return 2 * p * r / (p + r)


def best_score(prediction: str, golds: Iterable[str], fn) -> float:
    """The best of fn(prediction, gold) over the golds (SQuAD scores against each annotator)."""
    return max((fn(prediction, g) for g in golds), default=0.0)


# -- citations -------------------------------------------------------------------------------------
def citation_supported(citation: dict, evidence: Sequence[str]) -> bool:
    """A citation is supported when its passage holds an evidence string, or its quoted sentence
    lies inside one (an evidence string of several sentences split over two passages)."""
    quote = squash(citation.get("quote", ""))
    return any(holds(citation.get("text", ""), e) or (quote and quote in squash(e)) for e in evidence)


def quote_verified(citation: dict, doc_text: str | None = None) -> bool:
    """The quote is verbatim in the cited passage at its stated offsets and, given the document
    text, the passage and the quote are exactly the document slices the offsets name."""
    text, quote = citation.get("text", ""), citation.get("quote", "")
    ps, pe, s, e = (citation.get(k) for k in ("passage_start", "passage_end", "start", "end"))
    if not quote or None in (ps, pe, s, e) or not (ps <= s <= e <= pe):
        return False
    if text[s - ps : e - ps] != quote:
        return False
    return doc_text is None or (doc_text[ps:pe] == text and doc_text[s:e] == quote)


def cited_lines(answer: str, n_citations: int) -> tuple[int, int]:
    """(lines carrying a `[n]` marker with 1 <= n <= n_citations, non-empty lines) of an answer.

    Our answers put one quoted sentence per line, so a line is the unit a reader checks.
    """
    lines = [line for line in answer.split("\n") if line.strip()]
    cited = sum(1 for line in lines if any(1 <= int(m) <= n_citations for m in _MARKER.findall(line)))
    return cited, len(lines)


# -- abstention ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Abstention:
    """Abstaining is the positive class; an unanswerable question is a positive case."""

    tp: int  # unanswerable, abstained
    fp: int  # answerable, abstained (wrongly refused)
    fn: int  # unanswerable, answered
    tn: int  # answerable, answered

    @classmethod
    def count(cls, cases: Iterable[tuple[bool, bool]]) -> "Abstention":
        """From (answerable, abstained) pairs."""
        c = Counter((bool(a), bool(b)) for a, b in cases)
        return cls(c[(False, True)], c[(True, True)], c[(False, False)], c[(True, False)])

    @property
    def precision(self) -> float | None:
        """Share of abstentions that were right; None when nothing was refused."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """Share of unanswerable questions refused; None when there are none."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN); None when there is neither an abstention nor an unanswerable question."""
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else None

    @property
    def refused_rate(self) -> float | None:
        """Share of answerable questions wrongly refused; None when there are none."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else None

    @property
    def accuracy(self) -> float | None:
        """Share of questions where the answer/abstain decision was right."""
        n = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / n if n else None


# -- latency ---------------------------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (linear interpolation, as numpy), None for no values."""
    return float(np.percentile(values, p)) if len(values) else None


def mean(values: Iterable[float | bool]) -> float | None:
    vals = [float(v) for v in values]
    return sum(vals) / len(vals) if vals else None


# -- document rankings (BEIR) ----------------------------------------------------------------------
def ndcg_at(ranked: Sequence[str], qrels: dict[str, int], k: int) -> float:
    """nDCG@k with gain = relevance grade and discount log2(rank + 1), as pytrec_eval (BEIR).

    Two relevant documents at ranks 1 and 3 of 10, both grade 1: DCG = 1 + 1/2 = 1.5,
    ideal DCG = 1 + 1/log2(3) = 1.631, nDCG = 0.920.
    """
    dcg = sum(qrels.get(d, 0) / math.log2(i + 1) for i, d in enumerate(ranked[:k], start=1))
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def doc_recall_at(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant documents found in the top k (0 when nothing is relevant)."""
    rel = set(relevant)
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order without repeats (passages -> their documents)."""
    return list(dict.fromkeys(items))
