"""`assistant eval` end to end on a tiny corpus with the real model: reports, numbers, the gate, errors."""

import json

import pytest

from assistant.cli import main
from assistant.evaluation import metrics as m

pytestmark = pytest.mark.integration


@pytest.fixture
def run_eval(tiny, tmp_path, shared_model, capsys):
    corpus, questions = tiny

    def go(*extra):
        code = main(["eval", "--corpus", str(corpus), "--data", str(tmp_path / "data"), "--questions", str(questions), *extra])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def test_eval_writes_a_consistent_report_and_the_gate_works(run_eval, tmp_path):
    out_dir = tmp_path / "run"
    code, out, err = run_eval("--out", str(out_dir), "--json", "--k", "3", "--save-baseline", str(tmp_path / "baseline.json"))
    assert code == 0, err
    assert {p.name for p in out_dir.iterdir()} == {"report.json", "report.md", "by_kind.png"}
    assert (out_dir / "by_kind.png").read_bytes()[:4] == b"\x89PNG"
    printed = json.loads(out)
    saved = json.loads((out_dir / "report.json").read_text())
    assert printed["curated"]["summary"] == saved["curated"]["summary"]
    meta = saved["meta"]
    assert meta["settings"]["top_k"] == 3 and meta["commit"] and meta["date"] and meta["run_s"] > 0

    records = saved["curated"]["records"]
    assert [r["id"] for r in records] == ["t1", "t2", "t3", "t4"]
    assert set(records[0]["retrieval"]) == {"ours", "bm25", "dense", "llamaindex"}
    assert len(records[0]["retrieval"]["llamaindex"]["passages"]) <= 2  # llama-index's default top-k
    for r in records:  # every answer object is complete enough to re-score
        assert {"answer", "abstained", "citations", "short_answer"} <= set(r["answer"])

    overall = saved["curated"]["summary"]["by_split"]["all"]
    assert set(saved["curated"]["summary"]["by_split"]) == {"all", "dev", "test"}
    assert set(saved["curated"]["summary"]["by_kind"]) == {"fact", "why", "unanswerable"}
    # Re-score from the per-question JSON alone and compare with the report's numbers.
    answerable = [r for r in records if r["answerable"]]
    gold = [not r["answer"]["abstained"] and m.contains_all(r["answer"]["answer"], r["answers"]) for r in answerable]
    assert overall["answers"]["all_gold_rate"] == pytest.approx(sum(gold) / 3)
    ranks = [r["retrieval"]["ours"]["rank"] for r in answerable]
    assert overall["retrieval"]["ours"]["recall_at_k"] == m.recall_at(ranks, 3)
    cites = [(c, r["evidence"]) for r in records if not r["answer"]["abstained"] for c in r["answer"]["citations"]]
    if cites:
        assert overall["citations"]["precision"] == pytest.approx(sum(m.citation_supported(c, e) for c, e in cites) / len(cites))
    for value in (overall["retrieval"]["ours"]["recall_at_k"], overall["answers"]["f1"], overall["abstention"]["decision_accuracy"]):
        assert 0.0 <= value <= 1.0
    # Three documents on different topics: every system finds the evidence for these direct questions.
    assert overall["retrieval"]["ours"]["recall_at_k"] == 1.0 and overall["retrieval"]["bm25"]["recall_at_1"] == 1.0

    # The gate: against itself it passes; against a baseline with inflated numbers it fails, one line per drop.
    baseline = json.loads((tmp_path / "baseline.json").read_text())
    assert "records" not in baseline["curated"]
    code, out, err = run_eval("--out", str(tmp_path / "same"), "--k", "3", "--no-baselines", "--baseline", str(tmp_path / "baseline.json"))
    assert code == 0, err
    assert "## Regression gate" in out and "passed" in out
    head = baseline["curated"]["summary"]["by_split"]["all"]["headline"]
    head["all_gold_rate"] = (head["all_gold_rate"] or 0) + 0.5
    head["recall_at_k"] = (head["recall_at_k"] or 0) + 0.01  # within the margin: not reported
    (tmp_path / "inflated.json").write_text(json.dumps(baseline))
    code, out, err = run_eval("--out", str(tmp_path / "worse"), "--k", "3", "--no-baselines", "--baseline", str(tmp_path / "inflated.json"))
    assert code == 1
    drops = [line for line in err.splitlines() if line.startswith("regression:")]
    assert len(drops) == 1 and "all_gold_rate dropped" in drops[0]


