"""Shared helpers for the benchmark scripts: the public corpora as .txt folders, timing, machine.

The data sets are read from ../shared/bench (never copied into the repo); corpora written for
a run go to bench/out/ (git-ignored) or a temp folder.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

# The checkout whose `assistant` is benchmarked. A patched copy elsewhere can be measured with
# BENCH_DATA (the shared data sets) and BENCH_OUT (where results go) pointing back here.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as `python bench/x.py` from a checkout without installing

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

SHARED = Path(os.environ.get("BENCH_DATA", ROOT.parent / "shared" / "bench"))
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
MODELS = OUT / "models"  # exported ONNX files for the benchmarks (the app keeps them in <data_dir>/models)
REUTERS = SHARED / "reuters21578" / "reuters21578.jsonl"
SCIFACT = SHARED / "scifact"
SQUAD = [SHARED / "squad" / "dev-v1.1.json", SHARED / "squad" / "dev-v2.0.json"]

# Questions for latency runs: news-style questions that Reuters can answer or nearly answer,
# plus a few SciFact-style claims and SQuAD questions for the pooled corpus.
NEWS_QUESTIONS = [
    "What did OPEC decide about oil production quotas?",
    "How much did the Bundesbank lend in the securities repurchase tender?",
    "Why did the dollar fall against the yen?",
    "What was the trade surplus of Japan in 1987?",
    "Who is the chairman of the Federal Reserve?",
    "How many tonnes of wheat did the Soviet Union buy?",
    "What did Texaco say about its bankruptcy filing?",
    "When will the sugar quota be decided?",
    "What happened to coffee prices after the ICO talks failed?",
    "How much did Chrysler offer for American Motors?",
    "What did Brazil say about its foreign debt interest payments?",
    "Which company agreed to buy the shares of the unit?",
    "What was the money supply growth in West Germany?",
    "How big was the cocoa buffer stock?",
    "What did the Treasury Secretary Baker say about the dollar?",
    "How much gold did the mine produce last year?",
    "What are the terms of the takeover offer for Dome Petroleum?",
    "Did the Bank of England provide assistance to the money market?",
    "What is the estimate for the US corn crop?",
    "What did the EC Commission propose for farm prices?",
    "How much did net profit rise in the first quarter?",
    "What tariffs did the United States impose on Japanese semiconductors?",
    "When was the dividend payable?",
    "What did the analysts expect for crude oil prices?",
    "Why did the copper price rise?",
    "How many shares were tendered?",
    "What did the rubber pact members agree?",
    "What was the GNP growth rate?",
    "Who was named president and chief executive officer?",
    "What is the price of the Saudi crude oil?",
    "What did the Philippines say about coconut oil exports?",
    "How much soybean meal was exported?",
    "What was the unemployment rate in March?",
    "Which banks raised their prime rate?",
    "What did Iran say about the Gulf war and oil tankers?",
    "How much did US industrial production change?",
    "What is the capital of Brazil?",
    "Did the tin council resolve its debts?",
    "What caused the fall in Canadian housing starts?",
    "Who bought the stake in the brewery?",
]
POOL_QUESTIONS = [
    "What is the role of microRNA in cancer cells?",
    "Does vitamin D supplementation reduce fractures?",
    "Which gene mutations cause cystic fibrosis?",
    "Which NFL team represented the AFC at Super Bowl 50?",
    "Where did Super Bowl 50 take place?",
    "What is the Rhine's total length?",
    "Who designed the Victoria and Albert Museum building?",
    "What are the main causes of inflammation in the immune system?",
    "What does the Amazon rainforest cover?",
    "How do antibiotics resistant bacteria spread?",
]


def reuters_docs(limit: int | None = None) -> list[tuple[str, str, str, str | None]]:
    """(doc_id, title, text, date) of Reuters articles with a body, in file order."""
    out = []
    with REUTERS.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out.append((f"reuters/{r['_id']}.txt", r.get("title") or "", r.get("text") or "", _date(r.get("date"))))
            if limit and len(out) >= limit:
                break
    return out


def _date(raw: str | None) -> str | None:
    """Reuters dates ("26-FEB-1987 15:01:01.79") to ISO ("1987-02-26")."""
    try:
        return datetime.strptime((raw or "").strip()[:11], "%d-%b-%Y").date().isoformat()
    except ValueError:
        return None


def scifact_docs() -> list[tuple[str, str, str, str | None]]:
    out = []
    with (SCIFACT / "corpus.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out.append((f"scifact/{quote(str(r['_id']), safe='')}.txt", r.get("title") or "", r.get("text") or "", None))
    return out


def squad_docs() -> list[tuple[str, str, str, str | None]]:
    """Every distinct paragraph of SQuAD v1.1 and v2.0 dev, one document each."""
    out, seen = [], set()
    for path in SQUAD:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        for a in data:
            title = a["title"].replace("_", " ")
            for i, p in enumerate(a["paragraphs"]):
                if p["context"] in seen:
                    continue
                seen.add(p["context"])
                out.append((f"squad/{quote(a['title'], safe='')}-{path.stem}-{i}.txt", title, p["context"], None))
    return out


def pool_docs() -> list[tuple[str, str, str, str | None]]:
    """Reuters + SciFact + SQuAD paragraphs: about 46k passages with our default chunking."""
    return reuters_docs() + scifact_docs() + squad_docs()


def write_corpus(docs, folder: Path) -> Path:
    """One .txt per document (front matter with title and date), skipping files already there."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, title, text, date in docs:
        path = folder / doc_id
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        head = "---\n" + f"title: {json.dumps(title.strip() or doc_id)}\n" + (f"date: {date}\n" if date else "") + "---\n"
        path.write_text(head + text.strip() + "\n", encoding="utf-8")
    return folder


