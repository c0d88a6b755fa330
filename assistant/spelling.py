"""Correct misspelt question words against the corpus vocabulary ("Germny" -> "germany")."""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .text import STOPWORDS, zipf

_WORD = re.compile(r"[A-Za-z]{4,}")
_LONG_NAME = 8  # letters: a name this long, one slip from a corpus name, is that name
_QUESTION_WORDS = {"which", "what", "when", "where", "whose", "whom"}
# Names written two ways, older and newer, too far apart for an edit to join: a question's "Kyiv"
# is the "Kiev" of an older document.
_SPELLED_BOTH_WAYS = [("kyiv", "kiev"), ("kharkiv", "kharkov"), ("odesa", "odessa"), ("beijing", "peking"),
                      ("myanmar", "burma"), ("mumbai", "bombay"), ("chennai", "madras"), ("kolkata", "calcutta"),
                      ("turkiye", "turkey"), ("belarus", "byelorussia"), ("guangzhou", "canton")]
_VARIANTS = {a: b for pair in _SPELLED_BOTH_WAYS for a, b in (pair, pair[::-1])}


def correct(question: str, vocabulary: dict[str, int], capitalised: dict[str, int] | None = None) -> str:
    """The question with each unknown word of 4+ letters replaced by the most frequent corpus word
    within one edit (two edits for words of 8+ letters). Known words, stop words, common English
    words and words with no close match are left as they are, so a real word is never "fixed".
    Two swapped letters count as one edit ("jion" -> "join"), as they are one slip of the fingers.
    A word typed with a capital inside the question is meant as a name: of equally close words, one
    the corpus mostly writes with a capital (`capitalised`: occurrences so written) comes first
    ("Bejing" -> "Beijing", not "Being"). A name the corpus spells the other way is written its way
    ("Kyiv" -> "Kiev")."""
    capitalised = capitalised or {}

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        low = word.lower()
        if low in vocabulary or low in STOPWORDS:
            return word
        variant = _VARIANTS.get(low)
        if variant in vocabulary:
            return variant.capitalize() if word[0].isupper() else variant
        if _is_english(low):
            return word
        # Proper-noun vocabulary words are lower-cased too; prefer the most frequent close word.
        # A word seen once must be common English to be a target ("jion" -> "join"), not a one-off
        # token; or a long name, typed as one, that the corpus writes once as a name ("Bundeswher").
        as_name = word[0].isupper() and m.start() > 0

        def unlike_a_name(w: str) -> bool:  # sorts after one the corpus mostly writes with a capital
            return as_name and 2 * capitalised.get(w, 0) <= vocabulary[w]

        # "wich country": a question word ("which") before a word more frequent in the corpus ("with").
        candidates = [(dist, w not in _QUESTION_WORDS, unlike_a_name(w), -vocabulary[w], w)
                      for w, dist in near_words(low, vocabulary, 1 if len(low) < 8 else 2)
                      if vocabulary[w] >= 2 or _is_english(w) or (as_name and len(low) >= _LONG_NAME and capitalised.get(w))]
        if not candidates:
            return word
        best = min(candidates)[-1]
        return best.capitalize() if word[0].isupper() else best

    return _WORD.sub(fix, question)


def near_words(word: str, vocabulary: dict[str, int], edits: int, limit: int = 10) -> list[tuple[str, int]]:
    """(vocabulary word, edits) for the closest `limit` words within `edits` edits of the lower-case
    `word` that start with its letter; two swapped letters count as one edit."""
    matches = process.extract(word, vocabulary.keys(), scorer=OSA.distance, score_cutoff=edits, limit=limit)
    return [(w, dist) for w, dist, _ in matches if w[:1] == word[:1]]


def _is_english(word: str) -> bool:
    """A common English word ("capital") is a real word the corpus lacks, not a typo. Zipf 3 is
    about once per million words; frequent misspellings ("goverment") sit near 2.7."""
    return zipf(word) >= 3.0
