"""Build a cited answer from the retrieved passages' own sentences; no language model involved.

Every sentence of an answer is a verbatim sentence of a cited passage, so a citation can never
point at text that does not say what the answer says. The work is choosing which sentences:
each candidate is scored by how much of the question's weighted vocabulary it contains and by
its embedding similarity to the question, and the answer is given only when the best support
clears a threshold tuned on the dev questions. An answer quotes the one best sentence (with
what completes it: a list it opens, the speaker next to a quote); only a question asking for
several things gets more cited sentences. Other close passages are offered as related ones,
which carry no claim of the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .absent import absent_names
from .asks import (
    ASKS_REPORTED,
    ASKS_SPEECH,
    ASKS_WHY,
    DATE,
    SOFT_CUES,
    SPEECH,
    YEAR,
    answer_types,
    has_cue,
    short_answer,
    unit,
    wants_list,
    wants_several,
)
from .followup import proper_nouns
from .kinds import NAMED_KINDS, asked_kind, things_of_kind
from .lexical import LexicalIndex
from .schema import Answer, Citation, Document, Hit, Passage
from .sources import SourceIndex
from .text import STOPWORDS, sentence_spans, stem, terms, word_cases, words, zipf

Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors (rows)
PassageAt = Callable[[str, int, int], "Passage | None"]  # (doc_id, start, end) -> passage holding the span

ABSTAIN_TEXT = "The documents do not answer this question."
# Sentences embedded per question. Embedding is most of an answer's cost (about 8 ms a sentence
# on 2 cores), so every sentence of the best passage is embedded and, from the other passages,
# only those sharing most words with the question.
_EMBEDDED = 20
# Passages listed after an answer as related (not quoted): at most this many, scoring at least
# this share of the lead sentence's score.
_RELATED = 3
_RELATED_FLOOR = 0.7
# Further sentences of an answer to a question asking for several things score at least this
# share of the best one (chosen on the dev questions: 0.8 cited more passages without the
# evidence, 0.9 dropped list items).
_EXTRA_FLOOR = 0.85
# A sentence naming the kind of thing asked for ("which countries") leads when it scores at least
# this share of the best sentence (as for dates, numbers and names).
_TYPED_LEAD = 0.8
# A sentence that opens by referring back ("It was the late Prime Minister Shinzo Abe who
# announced it") is embedded together with the sentence before it, and what only that sentence
# names counts half of its word coverage. Only an opening pronoun: one later in the sentence
# ("In 2021, they held ...") refers back less surely, and reading those in context cost two dev
# questions their answer.
_REFERS_BACK = re.compile(r"^(?:It|Its|This|These|They|Their|He|She|His|Her|Such|The latter|The former|Since then|After that|By then|Until then|At that time)\b"
                          r"|^(?:[\w-]+,?\s+){1,3}(?:this|these|those|such)\s")  # "In reality, these exercises ..."
_LOOKBACK = 600  # characters before a passage searched for its first sentence's predecessor
_ANAPHOR = re.compile(r"^(This|That|These|Those|Such|In other words)\b")
# Another document's sentence scoring at least this share of the lead's, giving a different date,
# number or name for the same subject, is shown beside it as a disagreement.
_RIVAL_FLOOR = 0.75
_ASKING_A_FULL_FORM = set(terms("abbreviation acronym initials stand stands mean means short"))
_ASKS_COUNTED = re.compile(r"\b(?:what|which)\s+(?:two|three|four|five|six|seven|eight)\s+[a-z]", re.IGNORECASE)
_ASKS_NAME = re.compile(r"\b(called|known as)\s*\??$|\bwhat (?:is|was|are|were) the names? of\b", re.IGNORECASE)
_NAMED = re.compile(r"\b(?:so-called|called|known as)\s+(?:the\s+)?((?:[A-Z][\w-]*\s+)*(?:[A-Z][\w-]*|\([A-Z0-9]+\)))")
# A next sentence opening with "It"/"They" that scores at least this share of the lead's is quoted with it.
_GOES_ON = 0.85
# To a "why" question whose lead gives no reason, the next sentence often does ("In reality, these
# exercises ... were read as a warning signal"; "But the excesses of Pyongyang have had ..."): one
# that goes on from the lead is quoted at 0.7 of its score (chosen on dev from 0.85 / 0.7 / 0.6).
_WHY_GOES_ON = 0.7
_GOES_ON_TO_SAY = re.compile(r"^(?:But|However|In reality|Indeed|In fact|Thus|Therefore|Hence|As a result|For this reason"
                             r"|First,|The (?:first|main|chief) (?:is|one is|reason)\b)")
_ENUMERATION = re.compile(r"[^,;]{2,60},\s+(?=[^,;]{2,60}(?:,|\s+and\s))")  # "a, b, c and d": items followed by more
# Lines that state nothing: a heading (a dozen words or fewer, no closing stop) and, unless the
# question asks what a source cites, a reference ("[i] “S. Korea, U.S., Japan ink ...”, Yonhap
# News Agency, https://...").
_HEADING = re.compile(r"^(?:\S+\s+){0,11}\S+$(?<![.!?:;”\"’')])")
_FOOTNOTE = re.compile(r"\[([ivxlc]+|\d+)\]")  # "... an open target in a possible war.[iv]"
_REFERENCE = re.compile(rf"^\s*{_FOOTNOTE.pattern}|https?://")
_ASKS_SOURCE = re.compile(r"\b(cite[sd]?|citing|sources?|references?|footnotes?|accessed|links?|url|outlets?|newspapers?|"
                          r"news agency|media)\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]\s|\d+[.)]\s|(?:First|Second|Third|Fourth|Fifth|Sixth|Finally|Lastly|One|Another"
                        r"|The (?:first|second|third|fourth|fifth|sixth))\b)")
# A sentence announcing a list: "... are:", "... the following four stages.", "... shows three new trends."
_ANNOUNCES = re.compile(r":\s*$|\bthe following\b|\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+){0,2}[a-z]+s\.\s*$")


@dataclass
class _Sentence:
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
    qterms = dict.fromkeys(terms(question))
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


def _candidates(hits: list[Hit], docs: dict[str, Document]) -> list[_Sentence]:
    seen: set[tuple[str, int]] = set()
    out: list[_Sentence] = []
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
            out.append(_Sentence(rank, doc, p, s, e, text, _antecedent(text, prev)))
    return out



def _opens_line(s: _Sentence) -> bool:
    """Whether nothing but white space stands before s on its line."""
    return not s.doc.text[s.doc.text.rfind("\n", 0, s.start) + 1 : s.start].strip()


def _antecedent(sentence: str, previous: str) -> str:
    """The sentence before, when this one opens by referring back to it; else ""."""
    return previous if _REFERS_BACK.match(sentence) and not previous.startswith("#") else ""


def _written_as_names(question: str, docs) -> list[str]:
    """Words typed in lower case that the documents write as names ("nato" for NATO, "kuril"
    for Kuril): a student's lower-case question names things as much as a capitalised one."""
    out = []
    for w in set(re.findall(r"\b[a-z][a-z-]{2,}\b", question)) - STOPWORDS:
        if "-" in w:  # "self-defense": the text's own "self-defense", or "self-defense-related"
            seen = [m.group() for d in docs for m in re.finditer(rf"\b{re.escape(w)}\b", d.text, re.IGNORECASE)]
            n, upper = len(seen), sum(x[0].isupper() for x in seen)
        else:
            counts = [word_cases(d.text).get(w, (0, 0, 0)) for d in docs]
            n, upper = sum(c[0] for c in counts), sum(c[1] for c in counts)
        if n >= 2 and upper >= 0.9 * n:
            out.append(w)
    return out


