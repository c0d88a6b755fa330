"""How a question reads its candidate sentences: what it asks for (a date, a name, things of a
kind), which terms weigh, how each sentence scores, and what a chosen sentence needs beside it
(the list it opens, the sentence that goes on, its footnotes' references, a rival's value).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from .asks import (ASKS_DURATION, ASKS_FUTURE, ASKS_WHY, FUTURE, SOFT_CUES, YEAR, answer_types, either_or, has_cue, short_answer, unit,
                   wants_list)
from .followup import proper_nouns
from .kinds import NAMED_KINDS, asked_kind, capital_names, things_of_kind
from .lexical import LexicalIndex
from .schema import Document, Hit, Passage
from .sentences import (
    ANAPHOR,
    CONSEQUENCE,
    ENUMERATION,
    Sentence,
    antecedent,
    coverage,
    distance,
    opens_line,
    question_weights,
    same,
    similar,
)
from .sources import SourceIndex
from .text import STOPWORDS, sentence_spans, terms, word_cases

Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors (rows)
PassageAt = Callable[[str, int, int], "Passage | None"]  # (doc_id, start, end) -> passage holding the span


# Sentences embedded per question. Embedding is most of an answer's cost (about 8 ms a sentence
# on 2 cores), so every sentence of the best passage is embedded and, from the other passages,
# only those sharing most words with the question.
_EMBEDDED = 20
# Another document's sentence scoring at least this share of the lead's, giving a different date,
# number or name for the same subject, is shown beside it as a disagreement.
_RIVAL_FLOOR = 0.75
# A sentence for the other alternative of "A or B?" scores at least this share of the lead's.
_ALTERNATIVE_FLOOR = 0.75
_ASKING_A_FULL_FORM = set(terms("abbreviation acronym initials stand stands mean means short"))
_ASKS_COUNTED = re.compile(r"\b(?:what|which)\s+(?:two|three|four|five|six|seven|eight)\s+[a-z]", re.IGNORECASE)
_ASKS_NAME = re.compile(r"\b(called|known as)\s*\??$|\bwhat (?:is|was|are|were) the names? of\b"
                        r"|\bwhat (?:code |official |full )?names? (?:is|was|were|are|has been|had been) (?:given|assigned|chosen)\b"
                        r"|\bwhat (?:code |official |full )?names? (?:has|have|had|did|does|do) (?:[\w-]+\s+){1,3}?(?:given|give|assigned|assign|chosen|choose)\b",
                        re.IGNORECASE)
_NAMED = re.compile(r"\b(?:so-called|called|known as)\s+(?:the\s+)?((?:[A-Z][\w-]*\s+)*(?:[A-Z][\w-]*|\([A-Z0-9]+\)))")
# A next sentence opening with "It"/"They" that scores at least this share of the lead's is quoted with it.
_GOES_ON = 0.85
# To a "why" question whose lead gives no reason, the next sentence often does ("In reality, these
# exercises ... were read as a warning signal"; "But the excesses of Pyongyang have had ..."): one
# that goes on from the lead is quoted at 0.7 of its score (chosen on dev from 0.85 / 0.7 / 0.6).
_WHY_GOES_ON = 0.7
# Openings of a sentence that goes on from the one before: a contrast, a first reason, or a
# consequence (`CONSEQUENCE`).
_GOES_ON_TO_SAY = re.compile(r"^(?:But|However|In reality|Indeed|In fact|First,|The (?:first|main|chief) (?:is|one is|reason)\b)")
# Lines that state nothing: a heading (a dozen words or fewer, no closing stop) and, unless the
# question asks what a source cites, a reference ("[i] “S. Korea, U.S., Japan ink ...”, Yonhap
# News Agency, https://...").
_HEADING = re.compile(r"^(?:\S+\s+){0,11}\S+$(?<![.!?:;”\"’')])")
_FOOTNOTE = re.compile(r"\[([ivxlc]+|\d+)\]")  # "... an open target in a possible war.[iv]"
_REFERENCE = re.compile(rf"^\s*{_FOOTNOTE.pattern}|https?://")
_ASKS_SOURCE = re.compile(r"\b(cite[sd]?|citing|sources?|references?|footnotes?|accessed|links?|url|outlets?|newspapers?|"
                          r"news agency|media|rel(?:y|ies|ied) on|draws? on|drew on)\b", re.IGNORECASE)
# A line introducing quoted material: "According to a Reuters story published on March 13, 2015:".
_ATTRIBUTION = re.compile(r"^According to (?:a|an|the) [^.]{2,80}?\b(?:story|report|article|dispatch|statement)\b[^.]*:\s*$")
_ASKS_SAID = re.compile(r"\b(?:say|said|says|tell|told|think|thought)\b", re.IGNORECASE)
_SAID_BY_PRONOUN = re.compile(r"[”\"],?\s+(?:he|she|they)\s+(?:said|says|added|told)\b")
# A paragraph's closing credit: "(Kyodo)", "(Reuters)"; as a line of its own, or at the end of a text.
_CREDIT_MARK = r"\((?:[A-Z][\w.&-]*\s?){1,3}\)"
_CREDIT = re.compile(rf"^{_CREDIT_MARK}$")
_CLOSING_CREDIT = re.compile(rf"{_CREDIT_MARK}\s*$")
# "Which news agency's story reported it?": a question for whose story a passage comes from.
ASKS_AGENCY = re.compile(r"\bnews agency\b|\bwhich (?:agency|outlet|wire service)\b|\bwhose (?:story|report|reporting)\b"
                         r"|\bwhich (?:story|report)\b|\b(?:run|ran|publish|published|carry|carried)\b[^?]*\b(?:story|excerpt)\b",
                         re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]\s|\d+[.)]\s|(?:First|Second|Third|Fourth|Fifth|Sixth|Finally|Lastly|One|Another"
                        r"|The (?:first|second|third|fourth|fifth|sixth))\b)")
# A sentence announcing a list: "... are:", "... the following four stages.", "... shows three new trends."
_ANNOUNCES = re.compile(r":\s*$|\bthe following\b|\b(?:two|three|four|five|six|seven|eight|nine|ten)\s+(?:[\w-]+\s+){0,2}[a-z]+s\.\s*$")


# Words naming what a question asks for ("on what date"), never what it is about, however the
# documents write them ("Access Date").
_ASKED_FOR = {"date", "day", "month", "year", "time", "name", "title", "place"}


def _written_as_names(question: str, docs) -> list[str]:
    """Words typed in lower case that the documents write as names ("nato" for NATO, "kuril"
    for Kuril): a student's lower-case question names things as much as a capitalised one."""
    out = []
    for w in set(re.findall(r"\b[a-z][a-z-]{2,}\b", question)) - STOPWORDS - _ASKED_FOR:
        if "-" in w:  # "self-defense": the text's own "self-defense", or "self-defense-related"
            seen = [m.group() for d in docs for m in re.finditer(rf"\b{re.escape(w)}\b", d.text, re.IGNORECASE)]
            n, upper = len(seen), sum(x[0].isupper() for x in seen)
        else:
            counts = [word_cases(d.text).get(w, (0, 0, 0)) for d in docs]
            n, upper = sum(c[0] for c in counts), sum(c[1] for c in counts)
        if n >= 2 and upper >= 0.9 * n:
            out.append(w)
    return out


