"""Run a question file over an indexed corpus and score it: our answers, our retrieval, the baselines.

Per question we keep the full answer object and the retrieved passages' places, next to the
scores, so a run can be re-scored; `aggregate` turns any group of questions into the metrics.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from ..service import Assistant
from . import metrics as m
from .baselines import LlamaIndexDefault, Retrieved, ours
from .harness import timed_ask
from .questions import Question

log = logging.getLogger(__name__)

SYSTEMS = {  # key -> label in the report
    "ours": "ours (hybrid + answer)",
    "bm25": "BM25 alone",
    "dense": "dense alone (MiniLM)",
    "llamaindex": "llama-index default",
}
HEADLINE = ("recall_at_k", "all_gold_rate", "citation_precision", "abstention_f1")

Progress = Callable[[int, int], None]


def run(
    assistant: Assistant, questions: Sequence[Question], k: int, baselines: bool = True,
    progress: Progress | None = None,
) -> dict:
    """Ask every question and retrieve its top k with each system; returns {"records", "setup"}.

    The index must already be built. Raises what `ask` raises for a broken index.
    """
    assistant.warm_up()  # the first question must not pay for loading the model
    setup: dict = {"k": k, "systems": ["ours"]}
    llama = None
    if baselines:
        t0 = time.perf_counter()
        llama = LlamaIndexDefault(assistant)
        setup["systems"] += ["bm25", "dense", "llamaindex"]
        setup["llamaindex"] = {"top_k": llama.top_k, "chunks": llama.chunks, "build_s": round(time.perf_counter() - t0, 2)}
    doc_texts: dict[str, str] = {}
    records = []
    for i, q in enumerate(questions):
        retrieved: dict[str, list[Retrieved]] = {}
        answer, latency = timed_ask(assistant, q.question)
        # `ask` searches for the spelling-corrected question; our retrieval is scored on the same query.
        retrieved["ours"] = ours(assistant, answer.get("corrected_question") or q.question, k)
        if llama is not None:
            retrieved["bm25"] = ours(assistant, q.question, k, "lexical")
            retrieved["dense"] = ours(assistant, q.question, k, "dense")
            retrieved["llamaindex"] = llama.retrieve(q.question)
        for c in answer["citations"]:
            if c["doc_id"] not in doc_texts:
                doc = assistant.document(c["doc_id"])
                doc_texts[c["doc_id"]] = doc.text if doc else ""
        records.append(score(q, answer, retrieved, latency, doc_texts))
        if progress:
            progress(i + 1, len(questions))
    setup["unreachable_evidence"] = unreachable_evidence(assistant, questions)
    return {"setup": setup, "records": records}


def score(q: Question, answer: dict, retrieved: dict[str, list[Retrieved]], latency_ms: float,
          doc_texts: dict[str, str] | None = None) -> dict:
    """One question's record: the question, its answer object, where each system looked, the scores."""
    doc_texts = doc_texts or {}
    abstained = bool(answer["abstained"])
    cites = answer["citations"]
    text = answer["answer"]
    scores: dict = {"abstained": abstained, "latency_ms": round(latency_ms, 1)}
    if q.answerable:
        scores["all_gold"] = (not abstained) and m.contains_all(text, q.answers)
        scores["f1"] = 0.0 if abstained else m.token_f1(m.strip_markers(text), " ".join(q.answers))
    scores["citations"] = len(cites)
    scores["citations_supported"] = sum(m.citation_supported(c, q.evidence) for c in cites)
    scores["quotes_verified"] = sum(m.quote_verified(c, doc_texts.get(c["doc_id"])) for c in cites)
    scores["lines_cited"], scores["lines"] = (0, 0) if abstained else m.cited_lines(text, len(cites))
    retrieval = {}
    for system, hits in retrieved.items():
        texts = [h.text for h in hits]
        retrieval[system] = {
            "rank": m.evidence_rank(texts, q.evidence),
            "evidence_ranks": m.evidence_ranks(texts, q.evidence),
            "passages": [[h.doc_id, h.start, h.end] for h in hits],
        }
    return {
        "id": q.id, "question": q.question, "kind": q.kind, "split": q.split, "answerable": q.answerable,
        "answers": list(q.answers), "evidence": list(q.evidence),
        "scores": scores, "retrieval": retrieval, "answer": answer,
    }