def test_markdown_report_has_the_tables(run_eval, tmp_path):
    code, out, err = run_eval("--out", str(tmp_path / "md"), "--no-baselines", "--split", "dev")
    assert code == 0, err
    md = (tmp_path / "md" / "report.md").read_text()
    assert out.startswith("# Evaluation report")
    for heading in ("## Curated questions", "### Headline (ours)", "### Retrieval", "### By kind"):
        assert heading in md
    assert json.loads((tmp_path / "md" / "report.json").read_text())["curated"]["summary"]["by_split"]["all"]["n"] == 2


def test_benchmarks_on_tiny_beir_and_squad_files(tmp_path, shared_model, capsys):
    beir = tmp_path / "beir"
    (beir / "qrels").mkdir(parents=True)
    docs = {"d1": ("Bees", "Honey bees dance to show where flowers are."),
            "d2": ("Volcanoes", "Iceland has about 130 volcanoes and frequent eruptions."),
            "d3": ("Tea", "Tea reached Britain in the 1650s through Dutch traders.")}
    (beir / "corpus.jsonl").write_text("".join(json.dumps({"_id": i, "title": t, "text": x}) + "\n" for i, (t, x) in docs.items()))
    (beir / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "how many volcanoes does Iceland have"}) + "\n"
                                        + json.dumps({"_id": "q2", "text": "when did tea arrive in Britain"}) + "\n")
    (beir / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td2\t1\nq2\td3\t1\n")
    squad = tmp_path / "squad.json"
    squad.write_text(json.dumps({"version": "v2.0", "data": [{"title": "T", "paragraphs": [
        {"context": "The Eiffel Tower was completed in 1889 for the World's Fair in Paris.", "qas": [
            {"id": "s1", "question": "When was the Eiffel Tower completed?", "answers": [{"text": "1889", "answer_start": 34}], "is_impossible": False},
            {"id": "s2", "question": "Who painted the Eiffel Tower pink?", "answers": [], "is_impossible": True}]},
        {"context": "Mount Everest is 8,849 metres tall and lies on the border of Nepal and China.", "qas": [
            {"id": "s3", "question": "How tall is Mount Everest?", "answers": [{"text": "8,849 metres", "answer_start": 17}], "is_impossible": False}]},
    ]}]}))
    code = main(["eval", "--no-curated", "--beir", str(beir), "--squad", str(squad), "--out", str(tmp_path / "bench"), "--data", str(tmp_path / "unused")])
    out, err = capsys.readouterr()
    assert code == 0, err
    rep = json.loads((tmp_path / "bench" / "report.json").read_text())
    for name, r in rep["beir"]["results"].items():
        assert r["ndcg_at_10"] == 1.0 and r["recall_at_100"] == 1.0, name  # one relevant document, easy queries
    assert rep["beir"]["documents"] == 3 and rep["beir"]["runs"]["bm25"]["q1"][0] == "d2"
    sq = rep["squad"][0]
    assert sq["version"] == "2.0" and sq["results"]["n"] == 3 and sq["results"]["n_unanswerable"] == 1
    assert sq["results"]["hit_at"]["ours"]["1"] == 1.0
    for v in (sq["results"]["answerable"]["f1"], sq["results"]["overall"]["em"]):
        assert 0.0 <= v <= 1.0
    assert "## BEIR SciFact" in out and "## SQuAD vv2.0" not in out and "## SQuAD v2.0" in out
    assert not (tmp_path / "unused").exists()  # benchmarks index in temporary folders


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--questions", "{tmp}/missing.jsonl"], "error: question file {tmp}/missing.jsonl does not exist"),
        (["--corpus", "{tmp}/nocorpus"], "error: corpus folder {tmp}/nocorpus does not exist"),
        (["--beir", "{tmp}/nobeir", "--no-curated"], "error: BEIR folder {tmp}/nobeir does not exist"),
        (["--no-curated"], "error: nothing to run"),
        (["--limit", "0", "--no-curated", "--squad", "x"], "error: --limit must be at least 1; got 0"),
    ],
)
def test_errors_are_one_line(tiny, tmp_path, capsys, args, message):
    corpus, questions = tiny
    argv = ["eval", "--corpus", str(corpus), "--questions", str(questions), "--data", str(tmp_path / "data")]
    code = main(argv + [a.format(tmp=tmp_path) for a in args])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith(message.format(tmp=tmp_path))


def test_bad_question_line_names_it(tiny, tmp_path, capsys):
    corpus, questions = tiny
    questions.write_text(questions.read_text() + '{"id": "t5", "question": "x"}\n')
    code = main(["eval", "--corpus", str(corpus), "--questions", str(questions), "--data", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {questions}:5: missing field(s) answers, evidence, answerable")
    assert len(err.strip().splitlines()) == 1
