"""How cost grows: index time, query p50/p95 and peak memory at growing corpus sizes, plus a chart.

    python bench/scaling.py                                   # 1k, 5k, 20k, all Reuters, the ~46k pool
    python bench/scaling.py --steps 1000,3000 --questions 20  # quick

One corpus folder grows step by step (Reuters articles in file order, then SciFact abstracts
and SQuAD paragraphs for the pool) and one index follows it: each step indexes only what was
added, in a fresh process, so the index time at N passages is the sum of the steps up to N
(each step also re-reads the catalog and rebuilds BM25 over everything, which a single build
would do once). After each step the data folder is copied to bench/out/scale/snap-<step> and
query latency is measured there in another fresh process. Peak RSS is each process's own.
With --incremental-at, the one-changed-file test (bench/incremental.py) runs on that step.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import common

CHILD_INDEX = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
import common
from pathlib import Path
from assistant.service import Assistant
a = Assistant(common.settings_for(Path(sys.argv[2]), Path(sys.argv[1]), sys.argv[3]), embedder=common.embedder(sys.argv[3]))
a.embedder.load()
with common.Timer() as t:
    s = a.index()
print(json.dumps({"index_s": t.wall, "index_cpu_s": t.cpu, "passages": s.chunks, "added": s.added,
                  "documents": a.counts()[0], "peak_rss_mb": common.peak_rss_mb()}))
"""


def step_docs(step: str):
    if step == "reuters":
        return common.reuters_docs()
    if step == "pool":
        return common.pool_docs()
    from query_latency import prefix

    return prefix(common.reuters_docs(), int(step))


