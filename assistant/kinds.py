"""Named things of the kind a "which/what <noun>" question asks for: countries, or capitalised
phrases headed by the question's noun ("what islands" -> "Senkaku Islands").

An answer to "which countries signed ..." must name countries; a sentence that only repeats the
agreement's name answers nothing, however close it looks. These functions say which things of
the asked kind a sentence names, so the answer step can prefer sentences that name one and quote
further sentences only when they name a new one.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from .followup import proper_nouns
from .text import STOPWORDS, terms

# Offices a person holds: "which prime minister" asks for a person, not for a kind of thing.
ROLES = (r"minister|president|secretary|ambassador|chancellor|premier|governor|senator|general|admiral|commander|"
         r"chief|director|chairman|chairwoman|chair|spokesman|spokeswoman|spokesperson|leader|official|officer|king|queen|prince|"
         r"journalist|reporter|correspondent|columnist|editor|writer")
_ROLE_NOUN = re.compile(rf"(?:{ROLES})s?", re.IGNORECASE)
# Nouns whose things are countries ("which partners", "what nations").
_COUNTRY_NOUNS = {"country", "countries", "nation", "nations", "partner", "partners", "state", "states", "ally", "allies"}
# Everyday names that ISO 3166 spells otherwise ("Russian Federation", "Viet Nam"), with the
# country they stand for, so "the US" and "the United States" are one country, not two.
_ALIASES = {
    "US": "USA", "U.S.": "USA", "USA": "USA", "America": "USA", "United States": "USA",
    "UK": "GBR", "U.K.": "GBR", "Britain": "GBR", "Great Britain": "GBR", "England": "GBR",
    "Russia": "RUS", "South Korea": "KOR", "Korea": "KOR", "North Korea": "PRK", "Vietnam": "VNM",
    "Taiwan": "TWN", "Iran": "IRN", "Syria": "SYR", "Laos": "LAO", "Bolivia": "BOL",
    "Venezuela": "VEN", "Tanzania": "TZA", "Moldova": "MDA", "Czech Republic": "CZE", "Turkey": "TUR",
    "Brunei": "BRN", "East Timor": "TLS", "Holland": "NLD", "Micronesia": "FSM",
}
# What a people or language is called, for the country it names ("Spanish ships" are Spain's):
# a question's "Spanish" is about the Spain of the documents.
_DEMONYMS = {
    "American": "USA", "British": "GBR", "English": "GBR", "French": "FRA", "German": "DEU", "Spanish": "ESP",
    "Italian": "ITA", "Dutch": "NLD", "Belgian": "BEL", "Portuguese": "PRT", "Greek": "GRC", "Polish": "POL",
    "Swedish": "SWE", "Norwegian": "NOR", "Danish": "DNK", "Finnish": "FIN", "Irish": "IRL", "Swiss": "CHE",
    "Austrian": "AUT", "Czech": "CZE", "Hungarian": "HUN", "Romanian": "ROU", "Ukrainian": "UKR", "Russian": "RUS",
    "Turkish": "TUR", "Canadian": "CAN", "Mexican": "MEX", "Brazilian": "BRA", "Argentine": "ARG",
    "Argentinian": "ARG", "Chilean": "CHL", "Chinese": "CHN", "Japanese": "JPN", "Korean": "KOR",
    "South Korean": "KOR", "North Korean": "PRK", "Taiwanese": "TWN", "Vietnamese": "VNM", "Thai": "THA",
    "Filipino": "PHL", "Philippine": "PHL", "Indonesian": "IDN", "Malaysian": "MYS", "Singaporean": "SGP",
    "Indian": "IND", "Pakistani": "PAK", "Bangladeshi": "BGD", "Sri Lankan": "LKA", "Nepalese": "NPL",
    "Australian": "AUS", "Iranian": "IRN", "Iraqi": "IRQ", "Israeli": "ISR", "Saudi": "SAU",
    "Emirati": "ARE", "Egyptian": "EGY", "Nigerian": "NGA", "Kenyan": "KEN", "South African": "ZAF",
    "Ethiopian": "ETH", "Mongolian": "MNG", "Cambodian": "KHM", "Laotian": "LAO", "Burmese": "MMR",
    "Lithuanian": "LTU", "Latvian": "LVA", "Estonian": "EST", "Slovak": "SVK", "Bulgarian": "BGR",
    "Serbian": "SRB", "Croatian": "HRV", "Djiboutian": "DJI", "Kazakh": "KAZ", "Georgian": "GEO",
}
# A capital stands for its government ("Seoul and Tokyo are working together"): the capitals of
# the states the documents' politics is about, for the country each names.
_CAPITALS = {
    "Tokyo": "JPN", "Seoul": "KOR", "Beijing": "CHN", "Washington": "USA", "Moscow": "RUS", "Berlin": "DEU",
    "Paris": "FRA", "London": "GBR", "Canberra": "AUS", "New Delhi": "IND", "Pyongyang": "PRK", "Taipei": "TWN",
    "Manila": "PHL", "Hanoi": "VNM", "Jakarta": "IDN", "Rome": "ITA", "Ottawa": "CAN", "Kyiv": "UKR", "Kiev": "UKR",
    "Wellington": "NZL", "Bangkok": "THA", "Kuala Lumpur": "MYS", "Madrid": "ESP", "Warsaw": "POL", "Ankara": "TUR",
    "Brasilia": "BRA", "Tehran": "IRN", "Islamabad": "PAK", "Dhaka": "BGD", "Colombo": "LKA", "Ulaanbaatar": "MNG",
}
# The first half of a compound naming two peoples ("Franco-Japanese", "Sino-US"), for its country.
_COMBINING_FORMS = {"Franco": "FRA", "Sino": "CHN", "Anglo": "GBR", "Russo": "RUS", "Nippo": "JPN", "Italo": "ITA",
                    "Austro": "AUT", "Germano": "DEU", "Hispano": "ESP", "Luso": "PRT", "Greco": "GRC", "Turco": "TUR"}
# "which/what [up to three words] NOUN <verb>": "which countries signed", "what little islands do".
_AUX = r"(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should|may|might)"
# No article between: "what an ACSA is for" asks what it is, not for things of a kind.
_SKIP = rf"(?!(?:{_AUX}|a|an|the|this|that|its|their)\b)"
_HEAD = re.compile(
    rf"\b(?:which|what)\s+(?:{_SKIP}[\w-]+\s+){{0,3}}?{_SKIP}([a-z][\w-]*)\s+(?:{_AUX}|[a-z]+ed)\b",
    re.IGNORECASE,
)
_NOT_HEAD = {"kind", "sort", "type", "one", "ones", "thing", "things", "stuff", "year", "date", "month", "day", "time"}
# Machines known by a model's or a ship's name: "which fighter jets" asks for "F-35" or "Eurofighter
# Typhoon jets", "which destroyer" for "the destroyer Ise", not for "combat aircraft".
_MODEL_KINDS = {"aircraft", "jet", "jets", "destroyer", "destroyers", "frigate", "frigates", "carrier", "carriers", "warship",
                "warships", "submarine", "submarines"}
_DESIGNATION = re.compile(r"(?<![\w-])[A-Z]{1,4}-?\d{1,3}[A-Z]?(?![\w-])")  # F-35, P-1, KC-46A
# Public bodies are named with the word itself ("which ministry": "the Ministry of Defence").
_BODY_KINDS = {"ministry", "ministries", "department", "departments", "committee", "committees", "council", "councils"}
# A place is named where something happens: "in Tallinn", "at Camp David", "from Beijing"; a city's
# name alone is often its government ("Tokyo plans ...", "the Kishida government").
_PLACE_KINDS = {"city", "cities", "town", "towns", "capital", "port", "site", "sites", "base", "bases"}
# Kinds whose things are known only by name ("in which city", "which company"): the answer must
# name one, and no sentence naming none can answer, however close it is.
NAMED_KINDS = {*_PLACE_KINDS, "company", "companies", "firm", "firms",
               "manufacturer", "maker", "newspaper", "agency", "university", "party", *_MODEL_KINDS, *_BODY_KINDS}
# "which company", "which Japanese destroyer": a named kind, a word or two after "which" (not "what type of aircraft").
_ASKS_NAMED_KIND = re.compile(rf"\b(?:which|what)\s+(?:(?!(?:kind|sort|type)s?\b)[A-Za-z-]+\s+){{0,2}}?"
                              rf"({'|'.join(sorted(NAMED_KINDS))})\b", re.IGNORECASE)
_COMPANY_KINDS = {"company", "companies", "firm", "firms", "manufacturer", "maker"}
# Words naming a meeting, a pact or a plan ("Tokyo International Conference", "National Defence
# Strategy"): the thing named is no company and no person.
PLAN_WORDS = {"conference", "forum", "summit", "dialogue", "agreement", "treaty", "programme", "program", "strategy",
              "vision", "initiative", "framework", "partnership", "guidelines"}
# Words naming a public body, a programme or a pact, never a company.
_PUBLIC_BODIES = {"house", "ministry", "department", "council", "forces", "force", "navy", "army", "parliament", "diet",
                  "congress", "government", "office", "alliance", "organization", "organisation", "union", "nations",
                  "cabinet", "pentagon", *PLAN_WORDS,
                  *(set(ROLES.split("|")) - {"general", "chair"})}  # "Defence Minister Le Drian" is a person, not General Dynamics
_AT_A_PLACE = re.compile(r"\b(?:in|at|near|from|to|outside|inside)\s+(?:the\s+)?$", re.IGNORECASE)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# "What is the name of the agreement the UK and Japan signed?": the noun a name is asked for.
_NAME_OF = re.compile(r"\bname of (?:the|a|an|its|their|this|that)\s+(?:[A-Za-z][\w-]*\s+){0,2}?([a-z][\w-]*)"
                      r"(?=\s+(?:[A-Z][\w-]*|that|which|who|whom|whose|of|in|on|at|for|to|with|by|from|the|a|an|is|was|did|does|do|has|had|[a-z]+ed)\b|\s*[?,.]|$)")
_KIND_OF = re.compile(r"\b(?:kinds?|sorts?|types?) of\b", re.IGNORECASE)  # "what kinds of information": a description
_SUCH_AS = re.compile(r"\b([\w-]+),?\s+(?:such as|including|like|namely)\s+([^,;.]{3,80})")  # "moves, such as X"
# What a text says something is called: "code-named Freedom Edge", "known as the “Quad”".
_CALLED = re.compile(r"\b(?:called|named|known as|dubbed|code-?named|titled)\s+(?:the\s+)?[“\"]?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,120})[”\"]")


@lru_cache(maxsize=1)
def _countries() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern matching every country name, longest first, and name -> ISO alpha-3 code."""
    names = dict(_ALIASES)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:  # "Korea, Republic of" is how a list sorts it, not how text names it
                names.setdefault(value, c.alpha_3)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), names


