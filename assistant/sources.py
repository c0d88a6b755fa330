"""Which documents a question names as its sources: by publisher ("China Military Online"), by
the author's surname ("Magnani"), by most of the title's words ("the article on Japan's intense
foreign military cooperation") or by year ("the 2015 article").

Built once over the documents' metadata, a lookup costs a few dictionary probes per question
word, not a pass over every document, so it stays cheap with tens of thousands of documents.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from .schema import Document
from .text import terms

_WORD = re.compile(r"[\w’'.&-]+")
_LONGEST_NAME = 6  # words in the longest publisher name looked up
_MOST_NAMED = 5  # documents one name, title or year may point at and still name a source
_COMMON_TITLE_TERM = 500  # titles a term may be in and still help to single one out
# "the 2015 article", "the April 2015 Reuters text".
_YEAR_SOURCE = re.compile(r"\b(?:the|a|an) (?:[A-Z][a-z]+ )?((?:1[89]|20)\d\d) (?:[A-Z][\w-]* )?"
                          r"(?:article|report|story|piece|post|essay|paper|text|excerpt|dispatch)\b", re.IGNORECASE)
# Up to ten words after "article", "piece", ... up to a question mark, a semicolon or "and to":
# where a question quotes a title ("the article on Japan's intense foreign military cooperation").
_AFTER_SOURCE_WORD = re.compile(
    r"\b(?:article|piece|report|story|analysis|essay|paper|post)s?\b[,:]?((?:\s+(?!and\s+(?:to|in|by)\b)[^\s;?]+){1,10})", re.IGNORECASE)
_ABOUT = re.compile(r"\s+(?:on|about|titled|called|entitled)\s", re.IGNORECASE)
# Words with which a question points at its sources rather than at what it asks about.
_SOURCE_WORDS = frozenset(terms("article articles piece post report story analysis source sources describe describes mention mentions"))


def _in_order(found: dict[str, tuple[int, set[str]]]) -> tuple[tuple[int, str, frozenset[str]], ...]:
    return tuple(sorted(((at, d, frozenset(used)) for d, (at, used) in found.items()), key=lambda f: (f[0], f[1])))


def _name_key(words: Iterable[str]) -> str:
    """Words as a lookup key: lower case, no full stops, no possessive ("Magnani’s" -> "magnani")."""
    return " ".join(re.sub(r"['’]s$", "", w.lower().strip(".")) for w in words)


class SourceIndex:
    """The names, titles and years by which a question can point at documents."""

    def __init__(self, docs: Iterable[Document]):
        self._by_name: dict[str, list[str]] = defaultdict(list)  # "china military online" -> doc ids
        self._by_title_term: dict[str, list[str]] = defaultdict(list)
        self._title_size: dict[str, int] = {}
        self._by_year: dict[str, list[str]] = defaultdict(list)
        for d in docs:
            surname = d.author.split()[-1] if d.author and d.author.split() else None
            for name in {d.publisher, surname} - {None}:
                if len(name) >= 4:
                    self._by_name[_name_key(_WORD.findall(name))].append(d.doc_id)
            title = set(terms(d.title or ""))
            if len(title) >= 4:
                self._title_size[d.doc_id] = len(title)
                for t in title:
                    self._by_title_term[t].append(d.doc_id)
            if d.date:
                self._by_year[d.date[:4]].append(d.doc_id)
        # The service, the answer step's weights and its per-source choice all ask about the same
        # question: find its mentions once.
        self.mentions = lru_cache(maxsize=256)(self._mentions)

    def _mentions(self, question: str) -> tuple[tuple[int, str, frozenset[str]], ...]:
        """(where in the question, doc_id, the question's terms that named it) for each document
        the question names, in the order named. A name, title or year that fits more than
        _MOST_NAMED documents names no source in particular ("according to Reuters" in a
        collection of Reuters stories) and is ignored."""
        found: dict[str, tuple[int, set[str]]] = {}

        def add(doc_ids: list[str], at: int, used: set[str]) -> None:
            if len(doc_ids) > _MOST_NAMED:
                return
            for doc_id in doc_ids:
                pos, before = found.get(doc_id, (at, set()))
                found[doc_id] = (min(pos, at), before | used)

        words = list(_WORD.finditer(question))
        for i in range(len(words)):
            for n in range(1, min(_LONGEST_NAME, len(words) - i) + 1):
                span = words[i : i + n]
                ids = self._by_name.get(_name_key(w.group() for w in span))
                if ids:
                    add(ids, span[0].start(), set(terms(" ".join(w.group() for w in span))))
        # A title names a source only in the words after "the article on ...", "the piece about ...":
        # elsewhere the question's own words ("agreement", "defence") would match titles by chance.
        after = list(_AFTER_SOURCE_WORD.finditer(question))
        qterms = set().union(*(terms(m.group(1)) for m in after))
        # "the piece on its intense military cooperation" says what the title is about: half its
        # terms name it; other words after "article" ("the 2015 article, with how many countries did
        # Japan sign ...") must hold more of them to.
        about = any(_ABOUT.match(m.group(1)) for m in after)
        # Title terms found in very many titles cannot single a title out; counting them would
        # cost a pass over most documents for every question.
        rare = [t for t in qterms if len(self._by_title_term.get(t, ())) <= _COMMON_TITLE_TERM]
        shared = Counter(d for t in rare for d in self._by_title_term.get(t, ()))
        least, share = (3, 0.5) if about else (4, 0.6)
        titled = [d for d, count in shared.items() if count >= max(least, share * self._title_size[d])]
        for doc_id in titled if len(titled) <= _MOST_NAMED else []:
            title_terms = {t for t in rare if doc_id in self._by_title_term[t]}
            first = min((m.start() for m in words if set(terms(m.group())) & title_terms), default=0)
            add([doc_id], first, title_terms)
        for m in _YEAR_SOURCE.finditer(question):
            add(self._by_year.get(m.group(1), []), m.start(), {m.group(1)})
        return _in_order(found)

    def named(self, question: str) -> list[str]:
        """Ids of the documents the question names as sources, in the order named."""
        return [doc_id for _, doc_id, _ in self.mentions(question)]

    def naming_terms(self, question: str) -> set[str]:
        """The question's terms that only name its sources ("2015", "articl", "china", "militari",
        "onlin" in "How do the 2015 article and China Military Online describe an ACSA?"): they say
        where to look, not what a sentence must contain. Empty when the question names no source."""
        mentions = self.mentions(question)
        if not mentions:
            return set()
        return set().union(*(used for _, _, used in mentions)) | (_SOURCE_WORDS & set(terms(question)))
