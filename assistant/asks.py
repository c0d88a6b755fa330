"""What a question asks for (a date, a number, a name; one thing or several), and
the spans of a sentence that answer it. Pure functions of the question's and the sentence's text."""

from __future__ import annotations

import re

from .abbreviations import asked_abbreviation, expansion
from .followup import proper_nouns
from .kinds import MONTHS, PLAN_WORDS, ROLES, country_names, is_country
from .text import terms, word_cases, words

YEAR = r"(?:1[89]|20)\d\d"  # a year as documents write one
_MONTH = rf"(?:{'|'.join(MONTHS)})"
DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}},?\s+{YEAR}|\d{{1,2}}\s+{_MONTH}\s+{YEAR}|{_MONTH}\s+{YEAR}|{YEAR}-\d\d-\d\d"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]{YEAR}|(?:(?:mid|early|late)-)?(?:1[89]|20)\d0s|{YEAR})\b"
)
_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
                 "|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred")
# Ordinals count ("for the eighth consecutive year"), but not "first" and "second", which mostly
# say "for the first time" and "a second round" rather than how many.
_ORDINAL_WORDS = "third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|twentieth"
_NUMBER = re.compile(
    rf"(?:\b(?:{_NUMBER_WORDS}|{_ORDINAL_WORDS}|\d+(?:st|nd|rd|th))\b|(?<![\w.,-])\d(?:[\d,.]*\d)?(?:\s?%)?)(?:\s*(?:trillion|billion|million|thousand|percent|per cent))?(?:\s+(?:yen|dollars|euros|countries|years|nations|km|kilomet(?:er|re)s|miles|tons|tonnes))?",
    re.IGNORECASE,
)


_ASKS_MONEY = re.compile(r"\b(monetary|dollar|money|cost|costs|worth|price|budget|spend|spent|paid|pay)\b", re.IGNORECASE)
# The year an amount is for: "nine billion dollars for the period 2016-2020", "7.9 trillion yen in 2024".
_AMOUNT_FOR_A_YEAR = re.compile(rf"\s*(?:[\w-]+\s+){{0,3}}?(?:for|in|during)\s+(?:the\s+)?(?:period\s+|years?\s+|fiscal\s+(?:year\s+)?)?({YEAR})\b")
# An amount over several years: "43 trillion Yen, almost 304 billion euros over the five planned fiscal years".
_AMOUNT_OVER_YEARS = re.compile(r"[\s,]*(?:[\w-]+[\s,]+){0,5}?(?:over|across|during|for) (?:the )?(?:next |past |coming |following )?"
                                r"(?:\w+ )?(?:planned )?(?:fiscal )?years\b")
_ASKS_PRICE = re.compile(r"\b(cost|costs|price|worth|paid|pay)\b", re.IGNORECASE)
_FRACTION = re.compile(r"\b(?:(?:more|less) than |about |almost |nearly |over |some )?(?:half|a third|one third|two thirds"
                       r"|a quarter|one quarter|three quarters|a fifth|one fifth|a tenth)\b(?: of)?(?: the)?(?: [\w’'-]+){0,2}", re.IGNORECASE)
_SHARE_WORDS = "share|proportion|percentage|fraction|portion|slice"  # "what slice of its budget"
_ASKS_SHARE = re.compile(rf"\bhow much of\b|\bwhat (?:{_SHARE_WORDS}|part) of\b", re.IGNORECASE)
# "What is the range of the missiles" needs a distance, "how heavy" a weight: a measure with its unit.
_ASKS_MEASURE = re.compile(r"\b(range|length|distance|speed|weight|heavy)\b", re.IGNORECASE)
_MEASURE = re.compile(r"\s*\b(?:km|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|nautical|knots?|tons?|tonnes?|kg|kilograms?)\b", re.IGNORECASE)
_SPAN = r"\b(?:over|for|during|in) what (?:span|period|stretch|length of time)\b"  # "over what span had it done so?"
ASKS_DURATION = re.compile(rf"\bhow long\b|{_SPAN}", re.IGNORECASE)
_DURATION = re.compile(rf"\b(?:a matter of|a few|several|many|some|(?:{_NUMBER_WORDS}|\d+)(?:\s+or\s+(?:{_NUMBER_WORDS}|\d+))?)"
                       r"\s+(?:days?|weeks?|months?|years?|decades?)\b", re.IGNORECASE)
