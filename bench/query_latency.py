"""Warm query latency of `Assistant.ask` (retrieval + answer): p50 / p95 and where the time goes.

    python bench/query_latency.py --corpus bundled
    python bench/query_latency.py --corpus reuters --passages 5000          # a Reuters prefix
    python bench/query_latency.py --corpus pool                             # ~46k passages
    python bench/query_latency.py --data bench/out/scale/snap-pool --corpus pool --profile

The index is built (or reused) in --data (default bench/out/idx/<corpus>-<passages>-<backend>);
building the pool at int8 takes about half an hour here. Warm means: model loaded, index
open, three questions asked before timing. Each question of the set is asked once, in order;
--rounds repeats the set. --profile runs pyinstrument over the timed loop and prints the tree.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

import common


def questions_for(corpus: str, n: int) -> list[str]:
    """Distinct questions for a corpus; the pool mixes news questions, SciFact claims and SQuAD."""
    if corpus == "bundled":
        rows = [json.loads(x) for x in (common.ROOT / "eval" / "questions.jsonl").read_text().splitlines() if x.strip()]
        qs = [r["question"] for r in rows]
    elif corpus == "reuters":
        qs = list(common.NEWS_QUESTIONS)
    else:
        rng = random.Random(0)
        claims = [json.loads(x)["text"] for x in (common.SCIFACT / "queries.jsonl").read_text().splitlines() if x.strip()]
        squad = [q["question"] for a in json.loads(common.SQUAD[0].read_text())["data"] for p in a["paragraphs"] for q in p["qas"]]
        qs = common.NEWS_QUESTIONS + common.POOL_QUESTIONS + rng.sample(claims, 25) + rng.sample(squad, 25)
    return qs[:n]


def docs_for(corpus: str, passages: int | None):
    if corpus == "reuters":
        docs = common.reuters_docs()
    elif corpus == "pool":
        docs = common.pool_docs()
    else:
        raise SystemExit(f"unknown corpus {corpus!r}; use bundled, reuters or pool")
    if passages:
        docs = prefix(docs, passages)
    return docs


def prefix(docs, passages: int):
    """The first documents that make about `passages` passages with the default chunking."""
    from assistant.chunking import chunk_spans
    from assistant.cleaning import clean

    out, n = [], 0
    for d in docs:
        if n >= passages:
            break
        out.append(d)
        n += len(chunk_spans(clean(d[2]), 900, 200)) or 1
    return out


def open_assistant(corpus: str, passages: int | None, backend: str, data: Path | None, corpus_dir: Path | None = None):
    """An Assistant over a built index, building it first when missing (timed, printed)."""
    from assistant.service import Assistant

    if corpus == "bundled":
        corpus_dir = common.ROOT / "corpus"
    name = f"{corpus}-{passages or 'all'}-{backend}"
    data = data or common.OUT / "idx" / name / "data"
    if corpus_dir is None:
        corpus_dir = data.parent / "corpus"
        if not corpus_dir.exists():
            common.write_corpus(docs_for(corpus, passages), corpus_dir)
    s = common.settings_for(data, corpus_dir, backend)
    a = Assistant(s, embedder=common.embedder(backend))
    if not a.has_index():
        with common.Timer() as t:
            summary = a.index()
        print(f"built {summary.chunks:,} passages in {t.wall:.0f} s ({summary.chunks / t.wall:.1f}/s)", flush=True)
    return a


def measure(a, questions: list[str], rounds: int = 1, profile: bool = False) -> dict:
    """Warm the assistant up, then time each question; percentiles in milliseconds."""
    a.warm_up()
    # The misspelt one loads wordfreq (spelling checks unknown words against it): a one-time
    # cost of about 0.5-3 s that Assistant.warm_up does not pay yet (see RESULTS.md).
    for q in ["warm up question about prices", "What did the ministr say abuot it?", "How many tonnes were sold?"]:
        a.ask(q)
    times, cpu, parts = [], [], {}
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    for _ in range(rounds):
        for q in questions:
            t, c = time.perf_counter(), time.process_time()
            ans = a.ask(q)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)  # every thread of the process: ~load-proof
            for k in ("prepare", "embed", "retrieve", "answer"):
                parts.setdefault(k, []).append(ans.timings_ms.get(k, 0.0))
    if profiler:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    docs, passages = a.counts()
    return {
        "passages": passages, "documents": docs, "questions": len(times),
        "p50_ms": common.pct(times, 50), "p95_ms": common.pct(times, 95), "max_ms": max(times),
        "mean_ms": sum(times) / len(times),
        "cpu_p50_ms": common.pct(cpu, 50), "cpu_p95_ms": common.pct(cpu, 95),
        "load_avg": os.getloadavg(),
        "parts_p50_ms": {k: common.pct(v, 50) for k, v in parts.items()},
        "parts_p95_ms": {k: common.pct(v, 95) for k, v in parts.items()},
    }


def line(r: dict) -> str:
    parts = ", ".join(f"{k} {v:.0f}" for k, v in r["parts_p50_ms"].items())
    return (f"{r['passages']:,} passages: p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, max {r['max_ms']:.0f} ms "
            f"(CPU p50 {r['cpu_p50_ms']:.0f} ms, p95 {r['cpu_p95_ms']:.0f} ms) "
            f"over {r['questions']} questions (p50 parts ms: {parts})")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", default="bundled", help="bundled, reuters or pool")
    p.add_argument("--passages", type=int, help="only the first documents making about this many passages")
    p.add_argument("--backend", default="onnx-int8")
    p.add_argument("--data", type=Path, help="data folder of an index to reuse (built there when missing)")
    p.add_argument("--corpus-dir", type=Path, help="the corpus folder that index was built from")
    p.add_argument("--questions", type=int, default=100)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--profile", action="store_true")
    p.add_argument("--save-as", help="name of the result file in bench/out (default query_<corpus>-<passages>-<backend>)")
    a = p.parse_args()
    assistant = open_assistant(a.corpus, a.passages, a.backend, a.data, a.corpus_dir)
    r = measure(assistant, questions_for(a.corpus, a.questions), a.rounds, a.profile)
    r["peak_rss_mb"] = common.peak_rss_mb()
    print(line(r) + f"; peak RSS {r['peak_rss_mb']:.0f} MB")
    common.save(a.save_as or f"query_{a.corpus}-{a.passages or 'all'}-{a.backend}", {"args": vars(a), **r})


if __name__ == "__main__":
    main()
