"""Does a faster encoder backend cost retrieval quality? SciFact nDCG@10 per backend (BEIR code).

    python bench/scifact_quality.py                      # torch and onnx-int8, all 300 queries
    python bench/scifact_quality.py --backends onnx-int8 --limit 50

Each backend indexes the 5,183 abstracts (about 12k passages) with the real pipeline
(assistant.evaluation.beir) and scores hybrid ("ours"), dense and BM25. The adoption rule of
issue 5: |nDCG@10 change| < 0.005 against torch fp32. A backend already scored is read back
from bench/out/scifact_<backend>.json unless --again.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import common


def score(backend: str, limit: int | None) -> dict:
    from assistant.evaluation import beir

    with tempfile.TemporaryDirectory() as tmp:
        s = common.settings_for(Path(tmp) / "data", Path(tmp) / "corpus", backend)
        emb = common.embedder(backend)
        res = beir.run(common.SCIFACT, s, emb, limit=limit)
    res.pop("runs", None)
    res["backend"] = backend
    res["passages_per_s"] = res["passages"] / res["index_s"]
    return res


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", default="torch,onnx-int8", help="comma-separated (torch, onnx, onnx-int8)")
    p.add_argument("--limit", type=int, help="score a seeded subset of this many test queries (default all 300)")
    p.add_argument("--again", action="store_true", help="re-run backends already saved in bench/out")
    a = p.parse_args()
    results = {}
    for b in a.backends.split(","):
        name = f"scifact_{b}" + (f"_limit{a.limit}" if a.limit else "")
        path = common.OUT / f"{name}.json"
        if path.exists() and not a.again:
            results[b] = json.loads(path.read_text())
        else:
            results[b] = score(b, a.limit)
            common.save(name, results[b])
        r = results[b]
        print(f"{b:10s} passages {r['passages']:,} index {r['index_s']:.0f} s ({r['passages_per_s']:.1f}/s)  "
              + "  ".join(f"{m} nDCG@10 {v['ndcg_at_10']:.4f} R@100 {v['recall_at_100']:.4f} ({v['ms_per_query']:.0f} ms/q)"
                          for m, v in r["results"].items()), flush=True)
    if "torch" in results:
        ref = results["torch"]["results"]
        for b, r in results.items():
            if b == "torch":
                continue
            d = {m: r["results"][m]["ndcg_at_10"] - ref[m]["ndcg_at_10"] for m in ref}
            # The encoder's own quality is the dense ranking; hybrid also moves by rank ties in
            # fusion, so it is held to "no drop of 0.005 or more" rather than "no move".
            strict = all(abs(x) < 0.005 for m, x in d.items() if m != "bm25")
            ok = abs(d["dense"]) < 0.005 and d["ours"] > -0.005
            print(f"{b} vs torch: " + ", ".join(f"{m} {x:+.4f}" for m, x in d.items())
                  + f"  -> dense within 0.005: {abs(d['dense']) < 0.005}; hybrid no worse by 0.005: {d['ours'] > -0.005}; "
                  f"every move under 0.005: {strict} => {'adopt' if ok else 'reject'}")


if __name__ == "__main__":
    main()
