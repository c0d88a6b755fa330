"""The running chat through gradio_client: /ask, the streaming /chat with its conversation,
filters, the passage view's lookups, uploads, feedback, and the login beyond loopback."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from tests.conftest import CORPUS
from tests.e2e.conftest import HOSTILE_QUESTION, free_port, running

pytestmark = pytest.mark.e2e

PATRIOT = "What did Japan say it would send to the US to be passed on to Ukraine?"
GERMANY_DOC = "china-military-online-japan-germany-acsa.md"


def check_citations(client: Client, answer: dict) -> None:
    """Every quote is inside its passage and is exactly the document's text at its offsets."""
    for c in answer["citations"] + answer["nearest"]:
        assert c["quote"] in c["text"]
        assert c["text"][c["start"] - c["passage_start"]: c["end"] - c["passage_start"]] == c["quote"]
        looked_up = client.predict(c["doc_id"], c["start"], c["end"], api_name="/passage")
        assert looked_up["quote"] == c["quote"] and looked_up["title"] == c["title"]


def test_ask_answers_with_citations(client):
    a = client.predict(PATRIOT, api_name="/ask")
    assert not a["abstained"] and "Patriot" in a["answer"] and a["citations"]
    assert [c["n"] for c in a["citations"]] == list(range(1, len(a["citations"]) + 1))
    for c in a["citations"]:
        assert f"[{c['n']}]" in a["answer"]
    check_citations(client, a)


def test_ask_returns_the_cli_json_object(client, corpus_assistant):
    a = client.predict(PATRIOT, api_name="/ask")
    expected = corpus_assistant.ask(PATRIOT).to_json()
    a.pop("timings_ms"), expected.pop("timings_ms")
    assert a == json.loads(json.dumps(expected))


def test_abstains_with_nearest_passages(client):
    a = client.predict("What is the capital of Brazil?", api_name="/ask")
    assert a["abstained"] and not a["citations"] and a["nearest"]
    assert "do not answer" in a["answer"]
    check_citations(client, a)


def test_follow_up_through_ask_history(client):
    a = client.predict("and what about Germany?", None, None, None, ["Which agreement did Japan sign with France?"],
                       api_name="/ask")
    assert "Germany" in (a["corrected_question"] or "") and not a["abstained"]
    assert GERMANY_DOC in {c["doc_id"] for c in a["citations"]}


def test_chat_streams_and_follows_up_in_one_session(chat_url):
    client = Client(chat_url, verbose=False)  # its own session: the conversation is per session
    job = client.submit("Which agreement did Japan sign with France?", [], "", "", api_name="/chat")
    chunks = [out[0] for out in job]
    final = job.result()[0]
    assert len(chunks) >= 3 and chunks[-1] == final
    assert "Searching the documents" in chunks[0] and "streaming" in "".join(chunks[1:-1])
    assert "France" in final and 'class="cite"' in final
    transcript, sources = client.predict("and what about Germany?", [], "", "", api_name="/chat")[:2]
    assert "Searched for: <em>Which agreement did Japan sign with Germany?</em>" in transcript
    assert 'data-turn="1"' in sources and "Japan, Germany sign new agreement" in sources


def test_document_filter_keeps_citations_in_that_document(client):
    a = client.predict("When did Germany sign the ACSA with Japan?", [GERMANY_DOC], api_name="/ask")
    assert not a["abstained"] and {c["doc_id"] for c in a["citations"]} == {GERMANY_DOC}
    other = "japan-intense-foreign-military-cooperation.md"
    b = client.predict(PATRIOT, [other], api_name="/ask")
    assert {c["doc_id"] for c in b["citations"] + b["nearest"]} == {other}


def test_date_filter_keeps_citations_in_range(client, corpus_assistant):
    dates = {d.doc_id: d.date for d in corpus_assistant.documents()}
    a = client.predict("Which agreement did Japan sign?", None, "2024", None, api_name="/ask")
    cited = {c["doc_id"] for c in a["citations"] + a["nearest"]}
    assert cited and all(dates[d] and dates[d] >= "2024" for d in cited)


@pytest.mark.parametrize("args, message", [
    (("x?", None, "2024-13"), "From date “2024-13” is not a date"),
    (("x?", None, "2024", "2023"), "after the To date"),
    (("x?", ["../../etc/passwd"]), "unknown document id '../../etc/passwd'"),
    (("   ",), "the question is empty"),
    (("q" * 5000,), "the limit is 2,000"),
])
def test_bad_input_is_one_clear_error(client, args, message):
    with pytest.raises(AppError, match=message):
        client.predict(*args, api_name="/ask")


