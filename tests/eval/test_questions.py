"""The question file loader, and the bundled question file against the bundled corpus."""

import json

import pytest

from assistant import corpus
from assistant.errors import ConfigError
from assistant.evaluation.metrics import squash
from assistant.evaluation.questions import load_questions
from tests.conftest import CORPUS, ROOT

GOOD = {"id": "a", "question": "Why?", "answers": ["x"], "evidence": ["x y"], "answerable": True}


def _write(tmp_path, *rows):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_optional_fields_default(tmp_path):
    [q] = load_questions(_write(tmp_path, GOOD))
    assert (q.kind, q.split, q.answers, q.evidence) == ("unspecified", "dev", ("x",), ("x y",))


def test_split_filter(tmp_path):
    path = _write(tmp_path, GOOD, {**GOOD, "id": "b", "split": "test"})
    assert [q.id for q in load_questions(path, "test")] == ["b"]
    assert [q.id for q in load_questions(path, "all")] == ["a", "b"]
    with pytest.raises(ConfigError, match="no 'test' questions"):
        load_questions(_write(tmp_path, GOOD), "test")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"q.jsonl:2: not valid JSON"),
        ('["a"]', r"q.jsonl:2: expected a JSON object"),
        (json.dumps({"id": "b", "question": "q"}), r"q.jsonl:2: missing field\(s\) answers, evidence, answerable"),
        (json.dumps({**GOOD, "id": "b", "answerable": "yes"}), r"q.jsonl:2: field 'answerable' must be a bool"),
        (json.dumps({**GOOD, "id": "b", "answers": []}), r"q.jsonl:2: an answerable question needs"),
        (json.dumps({**GOOD, "id": "b", "evidence": [""]}), r"q.jsonl:2: every item of 'evidence'"),
        (json.dumps({**GOOD, "id": "b", "split": "train"}), r"q.jsonl:2: field 'split' must be one of dev, test"),
        (json.dumps(GOOD), r"q.jsonl:2: id 'a' is used twice"),
    ],
)
def test_bad_lines_name_the_line(tmp_path, line, message):
    with pytest.raises(ConfigError, match=message):
        load_questions(_write(tmp_path, GOOD, line))


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(ConfigError, match="does not exist; pass --questions"):
        load_questions(tmp_path / "nope.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(ConfigError, match="holds no questions"):
        load_questions(tmp_path / "empty.jsonl")


def test_bundled_questions_are_well_formed_and_evidence_is_verbatim():
    questions = load_questions(ROOT / "eval" / "questions.jsonl")
    assert len(questions) >= 80
    assert sum(not q.answerable for q in questions) >= 0.15 * len(questions)
    assert {q.split for q in questions} == {"dev", "test"}
    files, _ = corpus.scan(CORPUS)
    texts = [squash(corpus.load(f, 10**8).text) for f in files]
    missing = [(q.id, e) for q in questions for e in q.evidence if not any(squash(e) in t for t in texts)]
    assert missing == []
    assert all(q.evidence for q in questions if q.answerable)


# next-heldout.jsonl, the unseen set after this one, is there between a round's writing and its use.
@pytest.mark.parametrize("name", [n for n in ("heldout.jsonl", "next-heldout.jsonl") if (ROOT / "eval" / n).exists()])
def test_held_out_questions_are_well_formed_new_and_verbatim(name):
    held = load_questions(ROOT / "eval" / name)
    assert len(held) == 45 and {q.split for q in held} == {"test"}
    assert sum(not q.answerable for q in held) == 10
    curated = load_questions(ROOT / "eval" / "questions.jsonl")
    if name == "next-heldout.jsonl":  # new beside the current held-out set too
        current = load_questions(ROOT / "eval" / "heldout.jsonl")
        assert not {q.id for q in held} & {q.id for q in current}
        assert not {q.question.lower() for q in held} & {q.question.lower() for q in current}
    assert not {q.id for q in held} & {q.id for q in curated}
    assert not {q.question.lower() for q in held} & {q.question.lower() for q in curated}
    files, _ = corpus.scan(CORPUS)
    texts = [squash(corpus.load(f, 10**8).text) for f in files]
    assert [(q.id, e) for q in held for e in q.evidence if not any(squash(e) in t for t in texts)] == []
    # every gold answer string is stated by its evidence, so the gold is the documents' own wording
    assert [q.id for q in held if not all(any(a.lower() in e.lower() for e in q.evidence) for a in q.answers)] == []