def _near_duplicate(a: str, b: str) -> bool:
    wa, wb = set(words(a)), set(words(b))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) > 0.7


def _entities(text: str, question: str) -> set[str]:
    asked = {w.lower() for w in words(question)}
    found = {p.lower() for _, _, p in proper_nouns(text)} | {m.group().lower() for m in DATE.finditer(text)}
    return {f for f in found if not set(words(f)) <= asked}


class _Composer:
    def __init__(self, question: str, hits: list[Hit], docs: dict[str, Document], lexical: LexicalIndex,
                 embed: Embed, qvec: np.ndarray, passage_at: PassageAt, sources: SourceIndex | None = None):
        self.question = question
        self.hits = hits
        self.docs = docs
        self.lexical = lexical
        self.embed = embed
        self.qvec = qvec
        self.passage_at = passage_at
        self.kinds = answer_types(question)
        # Words naming the question's sources ("according to Magnani") say where to look, not what
        # a sentence must say.
        self.sources = sources or SourceIndex(docs.values())
        naming = self.sources.naming_terms(question)
        # "What does the abbreviation TSCF mean?": the words asking it are not what an answer says.
        framing = _ASKING_A_FULL_FORM if self.kinds == ["expansion"] else set()
        self.weights = {t: w for t, w in question_weights(question, lexical).items() if t not in naming | framing}
        self.soft = [sentence for asked, sentence in SOFT_CUES if asked.search(question)]
        self.thing = asked_kind(question)  # "which countries ..." -> "country"
        self.asks_name = bool(_ASKS_NAME.search(question))
        # "By what three means ...": a sentence listing things ("by establishing ..., signing ...,
        # and participating in ...") takes a cue.
        self.counts = bool(_ASKS_COUNTED.search(question))
        # "In which city ...", "what is the name of the agreement ...": only a name can answer.
        self.needs_name = bool(self.thing) and (self.thing in NAMED_KINDS or self.asks_name)
        # What a sentence names of the asked kind and the reference lines of its footnotes, asked
        # again and again while scoring, choosing the lead and growing the answer: once per sentence.
        self._things: dict[tuple[str, int], set[str]] = {}
        self._references: dict[tuple[str, int], list[_Sentence]] = {}
        # Terms of the question's named things (not the corpus-wide ones, present in most passages).
        common = max(1.0, 0.2 * lexical.n)
        # A short term the question quotes ('the "binding" stage') is what it is about: a sentence
        # using it is always weighed and takes a cue.
        self.quoted = [m.lower() for m in re.findall(r"[“\"'‘]([^”\"'’]{3,40})[”\"'’]", question) if len(m.split()) <= 4]
        unquoted = re.sub(r"[“\"][^”\"]*[”\"]", " ", question)  # a quotation's words are not its subject
        named = ([p for start, _, p in proper_nouns(unquoted) if start > 0 or " " in p]  # not "Roughly" opening it
                 + _written_as_names(unquoted, docs.values()))
        # Initials ("U" and "S" of "U.S.") and words naming a source ("the 2015 article") are no subject.
        self.subject = {t for p in named if len(p) > 1 for t in terms(p) if lexical.doc_freq.get(t, 0) < common} - naming
        # A figure the question quotes names its subject too: "the 43 trillion yen plan" (not a year).
        figures = set(re.findall(r"(?<![\w.,–-])\d+(?:[.,]\d+)?(?![\w.,–-]?\d)", unquoted)) - naming
        years = {n for n in figures if re.fullmatch(YEAR, n)}
        self.subject |= figures - years
        # A year the question sets for an amount ("the defence budget for 2024") must be there as
        # well; not for a person ("the prime minister in 2023" is named without the year) or a date.
        self.years = years if self.kinds == ["number"] else set()

    def coverage(self, s: _Sentence) -> float:
        """Share of the question's term weight in s; what only the sentence it refers back to
        names counts half."""
        own = coverage(self.weights, s.text)
        if not s.before:
            return own
        return own + 0.5 * (coverage(self.weights, f"{s.before} {s.text}") - own)

    def shortlist(self, sents: list[_Sentence]) -> list[_Sentence]:
        """The sentences worth embedding: all of the best passage's, then by word overlap."""
        for s in sents:
            s.coverage = self.coverage(s)
        first = [s for s in sents if s.rank == 0 or self.quotes(s)]
        rest = sorted((s for s in sents if s.rank > 0 and not self.quotes(s)), key=lambda s: (-s.coverage, s.rank))
        return first + rest[: max(0, _EMBEDDED - len(first))]

    def score(self, sents: list[_Sentence]) -> None:
        if not sents:
            return
        vecs = self.embed([f"{s.before} {s.text}" if s.before else s.text for s in sents])
        for s, vec in zip(sents, vecs):
            s.vec = vec
            s.coverage = self.coverage(s)
            s.dense = float(vec @ self.qvec)
            cue = (any(has_cue(k, s.text) for k in self.kinds) or any(p.search(s.text) for p in self.soft)
                   or bool(self.thing and self.things(s)) or self.quotes(s)
                   or (self.counts and bool(_ENUMERATION.search(s.text))))
            # Weights chosen by a grid search on the dev questions (eval/README.md): the sentence
            # whose passage holds the evidence most often ranks first with these.
            s.score = 0.3 * s.coverage + 0.7 * s.dense + (0.1 if cue else 0.0)

    def quotes(self, s: _Sentence) -> bool:
        """Whether s uses a term the question quotes."""
        return any(re.search(rf"(?<!\w){re.escape(q)}(?!\w)", s.text, re.IGNORECASE) for q in self.quoted)

    def states_nothing(self, s: _Sentence) -> bool:
        """A heading, or a reference when the question does not ask about the sources cited."""
        return bool(_HEADING.match(s.text) or (_REFERENCE.search(s.text) and not _ASKS_SOURCE.search(self.question)))

    def things(self, s: _Sentence) -> set[str]:
        """The things of the kind asked for ("which countries") that s names and the question does
        not; none from a heading ("The Perception of Threats to Japan's Security") or a reference."""
        if not self.thing or self.states_nothing(s):
            return set()
        key = (s.doc.doc_id, s.start)
        if key not in self._things:
            self._things[key] = things_of_kind(self.thing, s.text, self.question)
        return self._things[key]

    def names_one(self, s: _Sentence) -> bool:
        """Whether s names a thing of the kind asked for; when only a name can answer, one of the
        question's subject ("the agreement the UK and Japan signed": not one the EU signed)."""
        return bool(self.things(s)) and (not self.needs_name or self.names_the_subject(s))

    def neighbours(self, s: _Sentence, before: int, after: int, reach: int = 1500) -> list[_Sentence]:
        """Sentences around s in its document, within `reach` characters, that lie inside some
        indexed passage."""
        text = s.doc.text
        lo = max(0, s.start - reach)
        hi = min(len(text), s.end + reach)
        spans = sentence_spans(text, lo, hi, footnotes=True)
        idx = next((i for i, (a, _) in enumerate(spans) if a == s.start), None)
        if idx is None:
            return []
        out = []
        for i in [*range(max(0, idx - before), idx), *range(idx + 1, min(len(spans), idx + 1 + after))]:
            a, b = spans[i]
            p = s.passage if s.passage.start <= a and b <= s.passage.end else self.passage_at(s.doc.doc_id, a, b)
            if p is not None and not text[a:b].startswith("#"):
                prev = text[slice(*spans[i - 1])] if i else ""
                out.append(_Sentence(s.rank, s.doc, p, a, b, text[a:b], _antecedent(text[a:b], prev)))
        return out

    def continuation(self, s: _Sentence) -> list[_Sentence]:
        """What s needs to be complete: the items of a list it introduces, a next sentence that
        explains it ("This means ..."), or one that goes on about it and answers nearly as well
        ("It has currently supplied surveillance equipment ..."; to a "why" question, also "However,
        ..." or "In fact, ..." after a lead giving no reason)."""
        following = self.neighbours(s, 0, 12)
        if _ANNOUNCES.search(s.text):
            items = self.items(s, following)
            # "What does the 'ice-breaking' stage consist of?": the items naming what the lead does not.
            lacking = set(self.weights) - set(terms(s.text))
            named = [f for f in items if lacking & set(terms(f.text))]
            if len(named) == 1 and len(items) > 1:  # the one item asked about, with the rest of its line
                return [named[0], *self.rest_of_line(named[0], following)]
            return named if named and len(named) < len(items) else items
        if following and _ANAPHOR.match(following[0].text):
            return following[:1]
        why = bool(ASKS_WHY.search(self.question)) and not any(p.search(s.text) for p in self.soft)  # no reason given yet
        if following and (following[0].before or (why and _GOES_ON_TO_SAY.match(following[0].text))):
            self.score(following[:1])
            if following[0].score >= (_WHY_GOES_ON if why else _GOES_ON) * s.score:
                return following[:1]
        return []

    @staticmethod
    def opens_item(s: _Sentence) -> bool:
        """Whether s opens a line like a list item ("Third, ...", "2. ...", "• ...")."""
        return _opens_line(s) and bool(_LIST_ITEM.match(s.text))

    def siblings(self, s: _Sentence) -> list[_Sentence]:
        """The items of the list the item s belongs to, s among them, in order: the item lines next
        to it, each by its first sentence, up to eight."""
        items = []
        for x in reversed(self.neighbours(s, 30, 0, reach=5000)):  # back to the first item; items may be paragraphs
            if not _opens_line(x):
                continue  # a later sentence of an item's line
            if not _LIST_ITEM.match(x.text):
                break
            items.insert(0, x)
        return (items + [s] + self.items(s, self.neighbours(s, 0, 30, reach=5000)))[:8]

    @staticmethod
    def rest_of_line(s: _Sentence, following: list[_Sentence], most: int = 2) -> list[_Sentence]:
        """The sentences after s on its line ("Third, through “enhanced” joint exercises. Once the
        mechanisms are established, ... organize joint exercises and training ..."), up to `most`."""
        end = s.doc.text.find("\n", s.end)
        end = len(s.doc.text) if end < 0 else end
        return [f for f in following if s.end <= f.start and f.end <= end][:most]

    @staticmethod
    def items(s: _Sentence, following: list[_Sentence]) -> list[_Sentence]:
        """The items of the list s announces: the first sentence of each following line that opens
        like an item ("• ...", "2. ...", "Second, ...", "The third ..."), up to eight, stopping at a
        line that opens none; a list without markers starts with the sentence right after s."""
        out: list[_Sentence] = []
        for f in following:
            if not _opens_line(f):
                continue  # a later sentence of an item's line: the item is its first sentence
            if not _LIST_ITEM.match(f.text) and not (f is following[0] and s.text.rstrip().endswith(":")):
                break
            out.append(f)
        return out[:8]

    def references(self, s: _Sentence) -> list[_Sentence]:
        """The reference lines of the footnotes s carries ("[iv] “Enhanced US-Japan military
        alliance ...”, Global Times, https://..."), when the question asks what a source cites."""
        if not _ASKS_SOURCE.search(self.question):
            return []
        key = (s.doc.doc_id, s.start)
        if key in self._references:
            return self._references[key]
        text = s.doc.text
        out = []
        for mark in dict.fromkeys(_FOOTNOTE.findall(s.text)):
            line = re.search(rf"^\[{re.escape(mark)}\][^\n]+", text, re.MULTILINE)
            if line is None or line.start() == s.start:
                continue
            p = self.passage_at(s.doc.doc_id, line.start(), line.end())
            if p is not None:
                out.append(_Sentence(s.rank, s.doc, p, line.start(), line.end(), line.group()))
        self._references[key] = out
        return out

    def short(self, s: _Sentence, kinds: list[str] | None = None) -> str | None:
        """The first span of s answering one of the kinds asked for (or of `kinds`); for a question
        about what a source cites, also of the reference lines of its footnotes ("..., Politico,
        https://..., (Access Date: 29.07.2024)")."""
        def first(text: str) -> str | None:
            for kind in kinds or self.kinds:
                found = short_answer(kind, text, self.question, s.doc.text)
                if found:
                    return found
            return None

        found = first(s.text)
        for reference in [] if found else self.references(s):  # read only when the sentence gives none
            found = first(reference.text)
            if found:
                break
        return found

    def value(self, s: _Sentence) -> str | None:
        """What s gives as the answer: the date, number or name asked for, or the name a "what is
        it called" question asks for; None when it gives none."""
        if self.kinds:
            return self.short(s)
        if self.asks_name:
            m = _NAMED.search(s.text)
            return m.group(1).strip() if m else None
        return None

    def rival(self, lead: _Sentence, ranked: list[_Sentence]) -> _Sentence | None:
        """A close sentence of another document that gives a different value for what the
        question asks ("the QUAD began in 2017" against "QUAD (initiated in 2007"), or None."""
        mine = self.value(lead)
        if mine is None:
            return None
        for s in ranked:
            if s.score < _RIVAL_FLOOR * lead.score:
                break
            if s.doc.doc_id == lead.doc.doc_id:
                continue
            theirs = self.value(s)
            if (theirs and theirs.lower() not in lead.text.lower() and mine.lower() not in s.text.lower()
                    and unit(theirs) == unit(mine) and self.names_the_subject(s)
                    and (_similar(lead, s) or self.kinds == ["expansion"])):  # one abbreviation: one subject
                return s
        return None

    def typed(self, ranked: list[_Sentence], best: _Sentence) -> _Sentence | None:
        """The best sentence that holds the kind of thing asked for (a date, a number, a name),
        looking at the top candidates and then at the lead sentence's neighbours."""
        # The cheap test (a date, number or name in the sentence) before the one reading neighbours.
        top = [s for s in ranked if s.score >= 0.8 * best.score and not self.states_nothing(s)]
        if len(self.kinds) > 1:  # "who ..., and when": a sentence with both beats one with the name alone
            both = (s for s in top if all(self.short(s, [k]) for k in self.kinds)
                    and self.names_the_subject(s))
            found = next(both, None)
            if found is not None:
                return found
        # A sentence naming the subject itself before one whose neighbour names it ("The Trump
        # Administration asked ... eight billion" before "Japan paid ... nine billion dollars").
        for s in sorted(top, key=lambda x: not self.subject & set(terms(x.text))):
            if self.short(s) and self.names_the_subject(s):
                return s
        around = [s for s in self.neighbours(best, 2, 2) if not self.states_nothing(s)]
        self.score(around)
        # The nearer sentence first: one place away costs 0.1 of score ("a record budget was
        # approved. Spending will be 5.4 trillion yen" beats a 2%-of-GDP target two sentences back).
        for s in sorted(around, key=lambda x: -x.score + 0.1 * _distance(best, x)):
            if self.short(s) and self.names_the_subject(s):
                return s
        return None

    def names_the_subject(self, s: _Sentence) -> bool:
        """A date, number or name answers the question only when its sentence (with the one before
        it and its document's title, author and publisher) names at least half of what the question
        names: "2022" from a sentence about the EU does not date an agreement with South Korea;
        and, for an amount, every year the question sets ("the budget for 2024")."""
        if not self.subject and not self.years:
            return True
        d = s.doc
        around = " ".join([s.text, d.title, d.author or "", d.publisher or ""] + [n.text for n in self.neighbours(s, 1, 0)])
        have = set(terms(around))
        return len(self.subject & have) * 2 >= len(self.subject) and self.years <= have


