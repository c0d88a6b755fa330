"""BM25 over the catalog's passages (bm25s), cached on disk and rebuilt when the catalog changes."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections import Counter
from pathlib import Path

import numpy as np

from .text import surface_words, terms, words

log = logging.getLogger(__name__)


_ANALYSED = "analysed.json"
_EMPTY = "<empty>"  # the one token of a passage without terms (bm25s needs one)
# Bumped when `terms` or `words` change, so neither a saved analysis nor a saved index of the old
# kind is reused (2: "programme" is "program"; 3: words keep their case, to tell names; 4: a
# Roman numeral is its number; 5: a world war is one term; 6-10: everyday words are the text's
# formal ones, "deal" is "agreement", "arms" "weapons", "worried" "concerned").
ANALYSIS_VERSION = 10


def analyse(text: str) -> str:
    """A passage's BM25 terms and its words as written, for spelling suggestions: "terms\twords",
    each space-separated (neither holds white space)."""
    return " ".join(terms(text)) + "\t" + " ".join(w for w in surface_words(text) if w.isalpha() and len(w) > 2)


def _bm25s():
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on itself at import
    return bm25s


class LexicalIndex:
    """Okapi BM25 (k1=1.5, b=0.75) on stemmed, stop-word-free terms, plus the corpus vocabulary."""

    def __init__(self, bm25, chunk_ids: list[str], vocabulary: dict[str, int], doc_freq: dict[str, int],
                 analysed: dict[str, str] | None = None, capitalised: dict[str, int] | None = None):
        self.bm25 = bm25
        self.chunk_ids = chunk_ids
        self.vocabulary = vocabulary  # lower-case word -> occurrences, for spelling suggestions
        self.capitalised = capitalised or {}  # lower-case word -> occurrences written with a capital
        self.doc_freq = doc_freq  # stemmed term -> passages containing it
        self.analysed = analysed  # chunk id -> analyse(text), saved so a rebuild reuses it
        self.n = len(chunk_ids)

    @classmethod
    def build(cls, passages: list[tuple[str, str]], known: dict[str, str] | None = None) -> "LexicalIndex":
        """From (chunk_id, text) pairs. `known` holds earlier `analyse` results by chunk id (a
        chunk id names its content), so after a small change only the new passages are analysed."""
        bm25s = _bm25s()

        known = known or {}
        analysed: dict[str, str] = {}
        tokens = []
        vocab: Counter[str] = Counter()
        capitals: Counter[str] = Counter()
        for cid, text in passages:
            a = analysed[cid] = known.get(cid) or analyse(text)
            ts, ws = a.split("\t")
            tokens.append(ts.split() or [_EMPTY])
            written = ws.split()
            vocab.update(w.lower() for w in written)
            capitals.update(w.lower() for w in written if w[0].isupper())
        bm25 = bm25s.BM25(k1=1.5, b=0.75)
        df: dict[str, int] = {}
        if tokens:
            bm25.index(tokens, show_progress=False)
            # A term's passages are its column's non-zeros in bm25s's term-major score matrix.
            counts = np.diff(np.asarray(bm25.scores["indptr"]))
            df = {t: int(counts[i]) for t, i in bm25.vocab_dict.items() if t and t != _EMPTY and i < len(counts)}
        return cls(bm25, [cid for cid, _ in passages], dict(vocab), df, analysed, dict(capitals))

    def idf(self, term: str) -> float:
        """BM25's idf: log(1 + (N - df + 0.5) / (df + 0.5)); 0 for a term absent from the corpus."""
        df = self.doc_freq.get(term, 0)
        if df == 0:
            return 0.0
        return float(np.log(1 + (self.n - df + 0.5) / (df + 0.5)))

    def query_terms(self, text: str) -> list[str]:
        """The terms of a question, read against the corpus: a hyphenated term the corpus lacks
        stands for its parts ("security-of-information" for the "Security of Information" the
        documents write; "tie-ups" for "tie"), while one it has ("self-defense") stays whole."""
        out: list[str] = []
        for w in words(text):
            whole = terms(w)
            out += terms(w.replace("-", " ")) if "-" in w and whole and whole[0] not in self.doc_freq else whole
        return out

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, bm25 score) best first; only passages sharing a term with the query."""
        q = [t for t in self.query_terms(query) if t in self.doc_freq]
        if not q or self.n == 0:
            return []
        if allowed is not None:
            mask = np.fromiter((cid in allowed for cid in self.chunk_ids), dtype=bool, count=self.n)
            if not mask.any():
                return []
            scores = self.bm25.get_scores(q)
            scores = np.where(mask, scores, 0.0)
        else:
            scores = self.bm25.get_scores(q)
        k = min(k, self.n)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self.chunk_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    # -- persistence -----------------------------------------------------------------------------
    @staticmethod
    def load_analysed(folder: Path) -> dict[str, str]:
        """The saved `analyse` results of the last build (any generation), or {}."""
        try:
            saved = json.loads((folder / _ANALYSED).read_text())
            return saved["passages"] if saved["version"] == ANALYSIS_VERSION else {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("no saved passage analysis in %s: %s", folder, exc)
            return {}

    def save(self, folder: Path, generation: int) -> None:
        # Names of this writer's own: an index update and a question may save at the same time.
        tag = f"{os.getpid()}-{threading.get_ident()}"
        tmp = folder.with_name(f"{folder.name}.tmp-{tag}")
        old = folder.with_name(f"{folder.name}.old-{tag}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.n:
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
        meta = {"generation": generation, "version": ANALYSIS_VERSION, "chunk_ids": self.chunk_ids,
                "vocabulary": self.vocabulary, "capitalised": self.capitalised, "doc_freq": self.doc_freq}
        (tmp / "meta.json").write_text(json.dumps(meta))
        if self.analysed is not None:
            (tmp / _ANALYSED).write_text(json.dumps({"version": ANALYSIS_VERSION, "passages": self.analysed}))
        try:
            folder.rename(old)
        except FileNotFoundError:
            pass
        try:
            tmp.rename(folder)  # readers see the old folder or the new one, never half of one
        except OSError:  # another writer's copy is in place; a stale one is rebuilt on the next load
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, generation: int) -> "LexicalIndex | None":
        """The saved index if it was built for this catalog generation by this analysis, else None."""
        bm25s = _bm25s()

        try:
            inode = folder.stat().st_ino
            meta = json.loads((folder / "meta.json").read_text())
            if meta["generation"] != generation or meta.get("version") != ANALYSIS_VERSION:
                return None
            bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=False, show_progress=False) if meta["chunk_ids"] else bm25s.BM25()
            if folder.stat().st_ino != inode:
                return None  # replaced while it was read: its parts may be of two versions
        except (OSError, ValueError, KeyError) as exc:
            log.debug("no usable BM25 cache in %s: %s", folder, exc)
            return None
        return cls(bm25, meta["chunk_ids"], meta["vocabulary"], meta["doc_freq"], capitalised=meta["capitalised"])
