"""Write a run: report.json (everything, re-scorable), report.md (the tables) and by_kind.png."""

from __future__ import annotations

import json
from pathlib import Path

from .curated import SYSTEMS
from .metrics import contains_all

_DASH = "–"


def write(report: dict, out_dir: Path) -> dict[str, Path]:
    """Write the three files into out_dir (created); returns their paths by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md"}
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    paths["md"].write_text(markdown(report), encoding="utf-8")
    if report.get("curated"):
        paths["png"] = out_dir / "by_kind.png"
        chart(report["curated"]["summary"]["by_kind"], paths["png"])
    return paths


def pct(x: float | None) -> str:
    return _DASH if x is None else f"{100 * x:.1f}"


def num(x: float | None, digits: int = 3) -> str:
    return _DASH if x is None else f"{x:.{digits}f}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def markdown(report: dict) -> str:
    meta = report["meta"]
    s = meta["settings"]
    lines = [
        "# Evaluation report",
        "",
        f"- date {meta['date']}, commit `{meta['commit']}`{' (uncommitted changes)' if meta.get('dirty') else ''}, "
        f"run time {meta['run_s']:.0f} s",
        f"- settings: chunk {s['chunk_chars']}/{s['chunk_overlap_chars']} chars, top_k {s['top_k']}, candidates "
        f"{s['candidates']}, RRF k {s['rrf_k']} (dense {s['dense_weight']}, BM25 {s['lexical_weight']}), "
        f"abstain below {s['abstain_below']}",
        "",
    ]
    if report.get("curated"):
        lines += curated_section(report["curated"])
    if report.get("beir"):
        lines += beir_section(report["beir"])
    for run in report.get("squad", []):
        lines += squad_section(run)
    if report.get("gate"):
        lines += gate_section(report["gate"])
    return "\n".join(lines) + "\n"


def curated_section(cur: dict) -> list[str]:
    setup, summary = cur["setup"], cur["summary"]
    k = setup["k"]
    splits = summary["by_split"]
    lines = [
        "## Curated questions",
        "",
        f"{cur['questions_file']}: {splits['all']['n']} questions ({splits['all']['n_unanswerable']} unanswerable), "
        f"split {cur['split']}; corpus {cur['corpus']} ({cur['documents']} documents, {cur['passages']} passages); "
        f"k = {k}; {cur['run_s']:.0f} s.",
        "",
        "### Headline (ours)",
        "",
    ]
    rows = []
    for name, agg in splits.items():
        r, a, c, ab, lat = (agg["retrieval"].get("ours", {}), agg["answers"], agg["citations"], agg["abstention"],
                            agg["latency_ms"])
        rows.append([name, str(agg["n"]), pct(r.get("recall_at_k")), num(r.get("mrr")), pct(a["all_gold_rate"]),
                     pct(a["f1"]), pct(c["precision"]), pct(c["quote_verified"]), pct(c["coverage"]),
                     f"{pct(ab['precision'])} / {pct(ab['recall'])} / {pct(ab['f1'])}",
                     f"{ab['refused']} ({pct(ab['refused_rate'])})", f"{num(lat['p50'], 0)} / {num(lat['p95'], 0)}"])
    lines += table(["split", "n", f"recall@{k}", f"MRR@{k}", "all gold facts", "token F1", "citation precision",
                    "quote verified", "citation coverage", "abstention P / R / F1", "answerable refused",
                    "latency p50 / p95 ms"], rows)
    lines += ["", "Percentages except MRR. Definitions: eval/README.md.", ""]

    lines += ["### Retrieval: ours and the baselines", ""]
    rows = []
    for name, agg in splits.items():
        for system, r in agg["retrieval"].items():
            label = SYSTEMS[system] + (f" (returns {setup['llamaindex']['top_k']})" if system == "llamaindex" else "")
            rows.append([name, label, pct(r["recall_at_1"]), pct(r["recall_at_2"]), pct(r["recall_at_k"]),
                         f"{pct(r['all_evidence_recall'])} (n={r['n_multi']})", num(r["mrr"])])
    lines += table(["split", "system", "recall@1", "recall@2", f"recall@{k}", f"all-evidence recall@{k}", f"MRR@{k}"], rows)
    notes = ["", "A question counts as retrieved when one of its evidence strings lies inside a retrieved passage. "
             "Ours searches for the spelling-corrected question, as `ask` does; the baselines get the question as written."]
    if "llamaindex" in setup:
        li = setup["llamaindex"]
        notes.append(f"llama-index default returns its default top {li['top_k']} of {li['chunks']} chunks, so its "
                     f"recall@{k} is its recall@{li['top_k']}; compare the recall@2 column for like with like.")
    lines += notes + [""]

    lines += ["### By kind (all splits)", ""]
    systems = setup["systems"]
    rows = []
    for kind, agg in summary["by_kind"].items():
        r = agg["retrieval"]
        rows.append([kind, str(agg["n"])] + [pct(r.get(sy, {}).get("recall_at_k")) for sy in systems]
                    + [pct(agg["answers"]["all_gold_rate"]), pct(agg["answers"]["f1"]), pct(agg["citations"]["precision"]),
                       pct(agg["citations"]["coverage"]), pct(agg["abstention"]["decision_accuracy"]),
                       num(agg["latency_ms"]["p50"], 0)])
    lines += table(["kind", "n"] + [f"recall@{k} {sy}" for sy in systems]
                   + ["all gold facts", "token F1", "citation precision", "coverage", "answer/abstain right", "p50 ms"], rows)
    lines += ["", "### Questions we got wrong", ""]
    lines += failures(cur["records"]) or ["none"]
    if setup.get("unreachable_evidence"):
        lines += ["", "### Evidence strings no single passage holds", ""]
        lines += [f"- {u['id']}: {u['problem']}: “{u['evidence'][:90]}”" for u in setup["unreachable_evidence"]]
    return lines + [""]


def failures(records: list[dict]) -> list[str]:
    """One line per question with a wrong decision, missing gold facts or unretrieved evidence."""
    out = []
    for r in records:
        sc, problems = r["scores"], []
        if r["answerable"]:
            if sc["abstained"]:
                problems.append("refused")
            elif not sc["all_gold"]:
                missing = [g for g in r["answers"] if not contains_all(r["answer"]["answer"], [g])]
                problems.append("missing " + ", ".join(f"“{g}”" for g in missing))
            if r["evidence"] and r["retrieval"]["ours"]["rank"] is None:
                problems.append("evidence not retrieved")
            if sc["citations"] and sc["citations_supported"] < sc["citations"]:
                problems.append(f"{sc['citations'] - sc['citations_supported']}/{sc['citations']} citations without evidence")
        elif not sc["abstained"]:
            problems.append("answered an unanswerable question")
        if problems:
            out.append(f"- {r['id']} ({r['kind']}, {r['split']}): {'; '.join(problems)}: {r['question']}")
    return out


def beir_section(b: dict) -> list[str]:
    lines = ["## BEIR SciFact (test)", "",
             f"{b['folder']}: {b['queries']} queries, {b['documents']} documents ({b['passages']} passages, "
             f"{b['skipped']} skipped); indexing {b['index_s']:.0f} s, whole benchmark {b['total_s']:.0f} s. "
             "Documents are ranked by their best passage.", ""]
    labels = {"ours": "ours (hybrid)", "bm25": "ours BM25 alone", "dense": "ours dense alone (all-MiniLM-L6-v2)"}
    rows = [[labels[n], num(r["ndcg_at_10"]), num(r["recall_at_100"]), num(r["ms_per_query"], 1)] for n, r in b["results"].items()]
    rows += [[f"published: {p['system']}", num(p["ndcg_at_10"]), num(p["recall_at_100"]), _DASH] for p in b["published"]]
    return lines + table(["system", "nDCG@10", "recall@100", "ms/query"], rows) + [""]


def squad_section(sq: dict) -> list[str]:
    r = sq["results"]
    lines = [f"## SQuAD v{sq['version']} dev, pooled paragraphs", "",
             f"{sq['file']}: {r['n']} questions (seed {sq['seed']}; {r['n_unanswerable']} unanswerable) over "
             f"{sq['documents']} paragraphs ({sq['passages']} passages); indexing {sq['index_s']:.0f} s, "
             f"asking {sq['ask_s']:.0f} s (p50 {num(r['latency_ms']['p50'], 0)} ms, p95 {num(r['latency_ms']['p95'], 0)} ms).",
             "", "Gold paragraph among the first k passages (answerable questions):", ""]
    rows = [[name] + [pct(v) for v in hits.values()] for name, hits in r["hit_at"].items()]
    lines += table(["retriever"] + [f"hit@{k}" for k in r["hit_at"]["ours"]], rows)
    a = r["answerable"]
    lines += ["", "Answers (answerable questions; prediction = short answer, else the first quoted sentence):", ""]
    lines += table(["EM", "F1", "F1 of the whole answer", "gold inside the answer", "short answer given"],
                   [[pct(a["em"]), pct(a["f1"]), pct(a["f1_full"]), pct(a["gold_in_answer"]), pct(a["short_answer_rate"])]])
    ab = r["abstention"]
    if r["n_unanswerable"]:
        lines += ["", "Abstention (v2.0; unanswerable is right only when abstained):", ""]
        lines += table(["overall EM", "overall F1", "unanswerable abstained", "abstention precision", "abstention F1",
                        "answerable refused"],
                       [[pct(r["overall"]["em"]), pct(r["overall"]["f1"]), pct(ab["recall"]), pct(ab["precision"]),
                         pct(ab["f1"]), f"{ab['refused']} ({pct(ab['refused_rate'])})"]])
    else:
        lines += ["", f"Answerable questions refused: {ab['refused']} ({pct(ab['refused_rate'])})."]
    return lines + [""]


def gate_section(g: dict) -> list[str]:
    lines = ["## Regression gate", "", f"Against {g['baseline']} (split {g['split']}, margin {g['margin']}): "
             + ("passed." if not g["drops"] else "FAILED."), ""]
    rows = [[name, pct(v["baseline"]), pct(v["current"])] for name, v in g["metrics"].items()]
    return lines + table(["metric", "baseline", "this run"], rows) + [""] + [f"- {d}" for d in g["drops"]] + [""]


def chart(by_kind: dict, path: Path) -> None:
    """Grouped bars per question kind: recall@k, all gold facts, citation precision, right decision."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    kinds = list(by_kind)
    series = {
        "recall@k (ours)": [by_kind[k]["retrieval"].get("ours", {}).get("recall_at_k") for k in kinds],
        "all gold facts": [by_kind[k]["answers"]["all_gold_rate"] for k in kinds],
        "citation precision": [by_kind[k]["citations"]["precision"] for k in kinds],
        "answer/abstain right": [by_kind[k]["abstention"]["decision_accuracy"] for k in kinds],
    }
    x = np.arange(len(kinds))
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(kinds) + 2), 4.2))
    for i, (label, vals) in enumerate(series.items()):
        ax.bar(x + (i - (len(series) - 1) / 2) * width, [np.nan if v is None else v for v in vals], width, label=label)
    ax.set_xticks(x, [f"{k}\n(n={by_kind[k]['n']})" for k in kinds], fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share")
    ax.set_title("Scores by question kind (no bar: zero, or not defined for the kind)")
    ax.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
