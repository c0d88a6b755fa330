"""Indexing throughput: `Assistant.index()` against the bare encoder on the same passages.

    python bench/throughput.py --passages 2000                        # torch, onnx, onnx-int8
    python bench/throughput.py --passages 300 --backends onnx-int8    # quick

For each backend: the bare encoder (SentenceTransformer.encode for torch, the onnxruntime
session for the ONNX backends) over exactly the texts the indexer embeds, batch 32, 2 threads;
then a full index build of the same Reuters files in a fresh data folder, with the encoder's
own time inside it measured by a wrapper. Overhead = (index wall - encoder wall in the index)
/ encoder wall. The bare encoder runs before and after the build and the two are averaged, so
a change of machine load during the build shows as a gap between them.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import common


class TimedEmbedder:
    """Wraps an Embedder and adds up the wall time of its calls."""

    def __init__(self, inner):
        self.inner = inner
        self.dim = inner.dim
        self.seconds = 0.0
        self.texts = 0

    def _timed(self, encode, texts, *args):
        t = time.perf_counter()
        try:
            return encode(texts, *args)
        finally:
            self.seconds += time.perf_counter() - t
            self.texts += len(texts)

    def embed_passages(self, texts):
        return self._timed(self.inner.embed_passages, texts)

    def embed_passages_with_parts(self, texts, parts):
        return self._timed(self.inner.embed_passages_with_parts, texts, parts)

    def embed_query(self, text):
        return self.inner.embed_query(text)

    def embed_many(self, texts):
        return self.inner.embed_many(texts)


def reuters_corpus(n_passages: int, folder: Path) -> list[str]:
    """Write the first Reuters articles making about n_passages passages; return the texts the
    indexer will embed (title + passage, see assistant.index.embed_text)."""
    from assistant import corpus as corpus_mod
    from assistant.index import embed_text, passages_of
    from assistant.settings import load_settings
    from query_latency import prefix

    common.write_corpus(prefix(common.reuters_docs(), n_passages), folder)
    settings = load_settings()
    files, _ = corpus_mod.scan(folder)
    texts = []
    for f in files:
        doc = corpus_mod.load(f, 10**8)
        texts += [embed_text(doc, p) for p in passages_of(doc, settings)]
    return texts


def bare(backend: str, emb, texts: list[str], batch: int) -> common.Timer:
    if backend == "torch":
        st = emb.model._model  # the SentenceTransformer inside llama-index's HuggingFaceEmbedding
        with common.Timer() as t:
            st.encode(texts, batch_size=batch, normalize_embeddings=True)
    else:
        with common.Timer() as t:
            emb._onnx.encode(texts, batch)
    return t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--passages", type=int, default=2000)
    p.add_argument("--backends", default="torch,onnx,onnx-int8")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    from assistant.service import Assistant

    # One-time imports (about 3 s here) are not per-passage pipeline work: paid before timing.
    import bm25s  # noqa: F401
    import chromadb  # noqa: F401
    import llama_index.core  # noqa: F401
    from llama_index.vector_stores.chroma import ChromaVectorStore  # noqa: F401

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        texts = reuters_corpus(a.passages, corpus)
        print(f"{len(texts):,} passages from {sum(1 for _ in corpus.rglob('*.txt')):,} Reuters articles", flush=True)
        rows = {}
        for backend in a.backends.split(","):
            emb = common.embedder(backend, a.threads, a.batch)
            with common.Timer() as load:
                emb.load()
            emb.embed_passages(texts[:64])  # first batches allocate; not part of any figure
            b1 = bare(backend, emb, texts, a.batch)
            timed = TimedEmbedder(emb)
            s = common.settings_for(Path(tmp) / f"data-{backend}", corpus, backend, embed_batch_size=a.batch, embed_threads=a.threads)
            assistant = Assistant(s, embedder=timed)
            with common.Timer() as idx:
                summary = assistant.index()
            assistant.catalog.close()
            b2 = bare(backend, emb, texts, a.batch)
            bare_wall = (b1.wall + b2.wall) / 2
            bare_cpu = (b1.cpu + b2.cpu) / 2
            rows[backend] = r = {
                "passages": summary.chunks, "load_s": load.wall,
                "bare_wall_s": [b1.wall, b2.wall], "bare_cpu_s": [b1.cpu, b2.cpu],
                "index_wall_s": idx.wall, "index_cpu_s": idx.cpu, "encoder_in_index_s": timed.seconds,
                "bare_per_s": len(texts) / bare_wall, "index_per_s": summary.chunks / idx.wall,
                "overhead_vs_encoder_in_index": (idx.wall - timed.seconds) / timed.seconds,
                "overhead_vs_bare": (idx.wall - bare_wall) / bare_wall,
                "cpu_overhead_vs_bare": (idx.cpu - bare_cpu) / bare_cpu,
            }
            print(f"{backend:10s} load {load.wall:.1f} s | bare {r['bare_per_s']:.1f} passages/s "
                  f"(runs {b1.wall:.0f} s / {b2.wall:.0f} s) | index() {r['index_per_s']:.1f} passages/s "
                  f"({idx.wall:.0f} s, encoder {timed.seconds:.0f} s of it) | pipeline overhead "
                  f"{100 * r['overhead_vs_encoder_in_index']:.1f}% of encoder time in the run, "
                  f"{100 * r['overhead_vs_bare']:.1f}% vs bare wall, {100 * r['cpu_overhead_vs_bare']:.1f}% vs bare CPU",
                  flush=True)
        if "torch" in rows:
            ref = rows["torch"]
            for b, r in rows.items():
                print(f"{b:10s} bare x{r['bare_per_s'] / ref['bare_per_s']:.2f} and index() "
                      f"x{r['index_per_s'] / ref['bare_per_s']:.2f} the bare torch fp32 encoder")
        common.save(f"throughput_{a.passages}", {"args": vars(a), "texts": len(texts), "rows": rows})


if __name__ == "__main__":
    main()