def settings_for(data_dir: Path, corpus_dir: Path, backend: str = "onnx-int8", **kw):
    """Settings for an index of corpus_dir in data_dir, encoded with `backend` (exports shared in MODELS)."""
    from assistant.settings import load_settings

    return load_settings(corpus_dir=corpus_dir, data_dir=data_dir, embed_backend=backend, model_cache_dir=MODELS, **kw)


def embedder(backend: str, threads: int = 2, batch_size: int = 32):
    from assistant.embeddings import Embedder

    return Embedder(batch_size, threads, backend=backend, cache_dir=MODELS)


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0..100), linear interpolation."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        ram_gb = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        ram_gb = float("nan")
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram_gb, 1), "python": platform.python_version(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "load_avg": os.getloadavg()}


def save(name: str, result: dict) -> Path:
    """Write a result as bench/out/<name>.json (with the machine) and return its path."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **result}, indent=2, default=str))
    return path


class Timer:
    """Wall and CPU seconds of a block (CPU time counts every thread of this process)."""

    def __enter__(self) -> "Timer":
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0


def relocate(snapshot: Path, data: Path, corpus_to: Path, backend: str = "onnx-int8") -> None:
    """Copy an index snapshot to `data` for a corpus now at `corpus_to`.

    The index key hashes the corpus folder's path (and the settings), so the index folder and
    its Chroma collection are renamed to the key these settings give for corpus_to: a bench-only
    shortcut that saves re-encoding tens of thousands of passages. The corpus files must keep
    their mtimes (`cp -p`), or each one is read and hashed once.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    (old_dir,) = snapshot.glob("index-*")
    old = old_dir.name.removeprefix("index-")
    new = settings_for(data, corpus_to, backend).index_key
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(snapshot, data)
    if old == new:
        return
    (data / f"index-{old}").rename(data / f"index-{new}")
    client = chromadb.PersistentClient(path=str(data / f"index-{new}" / "chroma"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    client.get_collection(f"passages-{old}").modify(name=f"passages-{new}")