_STATE_WORDS = {"state", "countri", "nation"}  # terms of the words counting countries
_SCALE = re.compile(r"\b(?:billion|trillion|million)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"[$€£¥%]|\b(yen|dollars?|euros?|pounds?|USD|EUR|JPY|percent|per cent)\b", re.IGNORECASE)
# Soft cues: what a sentence answering the question tends to hold. They raise a sentence's score
# a little but, unlike the answer types, an answer is not refused for lacking them.
ASKS_WHY = re.compile(r"(?:^|[,;:—–]\s*(?:so |but |and |then )?)\s*why\b|\bwhat (is|was|are|were) the reasons?\b"
                      r"|\bfor what reason\b|\bon what (?:basis|grounds)\b"
                      r"|\bwhat (?:makes|made|drives|drove|pushes|pushed|prompts|prompted|motivates|motivated)\b",
                      re.IGNORECASE)
SOFT_CUES = (
    (re.compile(r"\b(called|known as|named|name of the \w+)\b", re.IGNORECASE),
     re.compile(r"\b(called|known as|so-called|named)\b|\([A-Z][A-Za-z0-9]{1,7}\)")),
    (ASKS_WHY,
     re.compile(r"\b(because|due to|owing to|given that|in view of|as a result|reasons?|so that|in order to|stems? from|stigma|fear)\b",
                re.IGNORECASE)),
    (re.compile(r"\bpurpose\b|\bwhat (?:is|are|was|were)\b[^?]*\bfor\s*\??\s*$|\bwhat (?:is|are) [^?]* used for\b", re.IGNORECASE),
     re.compile(r"\b(to facilitate|designed to|in order to|aims? to|purpose|framework for|so that|allows?|allowing|enables?)\b", re.IGNORECASE)),
)
ASKS_REPORTED = re.compile(r"\b(reported|published|written)\b", re.IGNORECASE)
SPEECH = re.compile(r"\b(said|says|say|told|stated|states|according to|announced|declared|added)\b|[“\"]", re.IGNORECASE)
# "What did the minister say" needs someone quoted; "what does article 9 say" does not.
ASKS_SPEECH = re.compile(
    r"\b(who|minister|official|president|spokes\w*|secretary|ambassador|leader|chief|analysts?|experts?|he|she|they)\b"
    r".*\b(say|said|says|tell|told)\b",
    re.IGNORECASE,
)


# "Who was Secretary General when Japan attended the summit?": a "when" in the middle of a question
# opened by another question word or by a yes-no question's verb ("did Japan stop ... when Tanaka
# went to Beijing?") sets the time of what is asked; it asks for no date, unless it opens a part of
# the question ("Who said it, and when?").
_WHEN_SETS_THE_TIME = re.compile(r"^\s*(?:according to [^,?]+,\s*)?(?:who|whose|what|whats|what[’']s|which|where|why|how"
                                 r"|did|does|do|is|are|was|were|has|have|had)\b"
                                 r"[^?]*?\s\bwhen\b")
# "When is NATO going to open its office?" asks when something will happen: a sentence telling of
# the past ("This followed Japan's first-ever participation ..., in December 2020") cannot date it.
ASKS_FUTURE = re.compile(r"\b(?:when|by when|what (?:year|date))\b[^?]*?\b(?:will|going to|due to|expected to|scheduled to|set to|supposed to)\b",
                         re.IGNORECASE)
FUTURE = re.compile(r"\b(?:will|would|shall|going to|plans?|planned|planning|expected|scheduled|set to|due to|aims?|aiming"
                    r"|intends?|until|by (?:the end of )?(?:19|20)\d\d|targets?|goal|next|future|upcoming|forthcoming)\b", re.IGNORECASE)
# "When Magnani calls it a bridge, how does he label ...?": a clause opened by "when", then the question.
_WHEN_CLAUSE_OPENS = re.compile(r"^\s*when\b[^?,]*,\s*(?:who|whose|what|which|where|why|how|does|did|do|is|are|was|were)\b")
_RELATIVE_TIME = re.compile(r"\b(?:recently|last (?:year|month|week)|earlier this year|this year|in recent years)\b", re.IGNORECASE)
_ASKS_DAY = re.compile(r"\b(?:what|which|exact) (date|day|month)\b", re.IGNORECASE)
_ASKS_WHEN = re.compile(r"(?:\band|,|\bor)\s+when\b|\bwhen\s*\??\s*$|\b(?:since|until) when\b|\bwhat year\b|\bin which year\b")


# "For a reader who has never heard of it", "what did the people who signed it agree to?": a "who"
# after a noun opens a relative clause and asks for no one (it is blanked before the person test).
_RELATIVE_WHO = re.compile(r"\b(?:a|an|the|someone|anyone|those|people)\s+(?:[\w-]+\s+){0,2}?who\b")


def answer_types(question: str) -> list[str]:
    """What kinds of thing the question asks for, in the order asked: "number", "date", "person";
    or "expansion" alone, for what an abbreviation stands for."""
    if asked_abbreviation(question):
        return ["expansion"]
    q = question.lower()
    found = []
    for kind, pattern in (
        ("number", rf"\bhow (many|much|big|large|high|long|far(?![^?]*\b(?:got|gone|come|get|go)\b)|heavy|fast)\b|\bwhat (?:range|distance|length|speed|weight)\b(?!\s+of\b)|\bwhat ({_SHARE_WORDS}|number|amount|size|value|budget|sum)\b|\bwhat (?:[\w-]+\s+)?(?:price|cost)\b|{_SPAN}|\b(monetary|dollar) value\b|\bpopulation\b"
                   r"|\bwhat (?:is|was|are|were|will be) the (?:[\w-]+\s+)?(?:range|cost|price|length|size|weight|speed|total|budget|distance) (?:of|between)\b"
                   r"|\bwhat (?:is|was|will be) (?:the |[\w-]+[’']s )(?:[\w-]+\s+){0,2}(?:budget|spending|population)\b"),
        ("date", r"\bwhen\b|\bwhat (year|date|month|day(?! of the week))\b|\bwhat (?:is|was) the (?:exact )?date\b|\bwhich (?:year|day(?! of the week)|month)\b|\bin what year\b"),
        ("person", rf"\bwho\b|\bwhose\b|\bname of the (?:[\w-]+\s+){{0,2}}?(?:{ROLES}|person|author)\b"
                   rf"|\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}?(?:{ROLES})s?\b"),
    ):
        m = re.search(pattern, _RELATIVE_WHO.sub(lambda r: r.group()[:-3] + "---", q) if kind == "person" else q)
        if m and kind == "date" and (_WHEN_SETS_THE_TIME.search(q) or _WHEN_CLAUSE_OPENS.search(q)) and not _ASKS_WHEN.search(q):
            continue
        if m and kind == "person" and _asks_for_a_state(question):
            continue
        if m:
            found.append((m.start(), kind))
    return [k for _, k in sorted(found)]


def short_answer(kind: str | None, sentence: str, question: str, document: str = "", relative: bool = False) -> str | None:
    """A span of the sentence that answers a when / how-many / who question, or what an
    abbreviation stands for; else None. `document`, the text the sentence comes from, lets a name
    be told from a titled thing (below). `relative` lets a time given relative to the writing
    ("recently", "last year") answer a when-question, for when no close sentence gives a date."""
    if kind == "expansion":
        abbreviation = asked_abbreviation(question)
        return expansion(abbreviation, sentence) if abbreviation else None
    if kind == "date":
        found = [m for m in DATE.finditer(sentence) if m.group() not in question]
        day = _ASKS_DAY.search(question)
        if day:  # "on what date did they meet": "since 2022" does not say
            found = [m for m in found if not re.fullmatch(YEAR, m.group())]
            if day.group(1).lower() != "month":  # "on exactly which day": not "September 2023"
                found = [m for m in found if re.search(r"(?<![\d.])\d{1,2}(?![\d])", m.group())]
            # "On what day and month did Abe give his 2007 speech?": a day of 2007, not "March 2022".
            asked_years = set(re.findall(YEAR, question))
            found = [m for m in found if not asked_years or any(y in m.group() for y in asked_years)]
        elif not found and relative:  # "Recently, Japan expressed ...": a time given only relative to the writing
            found = list(_RELATIVE_TIME.finditer(sentence))
        return _nearest(found, sentence, question).group() if found else None
    if kind == "number":
        # A bare year ("at the end of 2021") is a date, not the amount asked for; and "how many
        # troops" needs a number of troops, not any number in the sentence.
        if ASKS_DURATION.search(question):  # "how long did it take": "in a matter of months", "16 years"
            found_d = [m.group() for m in _DURATION.finditer(sentence) if m.group() not in question]
            return found_d[0] if found_d else None
        counted = re.search(r"\bhow many ((?:\w+\s+){0,2}\w+)", question, re.IGNORECASE)
        wanted = set(terms(counted.group(1))) if counted else set()
        if wanted & _STATE_WORDS:  # "with how many states": "with 7 countries"
            wanted |= _STATE_WORDS
        money = bool(_ASKS_MONEY.search(question)) and not counted  # "how many years was the budget a record": a count
        share = bool(_ASKS_SHARE.search(question))
        price = money and bool(_ASKS_PRICE.search(question))
        asked_years = set(re.findall(YEAR, question))
        measure = bool(_ASKS_MEASURE.search(question))
        found = []
        for m in _NUMBER.finditer(sentence):
            f = m.group().strip(" ,.;:")
            if not f or f in question or re.fullmatch(YEAR, f):
                continue
            after = " ".join(sentence[m.end() :].split()[:3])
            if f.lower() == "one" and after.lower().startswith("of "):
                continue  # "one of the countries most involved" counts nothing
            if wanted and not wanted & set(terms(f"{m.group()} {after}")):
                continue
            if money and not (_AMOUNT.search(f"{sentence[max(0, m.start() - 2):m.start()]} {m.group()} {after}")
                              or _SCALE.search(m.group())):  # "pay eight billion annually" is money
                continue  # "how much did it cost" needs an amount of money (or a share), not "two years"
            if measure and not (_MEASURE.search(m.group()) or _MEASURE.match(sentence, m.end())):
                continue  # "what is the range" needs "2,000 km", not "one" or "seven"
            when = _AMOUNT_FOR_A_YEAR.match(sentence, m.end())
            if asked_years and ((when and when.group(1) not in asked_years) or _AMOUNT_OVER_YEARS.match(sentence, m.end())):
                continue  # "How much did Japan pay in 1978?": not "nine billion dollars for the period 2016-2020"
            if price and unit(f) == "percent":
                continue  # "how much did the terminal cost" needs money, not "creditor of 9%"
            if share and unit(f) != "percent":
                continue  # "how much of its economy" asks for a share of it, not an amount
            found.append((not wanted & set(terms(m.group())), len(found), f))
        if not found and share:  # "what share of humanity": "more than half the world's population"
            fraction = _FRACTION.search(sentence)
            return fraction.group() if fraction else None
        # "How many euros": "42 billion euros" before the "5.4 trillion yen" whose next words hold "euros".
        return min(found)[2] if found else None
    if kind == "person":
        asked = {w.lower() for w in words(question)}
        names = [n for start, _, p in proper_nouns(sentence)
                 if start == 0 or sentence[start - 1] not in "“\"'‘"  # a quoted title is no one's name
                 if _names_someone(sentence[:start], p)
                 for n, titled in _people(p) if _looks_like_name(n) and not set(words(n)) <= asked
                 and words(n)[-1] not in asked  # "Who was India's prime minister when Abe spoke?": not Abe
                 and not _AN_ERA.match(sentence, start + len(p))  # "the Shinzo Abe era" is a time
                 and _holds_the_role(titled, question) and not _written_in_lower_case(n, document) and not is_country(n)
                 and not _ends_in_a_common_noun(n, document)]
        if names:
            return names[0]
        # "Who says ...?" is answered by whoever the sentence says it: "..., Japanese lawmakers and
        # government sources say." or "..., a senior U.S. official said." (a pronoun names no one).
        if not _ASKS_WHO_SAID.search(question):
            return None
        said = _SAID_BY.search(sentence) or _ACCORDING_TO.match(sentence)
        holds = _HOLDS_THAT.search(sentence)
        if said is None and holds and holds.group(1).split()[0].lower() not in _NOT_NAME_START | _PRONOUNS \
                and not re.search(r"\d", holds.group(1)):  # not "In 2020 Japan said that ..."
            said = holds
        return said.group(1) if said and said.group(1).lower() not in _PRONOUNS else None
    return None


def _nearest(found: list[re.Match[str]], sentence: str, question: str) -> re.Match[str]:
    """Of several dates answering the question, the one standing nearest the question's own words
    ("... increase defence spending until it reaches 2% of GDP in 2027" answers "by when will it hit
    2%", not the "December 2022" opening it); the first among equals, and a year standing for a
    fuller date the sentence gives ("the 2022 NATO Summit" beside "In June 2022") as that date."""
    if len(found) == 1:
        return found[0]  # most sentences give one date: no need to place the question's words
    places = _places(sentence, question)
    best = min(found, key=lambda m: _gap(m, places))
    return next((m for m in found if m is not best and best.group() in m.group()), best)


def _places(sentence: str, question: str) -> dict[str, list[int]]:
    """Where each question word stands in the sentence (character offsets)."""
    at: dict[str, list[int]] = {}
    asked = set(terms(question))
    for m in re.finditer(r"[\w%-]+", sentence):
        for t in asked & set(terms(m.group())):
            at.setdefault(t, []).append(m.start())
    return at


def _gap(span: re.Match[str], places: dict[str, list[int]]) -> float:
    """How far a span stands from the question's words: each word's nearest place, averaged."""
    if not places:
        return 0.0
    return sum(min(min(abs(a - span.start()), abs(a - span.end())) for a in at) for at in places.values()) / len(places)


_AN_ERA = re.compile(r"[’']?s?\s+(?:era|years|period|administration|doctrine)\b", re.IGNORECASE)
# Verbs of saying something or holding a view: present, third person, past, participle. A
# question asks "who says / believed / has been saying ...", and a sentence attributes a view:
# "Some commentators believe that ...", "Analysts point out that ...".
_VIEW_VERBS = (
    ("say", "says", "said", "saying"), ("state", "states", "stated", "stating"),
    ("claim", "claims", "claimed", "claiming"), ("argue", "argues", "argued", "arguing"),
    ("warn", "warns", "warned", "warning"), ("believe", "believes", "believed", "believing"),
    ("think", "thinks", "thought", "thinking"), ("consider", "considers", "considered", "considering"),
    ("suggest", "suggests", "suggested", "suggesting"), ("point out", "points out", "pointed out", "pointing out"),
    ("note", "notes", "noted", "noting"), ("predict", "predicts", "predicted", "predicting"),
    ("speculate", "speculates", "speculated", "speculating"), ("hold", "holds", "held", "holding"),
)
_VIEW_FORMS = "|".join(f for forms in _VIEW_VERBS for f in forms[:3])
# "Who holds the islets?" asks for a state (below): "hold" asks who said something only as "holds the view".
_ASKED_VIEW_FORMS = "|".join(f for forms in _VIEW_VERBS if forms[0] != "hold" for f in forms)
_ASKS_WHO_SAID = re.compile(rf"\bwho\b[^?]*\b(?:{_ASKED_VIEW_FORMS}|(?:hold|holds|held) (?:the view|that))\b", re.IGNORECASE)
_SAID_BY = re.compile(r"(?:^|[,”\"]\s+)((?:(?:a|an|the)\s+)?[^,;“”\"]{2,60}?)\s+(?:said|say|says|stated|added)[.”\"]*\s*$")
# "According to the comments frequently voiced in recent years, Tokyo has ...": whose view it is.
_ACCORDING_TO = re.compile(r"According to ((?:the |some |many |several )?[^,;“”\"]{3,80}?),\s")
# The opening words of "Some commentators believe that ..." say who holds the view.
_HOLDS_THAT = re.compile(rf"(?:^|^[^,;]{{0,60}},\s+)((?:[\w-]+\s+){{0,3}}?[\w-]+)\s+(?:{_VIEW_FORMS})\s+(?:that|about)\b")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}