def aggregate(records: Sequence[dict], k: int) -> dict:
    """The metrics of a group of question records (see eval/README.md for each definition)."""
    answerable = [r for r in records if r["answerable"]]
    with_evidence = [r for r in answerable if r["evidence"]]
    retrieval = {}
    systems = [s for s in SYSTEMS if with_evidence and all(s in r["retrieval"] for r in with_evidence)]
    for s in systems:
        ranks = [r["retrieval"][s]["rank"] for r in with_evidence]
        multi = [r for r in with_evidence if len(r["evidence"]) > 1]
        retrieval[s] = {
            "n": len(ranks),
            "recall_at_1": m.recall_at(ranks, 1),
            "recall_at_2": m.recall_at(ranks, 2),
            "recall_at_k": m.recall_at(ranks, k),
            "mrr": m.mrr(ranks, k),
            "all_evidence_recall": m.mean(
                all(x is not None and x <= k for x in r["retrieval"][s]["evidence_ranks"]) for r in multi
            ),
            "n_multi": len(multi),
        }
    answered = [r for r in records if not r["scores"]["abstained"]]
    n_cites = sum(r["scores"]["citations"] for r in answered)
    n_lines = sum(r["scores"]["lines"] for r in answered)
    ab = m.Abstention.count((r["answerable"], r["scores"]["abstained"]) for r in records)
    lat = [r["scores"]["latency_ms"] for r in records]
    out = {
        "n": len(records),
        "n_answerable": len(answerable),
        "n_unanswerable": len(records) - len(answerable),
        "retrieval": retrieval,
        "answers": {
            "n": len(answerable),
            "all_gold_rate": m.mean(r["scores"]["all_gold"] for r in answerable),
            "f1": m.mean(r["scores"]["f1"] for r in answerable),
        },
        "citations": {
            "n": n_cites,
            "answered": len(answered),
            "precision": sum(r["scores"]["citations_supported"] for r in answered) / n_cites if n_cites else None,
            "quote_verified": sum(r["scores"]["quotes_verified"] for r in answered) / n_cites if n_cites else None,
            "coverage": sum(r["scores"]["lines_cited"] for r in answered) / n_lines if n_lines else None,
        },
        "abstention": {
            "tp": ab.tp, "fp": ab.fp, "fn": ab.fn, "tn": ab.tn,
            "precision": ab.precision, "recall": ab.recall, "f1": ab.f1,
            "refused": ab.fp, "refused_rate": ab.refused_rate, "decision_accuracy": ab.accuracy,
        },
        "latency_ms": {"p50": m.percentile(lat, 50), "p95": m.percentile(lat, 95), "mean": m.mean(lat)},
    }
    out["headline"] = headline(out)
    return out


def headline(agg: dict) -> dict[str, float | None]:
    """The four numbers the regression gate watches."""
    return {
        "recall_at_k": agg["retrieval"].get("ours", {}).get("recall_at_k"),
        "all_gold_rate": agg["answers"]["all_gold_rate"],
        "citation_precision": agg["citations"]["precision"],
        "abstention_f1": agg["abstention"]["f1"],
    }


def summarise(records: Sequence[dict], k: int) -> dict:
    """Metrics for all questions, for each split present, and for each kind."""
    by_split = {"all": aggregate(records, k)}
    for split in ("dev", "test"):
        group = [r for r in records if r["split"] == split]
        if group:
            by_split[split] = aggregate(group, k)
    kinds = sorted({r["kind"] for r in records})
    by_kind = {kind: aggregate([r for r in records if r["kind"] == kind], k) for kind in kinds}
    return {"by_split": by_split, "by_kind": by_kind}


def unreachable_evidence(assistant: Assistant, questions: Sequence[Question]) -> list[dict]:
    """Evidence strings no single indexed passage holds: absent from the corpus (a question-file
    error) or cut by a passage boundary (no retriever can score them, which the report says)."""
    passages = [m.squash(p.text) for p in assistant.catalog.passages()]
    docs = [m.squash(assistant.document(d.doc_id).text) for d in assistant.documents()]
    out = []
    for q in questions:
        for e in q.evidence:
            needle = m.squash(e)
            if any(needle in p for p in passages):
                continue
            where = "split across passages" if any(needle in d for d in docs) else "not in the corpus"
            out.append({"id": q.id, "evidence": e, "problem": where})
    return out
