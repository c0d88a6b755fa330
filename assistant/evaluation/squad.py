"""SQuAD dev (v1.1 or v2.0) as an open-corpus benchmark: all paragraphs pooled, questions asked end to end.

Retrieval is scored by hit@k (the question's own paragraph among the first k passages), the
answer by SQuAD exact match and token F1. Our answers are whole quoted sentences, so the
prediction scored is `short_answer` when the answer step found one (a date, number or name),
else the first quoted sentence, i.e. the answer's first line without its `[n]` marker. The F1 of
the whole answer text is reported too. An abstention predicts "" (scores 0 on an answerable
question); on v2.0 an unanswerable question is right only when the assistant abstains.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..settings import Settings
from . import metrics as m
from .harness import temporary_assistant, timed_ask

MODES = {"ours": "hybrid", "bm25": "lexical", "dense": "dense"}
HIT_KS = (1, 5, 10, 20)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    answers: tuple[str, ...]  # empty for an unanswerable (v2.0) question
    paragraph: str  # our document id of the paragraph the question was written on


def load(path: Path) -> tuple[str, dict[str, tuple[str, str]], list[SquadQuestion]]:
    """(version, {document id: (article title, paragraph text)}, questions). Equal paragraphs
    share one document.

    Raises ConfigError when the file is missing or not in the SQuAD schema.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"SQuAD file {path} does not exist; pass --squad FILE (dev-v1.1.json or dev-v2.0.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles = data["data"]
        paragraphs: dict[str, tuple[str, str]] = {}
        by_text: dict[str, str] = {}
        questions = []
        for article in articles:
            title = str(article.get("title") or "").replace("_", " ")
            for para in article["paragraphs"]:
                context = para["context"]
                doc_id = by_text.setdefault(context, f"p{len(by_text):05d}.txt")
                paragraphs.setdefault(doc_id, (title, context))
                for qa in para["qas"]:
                    golds = () if qa.get("is_impossible") else tuple(a["text"] for a in qa["answers"])
                    questions.append(SquadQuestion(qa["id"], qa["question"], golds, doc_id))
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a SQuAD JSON file ({type(exc).__name__}: {exc})") from None
    version = str(data.get("version") or ("2.0" if any(not q.answers for q in questions) else "1.1")).lstrip("v")
    return version, paragraphs, questions


def write_corpus(paragraphs: dict[str, tuple[str, str]], folder: Path) -> None:
    """One file per paragraph. The article title goes in front matter: it becomes the document's
    title (which our indexer gives the encoder and BM25 with each passage) without entering the
    passage text."""
    for doc_id, (title, text) in paragraphs.items():
        (folder / doc_id).write_text(f"---\ntitle: {json.dumps(title)}\n---\n{text}\n", encoding="utf-8")


def prediction(answer: dict) -> str:
    """The span scored against the gold answers (see the module note); "" for an abstention."""
    if answer["abstained"]:
        return ""
    if answer.get("short_answer"):
        return answer["short_answer"]
    cites = answer.get("citations") or []
    return cites[0]["quote"] if cites else m.strip_markers(answer["answer"].split("\n")[0])


def run(path: Path, settings: Settings, embedder, limit: int | None = 1000, seed: int = 0,
        index_progress=None, progress: Progress | None = None) -> dict:
    """Index the pooled paragraphs in a temporary data folder, ask a seeded subset, score it."""
    version, paragraphs, questions = load(path)
    if limit and limit < len(questions):
        picked = sorted(random.Random(seed).sample(range(len(questions)), limit))
        questions = [questions[i] for i in picked]
    t_start = time.perf_counter()
    records = []
    with temporary_assistant(settings, embedder, lambda folder: write_corpus(paragraphs, folder), index_progress) as (assistant, _):
        index_s = time.perf_counter() - t_start
        assistant.warm_up()
        t_ask = time.perf_counter()
        for i, q in enumerate(questions):
            answer, latency = timed_ask(assistant, q.question)
            ranks = {}
            for name, mode in MODES.items():
                query = (answer.get("corrected_question") or q.question) if name == "ours" else q.question
                docs = [h.passage.doc_id for h in assistant.retrieve(query, max(HIT_KS), mode=mode)]
                ranks[name] = docs.index(q.paragraph) + 1 if q.paragraph in docs else None
            records.append(score(q, answer, ranks, latency))
            if progress:
                progress(i + 1, len(questions))
        ask_s = time.perf_counter() - t_ask
        n_docs, n_passages = assistant.counts()
    return {
        "file": str(path), "version": version, "questions": len(records), "seed": seed,
        "documents": n_docs, "passages": n_passages,
        "index_s": round(index_s, 1), "ask_s": round(ask_s, 1), "total_s": round(time.perf_counter() - t_start, 1),
        "results": aggregate(records),
        "records": records,
    }


def score(q: SquadQuestion, answer: dict, ranks: dict[str, int | None], latency_ms: float) -> dict:
    """One question's record with EM, F1 (short prediction and whole answer) and the gold paragraph's ranks."""
    pred = prediction(answer)
    full = "" if answer["abstained"] else m.strip_markers(answer["answer"])
    rec = {"id": q.id, "question": q.question, "answers": list(q.answers), "answerable": bool(q.answers),
           "paragraph": q.paragraph, "ranks": ranks, "prediction": pred, "abstained": bool(answer["abstained"]),
           "latency_ms": round(latency_ms, 1), "answer": answer}
    if q.answers:
        rec["em"] = m.best_score(pred, q.answers, m.exact_match)
        rec["f1"] = m.best_score(pred, q.answers, m.token_f1)
        rec["f1_full"] = m.best_score(full, q.answers, m.token_f1)
        rec["gold_in_answer"] = any(m.normalize_answer(g) in m.normalize_answer(full) for g in q.answers) if full else False
    else:  # v2.0's official rule: the empty prediction is the right one
        rec["em"] = rec["f1"] = rec["f1_full"] = float(rec["abstained"])
    return rec


def aggregate(records: list[dict]) -> dict:
    has = [r for r in records if r["answerable"]]
    no = [r for r in records if not r["answerable"]]
    ab = m.Abstention.count((r["answerable"], r["abstained"]) for r in records)
    lat = [r["latency_ms"] for r in records]
    out = {
        "n": len(records), "n_answerable": len(has), "n_unanswerable": len(no),
        "hit_at": {name: {str(k): m.recall_at([r["ranks"][name] for r in has], k) for k in HIT_KS} for name in MODES},
        "answerable": {
            "em": m.mean(r["em"] for r in has), "f1": m.mean(r["f1"] for r in has),
            "f1_full": m.mean(r["f1_full"] for r in has), "gold_in_answer": m.mean(r["gold_in_answer"] for r in has),
            "short_answer_rate": m.mean(bool(r["answer"].get("short_answer")) for r in has),
        },
        "overall": {"em": m.mean(r["em"] for r in records), "f1": m.mean(r["f1"] for r in records)},
        "abstention": {
            "precision": ab.precision, "recall": ab.recall, "f1": ab.f1,
            "refused": ab.fp, "refused_rate": ab.refused_rate,
            "unanswerable_correct": ab.recall,  # share of unanswerable questions abstained on
        },
        "latency_ms": {"p50": m.percentile(lat, 50), "p95": m.percentile(lat, 95)},
    }
    return out
