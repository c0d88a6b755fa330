"""Turn a follow-up ("and what about Germany?") into a standalone question using the conversation."""

from __future__ import annotations

import re

from .text import STOPWORDS, words

_FOLLOW_START = re.compile(r"^\s*(and|but|also|what about|how about|same for|then|so)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|him|her|there)\b", re.IGNORECASE)
_PROPER = re.compile(r"\b(?:[A-Z][\w’'-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w’'-]*|of|the|and)\s*)*(?<!\s)")
_QUESTION_WORDS = {"What", "Which", "Who", "When", "Where", "Why", "How", "And", "But", "Also", "Did", "Does",
                   "Do", "Is", "Are", "Was", "Were", "Can", "Could", "Has", "Have", "The", "A", "An", "In", "On",
                   "Tell", "Give", "List", "Name", "Same", "Then", "So", "About", "I", "Please"}


def proper_nouns(text: str) -> list[tuple[int, int, str]]:
    """Capitalised phrases that are not sentence-initial question words: (start, end, phrase)."""
    out = []
    for m in _PROPER.finditer(text):
        phrase = re.sub(r"(\s+(of|the|and))+$", "", m.group().strip())
        first = phrase.split()[0]
        if first in _QUESTION_WORDS and len(phrase.split()) == 1:
            continue
        out.append((m.start(), m.start() + len(phrase), phrase))
    return out


def is_follow_up(question: str) -> bool:
    content = [w for w in words(question) if w not in STOPWORDS]
    if len(content) > 8:
        return False
    asks = re.match(r"^\s*(what|which|who|when|where|why|how|is|are|was|were|did|does|do|can)\b", question, re.I)
    return bool(_FOLLOW_START.match(question) or _PRONOUN.search(question) or (not asks and len(content) <= 2))


def standalone(question: str, history: list[str]) -> str:
    """The question itself when it stands alone, else a rewrite that carries the previous topic.

    "and what about Germany?" after "Which agreement did Japan sign with France?" becomes
    "Which agreement did Japan sign with Germany?": the last named thing of the previous
    question is swapped for the new one. Without a new name ("when was it signed?"), the
    previous question's words are added to the new ones.
    """
    previous = next((h for h in reversed(history) if h and h.strip()), None)
    if not previous or not is_follow_up(question):
        return question
    new_names = [p for _, _, p in proper_nouns(question)]
    old_names = proper_nouns(previous)
    if new_names and old_names:
        s, e, old = old_names[-1]
        if old not in new_names:
            return previous[:s] + " and ".join(new_names) + previous[e:]
    return f"{question.strip()} ({previous.strip()})"
