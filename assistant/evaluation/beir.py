"""BEIR-format retrieval benchmark (SciFact): index the corpus with our indexer, rank documents, score nDCG@10 and recall@100."""

from __future__ import annotations

import csv
import json
import logging
import random
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote

from ..errors import CorpusError
from ..settings import Settings
from . import metrics as m
from .harness import temporary_assistant

log = logging.getLogger(__name__)

MODES = {"ours": "hybrid", "bm25": "lexical", "dense": "dense"}
# Published SciFact test figures (see ../shared/bench/README.md): nDCG@10, R@100.
PUBLISHED = [
    ("BM25, Anserini flat (BEIR regression)", 0.6789, 0.9253),
    ("BM25, BEIR paper (Thakur et al. 2021)", 0.665, None),
    ("all-MiniLM-L6-v2 (MTEB leaderboard)", 0.645, None),
    ("bge-small-en-v1.5 (MTEB, with instruction)", 0.7127, 0.945),
]
# Passages fetched per query. A SciFact abstract makes 1-3 passages, so 300 passages cover the
# 100 documents recall@100 needs; each retriever hands this many to fusion (not the 40 of `ask`).
PASSAGES_PER_QUERY = 300

Progress = Callable[[int, int, str], None]


def load(folder: Path) -> tuple[dict[str, dict], dict[str, str], dict[str, dict[str, int]]]:
    """(corpus {_id: {title, text}}, queries {_id: text}, test qrels {query: {doc: grade}}).

    Raises CorpusError naming the missing or broken file.
    """
    folder = Path(folder)
    paths = {name: folder / name for name in ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv")}
    for name, path in paths.items():
        if not path.is_file():
            raise CorpusError(f"{folder} is not a BEIR folder: {name} is missing; pass --beir DIR with corpus.jsonl, queries.jsonl, qrels/test.tsv")
    corpus = {row["_id"]: row for row in _jsonl(paths["corpus.jsonl"])}
    queries = {row["_id"]: row["text"] for row in _jsonl(paths["queries.jsonl"])}
    qrels: dict[str, dict[str, int]] = {}
    with paths["qrels/test.tsv"].open(encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        for no, row in enumerate(reader, start=1):
            if no == 1 and row and row[0] == "query-id":
                continue
            if len(row) != 3:
                raise CorpusError(f"{paths['qrels/test.tsv']}:{no}: expected query-id, corpus-id, score separated by tabs")
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    missing = [q for q in qrels if q not in queries]
    if missing:
        raise CorpusError(f"{paths['qrels/test.tsv']}: {len(missing)} judged queries are not in queries.jsonl (first: {missing[0]})")
    return corpus, queries, qrels


def _jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                row["_id"] = str(row["_id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                raise CorpusError(f"{path}:{no}: not a JSON object with an _id") from None
            rows.append(row)
    return rows


def write_corpus(corpus: dict[str, dict], folder: Path) -> None:
    """One `<_id>.txt` per document, the title as its first line (our loader takes it as the title)."""
    for doc_id, row in corpus.items():
        title, text = (row.get("title") or "").strip(), (row.get("text") or "").strip()
        body = f"{title}\n\n{text}" if title else text
        (folder / f"{quote(doc_id, safe='')}.txt").write_text(body + "\n", encoding="utf-8")


def doc_of(doc_id: str) -> str:
    """Our document id (`<_id>.txt`) back to the BEIR `_id`."""
    return unquote(doc_id.removesuffix(".txt"))


def run(folder: Path, settings: Settings, embedder, limit: int | None = None, seed: int = 0,
        progress: Progress | None = None) -> dict:
    """Index the BEIR corpus in a temporary data folder and score our three retrieval modes.

    `limit` scores a seeded random subset of the judged queries (None: all).
    """
    corpus, queries, qrels = load(folder)
    qids = sorted(qrels)
    if limit and limit < len(qids):
        qids = sorted(random.Random(seed).sample(qids, limit))
    t_start = time.perf_counter()
    with temporary_assistant(settings, embedder, lambda folder: write_corpus(corpus, folder), progress) as (assistant, summary):
        index_s = time.perf_counter() - t_start
        runs: dict[str, dict[str, list[str]]] = {mode: {} for mode in MODES}
        query_s: dict[str, float] = {}
        for name, mode in MODES.items():
            t0 = time.perf_counter()
            for qid in qids:
                hits = assistant.retrieve(queries[qid], PASSAGES_PER_QUERY, mode=mode)
                runs[name][qid] = m.unique(doc_of(h.passage.doc_id) for h in hits)[:100]
            query_s[name] = time.perf_counter() - t0
        n_docs, n_passages = assistant.counts()
    results = {}
    for name in MODES:
        ndcg = [m.ndcg_at(runs[name][q], qrels[q], 10) for q in qids]
        rec = [m.doc_recall_at(runs[name][q], [d for d, g in qrels[q].items() if g > 0], 100) for q in qids]
        results[name] = {
            "ndcg_at_10": m.mean(ndcg), "recall_at_100": m.mean(rec),
            "ms_per_query": 1000 * query_s[name] / max(1, len(qids)),
        }
    return {
        "folder": str(folder),
        "queries": len(qids),
        "documents": n_docs,
        "passages": n_passages,
        "skipped": len(summary.skipped),
        "index_s": round(index_s, 1),
        "total_s": round(time.perf_counter() - t_start, 1),
        "results": results,
        "published": [{"system": s, "ndcg_at_10": n, "recall_at_100": r} for s, n, r in PUBLISHED],
        "runs": runs,  # top-100 document ids per query and mode, for re-scoring
    }
