"""Bad questions: each gets an answer object or one clear line, never a traceback or a hang,
both from `Assistant.ask` and from the running chat's `/ask` endpoint."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from assistant.errors import QuestionError
from tests.robustness.conftest import clone_index

pytestmark = pytest.mark.integration

BOUND_S = 10.0  # an answer or a refusal within this, even on a busy 2-core machine

# (label, question, expected): expected is a QuestionError message fragment, or None for an answer.
BAD_QUESTIONS = [
    ("empty", "", "the question is empty"),
    ("whitespace", " \t\n\r\u3000\u00a0 ", "the question is empty"),
    ("control only", "\x00\x01\x07\x1b\x7f\u200b\u202e", "the question is empty"),
    ("100,000 characters", "Japan " * 16_666 + "why?", "the limit is 2,000"),
    ("control characters", "\x00What did \x1b[31mJapan\x07 say it would\r\n send to\x7f Ukraine?\u202e", None),
    ("lone surrogate", "\ud800What did Japan send to Ukraine?\udfff", None),
    ("emoji", "🚀🇯🇵 What did Japan say it would send to the US for Ukraine? 🔥👍🏽", None),
    ("emoji only", "🤔🤔🤔 ❓", None),
    ("Japanese", "日本はウクライナに何を送ると言いましたか？", None),
    ("Arabic", "ماذا قالت اليابان إنها سترسل إلى أوكرانيا؟", None),
    ("Russian", "Что Япония обещала отправить Украине?", None),
    ("mixed scripts", "When did Германия (ドイツ) sign the ACSA with اليابان?", None),
    ("HTML", '<script>alert(1)</script><img src=x onerror=alert(1)> When did Germany sign the ACSA?', None),
    ("SQL", "'; DROP TABLE documents; -- When did Germany sign the ACSA with Japan?", None),
    ("SQL only", "1' OR '1'='1'; DELETE FROM chunks WHERE 1=1; --", None),
    ("template and format", "{{7*7}} ${jndi:ldap://x/a} %s%n%x {0} What is AUKUS?", None),
    ("regex", r"((a+)+)+$ [ ( \ * ? What is the Five Eyes group?", None),
    ("punctuation only", "?!.,;:…", None),
    ("stop words only", "what is the of and to it", None),
    ("2,000 unknown words", " ".join(f"zqxw{i}vbn" for i in range(200))[:2000], None),
    ("one long word", "x" * 2000, None),
]
IDS = [label for label, _, _ in BAD_QUESTIONS]
# Through the endpoint: the kinds the issue lists (the rest share the same path after transport).
OVER_HTTP = ["empty", "whitespace", "100,000 characters", "control characters", "emoji", "Japanese", "Arabic",
             "Russian", "HTML", "SQL"]
HTTP_QUESTIONS = [q for q in BAD_QUESTIONS if q[0] in OVER_HTTP]


def check_answer(a: dict) -> None:
    """The answer object's shape: a text, and citations only with a non-abstaining answer."""
    assert isinstance(a["answer"], str) and a["answer"]
    if a["abstained"]:
        assert a["citations"] == []
    else:
        assert a["citations"] and all(f"[{c['n']}]" in a["answer"] for c in a["citations"])
    for c in a["citations"] + a["nearest"]:
        assert c["quote"] in c["text"]


@pytest.mark.parametrize("label, question, expected", BAD_QUESTIONS, ids=IDS)
def test_bad_question_through_the_assistant(corpus_assistant, label, question, expected):
    t0 = time.perf_counter()
    if expected:
        with pytest.raises(QuestionError, match=expected) as err:
            corpus_assistant.ask(question)
        assert "\n" not in str(err.value)
    else:
        check_answer(corpus_assistant.ask(question).to_json())
    assert time.perf_counter() - t0 < BOUND_S


@pytest.mark.parametrize("value", [None, 42, b"What is AUKUS?", ["What is AUKUS?"], {"q": 1}])
def test_a_question_that_is_not_text_is_refused(corpus_assistant, value):
    with pytest.raises(QuestionError, match="the question must be text"):
        corpus_assistant.ask(value)


def test_sql_in_a_question_changes_nothing(corpus_assistant):
    before = corpus_assistant.counts()
    for q in ("'); DROP TABLE documents;--", "x\" ; DELETE FROM chunks; --", "Robert'); DROP TABLE state;--"):
        corpus_assistant.ask(q)
    assert corpus_assistant.counts() == before


