"""Cold start: `assistant ask` from a fresh process against the naive llama-index script.

    python bench/cold_start.py --runs 5
    python bench/cold_start.py --runs 3 --backend onnx-int8 --repo /tmp/proposed   # a patched copy

Both answer one question over the bundled corpus (indexes built once, beforehand, and not
timed). Wall time of the whole process, median of --runs, the two alternating so that load
changes hit both. Then one `python -X importtime` run: the biggest top-level imports, and a
timeline of one in-process `ask` (imports, opening, model load, the question).
`--backend` sets ASSISTANT_EMBED_BACKEND for the assistant (default: the setting's default).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import common

QUESTION = "What did Japan say it would send to the US to be passed on to Ukraine?"

TIMELINE = r"""
import time, sys
t0 = time.perf_counter()
from assistant.cli import main  # noqa
from assistant.settings import load_settings
from assistant.service import Assistant
t1 = time.perf_counter()
s = load_settings(corpus_dir=sys.argv[1], data_dir=sys.argv[2])
a = Assistant(s)
ok = a.has_index()
lex = a.lexical()
t2 = time.perf_counter()
a.store.count()
t3 = time.perf_counter()
a.embedder.embed_query("warm")
t4 = time.perf_counter()
a.ask(sys.argv[3])
t5 = time.perf_counter()
heavy = [m for m in ("torch", "transformers", "sentence_transformers", "llama_index.core", "chromadb", "onnxruntime", "gradio", "wordfreq", "bm25s", "scipy") if m in sys.modules]
print(f"imports {t1-t0:.2f} | catalog+bm25 {t2-t1:.2f} | chroma open {t3-t2:.2f} | model load+1st query {t4-t3:.2f} | ask {t5-t4:.2f} | loaded: {' '.join(heavy)}")
"""


def run(cmd: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of a child process; its CPU seconds (user + system, all threads) are left
    in `run.cpu`: on a loaded machine CPU time is the better guide to a quiet machine's wall."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, proc


def top_imports(stderr: str, n: int = 14) -> list[tuple[str, float]]:
    """Top-level packages by cumulative import time from `-X importtime` output."""
    found: dict[str, float] = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m or m.group(3).count(" ") > 1:  # one space: imported at top level
            continue
        root = m.group(4).split(".")[0]
        found[root] = found.get(root, 0.0) + int(m.group(2)) / 1e6
    return sorted(found.items(), key=lambda kv: -kv[1])[:n]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--repo", type=Path, default=common.ROOT, help="checkout whose `assistant` is run")
    p.add_argument("--backend", help="ASSISTANT_EMBED_BACKEND for the assistant (torch, onnx, onnx-int8)")
    p.add_argument("--no-naive", action="store_true")
    a = p.parse_args()
    repo = a.repo.resolve()
    out = common.OUT / "cold"
    data = out / f"data-{a.backend or 'default'}-{repo.name}"
    corpus = common.ROOT / "corpus"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(PYTHONPATH=str(repo), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    if a.backend:
        env["ASSISTANT_EMBED_BACKEND"] = a.backend
    py = sys.executable
    ask = [py, "-m", "assistant", "ask", "--corpus", str(corpus), "--data", str(data), QUESTION]
    build, _ = run([py, "-m", "assistant", "index", "--corpus", str(corpus), "--data", str(data)], repo, env)
    naive_dir = out / "naive"
    naive = [py, str(common.ROOT / "bench" / "naive_llamaindex.py"), "ask", QUESTION, "--persist", str(naive_dir)]
    if not a.no_naive and not naive_dir.exists():
        run([py, str(common.ROOT / "bench" / "naive_llamaindex.py"), "build", "--corpus", str(corpus),
             "--persist", str(naive_dir)], common.ROOT, env)
    run(ask, repo, env)  # the first run after a build may compile bytecode or export a model
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for i in range(a.runs):
        w, proc = run(ask, repo, env)
        ours.append(w)
        ours_cpu.append(run.cpu)
        if not a.no_naive:
            w2, _ = run(naive, common.ROOT, env)
            theirs.append(w2)
            theirs_cpu.append(run.cpu)
        print(f"run {i + 1}: assistant ask {w:.2f} s (CPU {ours_cpu[-1]:.2f} s)"
              + (f", naive llama-index {theirs[-1]:.2f} s (CPU {theirs_cpu[-1]:.2f} s)" if theirs else "")
              + f"; load average {os.getloadavg()[0]:.1f}", flush=True)
    answer_head = proc.stdout.strip().splitlines()[0][:100] if proc.stdout.strip() else ""
    result = {"assistant_ask_s": ours, "median_s": common.median(ours), "cpu_s": ours_cpu,
              "cpu_median_s": common.median(ours_cpu), "answer_head": answer_head,
              "backend": a.backend or "default", "repo": str(repo)}
    print(f"assistant ask: median {result['median_s']:.2f} s wall, {result['cpu_median_s']:.2f} s CPU over "
          f"{a.runs} fresh processes ({answer_head!r})")
    if theirs:
        result.update(naive_s=theirs, naive_median_s=common.median(theirs), naive_cpu_s=theirs_cpu,
                      naive_cpu_median_s=common.median(theirs_cpu))
        print(f"naive llama-index: median {result['naive_median_s']:.2f} s wall, {result['naive_cpu_median_s']:.2f} s CPU; "
              f"ratio naive / ours {result['naive_median_s'] / result['median_s']:.1f}x wall, "
              f"{result['naive_cpu_median_s'] / result['cpu_median_s']:.1f}x CPU (same runs, alternating)")
    _, proc = run([py, "-X", "importtime", *ask[1:]], repo, env)
    result["top_imports_s"] = top_imports(proc.stderr)
    print("top-level imports (cumulative s): " + ", ".join(f"{k} {v:.2f}" for k, v in result["top_imports_s"]))
    _, proc = run([py, "-c", TIMELINE, str(corpus), str(data), QUESTION], repo, env)
    result["timeline"] = proc.stdout.strip().splitlines()[-1]
    print("in-process timeline (s): " + result["timeline"])
    common.save(f"cold_{a.backend or 'default'}_{repo.name}", result)


if __name__ == "__main__":
    main()