def compose(
    question: str,
    hits: list[Hit],
    docs: dict[str, Document],
    lexical: LexicalIndex,
    embed: Embed,
    qvec: np.ndarray,
    *,
    passage_at: PassageAt,
    abstain_below: float,
    max_sentences: int,
    timings_ms: dict[str, float] | None = None,
    original_question: str | None = None,
    corrected: str | None = None,
    sources: SourceIndex | None = None,
) -> Answer:
    """The answer to `question` from `hits` (best first), or an abstention.

    `embed` turns sentences into unit vectors comparable with `qvec`; `passage_at` finds the
    indexed passage holding a span (for neighbouring sentences); `abstain_below` is the support
    the best sentence needs; `sources` tells which documents the question names (default: an
    index of the hits' documents). Deterministic for a given embed function.
    """
    shown = original_question or question
    timings = dict(timings_ms or {})
    c = _Composer(question, hits, docs, lexical, embed, qvec, passage_at, sources)
    named = c.sources.named(question)
    if len(named) == 1 and any(h.passage.doc_id == named[0] for h in hits):
        hits = [h for h in hits if h.passage.doc_id == named[0]]  # "according to Magnani": Magnani's words only
    sents = c.shortlist(_candidates(hits, docs))
    c.score(sents)
    ranked = sorted(sents, key=lambda s: (-s.score, s.doc.doc_id, s.start))
    best = ranked[0] if ranked else None
    passage_cov = max((coverage(c.weights, h.passage.text) for h in hits[:3]), default=0.0)
    support = 0.0 if best is None else 0.5 * max(best.coverage, passage_cov) + 0.5 * max(s.dense for s in sents)
    timings["support"] = round(support, 4)

    def abstain(reason: str) -> Answer:
        nearest = [_cite(i + 1, s) for i, s in enumerate(_best_per_passage(ranked)[:3])]
        text = reason + (" The nearest passages are listed below." if nearest else "")
        return Answer(shown, text, True, [], timings, nearest=nearest, corrected_question=corrected)

    if best is None or not c.weights:
        return abstain(ABSTAIN_TEXT)
    missing = absent_names(question, lexical, [d.text for d in docs.values()])
    if missing:
        return abstain(f"The documents do not mention {', '.join(missing)}, so they do not answer this question.")
    if support < abstain_below:
        return abstain(ABSTAIN_TEXT)
    # A heading ("US Japanese Defense Guidelines") or a reference shares the question's words and
    # states nothing: it never leads.
    lead = next((s for s in ranked if not c.states_nothing(s)), best)
    if c.kinds:
        typed = c.typed(ranked, best)
        # "When did Japan meet French and German ministers, according to the 2015 article and China
        # Military Online?": each named source answers its part (below), though no one sentence
        # names enough of the question's subject to answer it all.
        if typed is None and len(named) < 2:
            return abstain(f"The documents discuss this but do not state the {_KIND_WORD[c.kinds[0]]} asked for.")
        lead = typed or lead
    elif c.thing and not c.names_one(lead):
        # "What islands ...": a close sentence naming islands leads rather than one naming none.
        named_one = next((s for s in ranked if s.score >= _TYPED_LEAD * best.score and c.names_one(s)), None)
        if named_one is None and c.needs_name:
            return abstain(f"The documents discuss this but do not name the {c.thing} asked for.")
        lead = named_one or lead
    if ASKS_SPEECH.search(question) and not any(SPEECH.search(s.text) for s in [lead, *c.neighbours(lead, 2, 1)]):
        return abstain("The documents discuss this but quote nobody saying it.")
    rival = None if wants_several(question) else c.rival(lead, ranked)
    chosen = [lead, rival] if rival is not None else _grow(c, lead, ranked, best, max_sentences)

    # "What do X and Y say ...": each named source's sentence, in the order they are named.
    per_source = _per_source(c, ranked, named)
    if per_source:
        chosen = per_source
    citations = [_cite(i + 1, s) for i, s in enumerate(chosen)]
    cited = {s.passage.chunk_id for s in chosen}
    near = [s for s in _best_per_passage(ranked) if s.passage.chunk_id not in cited and s.score >= _RELATED_FLOOR * best.score]
    related = [_cite(len(citations) + i + 1, s) for i, s in enumerate(near[:_RELATED])]
    short = c.short(lead)
    if "date" in c.kinds and ASKS_REPORTED.search(question) and lead.doc.date:
        # "Who said ..., and when was it reported?": the source's own date, not one in the sentence.
        reported = f"reported {lead.doc.date} by {lead.doc.publisher or f'“{lead.doc.title}”'}"
        person = c.short(lead, ["person"]) if "person" in c.kinds else None
        short = f"{person}; {reported}" if person else reported
    conflict = not per_source and rival is not None
    lines: list[str] = []
    if conflict or per_source:
        markers = " ".join(f"[{x.n}]" for x in citations)
        lines.append(f"The sources give different accounts {markers}:" if conflict else f"What each source says {markers}:")
        for x, s in zip(citations, chosen):
            lines.append(f"- According to {source_label(s.doc)}: {s.text} [{x.n}]")
    else:
        if short:
            n = next((x.n for x in citations if short in x.quote), 1)  # the citation that says it
            lines.append(f"Short answer: {short} [{n}]")
        lines.append(f"{chosen[0].text} [1]")  # the lead, or the first item of a list it belongs to
        for x, s in zip(citations[1:], chosen[1:]):
            lines.append(f"- {s.text} [{x.n}]")
    return Answer(shown, "\n".join(lines), False, citations, timings, short_answer=short, conflict=conflict,
                  related=related, corrected_question=corrected)