def test_the_longest_allowed_question_is_answered_in_bounded_time(corpus_assistant, tmp_path):
    """ASSISTANT_MAX_QUESTION_CHARS may be raised to 100,000: even then an answer comes in time.
    Words no dictionary knows are the worst case: each is looked up for a spelling correction."""
    a = clone_index(corpus_assistant, tmp_path, max_question_chars=100_000)
    question = ("What did Japan say it would send to Ukraine? " + " ".join(f"qzv{i}xw" for i in range(9000)))[:100_000]
    t0 = time.perf_counter()
    check_answer(a.ask(question).to_json())
    assert time.perf_counter() - t0 < 3 * BOUND_S


@pytest.mark.e2e
@pytest.mark.parametrize("label, question, expected", HTTP_QUESTIONS, ids=[q[0] for q in HTTP_QUESTIONS])
def test_bad_question_through_the_ask_endpoint(client, label, question, expected):
    """(A lone surrogate cannot be sent by gradio_client at all: test_raw_http_api_bodies sends one.)"""
    from gradio_client.exceptions import AppError

    t0 = time.perf_counter()
    if expected:
        with pytest.raises(AppError, match=expected) as err:
            client.predict(question, api_name="/ask")
        message = str(err.value)
        assert "Traceback" not in message and "\n" not in message
    else:
        check_answer(client.predict(question, api_name="/ask"))
    assert time.perf_counter() - t0 < BOUND_S


@pytest.mark.e2e
@pytest.mark.parametrize("value", [None, 42, ["What is AUKUS?"]])
def test_a_non_text_question_through_the_ask_endpoint_is_one_clear_error(client, value):
    from gradio_client.exceptions import AppError

    try:
        a = client.predict(value, api_name="/ask")
    except AppError as exc:
        assert "Traceback" not in str(exc) and "\n" not in str(exc)
        assert "must be text" in str(exc) or "empty" in str(exc)
    else:  # Gradio turned it into text first: then it is an ordinary question
        check_answer(a)


@pytest.mark.e2e
def test_bad_questions_in_the_chat_are_one_line_in_the_conversation(chat_url):
    from gradio_client import Client

    c = Client(chat_url, verbose=False)
    transcript = c.predict("   ", [], "", "", api_name="/chat")[0]
    assert 'class="bot error"' in transcript and "the question is empty" in transcript
    transcript = c.predict("x" * 100_000, [], "", "", api_name="/chat")[0]
    assert "the limit is 2,000" in transcript and len(transcript) < 20_000
    assert "Traceback" not in transcript


def call_api(url: str, api: str, body: str) -> tuple[int, str | None, object]:
    """POST a raw JSON body to Gradio's HTTP API and read the result event:
    (HTTP status, "complete" or "error" or None, the event's data)."""
    r = httpx.post(f"{url}gradio_api/call/{api}", content=body.encode(), timeout=BOUND_S,
                   headers={"content-type": "application/json"})
    if r.status_code != 200:
        return r.status_code, None, r.text
    events = httpx.get(f"{url}gradio_api/call/{api}/{r.json()['event_id']}", timeout=BOUND_S).text
    kind = data = None
    for line in events.splitlines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: ") and kind in ("complete", "error"):
            data = json.loads(line[6:])
    return 200, kind, data


@pytest.mark.e2e
def test_raw_http_api_bodies(chat_url):
    """What a script (not gradio_client) may send: JSON escapes for lone surrogates and control
    characters, null, the wrong shape, not JSON at all."""
    rest = ", null, null, null, null"
    status, kind, data = call_api(chat_url, "ask", '{"data": ["\\ud800What did Japan send to \\u0000Ukraine?\\udfff"%s]}' % rest)
    assert (status, kind) == (200, "complete")
    assert data[0]["question"] == "What did Japan send to Ukraine?"
    check_answer(data[0])
    status, kind, data = call_api(chat_url, "ask", '{"data": ["\\u0000\\u200b "%s]}' % rest)
    assert (kind, data["error"]) == ("error", "the question is empty; type a question about the documents")
    status, kind, data = call_api(chat_url, "ask", '{"data": [null%s]}' % rest)
    assert (kind, data["error"]) == ("error", "the question must be text")
    for body in ('{"data": "What is AUKUS?"}', "What is AUKUS?", '{"data": ["What is AUKUS?"'):
        status, kind, data = call_api(chat_url, "ask", body)
        assert status == 422 and "Traceback" not in data