def asked_kind(question: str) -> str | None:
    """The noun of a "which/what <noun> ..." question ("islands"), "country" for nouns whose
    things are countries, or None when the question asks for no kind of named thing."""
    named = _ASKS_NAMED_KIND.search(question)
    if named:  # "which company manufactures ...": no auxiliary verb needed to see the noun
        return named.group(1).lower()
    name_of = _NAME_OF.search(question)
    if name_of:
        noun = name_of.group(1).lower()
        return None if _ROLE_NOUN.fullmatch(noun) or noun in ("person", "man", "woman") else noun
    m = _HEAD.search(question)
    if not m or m.group(1).lower() in _NOT_HEAD or _ROLE_NOUN.fullmatch(m.group(1)) or _KIND_OF.search(m.group()):
        return None
    noun = m.group(1).lower()
    return "country" if noun in _COUNTRY_NOUNS else noun


def countries(text: str, any_case: bool = False) -> set[str]:
    """ISO alpha-3 codes of the countries text names ("the UK and Britain" -> {"GBR"}). Names are
    capitalised in documents ("us" is no country there); `any_case` is for questions, which users
    type in lower case ("signed with japan")."""
    pattern, codes = _countries()
    if not any_case:
        return {codes[m.group()] for m in pattern.finditer(text)}
    folded = {n.lower(): c for n, c in codes.items()}
    return {folded[m.group().lower()] for m in re.finditer(pattern.pattern, text, re.IGNORECASE)}