class Composer:
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
        self.future = bool(ASKS_FUTURE.search(question))  # "when will ...", "when is ... going to ..."
        self.relative_times = False  # "recently" dates nothing while a close sentence gives a date (see typed)
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
        self._references: dict[tuple[str, int], list[Sentence]] = {}
        # Terms of the question's named things (not the corpus-wide ones, present in most passages).
        common = max(1.0, 0.2 * lexical.n)
        # A short term the question quotes ('the "binding" stage') is what it is about: a sentence
        # using it is always weighed and takes a cue.
        self.quoted = [m.lower() for m in re.findall(r"[“\"'‘]([^”\"'’]{3,40})[”\"'’]", question) if len(m.split()) <= 4]
        unquoted = re.sub(r"[“\"][^”\"]*[”\"]", " ", question)  # a quotation's words are not its subject
        capitalised = [p for start, _, p in proper_nouns(unquoted) if start > 0 or " " in p]  # not "Roughly" opening it
        lower = _written_as_names(unquoted, docs.values())
        # Initials ("U" and "S" of "U.S.") and words naming a source ("the 2015 article") are no subject.
        self.subject = {t for p in capitalised + lower if len(p) > 1 for t in terms(p)
                        if lexical.doc_freq.get(t, 0) < common} - naming
        # A word typed in lower case that the documents write as a name may mean the name ("nato")
        # or the plain word ("the first TICAD conference", not the "San Francisco Conference"): it
        # counts half in naming the subject.
        self.half_named = {t for p in lower for t in terms(p)} - {t for p in capitalised for t in terms(p)}
        # A figure the question quotes names its subject too: "the 43 trillion yen plan" (not a year).
        figures = set(re.findall(r"(?<![\w.,–-])\d+(?:[.,]\d+)?(?![\w.,–-]?\d)", unquoted)) - naming
        years = {n for n in figures if re.fullmatch(YEAR, n)}
        self.subject |= figures - years
        # A year the question sets for an amount ("the defence budget for 2024") or a person ("India's
        # prime minister when Abe spoke in 2007", "who signed the 1951 pact") must be there as well:
        # a name from a sentence about 2022 does not answer. Not for a date, which the year may be,
        # nor for a span of time ("before the 2015 deal, over what span ...": "the past two years").
        self.years = years if self.kinds in (["number"], ["person"]) and not ASKS_DURATION.search(question) else set()

    def coverage(self, s: Sentence) -> float:
        """Share of the question's term weight in s; what only the sentence it refers back to
        names counts half."""
        own = coverage(self.weights, s.text)
        if not s.before:
            return own
        return own + 0.5 * (coverage(self.weights, f"{s.before} {s.text}") - own)

    def shortlist(self, sents: list[Sentence]) -> list[Sentence]:
        """The sentences worth embedding: all of the best passage's, then by word overlap."""
        for s in sents:
            s.coverage = self.coverage(s)
        first = [s for s in sents if s.rank == 0 or self.quotes(s)]
        rest = sorted((s for s in sents if s.rank > 0 and not self.quotes(s)), key=lambda s: (-s.coverage, s.rank))
        return first + rest[: max(0, _EMBEDDED - len(first))]

    def score(self, sents: list[Sentence]) -> None:
        if not sents:
            return
        vecs = self.embed([f"{s.before} {s.text}" if s.before else s.text for s in sents])
        for s, vec in zip(sents, vecs):
            s.vec = vec
            s.coverage = self.coverage(s)
            s.dense = float(vec @ self.qvec)
            cue = (any(has_cue(k, s.text) for k in self.kinds) or any(p.search(s.text) for p in self.soft)
                   or bool(self.thing and self.things(s)) or self.quotes(s)
                   or (self.counts and bool(ENUMERATION.search(s.text))))
            # Weights chosen by a grid search on the dev questions (eval/README.md): the sentence
            # whose passage holds the evidence most often ranks first with these. A sentence that
            # quotes the question's quoted term itself (‘Second, through "binding" mechanisms’) is
            # where the document names it, beside one merely using the word ("binding constraints").
            s.score = 0.3 * s.coverage + 0.7 * s.dense + (0.1 if cue else 0.0) + (0.1 if self.quotes(s, marked=True) else 0.0)

    def quotes(self, s: Sentence, marked: bool = False) -> bool:
        """Whether s uses a term the question quotes (`marked`: in quotation marks, as the question does)."""
        pattern = r"[“\"'‘]{}[”\"'’]" if marked else r"(?<!\w){}(?!\w)"
        return any(re.search(pattern.format(re.escape(q)), s.text, re.IGNORECASE) for q in self.quoted)

    def states_nothing(self, s: Sentence) -> bool:
        """A heading, a reference when the question does not ask about the sources cited, a line
        introducing a quoted story when it does not ask whose story it is, or a question (a
        document's "Is the Japanese military really transforming ...?" answers nothing)."""
        return bool(_HEADING.match(s.text) or (_REFERENCE.search(s.text) and not _ASKS_SOURCE.search(self.question))
                    or (_ATTRIBUTION.match(s.text) and not ASKS_AGENCY.search(self.question))
                    or s.text.rstrip(" ”\"’')").endswith("?"))

    def things(self, s: Sentence) -> set[str]:
        """The things of the kind asked for ("which countries") that s names and the question does
        not; none from a heading ("The Perception of Threats to Japan's Security") or a reference."""
        if not self.thing or self.states_nothing(s):
            return set()
        key = (s.doc.doc_id, s.start)
        if key not in self._things:
            self._things[key] = things_of_kind(self.thing, s.text, self.question)
        return self._things[key]

    def names_one(self, s: Sentence) -> bool:
        """Whether s names a thing of the kind asked for; when only a name can answer, one of the
        question's subject ("the agreement the UK and Japan signed": not one the EU signed)."""
        return bool(self.things(s)) and (not self.needs_name or self.names_the_subject(s))

    def neighbours(self, s: Sentence, before: int, after: int, reach: int = 1500) -> list[Sentence]:
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
                out.append(Sentence(s.rank, s.doc, p, a, b, text[a:b], antecedent(text[a:b], prev)))
        return out

    def attribution(self, s: Sentence) -> Sentence | None:
        """Whose story s is: the credit closing its paragraph ("... antiterrorism cooperation.
        (Kyodo)"), else s itself or the nearest line before it introducing a quoted story
        ("According to a Reuters story published on April 27, 2015:"), else None."""
        rest = self.rest_of_line(s, self.neighbours(s, 0, 6), most=6)
        if rest and _CREDIT.match(rest[-1].text):
            return rest[-1]
        if _ATTRIBUTION.match(s.text):
            return s
        return next((x for x in reversed(self.neighbours(s, 40, 0, reach=4000)) if _ATTRIBUTION.match(x.text)), None)

    def continuation(self, s: Sentence) -> list[Sentence]:
        """What s needs to be complete: the items of a list it introduces, a next sentence that
        explains it ("This means ..."), to a list question the next sentence listing what s names
        none of, or one that goes on about it and answers nearly as well
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
        if following and ANAPHOR.match(following[0].text):
            return following[:1]
        if following and _ASKS_SAID.search(self.question) and following[0].text.startswith(("“", '"')):
            # "What did Le Drian say ...?" led by "..., Le Drian said.": the quotation after it, up
            # to its "he said", is his too.
            quote = []
            for f in following[:3]:
                quote.append(f)
                if _SAID_BY_PRONOUN.search(f.text):
                    return quote
        if (following and wants_list(self.question) and not ENUMERATION.search(s.text) and not opens_line(following[0])
                and ENUMERATION.search(following[0].text)):
            # "What topics have the meetings focused on?" led by "Japan regularly attends meetings ...":
            # the list asked for is the next sentence's ("Recent meetings have focused on a, b, and c").
            return following[:1]
        why = bool(ASKS_WHY.search(self.question)) and not any(p.search(s.text) for p in self.soft)  # no reason given yet
        goes_on = bool(following) and bool(_GOES_ON_TO_SAY.match(following[0].text) or CONSEQUENCE.match(following[0].text))
        if following and (following[0].before or (why and goes_on)):
            self.score(following[:1])
            if following[0].score >= (_WHY_GOES_ON if why else _GOES_ON) * s.score:
                return following[:1]
        return []

    @staticmethod
    def opens_item(s: Sentence) -> bool:
        """Whether s opens a line like a list item ("Third, ...", "2. ...", "• ...")."""
        return opens_line(s) and bool(_LIST_ITEM.match(s.text))

    def siblings(self, s: Sentence) -> list[Sentence]:
        """The items of the list the item s belongs to, s among them, in order: the item lines next
        to it, each by its first sentence, up to eight."""
        items = []
        for x in reversed(self.neighbours(s, 30, 0, reach=5000)):  # back to the first item; items may be paragraphs
            if not opens_line(x):
                continue  # a later sentence of an item's line
            if not _LIST_ITEM.match(x.text):
                break
            items.insert(0, x)
        return (items + [s] + self.items(s, self.neighbours(s, 0, 30, reach=5000)))[:8]

    @staticmethod
    def rest_of_line(s: Sentence, following: list[Sentence], most: int = 2) -> list[Sentence]:
        """The sentences after s on its line ("Third, through “enhanced” joint exercises. Once the
        mechanisms are established, ... organize joint exercises and training ..."), up to `most`."""
        end = s.doc.text.find("\n", s.end)
        end = len(s.doc.text) if end < 0 else end
        return [f for f in following if s.end <= f.start and f.end <= end][:most]

    @staticmethod
    def items(s: Sentence, following: list[Sentence]) -> list[Sentence]:
        """The items of the list s announces: the first sentence of each following line that opens
        like an item ("• ...", "2. ...", "Second, ...", "The third ..."), up to eight, stopping at a
        line that opens none; a list without markers starts with the sentence right after s."""
        out: list[Sentence] = []
        for f in following:
            if not opens_line(f):
                continue  # a later sentence of an item's line: the item is its first sentence
            if not _LIST_ITEM.match(f.text) and not (f is following[0] and s.text.rstrip().endswith(":")):
                break
            out.append(f)
        return out[:8]

    def references(self, s: Sentence) -> list[Sentence]:
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
                out.append(Sentence(s.rank, s.doc, p, line.start(), line.end(), line.group()))
        self._references[key] = out
        return out

    def short(self, s: Sentence, kinds: list[str] | None = None) -> str | None:
        """The first span of s answering one of the kinds asked for (or of `kinds`); for a question
        about what a source cites, also of the reference lines of its footnotes ("..., Politico,
        https://..., (Access Date: 29.07.2024)")."""
        def first(text: str) -> str | None:
            for kind in kinds or self.kinds:
                if kind == "date" and self.future and not FUTURE.search(text):
                    continue  # a sentence about the past dates nothing still to come
                found = short_answer(kind, text, self.question, s.doc.text, relative=self.relative_times)
                if found:
                    return found
            return None

        found = first(s.text)
        for reference in [] if found else self.references(s):  # read only when the sentence gives none
            found = first(reference.text)
            if found:
                break
        return found

    def value(self, s: Sentence) -> str | None:
        """What s gives as the answer: the date, number or name asked for, or the name a "what is
        it called" question asks for; None when it gives none."""
        if self.kinds:
            return self.short(s)
        if self.asks_name:
            m = _NAMED.search(s.text)
            return m.group(1).strip() if m else None
        return None

    def rival(self, lead: Sentence, ranked: list[Sentence]) -> Sentence | None:
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
                    and (similar(lead, s) or self.kinds == ["expansion"])):  # one abbreviation: one subject
                return s
        return None

    def alternative(self, lead: Sentence, ranked: list[Sentence]) -> Sentence | None:
        """For a question offering two alternatives ("2% of GDP or 2% of the budget?"), a close
        sentence matching the one the lead does not ("... the share of defence expenditures in the
        budget to 2%"), or None: the reader sees what the text says of each."""
        alternatives = either_or(self.question)
        if alternatives is None:
            return None

        def fit(s: Sentence, ts: set[str]) -> float:
            return fit_all(ts & set(terms(s.text)))

        def fit_all(ts: set[str]) -> float:
            return sum(self.weights.get(t, 0.0) for t in ts)

        a, b = alternatives
        mine, other = (a, b) if fit(lead, a) >= fit(lead, b) else (b, a)
        # It must say more of the other alternative than of the lead's, and half of what that one names.
        close = [s for s in ranked if s.score >= _ALTERNATIVE_FLOOR * lead.score and not same(s, lead)
                 and not self.states_nothing(s) and fit(s, other) > fit(s, mine) and 2 * fit(s, other) >= fit_all(other)]
        return max(close, key=lambda s: (fit(s, other), s.score), default=None)

    def typed(self, ranked: list[Sentence], best: Sentence) -> Sentence | None:
        """The best sentence that holds the kind of thing asked for (a date, a number, a name),
        looking at the top candidates and then at the lead sentence's neighbours; for a date, when
        none gives one, the best giving a time relative to its writing ("Recently, Japan ...")."""
        found = self._typed(ranked, best)
        if found is None and "date" in self.kinds:
            self.relative_times = True  # from here on, for the answer's short form too
            found = self._typed(ranked, best)
        return found

    def _typed(self, ranked: list[Sentence], best: Sentence) -> Sentence | None:
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
        for s in sorted(around, key=lambda x: -x.score + 0.1 * distance(best, x)):
            if self.short(s) and self.names_the_subject(s):
                return s
        return None

    def names_the_subject(self, s: Sentence) -> bool:
        """A date, number or name answers the question only when its sentence (with the one before
        it, its paragraph's closing credit "(Kyodo)", and its document's title, author and
        publisher) names at least half of what the question names (a name typed in lower case
        weighing half): "2022" from a sentence about the EU does not date an agreement with South
        Korea; and, for an amount or a person, every year the question sets ("the budget for 2024")."""
        if not self.subject and not self.years:
            return True
        d = s.doc
        line_end = d.text.find("\n", s.end)
        credit = _CLOSING_CREDIT.search(d.text, s.end, len(d.text) if line_end < 0 else line_end)  # "... (Kyodo)"
        around = " ".join([s.text, d.title, d.author or "", d.publisher or "", credit.group() if credit else ""]
                          + [n.text for n in self.neighbours(s, 1, 0)])
        have = set(terms(around))
        have |= {t for name in capital_names(around) for t in terms(name)}  # Seoul is South Korea's government
        return self._named_weight(self.subject & have) * 2 >= self._named_weight(self.subject) and self.years <= have

    def _named_weight(self, subject_terms: set[str]) -> float:
        return sum(0.5 if t in self.half_named else 1.0 for t in subject_terms)