def _written_in_lower_case(phrase: str, document: str) -> bool:
    """True when every word of the phrase also stands in lower case in the document: "National
    Defence Strategy" (national, defence, strategy) names a thing, while a person's name has a
    word the text never writes in lower case ("Abe", "Drian")."""
    if not document or _BODY.search(phrase):
        return False
    cases = word_cases(document, hyphenated=True)
    return all(cases.get(w.lower(), (0, 0, 0))[2] if re.fullmatch(r"[\w-]+", w)
               else re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", document)  # "Japan’s", "(JSDF)"
               for w in phrase.split() if w.lower() not in _NAME_PARTICLES)


def _ends_in_a_common_noun(phrase: str, document: str) -> bool:
    """True when the phrase's last word also stands in lower case in the document: "NATO Allies"
    (the text's "allies") are a group, not a person, whose surname the text never writes small. A
    body that acts ("the White House") is still someone."""
    last = phrase.split()[-1].lower()
    return bool(document) and not _BODY.search(phrase) and re.fullmatch(r"[\w-]+", last) is not None \
        and word_cases(document, hyphenated=True).get(last, (0, 0, 0))[2] > 0


# "Who holds the islets?", "who did not take part in the talks?", "who handed sovereignty over
# Taiwan?", "with whose backing?": asked of states and peoples ("the South Koreans", "the US and
# its allies"), not of a person's name; the closest sentence answers, with no name to pick out of it.
_ASKS_STATE = re.compile(r"\bwho\b[^?,;]*\b(?:sovereignty|holds?|held|holding|control(?:s|led|ling)?|owns?|occup\w+"
                         r"|administers?|took part|take part|taking part|participat\w+|hand(?:s|ed)? over|handed"
                         r"|transferr?\w*|belongs?|belonged|makes? up|made up|(?:ties|relations|partnerships?|cooperation) with"
                         r"|(?:go|goes|went|sent|given|supplied|provided|delivered) to|receiv\w*|gets? hit|hit (?:worst|hardest)"
                         r"|as (?:its |their )?(?:new )?(?:enem(?:y|ies)|threats?|rivals?|adversar(?:y|ies)))\b"
                         r"|\bwho (?:are|were)\b[^?]*\b(?:partners|allies|members|signatories)\b"
                         r"|\bwhose (?:backing|support|help|blessing|approval|acquiescence|consent)\b",
                         re.IGNORECASE)


