"""Abbreviations: which one a question asks about ("What does RAA stand for?") and what a sentence
gives it for ("the Reciprocal Access Agreement (RAA)"). Pure functions of the texts."""

from __future__ import annotations

import re

# "What does RAA stand for?", "what does the abbreviation C3 mean", "is ACSA short for": the abbreviation.
_ASKS_EXPANSION = re.compile(
    r"\b(?:does|do|did)\s+(?:the\s+)?(?:abbreviation\s+|acronym\s+|initials\s+)?[“\"'‘]?([A-Z][A-Za-z0-9]*[A-Z0-9])[”\"'’]?"
    r"\s+(?:stands?|mean)\b|\b([A-Z][A-Za-z0-9]*[A-Z0-9])\s+(?:is\s+)?short for\b")


# "What does ANKASAM mean by the TSCF?": the abbreviation after "mean by", not the source before it.
_MEANT_BY = re.compile(r"\bmeans?\s+by\s+(?:the\s+)?[“\"'‘]?([A-Z][A-Za-z0-9]*[A-Z0-9])\b")


def asked_abbreviation(question: str) -> str | None:
    m = _MEANT_BY.search(question) or _ASKS_EXPANSION.search(question)
    return next(g for g in m.groups() if g) if m else None


def expansion(abbreviation: str, sentence: str) -> str | None:
    """What the sentence gives the abbreviation for: the words before it whose initials spell it
    ("explosive chemical, biological, radiological and nuclear (CBRN) materials"), else the
    capitalised name before it ("Mutual Access Agreements (RAA)"), or the words in brackets after it
    ("a new C3 (command, control and communication)"); None when it gives nothing."""
    a = re.escape(abbreviation)
    for m in re.finditer(rf"[“\"”]?\s*\(\s*(?:hereinafter\s+|hereafter\s+)?{a}\s*\)", sentence):
        spelt = _spelt_before(sentence[: m.start()], abbreviation)
        if spelt:
            return spelt
    m = re.search(rf"((?:[A-Z][\w-]*\s+(?:(?:of|for|and|on|the|in|to)\s+)*)*[A-Z][\w-]*)\s*[“\"”]?\s*\(\s*{a}\s*\)", sentence)
    if m:
        return m.group(1)
    m = re.search(rf"(?<![\w-]){a}\s*\(([^()]{{3,80}})\)", sentence)
    return m.group(1).strip() if m else None


_LINKING = {"and", "of", "for", "on", "in", "to", "the", "&"}


def _spelt_before(text: str, abbreviation: str) -> str | None:
    """The end of text whose words' initials spell the abbreviation's letters, linking words
    ("and", "of") aside and each part of a hyphenated word counted: "Acquisition and Cross-Servicing
    Agreements" for ACSA."""
    letters = [c.lower() for c in abbreviation if c.isalpha()]
    words_at = list(re.finditer(r"[A-Za-z][\w’'-]*", text))
    initials: list[str] = []
    for m in reversed(words_at):
        if m.group().lower() in _LINKING:
            continue
        initials[:0] = [part[0].lower() for part in m.group().split("-") if part]
        if len(initials) >= len(letters):
            return text[m.start() :].strip(" ,“\"”") if initials == letters else None
    return None
