"""Incremental update: one changed file in a large corpus, re-indexed.

    python bench/incremental.py --docs 2000                          # its own Reuters corpus
    python bench/incremental.py --data D --corpus C --backend onnx-int8   # an existing index

One child process opens the index and: (1) runs an update with nothing changed; (2) after one
article gets an extra sentence, runs the update that re-indexes it, timed from process start
(imports and model load included: what `assistant index` costs); (3) changes the same file
again and updates in the same, now warm, process (what the chat's "add documents" costs).
The file is then restored and the index brought back in line, under pyinstrument (its
profile is printed; the profiler slows that update by a fifth or so).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import common

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[5])
import common
from assistant.service import Assistant
from pathlib import Path
corpus, data, target, backend = sys.argv[1:5]
a = Assistant(common.settings_for(Path(data), Path(corpus), backend), embedder=common.embedder(backend))
t_import = time.perf_counter() - t0
path = Path(corpus) / target
original = path.read_text(encoding="utf-8")
path.write_text(original + "\nUpdate: the company later confirmed the figures in a statement.\n", encoding="utf-8")
s = a.index()
cold = time.perf_counter() - t0
assert (s.added, s.updated, s.removed) == (0, 1, 0), s
time.sleep(0.01)
path.write_text(original + "\nUpdate: the company later revised the figures in a second statement.\n", encoding="utf-8")
t = time.perf_counter()
s2 = a.index()
warm = time.perf_counter() - t
path.write_text(original, encoding="utf-8")
from pyinstrument import Profiler
prof = Profiler(interval=0.002)
prof.start()
t = time.perf_counter()
a.index()
restore = time.perf_counter() - t
prof.stop()
t = time.perf_counter()
s3 = a.index()
noop = time.perf_counter() - t
tree = prof.output_text(unicode=True, color=False)
print(tree, file=sys.stderr)
print(json.dumps({"documents": a.counts()[0], "passages": a.counts()[1], "imports_open_s": t_import,
                  "cold_process_update_s": cold, "warm_update_s": warm, "restore_update_s": restore,
                  "noop_update_s": noop, "updated": s2.updated}))
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=2000, help="Reuters articles in a corpus of its own (no --data)")
    p.add_argument("--data", type=Path)
    p.add_argument("--corpus", type=Path)
    p.add_argument("--backend", default="onnx-int8")
    p.add_argument("--save-as", default=None)
    p.add_argument("--prime", action="store_true", help="run one untimed update first (an index from other code)")
    a = p.parse_args()
    tmp = None
    if a.data is None:
        tmp = tempfile.TemporaryDirectory()
        a.corpus = common.write_corpus(common.reuters_docs(a.docs), Path(tmp.name) / "corpus")
        a.data = Path(tmp.name) / "data"
        from assistant.service import Assistant

        Assistant(common.settings_for(a.data, a.corpus, a.backend), embedder=common.embedder(a.backend)).index()
    if a.prime:  # bring an index made by other code up to date first, in its own process
        child = (f"import sys; sys.path.insert(0, {str(common.ROOT / 'bench')!r}); import common; from pathlib import Path; "
                 "from assistant.service import Assistant; "
                 f"Assistant(common.settings_for(Path({str(a.data)!r}), Path({str(a.corpus)!r}), {a.backend!r}), "
                 f"embedder=common.embedder({a.backend!r})).index()")
        subprocess.run([sys.executable, "-c", child], check=True, timeout=3600)
    target = sorted(x.relative_to(a.corpus).as_posix() for x in (a.corpus / "reuters").glob("*.txt"))[7]
    proc = subprocess.run([sys.executable, "-c", CHILD, str(a.corpus), str(a.data), target, a.backend,
                           str(common.ROOT / "bench")], capture_output=True, text=True, timeout=3600)
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    lines = proc.stderr.splitlines()
    start = next((i for i, x in enumerate(lines) if "Recorded:" in x), len(lines))
    print("\n".join(lines[start : start + 60]))
    print(f"{r['documents']:,} documents, {r['passages']:,} passages: one changed file re-indexed in "
          f"{r['cold_process_update_s']:.1f} s from a fresh process ({r['imports_open_s']:.1f} s of it imports "
          f"and opening), {r['warm_update_s']:.1f} s in a warm process; nothing changed: {r['noop_update_s']:.1f} s")
    common.save(a.save_as or f"incremental_{r['documents']}", {"args": {k: str(v) for k, v in vars(a).items()}, **r})
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