# "Who foots the bill for the troops, the US or the Japanese?": the choices offered are states or peoples.
_CHOICES = re.compile(r",\s*(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s+or\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)\s*\?\s*$")
# "Who has been running peace-support operations?", "who pays for the troops?", "who prepares the
# white paper?", "who was behind the deal?": a body or a state
# (NATO, Japan) as often as a person; the closest sentence answers, with no person's name needed.
# Not "who leads": a team or a delegation is led by someone.
_ASKS_BODY = re.compile(r"\bwho\b[^?,;]*\b(?:run|runs|running|ran|organi[sz]\w*|host\w*|conduct\w*"
                        r"|fund\w*|financ\w*|pays?|paid|paying|foots? the bill"
                        r"|prepar\w*|publish\w*|issu(?:e|es|ed|ing)|draft\w*|compil\w*|behind|driv(?:e|es|en|ing)|drove)\b",
                        re.IGNORECASE)


def _asks_for_a_state(question: str) -> bool:
    """Whether a who-question is answered by a state, a people or a body rather than a person's name."""
    if _ROLE_IN_QUESTION.search(question) or _ASKS_WHO_SAID.search(question):
        return False
    choices = _CHOICES.search(question)
    offered = bool(choices) and all(country_names(c) for c in choices.groups())  # countries and peoples
    return bool(_ASKS_STATE.search(question) or _ASKS_BODY.search(question)) or offered


