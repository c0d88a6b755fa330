"""Build or update the index incrementally: new files added, changed replaced, deleted removed.

Order of writes, chosen so that a run killed at any point leaves the previous index answering:
vectors are added under content-derived ids first, then the catalog switches to the new
passages in one transaction, then vectors no longer in the catalog are deleted. Search only
returns passages the catalog knows, so half-written vectors are never seen, and the next run
finishes the job without duplicating anything.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import corpus
from .catalog import Catalog
from .chunking import chunk_spans
from .embeddings import Embedder
from .lexical import LexicalIndex
from .schema import Document, IndexSummary, Passage
from .settings import Settings
from .store import VectorStore
from .text import sentence_spans

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]  # (done, total, what)
_FLUSH_PASSAGES = 256  # passages embedded per call: large batches keep the encoder busy


def chunk_id(doc: Document, ord_: int, start: int, end: int) -> str:
    return hashlib.sha1(f"{doc.doc_id}|{doc.sha256}|{ord_}|{start}|{end}".encode()).hexdigest()[:24]


def passages_of(doc: Document, settings: Settings) -> list[Passage]:
    spans = chunk_spans(doc.text, settings.chunk_chars, settings.chunk_overlap_chars)
    return [Passage(chunk_id(doc, i, s, e), doc.doc_id, i, s, e, doc.text[s:e]) for i, (s, e) in enumerate(spans)]


def embed_text(doc: Document, passage: Passage) -> str:
    """What the encoder reads: the title gives a passage its document's context."""
    return f"{doc.title}\n\n{passage.text}"


_MIN_SENTENCE = 20  # characters; shorter lines ("Ibid.", "(...)") say too little to rank by


def sentence_spans_in(doc: Document, passage: Passage) -> list[tuple[int, int]]:
    """Where the passage's sentences lie in its `embed_text` (dense search ranks a passage by
    its best sentence); sentences under _MIN_SENTENCE characters are left out, unless that leaves none."""
    shift = len(embed_text(doc, passage)) - len(passage.text)
    spans = [
        (s - passage.start + shift, e - passage.start + shift)
        for s, e in sentence_spans(doc.text, passage.start, passage.end) if e - s >= _MIN_SENTENCE
    ]
    return spans or [(shift, shift + len(passage.text))]


def lexical_text(doc: Document, passage: Passage) -> str:
    """What BM25 reads: the passage with its document's title, author and publisher, so a
    question naming a source ("what does Magnani say...") finds that source's passages."""
    meta = " ".join(x for x in (doc.title, doc.author, doc.publisher) if x)
    return f"{meta}\n{passage.text}"


@dataclass
class _Pending:
    docs: list[tuple[Document, list[Passage], corpus.SourceFile, bool]] = field(default_factory=list)
    n_passages: int = 0