@pytest.mark.parametrize("doc_id", ["../../etc/passwd", "/etc/passwd", "corpus/../../../etc/hosts", "", "."])
def test_passage_view_reads_only_indexed_documents(client, doc_id):
    with pytest.raises(AppError, match="unknown document"):
        client.predict(doc_id, 0, 100, api_name="/passage")


@pytest.mark.parametrize("path", ["/etc/passwd", "../../../../etc/passwd",
                                  str(CORPUS / "magnani-indo-pacific-mega-basin.md")])
def test_server_serves_no_files_from_disk(chat_url, path):
    r = httpx.get(f"{chat_url.rstrip('/')}/gradio_api/file={path}")
    assert r.status_code in (403, 404) and "root:" not in r.text and "Magnani" not in r.text


def test_chat_shows_errors_in_the_conversation(chat_url):
    client = Client(chat_url, verbose=False)
    transcript = client.predict("When?", [], "2024-02-30", "", api_name="/chat")[0]
    assert 'class="bot error"' in transcript and "From date “2024-02-30” is not a date" in transcript


def test_feedback_is_stored_as_json_lines(hostile_url, hostile_assistant):
    client = Client(hostile_url, verbose=False)
    client.predict(HOSTILE_QUESTION, [], "", "", api_name="/chat")
    note = client.predict(api_name="/feedback_down")
    assert "saved" in note
    rows = [json.loads(x) for x in hostile_assistant.settings.feedback_path.read_text().splitlines()]
    assert rows[-1]["rating"] == "down" and rows[-1]["question"] == HOSTILE_QUESTION
    assert rows[-1]["answer"] and rows[-1]["citations"][0]["doc_id"] == "lighthouse-log.md"


def test_upload_indexes_good_files_and_refuses_others(hostile_url, hostile_assistant, tmp_path):
    client = Client(hostile_url, verbose=False)
    good = tmp_path / "okapi-notes.md"
    good.write_text("---\ntitle: Okapi field notes\ndate: '2022-03-04'\n---\n\n"
                    "The okapi ranger counted seventeen okapis near the Epulu river station in March.\n")
    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x90\x00")
    with pytest.raises(AppError, match=r"Invalid file type. Please upload a file that is one of these formats"):
        client.predict([handle_file(bad)], api_name="/add_documents")  # refused before our handler runs
    note, *_ = client.predict([handle_file(good)], api_name="/add_documents")
    assert "added okapi-notes.md" in note and "index updated: added 1" in note
    assert (hostile_assistant.settings.corpus_dir / "okapi-notes.md").exists()
    a = client.predict("What did the okapi ranger see near the Epulu river station?", api_name="/ask")
    assert not a["abstained"] and a["citations"][0]["doc_id"] == "okapi-notes.md"
    note, *_ = client.predict([handle_file(good)], api_name="/add_documents")
    assert "already in the corpus" in note  # the same file twice is not indexed twice


def test_upload_over_the_size_limit_is_refused(hostile_url, tmp_path):
    client = Client(hostile_url, verbose=False)
    big = tmp_path / "big.txt"
    big.write_text("word " * 20_000)  # 100 KB against a 50 KB limit
    with pytest.raises(Exception, match="(?i)size|large|exceed"):
        client.predict([handle_file(big)], api_name="/add_documents")


def test_beyond_loopback_needs_a_login(corpus_assistant):
    from assistant.app import serve
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="ASSISTANT_AUTH_USER"):
        serve(corpus_assistant.settings.model_copy(update={"host": "0.0.0.0"}))
    with running(corpus_assistant, host="0.0.0.0", auth_user="ann", auth_password="s3cret") as url:
        url = f"http://127.0.0.1:{url.rsplit(':', 1)[1]}"
        with pytest.raises(Exception):
            Client(url, verbose=False).predict("What is the capital of Brazil?", api_name="/ask")
        logged_in = Client(url, auth=("ann", "s3cret"), verbose=False)
        a = logged_in.predict("What is the capital of Brazil?", api_name="/ask")
        assert a["abstained"]


@pytest.mark.slow
def test_assistant_serve_command_starts_and_answers(corpus_assistant):
    """The real entry point in its own process, over the already built index."""
    port = free_port()
    s = corpus_assistant.settings
    cmd = [sys.executable, "-m", "assistant", "serve", "--corpus", str(s.corpus_dir), "--data", str(s.data_dir),
           "--port", str(port)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "chat ready at" in line:
                break
        assert any(f"chat ready at http://127.0.0.1:{port}" in x for x in lines), "".join(lines)
        a = Client(f"http://127.0.0.1:{port}/", verbose=False).predict(PATRIOT, api_name="/ask")
        assert "Patriot" in a["answer"]
        print(f"start-up to first answer: {time.perf_counter() - t0:.1f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