def _people(phrase: str) -> list[tuple[str, str]]:
    """Each name of "A and B" with its title as read: a people's word opening the first title
    carries over to a later one that has none ("French Defense Minister Le Drian and Foreign
    Minister Fabius": Fabius is a French minister)."""
    parts = re.split(r"\s+(?:and|or)\s+", phrase)
    first = parts[0].split()[0] if parts[0].split() else ""
    people = country_names(first) and not is_country(first)  # "French", not "France"
    return [(n, f"{first} {n}" if people and i and _ROLE_WORD.search(n) and not country_names(n.split()[0]) else n)
            for i, n in enumerate(parts)]


# "Who is the current Japanese defence minister?", "Which Japanese foreign minister ...": the holder of a role.
_ASKS_ROLE = re.compile(r"^\s*(?:who (?:is|was|are|were|has been) (?:the |a |an |[\w-]+[’']s )|(?:which|what) )", re.IGNORECASE)
_ROLE_WORD = re.compile(rf"\b(?:{ROLES})\b", re.IGNORECASE)
_ROLE_IN_QUESTION = re.compile(rf"((?:[\w-]+\s+){{0,2}})\b({ROLES})\b", re.IGNORECASE)
_NOT_OF_THE_ROLE = set(terms("current new former present latest incumbent then"))
_PREMIER = re.compile(r"\bpremier\b", re.IGNORECASE)


