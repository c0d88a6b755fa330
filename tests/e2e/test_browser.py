"""The chat in a real headless Chromium: ask, click a citation, see the highlighted passage;
the "not in the documents" state; a hostile document shown as text with nothing executed."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.conftest import ARTIFACTS
from tests.e2e.conftest import HOSTILE_QUESTION, PAYLOAD

pytestmark = pytest.mark.e2e

PATRIOT = "What did Japan say it would send to the US to be passed on to Ukraine?"
TIMEOUT_MS = 30_000


def ask(page, question: str) -> None:
    """Ask in the page and wait for the new turn's answer to finish (not the previous turn's)."""
    before = page.locator("#transcript .turn").count()
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(f"document.querySelectorAll('#transcript .turn').length > {before}", timeout=TIMEOUT_MS)
    page.wait_for_selector("#transcript .turn:last-child .bot:not(.pending):not(.streaming)", timeout=TIMEOUT_MS)


def open_app(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=TIMEOUT_MS)
    page.wait_for_selector("#transcript .welcome table.overview", timeout=TIMEOUT_MS)


def assert_only_loopback(page, url: str) -> None:
    hosts = {urlparse(u).netloc for u in page.requests if u.startswith("http")}
    assert hosts == {urlparse(url).netloc}, hosts


def test_click_a_citation_to_see_the_highlighted_passage(page, chat_url, client):
    expected = client.predict(PATRIOT, api_name="/ask")
    open_app(page, chat_url)
    ask(page, PATRIOT)
    answer = page.locator("#transcript .bot.answer")
    assert "Patriot" in answer.inner_text()
    markers = answer.locator("a.cite")  # the answer's own markers, then those of the related passages
    assert markers.count() == len(expected["citations"]) + len(expected["related"])
    assert answer.locator("ul.related a.cite").count() == len(expected["related"])
    last = expected["citations"][-1]
    card = page.locator(f"#src-0-{last['n']}")
    assert not card.locator("mark").is_visible()  # closed until its marker is clicked
    answer.locator(f"a.cite[data-n='{last['n']}']").click()
    mark = card.locator("mark")
    mark.wait_for(state="visible", timeout=5000)
    assert mark.inner_text().split() == last["quote"].split()
    assert card.get_attribute("open") is not None
    meta = card.locator(".meta").inner_text()
    assert last["title"] in card.locator("summary").inner_text() and "Author: Enrico Magnani" in meta
    ref = card.locator("textarea.quote-ref").input_value()
    assert ref.startswith(f"“{last['quote'].strip()}” — ") and f"“{last['title']}”" in ref
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"))
    card.locator("button.open-doc").click()
    doc_mark = page.locator("#docview mark")
    doc_mark.wait_for(state="visible", timeout=10_000)
    assert doc_mark.inner_text().split() == last["quote"].split()
    assert_only_loopback(page, chat_url)
    assert not page.js_errors


def test_not_in_the_documents_is_its_own_state(page, chat_url):
    open_app(page, chat_url)
    page.get_by_role("button", name="What is the capital of Brazil?").click()
    banner = page.locator("#transcript .bot.abstained .banner")
    banner.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert "Not in the documents" in banner.inner_text()
    nearest = page.locator("#transcript .nearest a.cite")
    assert nearest.count() >= 1
    assert "Nearest passages (not an answer)" in page.locator("#sources").inner_text()
    nearest.first.click()
    page.locator("#src-0-1 mark").wait_for(state="visible", timeout=5000)
    assert not page.js_errors


def test_a_bad_date_gets_a_clear_message(page, chat_url):
    open_app(page, chat_url)
    page.click("#filters button, #filters .label-wrap")
    page.fill("#date-from textarea, #date-from input", "2024-13-01")
    ask(page, "When did Germany sign the ACSA with Japan?")
    error = page.locator("#transcript .bot.error")
    assert "From date “2024-13-01” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD" in error.inner_text()


def test_hostile_document_shows_as_text_and_runs_nothing(page, hostile_url):
    open_app(page, hostile_url)
    ask(page, HOSTILE_QUESTION)
    answer = page.locator("#transcript .bot.answer")
    hostile = [f"<script>{PAYLOAD}</script>", f'<img src=x onerror="{PAYLOAD}">', f"[click here](javascript:{PAYLOAD})",
               "**The Zanzibar lighthouse keeper**"]
    assert any(h in answer.inner_text() for h in hostile)  # the quoted sentence, as text
    for n in range(1, answer.locator("a.cite").count() + 1):  # open every cited and related passage
        answer.locator(f"a.cite[data-n='{n}']").click()
        page.locator(f"#src-0-{n} mark").wait_for(state="visible", timeout=5000)
    passages = page.locator("#sources").inner_text()
    assert all(h in passages for h in hostile), passages
    page.locator("#src-0-1 button.open-doc").click()
    page.locator("#docview mark").wait_for(state="visible", timeout=10_000)
    shown = page.locator("#sources").inner_text()
    assert f'<img src=x onerror="{PAYLOAD}"> The Zanzibar <b>lighthouse</b> logbook' in shown
    assert f"<script>{PAYLOAD}</script>" in page.locator("#docview").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile.png"), full_page=True)
    page.get_by_role("tab", name="Documents").click()
    page.locator("#overview table").wait_for(state="visible", timeout=5000)
    page.wait_for_timeout(300)  # let any injected handler fire, were there one
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert not page.dialogs and not page.js_errors
    for area in ("#transcript", "#sources", "#docview", "#overview"):
        assert page.locator(f"{area} script, {area} img, {area} iframe, {area} b").count() == 0, area
        assert page.locator(f"{area} a[href^='javascript']").count() == 0, area
    title = f'<img src=x onerror="{PAYLOAD}"> The Zanzibar <b>lighthouse</b> logbook'
    assert title in page.locator("#overview").inner_text()
    assert_only_loopback(page, hostile_url)
