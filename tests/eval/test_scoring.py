"""Per-question scoring and aggregation on hand-made answers (no model, no index)."""

import pytest

from assistant.evaluation import gate
from assistant.evaluation.baselines import Retrieved
from assistant.evaluation.curated import aggregate, score, summarise
from assistant.evaluation.questions import Question
from assistant.evaluation.squad import SquadQuestion, prediction
from assistant.evaluation.squad import aggregate as squad_aggregate
from assistant.evaluation.squad import score as squad_score

DOC = "Japan signed a deal with France in 2015. It covers equipment transfers. Germany waited until 2024."


def _citation(n, quote):
    start = DOC.index(quote)
    return {"n": n, "doc_id": "d.txt", "text": DOC, "passage_start": 0, "passage_end": len(DOC),
            "start": start, "end": start + len(quote), "quote": quote}


def _answer(text, citations=(), abstained=False, short=None):
    return {"question": "q", "answer": text, "abstained": abstained, "citations": list(citations),
            "short_answer": short, "nearest": [], "timings_ms": {}, "conflict": False, "corrected_question": None}


ABSTAIN = _answer("The documents do not answer this question.", abstained=True)
FRANCE = Question("a1", "Who signed with Japan in 2015?", ("France",), ("signed a deal with France",), True, "fact", "dev")
GERMANY = Question("a2", "When did Germany sign and what is covered?", ("2024", "equipment"),
                   ("Germany waited until 2024.", "covers equipment transfers"), True, "multi", "test")
MOON = Question("u1", "Who owns the moon?", (), (), False, "unanswerable", "dev")
HIT = [Retrieved("d.txt", 0, len(DOC), DOC)]
MISS = [Retrieved("e.txt", 0, 9, "unrelated"), Retrieved("d.txt", 0, len(DOC), DOC)]


def test_score_answered_question():
    ans = _answer("Japan signed a deal with France in 2015. [1]\n- Germany waited until 2024. [2]",
                  [_citation(1, "Japan signed a deal with France in 2015."), _citation(2, "Germany waited until 2024.")])
    rec = score(FRANCE, ans, {"ours": HIT, "bm25": MISS}, 12.34, {"d.txt": DOC})
    s = rec["scores"]
    assert s["all_gold"] is True and not s["abstained"]
    # pred tokens (markers stripped, normalised): 11; gold "france": 1 common -> p = 1/11, r = 1, F1 = 2/12
    assert s["f1"] == pytest.approx(2 / 12)
    assert (s["citations"], s["citations_supported"], s["quotes_verified"]) == (2, 2, 2)  # both quote the passage holding the evidence
    assert (s["lines_cited"], s["lines"]) == (2, 2)
    assert rec["retrieval"]["ours"]["rank"] == 1 and rec["retrieval"]["bm25"]["rank"] == 2
    assert rec["answer"] is ans and s["latency_ms"] == 12.3


def test_aggregate_mixed_group():
    records = [
        score(FRANCE, _answer("France [1]", [_citation(1, "Japan signed a deal with France in 2015.")]), {"ours": HIT}, 10, {}),
        score(GERMANY, _answer("Germany waited until 2024. [1]", [_citation(1, "Germany waited until 2024.")]), {"ours": MISS}, 30, {}),
        score(MOON, ABSTAIN, {"ours": MISS}, 20, {}),
    ]
    agg = aggregate(records, k=1)
    r = agg["retrieval"]["ours"]
    assert r["n"] == 2 and r["recall_at_1"] == 0.5 and r["recall_at_k"] == 0.5 and r["recall_at_2"] == 1.0
    assert r["mrr"] == 0.5  # rank 1 and rank 2 (beyond k=1)
    assert r["n_multi"] == 1 and r["all_evidence_recall"] == 0.0  # GERMANY's evidence is at rank 2, beyond k=1
    assert aggregate(records, k=2)["retrieval"]["ours"]["all_evidence_recall"] == 1.0
    assert agg["answers"]["all_gold_rate"] == 0.5  # GERMANY lacks "equipment"
    assert agg["citations"]["precision"] == 1.0 and agg["citations"]["n"] == 2
    ab = agg["abstention"]
    assert (ab["precision"], ab["recall"], ab["f1"], ab["refused"]) == (1.0, 1.0, 1.0, 0)
    assert agg["latency_ms"]["p50"] == 20
    assert agg["headline"] == {"recall_at_k": 0.5, "all_gold_rate": 0.5, "citation_precision": 1.0, "abstention_f1": 1.0}


def test_aggregate_all_abstained():
    records = [score(q, ABSTAIN, {"ours": HIT}, 5, {}) for q in (FRANCE, GERMANY, MOON)]
    agg = aggregate(records, k=5)
    assert agg["answers"]["all_gold_rate"] == 0.0 and agg["answers"]["f1"] == 0.0
    assert agg["citations"]["precision"] is None and agg["citations"]["coverage"] is None  # no citations at all
    assert agg["abstention"]["refused"] == 2 and agg["abstention"]["refused_rate"] == 1.0
    assert agg["abstention"]["precision"] == pytest.approx(1 / 3) and agg["abstention"]["recall"] == 1.0
    assert agg["retrieval"]["ours"]["recall_at_k"] == 1.0  # retrieval is scored whatever the answer did