def _holds_the_role(name: str, question: str) -> bool:
    """For a question asking who holds a role, a name titled with another office or country does
    not answer: neither "French Defense Minister Jean-Yves Le Drian" nor "Japanese Prime Minister
    Shinzo Abe" is "the Japanese defence minister". A title contradicts the question when each
    names something the other lacks; a bare or a fuller one ("Minister X" or "French Defense
    Minister X" for "the defence minister") does not, nor does an untitled name. A body holds no
    office: "Indian Parliament" is no one's defence minister."""
    question = _PREMIER.sub("prime minister", question)  # one office, two names
    asked = _ROLE_IN_QUESTION.search(question) if _ASKS_ROLE.match(question) else None
    if asked is not None and _BODY.search(name):
        return False
    titles = list(_ROLE_WORD.finditer(name))
    if asked is None or not titles:
        return True
    title = set(terms(name[: titles[-1].end()]))
    return not (title - set(terms(question)) and set(terms(asked.group())) - _NOT_OF_THE_ROLE - title)


def unit(value: str) -> str:
    """What a short answer measures, so that only like values can disagree: "percent" (2%, 1 per
    cent), "money" (5.4 trillion yen, $3 billion) or "other" (a count, a date, a name)."""
    if re.search(r"%|\bper ?cent\b", value, re.IGNORECASE):
        return "percent"
    return "money" if _AMOUNT.search(value) else "other"