def _names(text: str, question: str, place: bool = False) -> set[str]:
    """Capitalised names in text that could be a city's or a company's: not in the question, not a
    country or a people ("Ukrainian"), not an acronym (TSCF), not a month, not a capitalised opening
    or stop word ("This"); a `place` only where the text says something happens there ("in Tallinn")."""
    asked = question.lower()
    out = set()
    for start, end, p in proper_nouns(text):
        words = p.split()
        if place and not _is_a_place(text, start, end):
            continue
        if (p.lower() in asked or _only_countries(p) or p.isupper() or words[0] in MONTHS
                or (len(words) == 1 and (start == 0 or words[0].lower() in STOPWORDS)) or words[0] in ("The", "A", "An")):
            continue
        out.add(p.lower())
    return out


def _is_a_place(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] stands where something happens ("in Tallinn"), not for
    what a noun after it belongs to ("as in the Trump presidency", "in the Abe era")."""
    at = _AT_A_PLACE.search(text[max(0, start - 12) : start])
    if not at:
        return False
    return not (at.group().lower().rstrip().endswith("the") and re.match(r"\s+[a-z]", text[end:]))


def _models(kind: str, text: str, question: str) -> set[str]:
    """Designations ("F-35") and names standing next to the kind's word ("Typhoon jets", "the
    frigate Bayern") in text, not in the question."""
    asked = question.lower()
    stem = set(terms(kind))
    found = {m.group().lower() for m in _DESIGNATION.finditer(text)}
    for start, end, p in proper_nouns(text):
        near = " ".join(text[max(0, start - 20) : start].split()[-2:] + text[end : end + 20].split()[:2])
        if stem & set(terms(near)) and not _only_countries(p):
            found.add(p.lower())
    found = {re.sub(r"^[\w-]+['’]s\s+", "", f) for f in found}  # "Japan's P-1" is the P-1
    return {f for f in found if f not in asked}


