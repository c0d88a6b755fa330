"""Plain records passed between the layers: documents, passages, citations, answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """A cleaned document: `text` is what every offset points into."""

    doc_id: str
    path: str
    title: str
    text: str
    sha256: str
    publisher: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD) or None when the source does not say

    @property
    def meta(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "path": self.path,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "date": self.date,
        }


@dataclass(frozen=True)
class Passage:
    """A chunk of a document: text == document.text[start:end]."""

    chunk_id: str
    doc_id: str
    ord: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its fused score and the ranks it had in each retriever."""

    passage: Passage
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = None


@dataclass(frozen=True)
class Citation:
    """One `[n]` marker: the passage it opens and the quoted span inside the document."""

    n: int
    doc_id: str
    title: str
    publisher: str | None
    author: str | None
    date: str | None
    text: str  # the whole cited passage
    passage_start: int  # passage offsets in the document
    passage_end: int
    start: int  # quoted span offsets in the document
    end: int
    score: float
    quote: str  # document.text[start:end]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What `ask` returns; `to_json` is the stable shape scripts and the evaluation read."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    timings_ms: dict[str, float]
    short_answer: str | None = None
    conflict: bool = False
    nearest: list[Citation] = field(default_factory=list)  # closest passages when abstaining
    # Passages close to an answer that it does not quote, numbered after its citations. They are
    # pointers for the reader, not claims: no line of the answer rests on them.
    related: list[Citation] = field(default_factory=list)
    corrected_question: str | None = None  # set when misspelt words were corrected

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "short_answer": self.short_answer,
            "conflict": self.conflict,
            "corrected_question": self.corrected_question,
            "citations": [c.to_json() for c in self.citations],
            "nearest": [c.to_json() for c in self.nearest],
            "related": [c.to_json() for c in self.related],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class Filters:
    """Restrict a question to some documents and/or a date range (ISO strings, inclusive)."""

    doc_ids: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    @property
    def empty(self) -> bool:
        return not self.doc_ids and not self.date_from and not self.date_to


@dataclass(frozen=True)
class IndexSummary:
    added: int
    updated: int
    removed: int
    unchanged: int
    skipped: list[tuple[str, str]]  # (path, reason)
    chunks: int
    seconds: float

    def line(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, "
            f"unchanged {self.unchanged}, skipped {len(self.skipped)}, chunks {self.chunks}, "
            f"{self.seconds:.1f} s"
        )