def _per_source(c: _Composer, ranked: list[_Sentence], named: list[str]) -> list[_Sentence]:
    """Each named source's best sentence, in the order named, when two or more sources have
    candidates; else []. As for the lead, a heading or reference never stands for a source, and for
    "which countries ..." a close sentence naming countries comes before one naming none."""
    chosen = []
    for doc_id in named:
        own = [s for s in ranked if s.doc.doc_id == doc_id and not c.states_nothing(s)]
        if not own:
            continue
        typed = [s for s in own if s.score >= _TYPED_LEAD * own[0].score and c.things(s)] if c.thing else []
        chosen.append(typed[0] if typed else own[0])
    return chosen if len(chosen) >= 2 else []


def _grow(c: _Composer, lead: _Sentence, ranked: list[_Sentence], best: _Sentence, max_sentences: int) -> list[_Sentence]:
    """The lead with what completes it and, for a question asking for several things, further
    sentences that each name something new."""
    question = c.question
    chosen: list[_Sentence] = [lead]
    if lead.before and _ANAPHOR.match(lead.text):
        # "This pushed Japan further ...": what "this" is, the sentence before says, so it is quoted too.
        chosen += c.neighbours(lead, 1, 0)[:1]
    # A speaker or name asked for but missing from the lead may stand in the sentence next to it.
    if ("person" in c.kinds and not c.short(lead)) or (ASKS_SPEECH.search(question) and not SPEECH.search(lead.text)):
        chosen += [n for n in c.neighbours(lead, 1, 1) if SPEECH.search(n.text) or c.short(n)][:1]
    chosen += c.continuation(lead) + c.references(lead)
    siblings = c.siblings(lead) if wants_list(question) and c.opens_item(lead) else []
    if len(siblings) > 1:
        # "Under what three pretexts ...?": a lead reading "Third, under the justification of ..." is
        # one item of the list asked for; the answer is the whole list, in the document's order.
        return siblings
    # More sentences only for a question that asks for several things; each must name something new.
    # "Who ..., and when?" asks for parts of one answer: once its sentences give each part, it is whole.
    whole = not wants_list(question) and c.kinds and all(any(c.short(x, [k]) for x in chosen) for k in c.kinds)
    # A lead that lists three things or more itself ("in areas such as aerospace, autonomous systems
    # and artificial intelligence") is the list asked for; other sentences would only be about them.
    whole = whole or (not c.things(lead) and bool(_ENUMERATION.search(lead.text)))
    cap = (max_sentences if wants_several(question) and not whole else 1) + len(chosen) - 1
    # "Which countries ...": what is new must be a country, when the passages name any.
    news = c.things if c.thing and any(c.things(s) for s in ranked) else (lambda x: _entities(x.text, question))
    known = set().union(*(news(x) for x in chosen))
    for s in ranked:
        if len(chosen) >= cap or s.score < _EXTRA_FLOOR * best.score:
            break
        if any(_same(s, x) for x in chosen) or c.states_nothing(s):
            continue
        if any(_near_duplicate(s.text, x.text) for x in chosen):
            continue
        new = news(s) - known
        if not new:
            continue  # says nothing the answer does not already name
        known |= new
        chosen.append(s)
    return chosen


