"""What a question names that the corpus lacks ("Brazil", "1990", "the Berlin Wall", "the 2023
Defense White Paper"): a question about it cannot be answered from these documents."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .asks import YEAR
from .followup import proper_nouns
from .kinds import country_names, country_of_capital, is_country
from .lexical import LexicalIndex
from .spelling import near_words
from .text import terms, zipf


def absent_names(question: str, lexical: LexicalIndex, texts: Sequence[str] = ()) -> list[str]:
    """Named things and years in the question that occur nowhere in the corpus ("Brazil", "2010";
    "the Berlin Wall", whose everyday word the corpus lacks although "Berlin" is there). A question
    about them cannot be answered from these documents, however close the rest looks. `texts`, the
    documents at hand, tell a slip of the keys ("the South China See") from such a name."""
    missing = []
    for start, _, phrase in proper_nouns(question):
        if start == 0 or question[:start].rstrip().endswith((".", "?", "!")):
            first, _, rest = phrase.partition(" ")
            if not rest:
                continue  # capitalised only because it opens the question or a sentence of it ("Roughly", "Combine")
            if first.lower() in _OPENING_WORDS:
                phrase = rest  # "Which Gulf state ...?" asks about "Gulf"
        if len(phrase) <= 1:
            continue  # an initial ("U.S.")
        owned = re.split(r"[’']s\s+", phrase, maxsplit=1)
        if len(owned) == 2 and is_country(owned[0]):  # "Germany's Bundestag": Germany is there, its Bundestag not
            phrase = owned[1]
        ts = terms(phrase)
        if ts and (all(t not in lexical.doc_freq for t in ts) or _lacks_its_noun(phrase, lexical, texts)) \
                and not _known_as_countries(phrase, lexical):
            missing.append(phrase)
    for year in re.findall(rf"\b{YEAR}\b", question):
        if year not in lexical.doc_freq:
            missing.append(year)
    # "the 2023 Defense White Paper": an edition the documents may not hold though they hold 2023
    # and the 2021 White Paper; it is there when its year stands near its name's last word.
    for m in _EDITION.finditer(question):
        year, name = m.group(1), m.group(2)
        if len(name.split()) < 2 or is_country(name.split()[0]) or year in missing or any(p in name for p in missing):
            continue  # "in 2023 UK ...", "the 1960 US-Japan treaty": a year beside a country, no edition
        noun = re.escape(name.split()[-1])
        near = rf"\b{year}\b.{{0,80}}\b{noun}\b|\b{noun}\b.{{0,80}}\b{year}\b"
        if texts and not any(re.search(near, t, re.IGNORECASE | re.DOTALL) for t in texts):
            missing.append(f"the {year} {name}")
    return missing


# Words opening a question, capitalised only for that ("Which Gulf state ...?").
_OPENING_WORDS = {"which", "what", "who", "whose", "whom", "when", "where", "why", "how", "is", "are", "was", "were",
                  "do", "does", "did", "has", "have", "had", "can", "could", "will", "would", "should", "in", "on", "at"}


def _known_as_countries(phrase: str, lexical: LexicalIndex) -> bool:
    """Whether the corpus holds the country a phrase names under one of its names ("Spanish",
    "America's": Spain, the US; "Paris": France), or each of the countries of a compound or a pair
    ("Franco-Japanese", "Tokyo and Paris": Japan and France, though the corpus never writes them)."""
    def held(name: str) -> bool:
        return bool(terms(name)) and all(t in lexical.doc_freq for t in terms(name))

    def country_held(part: str) -> bool:  # "Paris" is known as the France the corpus names
        return any(held(name) for name in country_names(part) or country_of_capital(part))

    parts = [p for p in re.split(r"\s+and\s+|,\s*|-", phrase) if p]  # "Franco-Japanese", "Tokyo and Paris"
    return country_held(phrase) or (len(parts) > 1 and all(country_held(p) or held(p) for p in parts))


_EDITION = re.compile(rf"\b({YEAR})\s+((?:[A-Z][\w-]*\s+){{0,4}}[A-Z][\w-]*)")


def _lacks_its_noun(phrase: str, lexical: LexicalIndex, texts: Sequence[str]) -> bool:
    """True when a name of several words ends in an everyday word the corpus lacks ("Wall" of
    "Berlin Wall") and no document writes the name with a word one slip away instead ("South China
    Sea" for "South China See"). Only the last word, the noun: "Latin American countries" are
    countries the corpus may name, and a rare word ("Fumio" of "Fumio Kishida") may go unsaid."""
    parts = phrase.split()
    noun = parts[-1]
    if len(parts) < 2 or zipf(noun) < 4.0 or not terms(noun) or all(t in lexical.doc_freq for t in terms(noun)):
        return False
    near = [v for v, _ in near_words(noun.lower(), lexical.vocabulary, 1, limit=20)]
    written = (re.escape(" ".join([*parts[:-1], v])) for v in near)
    return not any(re.search(rf"\b{p}\b", t, re.IGNORECASE) for p in written for t in texts)