# Words that open a capitalised phrase without being part of a name ("From L", "In Tokyo").
_NOT_NAME_START = {"from", "in", "on", "at", "for", "by", "with", "after", "before", "during", "the", "a", "an",
                   "following", "according", "under", "including", "against", "between", "despite", "like", "unlike",
                   "this", "that", "these", "those", "since", "as", "but", "and", "or", "if", "when", "while",
                   *_NUMBER_WORDS.split("|")}


_NAME_PARTICLES = {"de", "da", "di", "du", "van", "von", "der", "den", "le", "la", "bin", "al"}


_TITLE_INITIALS = {"PM", "MP"}  # "PM Kishida"


# Last words of names of meetings, pacts and plans, never of a person (a body that can speak, "the
# White House", may answer "who welcomed ...": see _BODY).
_THING_HEADS = PLAN_WORDS | {"act", "law", "centre", "center", "guideline"}
_CALENDAR_WORDS = {"Date", "Day", "Days", "Week", "Month", "Year", "Years"}  # not "May": Theresa May


def _looks_like_name(phrase: str) -> bool:
    """Two or more capitalised words (or name particles), none a lone letter, not opening with a
    preposition or a number: "Jean-Yves Le Drian" but not "Use of Force", "From L" or "Three New Conditions"."""
    parts = phrase.split()
    if any(p.endswith(("’s", "'s")) for p in parts[:-1]):
        return False  # "Japan’s Legislation": a possessive opens a thing of someone's, not a name
    opens = parts[0].lower() if parts else ""
    if len(opens) >= 7 and opens.endswith("ing"):
        return False  # "Regarding Australia", "Concerning Japan": a participle opens the phrase, not a first name
    if any(re.fullmatch(r"[A-Z]{2,}", p) and p not in _TITLE_INITIALS for p in parts) and not _ROLE_WORD.search(phrase):
        return False  # "FOIP Vision", "NATO Allies": initials name a body or a plan; "US President X" is titled
    if any(p.strip(".,:;") in _CALENDAR_WORDS for p in parts):
        return False  # "(Access Date: 29.07.2024)" labels a date
    if parts and re.sub(r"s$", "", parts[-1].strip(".,:;").lower()) in _THING_HEADS:  # one or several
        return False  # "Tokyo International Conference", "National Defence Strategy": a meeting or a plan
    return (len(parts) >= 2 and opens not in _NOT_NAME_START
            and all(len(p.strip(".,")) >= 2 and (p[0].isupper() or p in _NAME_PARTICLES) for p in parts))


