"""The assistant's use cases (index, ask, browse) over one opened index: what the CLI, chat and evaluation call."""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from functools import cached_property
from pathlib import Path

import numpy as np

from . import followup, spelling
from .answer import compose
from .catalog import Catalog
from .embeddings import Embedder
from .errors import ConfigError, IndexMissingError, QuestionError
from .index import Indexer, Progress
from .lexical import LexicalIndex
from .retrieve import Mode, Retriever
from .schema import Answer, Document, Filters, Hit, IndexSummary
from .settings import Settings
from .sources import SourceIndex
from .store import VectorStore
from .text import zipf

log = logging.getLogger(__name__)
_PER_NAMED_SOURCE = 3  # passages searched in each source a question names, beside the top k


class Assistant:
    """Opens the index lazily; safe to share between threads (writes are serialised)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        """`embedder` replaces the one the settings describe (tests, benchmarks); a real one must
        use the settings' backend, since the index key names the backend its vectors came from."""
        backend = getattr(embedder, "backend", settings.embed_backend)
        if backend != settings.embed_backend:
            raise ConfigError(f"the embedder runs {backend!r} but the settings say embed_backend={settings.embed_backend!r}; "
                              "build it with Embedder.from_settings(settings)")
        self.settings = settings
        self._embedder = embedder
        self._write_lock = threading.Lock()
        self._lexical_lock = threading.Lock()
        self._lexical: LexicalIndex | None = None
        self._lexical_gen = -1
        self._sources: tuple[int, SourceIndex] | None = None  # (catalog generation, index)
        self._store_lock = threading.Lock()
        self._store: VectorStore | None = None
        self._store_gen = -1  # the catalog generation the open store has seen
        self._writing = False  # this process is writing through the open store

    # -- resources -------------------------------------------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or Embedder.from_settings(self.settings)

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.settings.index_dir / "catalog.sqlite3")

    @property
    def store(self) -> VectorStore:
        """The vector store, reopened when another process has changed the index since (an
        embedded Chroma client never sees another process's writes; a Chroma server sees all).
        Never while this one writes: its own changes are already in the open store."""
        with self._store_lock:
            if self._store is not None and self.settings.chroma_mode == "http":
                return self._store
            gen = self.catalog.generation()
            if self._store is None or (gen != self._store_gen and not self._writing):
                if self._store is not None:
                    log.info("the index changed in another process; reopening the vector store")
                    self._store.close()
                self._store = VectorStore(self.settings)
                self._store_gen = gen
            return self._store

    @property
    def indexer(self) -> Indexer:
        return Indexer(self.settings, self.catalog, self.store, self.embedder)

    def lexical(self) -> LexicalIndex:
        with self._lexical_lock:  # one rebuild per catalog change, not one per question asked meanwhile
            gen = self.catalog.generation()
            if self._lexical is None or gen != self._lexical_gen:
                self._lexical = self.indexer.refresh_lexical()
                self._lexical_gen = gen
            return self._lexical

    def sources(self) -> SourceIndex:
        """Publishers, authors, titles and years of every indexed document, for questions that name sources."""
        gen = self.catalog.generation()
        cached = self._sources
        if cached is None or cached[0] != gen:
            cached = self._sources = (gen, SourceIndex(self.catalog.documents()))
        return cached[1]

    @property
    def retriever(self) -> Retriever:
        return Retriever(self.settings, self.catalog, self.store, self.lexical())

    def has_index(self) -> bool:
        return (self.settings.index_dir / "catalog.sqlite3").exists() and self.catalog.counts()[1] > 0

    def warm_up(self) -> None:
        """Load the model and open everything now, so the first question is not the slow one:
        one query and answer-sized sentences through the model (distinct ones, so each session the
        encoder keeps for them is opened), and a first search."""
        self.embedder.embed_query("warm up")
        self.embedder.embed_many([f"Sentence {i} of ordinary length, to warm the encoder up." for i in range(32)])
        zipf("warm")  # the English word list (about 1 s to load) that weighs words the corpus lacks
        if self.has_index():
            self.retrieve("warm up", 1)

    # -- use cases ------------------------------------------------------------------------------
    def index(self, corpus_dir: Path | None = None, progress: Progress | None = None) -> IndexSummary:
        """Build or update the index from corpus_dir (default: settings.corpus_dir)."""
        with self._write_lock:
            indexer = self.indexer  # through a store that has seen every other process's writes
            self._writing = True
            try:
                return indexer.update(corpus_dir, progress)
            finally:
                self._store_gen = self.catalog.generation()  # its own changes are in the open store
                self._writing = False

    def documents(self) -> list[Document]:
        """Indexed documents (metadata only, text empty), sorted by id."""
        return self.catalog.documents()

    def document(self, doc_id: str) -> Document | None:
        """One indexed document with its full cleaned text, or None for an unknown id."""
        return self.catalog.document(doc_id)

    def counts(self) -> tuple[int, int]:
        """(documents, passages) in the index."""
        return self.catalog.counts()

    def passage_counts(self) -> dict[str, int]:
        """doc_id -> passages indexed for it."""
        return self.catalog.passage_counts()

    def allowed_docs(self, filters: Filters | None) -> list[str] | None:
        """Document ids a filter admits (None: no restriction). Undated documents fail a date range."""
        if filters is None or filters.empty:
            return None
        ids = []
        for d in self.catalog.documents():
            if filters.doc_ids and d.doc_id not in filters.doc_ids:
                continue
            if filters.date_from or filters.date_to:
                if not d.date:
                    continue
                if filters.date_from and d.date < filters.date_from[: len(d.date)]:
                    continue
                if filters.date_to and d.date[: len(filters.date_to)] > filters.date_to:
                    continue
            ids.append(d.doc_id)
        return ids

    def retrieve(self, query: str, k: int | None = None, filters: Filters | None = None, mode: Mode = "hybrid") -> list[Hit]:
        """The k best passages for a query (no answer building): for evaluation and baselines."""
        self._require_index()
        vec = self.embedder.embed_query(query) if mode != "lexical" else None
        return self.retriever.search(query, vec, k or self.settings.top_k, self.allowed_docs(filters), mode)

    def ask(self, question: str, filters: Filters | None = None, history: list[str] | None = None) -> Answer:
        """A cited answer, or an abstention listing the nearest passages.

        Raises QuestionError for an empty or over-long question, IndexMissingError with no index.
        """
        t0 = time.perf_counter()
        question = _clean_question(question, self.settings.max_question_chars)
        self._require_index()
        timings: dict[str, float] = {}
        lexical = self.lexical()
        query = followup.standalone(question, history or [])
        fixed = spelling.correct(query, lexical.vocabulary, lexical.capitalised)
        corrected = fixed if fixed != query else None
        query = fixed
        t1 = time.perf_counter()
        qvec = self.embedder.embed_query(query)
        t2 = time.perf_counter()
        allowed = self.allowed_docs(filters)
        sources = self.sources()
        hits = self.retriever.search(query, qvec, self.settings.top_k, allowed)
        hits += self._named_source_hits(query, qvec, allowed, {h.passage.chunk_id for h in hits}, sources)
        t3 = time.perf_counter()
        found = {d: self.catalog.document(d) for d in {h.passage.doc_id for h in hits}}
        docs = {d: doc for d, doc in found.items() if doc is not None}  # removed by an update since the search
        hits = [h for h in hits if h.passage.doc_id in docs]

        timings.update(prepare=(t1 - t0) * 1000, embed=(t2 - t1) * 1000, retrieve=(t3 - t2) * 1000)
        answer = compose(
            query, hits, docs, lexical, self.embedder.embed_many, qvec,
            passage_at=self.catalog.passage_containing,
            abstain_below=self.settings.abstain_below, max_sentences=self.settings.max_answer_sentences,
            timings_ms=timings, original_question=question,
            corrected=corrected if corrected else (query if query != question else None), sources=sources,
        )
        answer.timings_ms["answer"] = (time.perf_counter() - t3) * 1000
        answer.timings_ms["total"] = (time.perf_counter() - t0) * 1000
        return answer

    def _named_source_hits(self, query: str, qvec: np.ndarray, allowed: list[str] | None, have: set[str],
                           sources: SourceIndex) -> list[Hit]:
        """The best passages of each source the question names ("according to Magnani and the
        2015 article"), searched within that source alone, so every source asked about can answer
        even when another one's passages fill the top k."""
        extra: list[Hit] = []
        for doc_id in sources.named(query):
            if allowed is not None and doc_id not in allowed:
                continue
            for hit in self.retriever.search(query, qvec, _PER_NAMED_SOURCE, [doc_id]):
                if hit.passage.chunk_id not in have:
                    have.add(hit.passage.chunk_id)
                    extra.append(hit)
        return extra

    def _require_index(self) -> None:
        if not self.has_index():
            raise IndexMissingError(
                f"no index for these settings in {self.settings.index_dir}; run `assistant index` first"
            )


def _clean_question(question: object, limit: int) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    # Drop control characters (keep letters of every script, emoji and ordinary punctuation).
    q = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question)
    q = " ".join(q.split())
    if not q:
        raise QuestionError("the question is empty; type a question about the documents")
    if len(q) > limit:
        raise QuestionError(
            f"the question is {len(q):,} characters; the limit is {limit:,} (ASSISTANT_MAX_QUESTION_CHARS)"
        )
    return q