class Indexer:
    def __init__(self, settings: Settings, catalog: Catalog, store: VectorStore, embedder: Embedder):
        self.settings = settings
        self.catalog = catalog
        self.store = store
        self.embedder = embedder

    def update(self, root: Path | None = None, progress: Progress | None = None) -> IndexSummary:
        """Bring the index in line with the files under root (default: settings.corpus_dir)."""
        t0 = time.perf_counter()
        root = Path(root or self.settings.corpus_dir)
        files, skipped = corpus.scan(root)
        known = self.catalog.fingerprints()
        self._repair(known)
        current = {f.rel for f in files}

        gone = sorted(set(known) - current)
        if gone:
            old_ids = [cid for d in gone for cid in self.catalog.chunk_ids(d)]
            self.catalog.remove(gone)
            self.store.delete(old_ids)

        todo = [f for f in files if f.rel not in known or known[f.rel][1:] != (f.size, f.mtime_ns)]
        added = updated = unchanged = 0
        unchanged = len(files) - len(todo)
        pending = _Pending()
        todo_rels = {f.rel for f in todo}
        seen_sha = {fp[0]: rel for rel, fp in known.items() if rel in current and rel not in todo_rels}
        max_bytes = int(self.settings.max_file_mb * 1e6)
        for i, src in enumerate(todo):
            if progress:
                progress(i, len(todo), src.rel)
            try:
                doc = corpus.load(src, max_bytes)
            except corpus.Unreadable as exc:
                skipped.append((src.rel, str(exc)))
                if src.rel in known:  # a file that became unreadable leaves the index
                    self._drop(src.rel)
                continue
            if doc.sha256 in seen_sha:
                skipped.append((src.rel, f"same content as {seen_sha[doc.sha256]}"))
                if src.rel in known:
                    self._drop(src.rel)
                continue
            seen_sha[doc.sha256] = src.rel
            if src.rel in known and known[src.rel][0] == doc.sha256:
                self.catalog.touch(src.rel, src.size, src.mtime_ns)  # touched, not changed
                unchanged += 1
                continue
            passages = passages_of(doc, self.settings)
            pending.docs.append((doc, passages, src, src.rel in known))
            pending.n_passages += len(passages)
            if src.rel in known:
                updated += 1
            else:
                added += 1
            if pending.n_passages >= _FLUSH_PASSAGES:
                self._flush(pending)
                pending = _Pending()
        self._flush(pending)
        if progress:
            progress(len(todo), len(todo), "done")
        self._sweep()
        self.refresh_lexical()
        _, n_chunks = self.catalog.counts()
        return IndexSummary(added, updated, len(gone), unchanged, skipped, n_chunks, time.perf_counter() - t0)

    def _flush(self, pending: _Pending) -> None:
        if not pending.docs:
            return
        texts = [embed_text(d, p) for d, ps, _, _ in pending.docs for p in ps]
        spans = [sentence_spans_in(d, p) for d, ps, _, _ in pending.docs for p in ps]
        vectors, sentences = self.embedder.embed_passages_with_parts(texts, spans)
        passages = [p for _, ps, _, _ in pending.docs for p in ps]
        old = set().union(*(self.catalog.chunk_ids(d.doc_id) for d, _, _, existed in pending.docs if existed))
        # One write of each kind per batch (Chroma's fixed cost per add is tens of milliseconds),
        # in the crash-safe order: vectors, then the catalog, then the vectors it no longer lists.
        self.store.add(
            [p.chunk_id for p in passages], vectors, [p.text for p in passages],
            [{"doc_id": p.doc_id, "start": p.start, "end": p.end} for p in passages], sentences,
        )
        self.catalog.put((doc, ps, src.size, src.mtime_ns) for doc, ps, src, _ in pending.docs)
        stale = sorted(old - {p.chunk_id for p in passages})
        if stale:
            self.store.delete(stale)

    def _drop(self, doc_id: str) -> None:
        ids = list(self.catalog.chunk_ids(doc_id))
        self.catalog.remove([doc_id])
        self.store.delete(ids)

    def _repair(self, known: dict[str, tuple[str, int, int]]) -> None:
        """Documents whose vectors are missing from the store (a reset server) are indexed again."""
        missing = self.catalog.chunk_ids() - self.store.ids()
        if not missing:
            return
        broken = {p.doc_id for p in self.catalog.passages(missing)}
        log.warning("%d documents had passages missing from the vector store; indexing them again", len(broken))
        self.catalog.remove(broken)
        for d in broken:
            known.pop(d, None)

    def _sweep(self) -> None:
        """Delete vectors the catalog does not know (left by a run that was killed)."""
        orphans = sorted(self.store.ids() - self.catalog.chunk_ids())
        if orphans:
            log.info("removing %d orphaned vectors", len(orphans))
            self.store.delete(orphans)

    def refresh_lexical(self) -> LexicalIndex:
        """Load the BM25 cache, rebuilding it when the catalog changed since it was saved."""
        folder = self.settings.index_dir / "bm25"
        with self.catalog.snapshot():  # generation, documents and passages of one committed state
            gen = self.catalog.generation()
            lex = LexicalIndex.load(folder, gen)
            if lex is not None:
                return lex
            docs = {d.doc_id: d for d in self.catalog.documents()}
            lex = LexicalIndex.build([(p.chunk_id, lexical_text(docs[p.doc_id], p)) for p in self.catalog.passages()],
                                     known=LexicalIndex.load_analysed(folder))
        lex.save(folder, gen)
        lex.analysed = None  # saved with it; a later rebuild reads it back, a chat need not hold it
        return lex