# A capitalised phrase after "the", "its", "a" ... is a thing ("its Strategic Internal National
# Security Guide"), not a person, unless it ends like a body that can act or speak ("the White House").
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that|these|those)\s+$", re.IGNORECASE)
_BODY = re.compile(r"\b(?:House|Ministry|Government|Office|Department|Council|Agency|Commission|Parliament|Cabinet|"
                   r"Secretariat|Embassy|Presidency|Administration|Committee|Senate|Congress|Diet|Court)$")


# Nobody is "in" or "on" someone: "in East Asia", "the Law on Cooperation in United Nations
# Peacekeeping Missions" name places and things.
_PLACE_BEFORE = re.compile(r"\b(?:in|on|at|into|onto|across|throughout)\s+$", re.IGNORECASE)


def _names_someone(before: str, phrase: str) -> bool:
    if _PLACE_BEFORE.search(before[-12:]):
        return False
    return not _DETERMINER_BEFORE.search(before[-12:]) or bool(_BODY.search(phrase))


def has_cue(kind: str | None, text: str) -> bool:
    if kind == "expansion":
        return bool(re.search(r"\([A-Z][A-Za-z0-9]*[A-Z0-9]\)|\b[A-Z][A-Za-z0-9]*[A-Z0-9]\s*\([a-z]", text))
    if kind == "date":
        return bool(DATE.search(text))
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "person":
        return any(_looks_like_name(p) and _names_someone(text[:start], p) for start, _, p in proper_nouns(text))
    return False


# A question asking for several things: "which countries", "who ... and when", "list the",
# "what do both sources say". Answers to other questions quote one sentence (and what completes it).
# Words ending in -s after "what" that are verbs, not plural nouns: "what happens", "what makes".
_NOT_PLURAL = ("does|was|has|is|this|its|us|happens|makes|remains|seems|matters|explains|drives|keeps|lets|allows"
               "|gives|stands|says|causes|leads|brings|prevents|stops|puts|takes")
_SEVERAL = re.compile(
    rf"\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}?(?!(?:{_NOT_PLURAL})\b)(?:[a-z]{{2,}}[a-rtv-z]s|countries|activities|people)\b"
    r"|\bwhat are (?:the|they)\b|\b(?:both|list|name the|stages|objectives|steps|ways)\b"
    r"|\band\b[^?]*\b(?:say|says|describe|mention|according to)\b|\baccording to\b[^?]*\band (?:to|in)\b",
    re.IGNORECASE,
)
# "Who ..., and when and where?": several parts of one answer, not several answers.
_PARTS = re.compile(r"\band (?:when|where|who|why|how|in which|in what|which|what)\b", re.IGNORECASE)


# "Is that 2% of GDP or 2% of the budget?", "Was Korea annexed in 1910 or made a protectorate?":
# a yes-no question offering two alternatives (not "clearing or removing mines" inside a phrase
# of another question, nor "who ..., the US or the Japanese?").
_EITHER_OR = re.compile(r"(?:^|[?:;—–-]\s*)((?:is|was|are|were|has|have|had|does|do|did|can|could|will|would|should)\s[^?]+?)"
                        r",?\s+or\s+([^?]+)\?", re.IGNORECASE)


def either_or(question: str) -> tuple[set[str], set[str]] | None:
    """The terms of each alternative a yes-no question offers, each without the other's; None
    for a question offering no two alternatives."""
    m = _EITHER_OR.search(question)
    if not m or re.search(r",\s*(?:[\w-]+\s+){0,2}[\w-]+$", m.group(1)):
        return None  # "an army, navy or air force": the last items of a list
    left, right = set(terms(m.group(1))), set(terms(m.group(2)))
    a, b = left - right, right - left
    return (a, b) if a and b else None


def wants_several(question: str) -> bool:
    """True when the question asks for several things: a list ("which countries", "what are the
    stages", "both sources") or several parts ("who ..., and when?")."""
    return bool(_SEVERAL.search(question) or _PARTS.search(question))


def dates_asked(question: str) -> int:
    """How many dates the question asks for: two for "When did they first meet, and when did he
    come back?", else one (or none, by `answer_types`)."""
    return 2 if len(re.findall(r"\bwhen\b", question, re.IGNORECASE)) >= 2 and _PARTS.search(question) else 1


def wants_list(question: str) -> bool:
    """True when the question asks for a list of things, not only for several parts of one answer."""
    return bool(_SEVERAL.search(question))
