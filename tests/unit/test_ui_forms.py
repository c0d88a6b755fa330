"""What the chat takes from users: date filters, uploaded file names, feedback lines, who may connect."""

from __future__ import annotations

import json

import pytest

from assistant.errors import ConfigError
from assistant.schema import Answer, Citation
from assistant.ui.forms import (
    FilterError,
    append_feedback,
    auth_for,
    feedback_record,
    is_loopback,
    make_filters,
    parse_date,
    safe_name,
    save_uploads,
)
from tests.conftest import make_settings


@pytest.mark.parametrize("value", ["2024", "2024-02", "2024-02-29", " 2015-05-02 "])
def test_dates_accepted(value):
    assert parse_date(value, "From date") == value.strip()


@pytest.mark.parametrize("value", ["2024-13", "2023-02-29", "24", "2024/02/08", "yesterday", "2024-2-8", "2024-02-08x"])
def test_bad_dates_named_in_one_clear_line(value):
    with pytest.raises(FilterError, match=r"From date .* is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_date(value, "From date")


def test_filters_from_page_inputs():
    f = make_filters(["a.md", "a.md", "b.md"], "2015", "2024-02")
    assert f.doc_ids == ("a.md", "b.md") and f.date_from == "2015" and f.date_to == "2024-02"
    assert make_filters(None, "", None).empty
    assert make_filters("a.md", None, None).doc_ids == ("a.md",)


def test_reversed_range_and_unknown_documents_are_refused():
    with pytest.raises(FilterError, match="after the To date"):
        make_filters([], "2024-03", "2024-02")
    make_filters([], "2024-02", "2024")  # a month inside the year it ends in is fine
    with pytest.raises(FilterError, match="unknown document id '../etc/passwd'; indexed ids are: a.md"):
        make_filters(["../etc/passwd"], None, None, known={"a.md"})


@pytest.mark.parametrize("raw, safe", [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\win.ini.md", "win.ini.md"),
    (".hidden.md", "hidden.md"),
    ("...", "upload"),
    ("a<b>|c.md", "a_b_c.md"),
    ("notes", "notes"),
    ("x" * 300 + ".txt", "x" * 116 + ".txt"),
])
def test_safe_name(raw, safe):
    assert safe_name(raw) == safe


def test_uploads_checked_copied_and_never_overwritten(tmp_path):
    corpus, up = tmp_path / "corpus", tmp_path / "up"
    corpus.mkdir(), up.mkdir()
    (corpus / "notes.md").write_text("old notes")
    files = {"notes.md": "new notes", "tool.exe": "MZ", "big.txt": "x" * 3000, "empty.txt": "", ".env.md": "secret?"}
    for name, text in files.items():
        (up / name).write_text(text)
    r = save_uploads([up / n for n in files], corpus, max_mb=0.002)  # about 2 KB
    assert r.saved == ["notes-1.md", "env.md"]
    assert (corpus / "notes.md").read_text() == "old notes" and (corpus / "notes-1.md").read_text() == "new notes"
    reasons = dict(r.refused)
    assert reasons["tool.exe"].startswith("type .exe is not accepted; use .txt, .md, .html, .pdf")
    assert "over the 0.002 MB upload limit" in reasons["big.txt"]
    assert reasons["empty.txt"] == "the file is empty"
    again = save_uploads([up / "notes.md"], corpus, max_mb=1)
    assert again.saved == [] and again.refused == [("notes.md", "the same file is already in the corpus as notes-1.md")]
    assert "added notes-1.md" in r.lines() and any(line.startswith("refused tool.exe:") for line in r.lines())


def test_feedback_is_one_json_line_with_question_answer_citations(tmp_path):
    c = Citation(1, "d.md", "T", None, None, None, "text", 0, 4, 0, 4, 0.9, "text")
    a = Answer("q?", "text [1]", False, [c], {})
    path = tmp_path / "data" / "feedback.jsonl"
    append_feedback(path, feedback_record(a, "up"))
    append_feedback(path, feedback_record(a, "down"))
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["rating"] for r in rows] == ["up", "down"]
    assert rows[0]["question"] == "q?" and rows[0]["answer"] == "text [1]"
    assert rows[0]["citations"][0]["doc_id"] == "d.md"
    assert rows[0]["timestamp"].endswith("+00:00")
    with pytest.raises(ValueError):
        feedback_record(a, "meh")


def test_loopback_needs_no_login_anything_else_does(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    assert auth_for(make_settings(tmp_path)) is None
    with pytest.raises(ConfigError, match="listening on 0.0.0.0 .* set ASSISTANT_AUTH_USER and ASSIST"):
        auth_for(make_settings(tmp_path, host="0.0.0.0"))
    with pytest.raises(ConfigError):
        auth_for(make_settings(tmp_path, host="0.0.0.0", auth_user="ann"))
    assert auth_for(make_settings(tmp_path, host="0.0.0.0", auth_user="ann", auth_password="pw")) == ("ann", "pw")