def _only_countries(phrase: str) -> bool:
    """Whether a phrase names only countries or peoples ("France", "French and Italian")."""
    parts = [re.sub(r"^the\s+", "", w, flags=re.IGNORECASE) for w in re.split(r"\s+(?:and|or)\s+|,\s*", phrase) if w]
    return bool(parts) and all(is_country(w) or country_names(w) for w in parts)


def country_names(phrase: str) -> list[str]:
    """Every name of the country a phrase names or a people's word stands for ("Spanish" ->
    "Spain", "Kingdom of Spain", ...; "America's" -> "US", "United States", ...; "Franco" of
    "Franco-Japanese" -> "France", ...), or []."""
    bare = re.sub(r"[’']s$", "", phrase.strip())
    codes = _countries()[1]
    code = _DEMONYMS.get(bare) or _COMBINING_FORMS.get(bare) or codes.get(bare)
    if code is None:
        return []
    return [name for name, c in codes.items() if c == code]


@lru_cache(maxsize=1)
def _state_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern matching every country name, people's word and capital, and each one's code."""
    codes = {**_countries()[1], **_DEMONYMS, **_CAPITALS}
    alternation = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), codes


def country_of_capital(name: str) -> list[str]:
    """Every name of the state whose capital `name` is ("Paris": France, French, ...), or []."""
    code = _CAPITALS.get(name.strip())
    return [n for n, c in _state_words()[1].items() if c == code and n not in _CAPITALS] if code else []


def capital_names(text: str) -> set[str]:
    """What text names as a government by the other name of its state: the capital of a state it
    names ("the South Korean government": Seoul), the state of a capital it names ("Seoul": South
    Korea, Korea, South Korean, ...)."""
    pattern, codes = _state_words()
    out: set[str] = set()
    for m in pattern.finditer(text):
        if m.group() in _CAPITALS:
            out |= set(country_of_capital(m.group()))
        else:
            out |= {name for name, c in _CAPITALS.items() if c == codes[m.group()]}
    return out


def is_country(phrase: str) -> bool:
    """True when the phrase is a country's name and nothing more ("South Korea", not "U.S. Defense
    Secretary Ash Carter"); a possessive is still the country ("Sri Lanka’s")."""
    pattern, _ = _countries()
    return bool(pattern.fullmatch(re.sub(r"[’']s$", "", phrase.strip())))


def things_of_kind(kind: str, text: str, question: str) -> set[str]:
    """The things of `kind` that text names and the question does not: country codes for
    "country", else capitalised or quoted phrases with a word of the kind's stem ("Senkaku Islands",
    "“Agreement on the Security of Information”")."""
    if kind == "country":
        return countries(text) - countries(question, any_case=True)
    if kind in _MODEL_KINDS:
        return _models(kind, text, question)
    if kind in ("name", "names"):  # "What code name was given to the drills?": what the text says they are called
        asked = question.lower()
        return {n for n in (m.group(1).lower() for m in _CALLED.finditer(text)) if n not in asked}
    if kind in NAMED_KINDS and kind not in _BODY_KINDS:
        # "In which city was it signed?" asks for a place ("in Tallinn"); "which capital will New
        # Zealand coordinate with?" for a government ("with Canberra").
        where = re.search(rf"\b(?:in|at|to|from|near)\s+(?:which|what)\s+(?:[\w-]+\s+){{0,2}}?{kind}\b", question, re.IGNORECASE)
        names = _names(text, question, place=kind in _PLACE_KINDS and bool(where))
        if kind in _COMPANY_KINDS:  # "the White House", "the Global Combat Air Program" make nothing
            names = {n for n in names if not set(n.split()) & _PUBLIC_BODIES}
        return names
    stem = set(terms(kind))
    if not stem:
        return set()
    phrases = [p for _, _, p in proper_nouns(text)] + _QUOTED.findall(text)
    asked = question.lower()
    found = {p.lower() for p in phrases if stem & set(terms(p)) and p.lower() not in asked}
    # "What security moves ...": "... continues its security moves, such as a fighter jet plan, ...".
    for m in _SUCH_AS.finditer(text):
        if stem & set(terms(m.group(1))):
            found.add(m.group(2).strip().lower())
    return found