_KIND_WORD = {"date": "date", "number": "number", "person": "name", "expansion": "full form"}


def _best_per_passage(ranked: list[_Sentence]) -> list[_Sentence]:
    seen: set[str] = set()
    out = []
    for s in ranked:
        if s.passage.chunk_id not in seen:
            seen.add(s.passage.chunk_id)
            out.append(s)
    return out


def _distance(a: _Sentence, b: _Sentence) -> int:
    """How many sentences apart a and b are in their document (neighbours are 1 apart)."""
    lo, hi = sorted((a.start, b.start))
    return len(sentence_spans(a.doc.text, lo, hi, footnotes=True))


def _similar(a: _Sentence, b: _Sentence) -> bool:
    """The two sentences speak of the same thing: embedding cosine of at least 0.5 ("the QUAD
    began in 2017" and "QUAD (initiated in 2007": 0.71; a 2015 date and the 1951 constitution: 0.09)."""
    return a.vec is not None and b.vec is not None and float(a.vec @ b.vec) >= 0.5


def _same(a: _Sentence, b: _Sentence) -> bool:
    return a.doc.doc_id == b.doc.doc_id and a.start == b.start


def source_label(src: Document | Citation) -> str:
    """“Title”, Author, Publisher, Date — whichever of them the source states."""
    return ", ".join([f"“{src.title}”"] + [p for p in (src.author, src.publisher, src.date) if p])


def _cite(n: int, s: _Sentence) -> Citation:
    p = s.passage
    return Citation(
        n=n, doc_id=s.doc.doc_id, title=s.doc.title, publisher=s.doc.publisher, author=s.doc.author,
        date=s.doc.date, text=p.text, passage_start=p.start, passage_end=p.end,
        start=s.start, end=s.end, score=round(s.score, 4), quote=s.text,
    )