def test_aggregate_without_unanswerable_or_answerable():
    only_answerable = aggregate([score(FRANCE, _answer("France [1]", [_citation(1, "It covers equipment transfers.")]),
                                       {"ours": HIT}, 5, {})], k=5)
    assert only_answerable["abstention"]["f1"] is None and only_answerable["abstention"]["recall"] is None
    assert only_answerable["citations"]["precision"] == 1.0  # the cited passage holds the evidence
    only_unanswerable = aggregate([score(MOON, _answer("The moon [1]", [_citation(1, "It covers equipment transfers.")]),
                                         {"ours": MISS}, 5, {})], k=5)
    assert only_unanswerable["retrieval"] == {}  # nothing to retrieve
    assert only_unanswerable["answers"]["all_gold_rate"] is None
    assert only_unanswerable["citations"]["precision"] == 0.0  # a citation for an unanswerable question holds no evidence
    assert only_unanswerable["abstention"]["f1"] == 0.0 and only_unanswerable["abstention"]["refused_rate"] is None
    assert only_unanswerable["headline"]["recall_at_k"] is None


def test_empty_answer_text_scores_zero():
    rec = score(FRANCE, _answer(""), {"ours": HIT}, 1, {})
    assert rec["scores"]["all_gold"] is False and rec["scores"]["f1"] == 0.0
    assert (rec["scores"]["lines_cited"], rec["scores"]["lines"]) == (0, 0)


def test_summarise_splits_and_kinds():
    records = [score(q, ABSTAIN, {"ours": HIT}, 5, {}) for q in (FRANCE, GERMANY, MOON)]
    summary = summarise(records, k=5)
    assert set(summary["by_split"]) == {"all", "dev", "test"}
    assert summary["by_split"]["test"]["n"] == 1 and summary["by_split"]["dev"]["n"] == 2
    assert set(summary["by_kind"]) == {"fact", "multi", "unanswerable"}


def _report(k=5, **headline):
    base = {"recall_at_k": 0.9, "all_gold_rate": 0.7, "citation_precision": 0.6, "abstention_f1": 0.5}
    return {"curated": {"setup": {"k": k}, "summary": {"by_split": {"all": {"headline": {**base, **headline}}}}}}


def test_gate_flags_only_drops_beyond_the_margin():
    result = gate.compare(_report(all_gold_rate=0.69, citation_precision=0.5, abstention_f1=None), _report(), "all", 0.02)
    assert len(result["drops"]) == 1 and result["drops"][0].startswith("citation_precision dropped from 0.600 to 0.500")
    assert gate.compare(_report(recall_at_k=1.0), _report(), "all", 0.02)["drops"] == []  # a rise is fine


def test_gate_refuses_unlike_runs():
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="k=5, this run at k=3"):
        gate.compare(_report(k=3), _report(k=5), "all", 0.02)
    with pytest.raises(ConfigError, match="no 'test' results"):
        gate.compare(_report(), _report(), "test", 0.02)


def test_squad_prediction_and_scores():
    cite = _citation(1, "Japan signed a deal with France in 2015.")
    assert prediction(_answer("Short answer: 2015 [1]\n...", [cite], short="2015")) == "2015"
    assert prediction(_answer("Japan signed a deal with France in 2015. [1]", [cite])) == cite["quote"]
    assert prediction(ABSTAIN) == ""
    q = SquadQuestion("s1", "When?", ("2015", "in 2015"), "p00001.txt")
    rec = squad_score(q, _answer("Short answer: 2015 [1]\nJapan signed a deal with France in 2015. [1]", [cite], short="2015"),
                      {"ours": 1, "bm25": None, "dense": 3}, 7.0)
    assert rec["em"] == 1.0 and rec["f1"] == 1.0 and rec["gold_in_answer"] is True
    assert 0 < rec["f1_full"] < 1
    impossible = SquadQuestion("s2", "Who?", (), "p00001.txt")
    right = squad_score(impossible, ABSTAIN, {"ours": 1, "bm25": 1, "dense": 1}, 7.0)
    wrong = squad_score(impossible, _answer("France [1]", [cite]), {"ours": 1, "bm25": 1, "dense": 1}, 7.0)
    assert right["em"] == right["f1"] == 1.0 and wrong["em"] == 0.0
    agg = squad_aggregate([rec, right, wrong])
    assert agg["hit_at"]["ours"]["1"] == 1.0 and agg["hit_at"]["bm25"]["20"] == 0.0 and agg["hit_at"]["dense"]["5"] == 1.0
    assert agg["answerable"]["em"] == 1.0 and agg["overall"]["em"] == pytest.approx(2 / 3)
    assert agg["abstention"]["recall"] == 0.5 and agg["abstention"]["precision"] == 1.0
