"""The sentences of the retrieved passages that an answer is chosen from, and the measures the
answer step compares them by: the question's term weights and each sentence's share of them, the
sentence before one that refers back, and whether two sentences are the same, similar, near
duplicates or how far apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .asks import DATE
from .followup import proper_nouns
from .lexical import LexicalIndex
from .schema import Document, Hit, Passage
from .text import sentence_spans, stem, terms, words, zipf

# A sentence that opens by referring back ("It was the late Prime Minister Shinzo Abe who
# announced it") is embedded together with the sentence before it, and what only that sentence
# names counts half of its word coverage. Only an opening pronoun: one later in the sentence
# ("In 2021, they held ...") refers back less surely, and reading those in context cost two dev
# questions their answer.
_REFERS_BACK = re.compile(r"^(?:It|Its|This|These|They|Their|He|She|His|Her|Such|The latter|The former|Since then|After that|By then|Until then|At that time)\b"
                          r"|^(?:[\w-]+,?\s+){1,3}(?:this|these|those|such)\s")  # "In reality, these exercises ..."


_LOOKBACK = 600  # characters before a passage searched for its first sentence's predecessor
# A sentence opening by pointing at the one before ("This pushed Japan further ...").
ANAPHOR = re.compile(r"^(This|That|These|Those|Such|In other words)\b")
# A sentence opening by drawing a consequence ("Therefore, ...", "For this reason, ..."): the
# reason stands in the sentence before it.
CONSEQUENCE = re.compile(r"^(?:For (?:this|that|these|those) reasons?|That is why|This is why|Therefore|Hence|Thus"
                         r"|Consequently|As a (?:result|consequence)|Because of (?:this|that))\b")
ENUMERATION = re.compile(r"[^,;]{2,60},\s+(?=[^,;]{2,60}(?:,|\s+and\s))")  # "a, b, c and d": items followed by more


@dataclass
class Sentence:
    rank: int  # rank of the hit it came from (0 = best passage)
    doc: Document
    passage: Passage
    start: int
    end: int
    text: str
    before: str = ""  # the sentence before, when this one refers back to it ("It was Abe who announced it")
    coverage: float = 0.0
    dense: float = 0.0
    score: float = 0.0
    vec: np.ndarray | None = None


def question_weights(question: str, lexical: LexicalIndex) -> dict[str, float]:
    """Each distinct question term with its idf; a term the corpus lacks weighs as much as the
    rarest term (an everyday word less), since a question about something absent must not look answered."""
    qterms = dict.fromkeys(lexical.query_terms(question))
    rare = float(np.log(1 + (lexical.n + 0.5) / 1.5)) if lexical.n else 1.0
    return {t: (lexical.idf(t) or (rare * _EVERYDAY if zipf(t) >= 5.0 else rare)) for t in qterms}


# A question word the corpus lacks weighs as its rarest term, but an everyday word ("buy", "money",
# Zipf frequency 5 or more: once in 100,000 words) only 0.3 of that: "what kind of american weapons
# is japan going to buy" is not about something absent. 0.3 chosen on dev from 1 / 0.5 / 0.3 / 0.1.
_EVERYDAY = 0.3
# Ordinals count as their numbers when matching a question's words: "number seven" is "the seventh".
_ORDINALS = {stem(o): stem(n) for o, n in (
    ("first", "one"), ("second", "two"), ("third", "three"), ("fourth", "four"), ("fifth", "five"), ("sixth", "six"),
    ("seventh", "seven"), ("eighth", "eight"), ("ninth", "nine"), ("tenth", "ten"), ("eleventh", "eleven"), ("twelfth", "twelve"))}


def coverage(weights: dict[str, float], text: str) -> float:
    """Share of the question's term weight present in text (0..1)."""
    total = sum(weights.values())
    if total == 0:
        return 0.0
    have = set(terms(text))
    have |= {_ORDINALS[t] for t in have if t in _ORDINALS}
    return sum(w for t, w in weights.items() if t in have) / total


def candidates(hits: list[Hit], docs: dict[str, Document]) -> list[Sentence]:
    seen: set[tuple[str, int]] = set()
    out: list[Sentence] = []
    for rank, hit in enumerate(hits):
        doc = docs[hit.passage.doc_id]
        p = hit.passage
        previous = ""
        for s, e in sentence_spans(doc.text, max(0, p.start - _LOOKBACK), p.end, footnotes=True):
            text, prev = doc.text[s:e], previous
            previous = text
            if s < p.start or (doc.doc_id, s) in seen or e - s < 20 or text.startswith("#"):
                continue
            seen.add((doc.doc_id, s))
            out.append(Sentence(rank, doc, p, s, e, text, antecedent(text, prev)))
    return out


def opens_line(s: Sentence) -> bool:
    """Whether nothing but white space stands before s on its line."""
    return not s.doc.text[s.doc.text.rfind("\n", 0, s.start) + 1 : s.start].strip()


def antecedent(sentence: str, previous: str) -> str:
    """The sentence before, when this one opens by referring back to it or that one introduces
    it ("According to a Reuters story published on March 13, 2015:"); else ""."""
    refers = _REFERS_BACK.match(sentence) or previous.rstrip().endswith(":")
    return previous if refers and not previous.startswith("#") else ""


def near_duplicate(a: str, b: str) -> bool:
    wa, wb = set(words(a)), set(words(b))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.7


def entities(text: str, question: str) -> set[str]:
    asked = {w.lower() for w in words(question)}
    found = {p.lower() for _, _, p in proper_nouns(text)} | {m.group().lower() for m in DATE.finditer(text)}
    return {f for f in found if not set(words(f)) <= asked}


def best_per_passage(ranked: list[Sentence]) -> list[Sentence]:
    seen: set[str] = set()
    out = []
    for s in ranked:
        if s.passage.chunk_id not in seen:
            seen.add(s.passage.chunk_id)
            out.append(s)
    return out


def distance(a: Sentence, b: Sentence) -> int:
    """How many sentences apart a and b are in their document (neighbours are 1 apart)."""
    lo, hi = sorted((a.start, b.start))
    return len(sentence_spans(a.doc.text, lo, hi, footnotes=True))


def similar(a: Sentence, b: Sentence) -> bool:
    """The two sentences speak of the same thing: embedding cosine of at least 0.5 ("the QUAD
    began in 2017" and "QUAD (initiated in 2007": 0.71; a 2015 date and the 1951 constitution: 0.09)."""
    return a.vec is not None and b.vec is not None and float(a.vec @ b.vec) >= 0.5


def same(a: Sentence, b: Sentence) -> bool:
    return a.doc.doc_id == b.doc.doc_id and a.start == b.start