def child(args: list[str], timeout: int = 4 * 3600) -> str:
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout, cwd=common.ROOT)
    if proc.returncode:
        raise SystemExit(f"{args[:2]} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def chart(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r["passages"] / 1000 for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(n, [r["index_total_s"] / 60 for r in rows], "o-", label="index (sum of steps)")
    ax1.set_xlabel("passages (thousands)")
    ax1.set_ylabel("minutes")
    ax1.set_title("Index time")
    ax1.grid(alpha=0.3)
    ax2.plot(n, [r["p50_ms"] for r in rows], "o-", label="p50")
    ax2.plot(n, [r["p95_ms"] for r in rows], "s-", label="p95")
    ax2.axhline(250, color="grey", ls="--", lw=1, label="p95 target 250 ms")
    ax2.set_xlabel("passages (thousands)")
    ax2.set_ylabel("ms per question (warm)")
    ax2.set_title("Query latency: ask()")
    ax2.grid(alpha=0.3)
    ax2.legend()
    fig.suptitle(f"{rows[0].get('backend', '')} encoder, {common.machine()['nproc']} cores", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def requery(steps: list[str], backend: str, n_questions: int, folder: Path) -> dict[str, dict]:
    """Query latency of every step's snapshot, the questions interleaved across snapshots (each
    question asked of every size in turn), so machine load falls on all sizes alike. Snapshots
    made by other code are copied and re-keyed first (common.relocate)."""
    from assistant.service import Assistant
    from query_latency import questions_for

    corpus = folder / "corpus"
    opened = {}
    for step in steps:
        data = folder / f"requery-{step}"
        if not data.exists():
            common.relocate(folder / f"snap-{step}", data, corpus, backend)
        a = Assistant(common.settings_for(data, corpus, backend), embedder=common.embedder(backend))
        a.warm_up()
        for q in ["warm up question about prices", "What did the ministr say abuot it?", "How many tonnes were sold?"]:
            a.ask(q)
        opened[step] = a
    wall: dict[str, list[float]] = {s: [] for s in steps}
    cpu: dict[str, list[float]] = {s: [] for s in steps}
    for q in questions_for("pool", n_questions):
        for step, a in opened.items():
            t, c = time.perf_counter(), time.process_time()
            a.ask(q)
            wall[step].append((time.perf_counter() - t) * 1000)
            cpu[step].append((time.process_time() - c) * 1000)
    return {s: {"passages": opened[s].counts()[1], "p50_ms": common.pct(wall[s], 50), "p95_ms": common.pct(wall[s], 95),
                "cpu_p50_ms": common.pct(cpu[s], 50), "cpu_p95_ms": common.pct(cpu[s], 95)} for s in steps}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", default="1000,5000,20000,reuters,pool")
    p.add_argument("--backend", default="onnx-int8")
    p.add_argument("--questions", type=int, default=50)
    p.add_argument("--incremental-at", default="reuters", help="step after which to run bench/incremental.py ('' for none)")
    p.add_argument("--folder", type=Path, default=common.OUT / "scale")
    p.add_argument("--chart", type=Path, default=common.ROOT / "bench" / "scaling.png")
    p.add_argument("--requery", action="store_true",
                   help="no building: measure query latency again on the saved snapshots, interleaved, and redraw")
    a = p.parse_args()
    corpus, data = a.folder / "corpus", a.folder / "data"
    if a.requery:
        saved = json.loads((common.OUT / "scaling.json").read_text())
        got = requery(a.steps.split(","), a.backend, a.questions, a.folder)
        for r in saved["rows"]:
            if r["step"] in got:
                r.update(got[r["step"]], requery=True)
            print(f"{r['step']:>8}: {r['passages']:,} passages | query p50 {r['p50_ms']:.0f} ms p95 {r['p95_ms']:.0f} ms "
                  f"(CPU p50 {r.get('cpu_p50_ms', float('nan')):.0f} ms p95 {r.get('cpu_p95_ms', float('nan')):.0f} ms)")
        saved["requery_machine"] = common.machine()
        (common.OUT / "scaling.json").write_text(json.dumps(saved, indent=2))
        chart(saved["rows"], a.chart)
        return
    results_path = common.OUT / "scaling.json"
    for folder in (corpus, data):  # a corpus left by an earlier run would be indexed whole at the first step
        shutil.rmtree(folder, ignore_errors=True)
    rows: list[dict] = []
    total = 0.0
    bench_dir = str(common.ROOT / "bench")
    for step in a.steps.split(","):
        common.write_corpus(step_docs(step), corpus)
        t = time.perf_counter()
        r = json.loads(child(["-c", CHILD_INDEX, str(corpus), str(data), a.backend, bench_dir]).strip().splitlines()[-1])
        r["process_s"] = time.perf_counter() - t
        total += r["index_s"]
        r.update(step=step, backend=a.backend, index_total_s=total)
        snap = a.folder / f"snap-{step}"
        shutil.rmtree(snap, ignore_errors=True)
        shutil.copytree(data, snap)
        name = f"scale_query_{step}"
        child(["bench/query_latency.py", "--corpus", "pool", "--data", str(snap), "--corpus-dir", str(corpus),
               "--backend", a.backend, "--questions", str(a.questions), "--save-as", name])
        q = json.loads((common.OUT / f"{name}.json").read_text())
        r.update(p50_ms=q["p50_ms"], p95_ms=q["p95_ms"], cpu_p50_ms=q["cpu_p50_ms"], cpu_p95_ms=q["cpu_p95_ms"],
                 query_peak_rss_mb=q["peak_rss_mb"], parts_p50_ms=q["parts_p50_ms"])
        rows.append(r)
        print(f"{step:>8}: {r['passages']:,} passages, {r['documents']:,} documents | step index {r['index_s']:.0f} s "
              f"(+{r['added']:,} docs), total {total / 60:.1f} min | query p50 {r['p50_ms']:.0f} ms p95 {r['p95_ms']:.0f} ms "
              f"| peak RSS index {r['peak_rss_mb']:.0f} MB, query {r['query_peak_rss_mb']:.0f} MB", flush=True)
        results_path.write_text(json.dumps({"machine": common.machine(), "rows": rows}, indent=2))
        if step == a.incremental_at:
            out = child(["bench/incremental.py", "--data", str(data), "--corpus", str(corpus), "--backend", a.backend,
                         "--save-as", f"incremental_{step}"])
            print(out.strip().splitlines()[-1], flush=True)
    chart(rows, a.chart)
    print(f"chart: {a.chart}")


if __name__ == "__main__":
    main()
