"""SQLite catalog of indexed documents and passages: the source of truth the vector store follows."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .schema import Document, Passage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
    sha256 TEXT NOT NULL, publisher TEXT, author TEXT, date TEXT,
    size INTEGER NOT NULL DEFAULT 0, mtime_ns INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Catalog:
    """Documents and their passages; every write is one transaction, so a killed run leaves it whole.

    Writes go through one connection (index runs are serialised by the service). Every thread
    reads through a connection of its own, which in WAL mode sees committed transactions only: a
    question answered while the index updates never sees half of a write.
    """

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self._local = threading.local()

    def close(self) -> None:
        self._db.close()

    def _reader(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
        return db

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads made by this thread inside the block all see the same committed state."""
        db = self._reader()
        if db.in_transaction:  # already inside a snapshot
            yield
            return
        db.execute("BEGIN")
        try:
            yield
        finally:
            db.execute("COMMIT")

    # -- reads ---------------------------------------------------------------------------------
    def generation(self) -> int:
        """A counter bumped by every change, so caches derived from the catalog know they are stale."""
        row = self._reader().execute("SELECT value FROM state WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def fingerprints(self) -> dict[str, tuple[str, int, int]]:
        """doc_id -> (sha256, size, mtime_ns) of what was indexed."""
        rows = self._reader().execute("SELECT doc_id, sha256, size, mtime_ns FROM documents")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def documents(self) -> list[Document]:
        rows = self._reader().execute(
            "SELECT doc_id, path, title, '', sha256, publisher, author, date FROM documents ORDER BY doc_id"
        )
        return [Document(*r) for r in rows]

    def document(self, doc_id: str) -> Document | None:
        row = self._reader().execute(
            "SELECT doc_id, path, title, text, sha256, publisher, author, date FROM documents WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        return Document(*row) if row else None

    def passages(self, chunk_ids: Iterable[str] | None = None) -> list[Passage]:
        """Passages by id (unknown ids are left out), or all of them in document order."""
        if chunk_ids is None:
            rows = self._reader().execute(
                'SELECT chunk_id, doc_id, ord, start, "end", text FROM chunks ORDER BY doc_id, ord'
            ).fetchall()
            return [Passage(*r) for r in rows]
        ids = list(chunk_ids)
        found: dict[str, Passage] = {}
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            q = 'SELECT chunk_id, doc_id, ord, start, "end", text FROM chunks WHERE chunk_id IN ({})'.format(
                ",".join("?" * len(part))
            )
            for r in self._reader().execute(q, part):
                found[r[0]] = Passage(*r)
        return [found[i] for i in ids if i in found]

    def passage_containing(self, doc_id: str, start: int, end: int) -> Passage | None:
        """The first passage of doc_id that holds the whole span [start, end), if any."""
        row = self._reader().execute(
            'SELECT chunk_id, doc_id, ord, start, "end", text FROM chunks '
            'WHERE doc_id=? AND start<=? AND "end">=? ORDER BY ord LIMIT 1',
            (doc_id, start, end),
        ).fetchone()
        return Passage(*row) if row else None

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        if doc_id is None:
            return {r[0] for r in self._reader().execute("SELECT chunk_id FROM chunks")}
        return {r[0] for r in self._reader().execute("SELECT chunk_id FROM chunks WHERE doc_id=?", (doc_id,))}

    def passage_counts(self) -> dict[str, int]:
        """doc_id -> number of passages."""
        return dict(self._reader().execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id"))

    def counts(self) -> tuple[int, int]:
        docs = self._reader().execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = self._reader().execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return docs, chunks

    # -- writes --------------------------------------------------------------------------------
    def put(self, items: Iterable[tuple[Document, list[Passage], int, int]]) -> None:
        """Insert or replace documents with their passages, all in one transaction.
        Each item is (document, its passages, file size, file mtime_ns)."""
        with self._tx() as db:
            for doc, passages, size, mtime_ns in items:
                db.execute("DELETE FROM documents WHERE doc_id=?", (doc.doc_id,))
                db.execute(
                    "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.path, doc.title, doc.text, doc.sha256, doc.publisher, doc.author, doc.date,
                     size, mtime_ns),
                )
                db.executemany(
                    "INSERT INTO chunks VALUES (?,?,?,?,?,?)",
                    [(p.chunk_id, p.doc_id, p.ord, p.start, p.end, p.text) for p in passages],
                )
            self._bump(db)

    def touch(self, doc_id: str, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a file whose content did not change."""
        with self._tx() as db:
            db.execute("UPDATE documents SET size=?, mtime_ns=? WHERE doc_id=?", (size, mtime_ns, doc_id))

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._tx() as db:
            db.executemany("DELETE FROM documents WHERE doc_id=?", [(d,) for d in doc_ids])
            self._bump(db)

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO state VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _tx(self) -> "_Transaction":
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
