"""Sentence spans and word tokens: the text primitives that chunking, search and answers share."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import lru_cache

import Stemmer  # PyStemmer: the same Snowball stemmer bm25s uses

# Words that end with a period without ending a sentence ("U.S.", "Dr.", "e.g.").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "adm",
    "gov", "sen", "rep", "rev", "no", "vol", "fig", "vs", "etc", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "cf", "al", "approx", "dept", "est", "u.s", "u.k", "u.n", "p.m", "a.m",
}
# A sentence ends at . ! ? (or an ellipsis) followed by optional closing quotes/brackets, then
# space; with `footnotes`, also after footnote markers ("... in a possible war.[iv] Japan ...").
_END = re.compile(r"(?:\.{2,}|…+|[.!?])[\"'”’)\]]*(?=\s+|$)")
_MARK = r"\[(?:[ivxlc]{1,6}|\d{1,3})\]"  # a footnote marker: "[iv]", "[12]"
_END_OR_FOOTNOTE = re.compile(rf"(?:\.{{2,}}|…+|[.!?])[\"'”’)\]]*(?:{_MARK})*(?=\s+|$)")
_FOOTNOTES = re.compile(rf"(?:{_MARK})+$")
_WORD = re.compile(r"[A-Za-z0-9À-ÖØ-öø-ÿ]+(?:[’'.-][A-Za-z0-9À-ÖØ-öø-ÿ]+)*")

def zipf(word: str) -> float:
    """How common an English word is: 3 is about once per million words, 5 once per 100,000,
    0 unknown (wordfreq's Zipf scale)."""
    from wordfreq import zipf_frequency  # its word list loads on first use

    return zipf_frequency(word, "en")


STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also according said says say tell told give gave given does did done many
    much whose""".split()
)


Cases = dict[str, tuple[int, int, int]]  # lower-cased word -> (occurrences, capitalised, all lower case)
_CASES: OrderedDict[tuple[int, int, bool], Cases] = OrderedDict()
_CASES_KEPT = 64  # texts whose counts are kept: the hit documents of the last few questions
_CASES_LOCK = threading.Lock()


def word_cases(text: str, hyphenated: bool = False) -> Cases:
    """How the text writes each word: how often, how often capitalised, how often all in lower
    case. Words are runs of word characters; with `hyphenated`, "self-defense" is one word, else
    two. Counted once per text and kept for the last few, so asking how a document writes a word
    is a lookup, not a scan of the document for every word of every question."""
    key = (len(text), hash(text), hyphenated)
    with _CASES_LOCK:  # the chat answers several questions at once
        cases = _CASES.get(key)
        if cases is not None:
            _CASES.move_to_end(key)
            return cases
    counts: dict[str, list[int]] = {}
    for w in re.findall(r"[\w-]+" if hyphenated else r"\w+", text):
        c = counts.setdefault(w.lower(), [0, 0, 0])
        c[0] += 1
        c[1] += w[0].isupper()
        c[2] += w.islower()
    cases = {w: (a, b, c) for w, (a, b, c) in counts.items()}
    with _CASES_LOCK:
        _CASES[key] = cases
        while len(_CASES) > _CASES_KEPT:
            _CASES.popitem(last=False)
    return cases


def sentence_spans(text: str, start: int = 0, end: int | None = None, footnotes: bool = False) -> list[tuple[int, int]]:
    """Offsets (s, e) of the sentences in text[start:end], whitespace trimmed, in order.

    Blank lines, headings and list items also end a sentence, so a heading or a bullet never
    glues onto the next line. With `footnotes`, a sentence may end in footnote markers (the
    answer step quotes such sentences one by one; chunking keeps the plain rule, which the
    indexes on disk were cut with).
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for b0, b1 in _blocks(text, start, end):
        chunk = text[b0:b1]
        pos = 0
        for m in (_END_OR_FOOTNOTE if footnotes else _END).finditer(chunk):
            cut = m.end()
            if m.group().startswith(".") and len(_FOOTNOTES.sub("", m.group()).rstrip("\"'”’)]")) == 1:
                # Look only at a bounded window before the stop and after it: slicing the whole
                # paragraph at every full stop made a 300 KB paragraph take 70 s (quadratic).
                word = _WORD_BEFORE_STOP.search(chunk, max(0, m.start() - _LOOKBACK), m.start() + 1)
                if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                    continue
                if _ITEM_NUMBER.fullmatch(chunk, pos, m.start() + 1):
                    continue  # "1." opening a numbered item
                nxt = _NEXT_CHAR.match(chunk, cut)
                if nxt and nxt.group(1).islower():
                    continue
            _add(spans, text, b0 + pos, b0 + cut)
            pos = cut
        _add(spans, text, b0 + pos, b1)
    return spans


_ITEM_START = re.compile(r"[ \t]*(?:[-*•]|\d{1,3}[.)]\s|#)")
_WORD_BEFORE_STOP = re.compile(r"([A-Za-z.]+)\.$")
_LOOKBACK = 64  # characters searched for the word before a full stop; abbreviations are at most 6
_ITEM_NUMBER = re.compile(r"\s*\d{1,3}\.")
_NEXT_CHAR = re.compile(r"\s*(\S)")


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of lines inside which sentences may continue across a line break."""
    blocks: list[tuple[int, int]] = []
    b0 = None
    heading = False
    pos = start
    for line in text[start:end].split("\n"):
        l0, l1 = pos, pos + len(line)
        pos = l1 + 1
        if not line.strip():
            if b0 is not None:
                blocks.append((b0, l0 - 1))
            b0 = None
            continue
        if b0 is not None and (_ITEM_START.match(line) or heading):
            blocks.append((b0, l0 - 1))
            b0 = None
        if b0 is None:
            b0 = l0
            heading = line.lstrip().startswith("#")  # a heading block ends at its own line
    if b0 is not None:
        blocks.append((b0, min(pos - 1, end)))
    return blocks


def _add(spans: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))


def surface_words(text: str) -> list[str]:
    """Word tokens as written, keeping inner apostrophes, dots and hyphens (U.S., 2+2, P-1)."""
    return [w.replace("’", "'") for w in _WORD.findall(text)]


def words(text: str) -> list[str]:
    """Lower-cased word tokens (see surface_words)."""
    return [w.lower() for w in surface_words(text)]


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


_BRITISH = [
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),  # recognise -> recognize
    (re.compile(r"(?<=\w{3})ence$"), "ense"),  # defence -> defense (both sides map the same way)
    (re.compile(r"^(labo|colo|hono|favo|behavio|neighbo|harbo)ur"), r"\1r"),
    (re.compile(r"(?<=\w{3})tre$"), "ter"),  # centre -> center
    (re.compile(r"^programme(s?)$"), r"program\1"),  # programme -> program
]


@lru_cache(maxsize=100_000)  # word frequencies are skewed: most calls are for words seen before
def _american(word: str) -> str:
    """One spelling for British and American variants, so "defence" finds "defense"."""
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word)
    return word


# A Roman numeral is its number ("Article IX" is "article 9"); not the one-letter ones, mostly a
# pronoun or an initial ("I", "V"), nor "xi", mostly a name (Xi Jinping).
_ROMAN = {r: str(n) for n, r in enumerate(
    ("", "", "ii", "iii", "iv", "", "vi", "vii", "viii", "ix", "", "", "xii", "xiii", "xiv", "xv", "xvi", "xvii",
     "xviii", "xix", "xx")) if r}


# Everyday words for the formal ones a text uses ("deal" for "agreement", "drills" for
# "exercises"), so a question in plain words finds the sentence that uses the formal one. Pairs
# in their senses of news and policy writing; not "principal" (a loan's, a school's) for "main".
_PLAIN_WORDS = {"deal": "agreement", "deals": "agreements", "pact": "agreement", "pacts": "agreements",
                "drill": "exercise", "drills": "exercises", "arms": "weapons",
                "soldiers": "troops", "buy": "purchase", "buys": "purchases", "bought": "purchased",
                "buying": "purchasing", "assault": "attack", "assaults": "attacks", "rewrite": "revise",
                "rewriting": "revising", "rewrote": "revised", "worry": "concern", "worries": "concerns",
                "worried": "concerned"}


# The world wars by any of their names ("WWII", "World War 2", "the Second World War") are one term.
_WORLD_WARS = [(re.compile(rf"\b(?:WW\s?{r}|World\s+War\s+(?:{r}|{n})|{o}\s+World\s+Wars?)\b", re.IGNORECASE), f" worldwar{d} ")
               for d, r, n, o in (("2", r"(?:II|2)", "Two", "Second"), ("1", r"(?:I|1)", "One", "First"))]


def terms(text: str) -> list[str]:
    """Stemmed content terms (stop words dropped): the vocabulary of lexical matching."""
    low = text.lower()
    if "war" in low or "ww" in low:  # the cheap test first: terms is called for every sentence scored
        for pattern, name in _WORLD_WARS:
            text = pattern.sub(name, text)
    ws = [_ROMAN.get(w) or _american(_PLAIN_WORDS.get(w, w)) for w in words(text) if w not in STOPWORDS]
    return _stemmer().stemWords(ws) if ws else []


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())
