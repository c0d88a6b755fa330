"""Running chat servers for end-to-end tests: the real app on free loopback ports, in this process.

Two servers: one over the bundled corpus (the shared session index, never written to by these
tests), one over a small corpus of its own with a hostile document, which upload tests may grow.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import CORPUS, make_settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
PAYLOAD = "window.__pwned=1"
HOSTILE_DOC = f"""---
title: '<img src=x onerror="{PAYLOAD}"> The Zanzibar <b>lighthouse</b> logbook'
publisher: '<script>{PAYLOAD}</script>'
author: '[Ann](javascript:{PAYLOAD})'
date: "2021-06-01"
---

# The Zanzibar lighthouse logbook

The Zanzibar lighthouse keeper wrote <script>{PAYLOAD}</script> in the logbook on the first night of the storm.

The Zanzibar lighthouse keeper drew <img src=x onerror="{PAYLOAD}"> beside the logbook entry about the storm.

The Zanzibar lighthouse keeper left a note in the logbook reading [click here](javascript:{PAYLOAD}) after the storm.

**The Zanzibar lighthouse keeper** underlined <a href="javascript:{PAYLOAD}">this link</a> in the logbook, then <iframe src="javascript:{PAYLOAD}"></iframe> twice.

The harbour master of Zanzibar counted eleven ships sheltering from the storm in the bay.
"""
HOSTILE_QUESTION = "What did the Zanzibar lighthouse keeper write in the logbook?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(assistant, **overrides) -> Iterator[str]:
    """The real app (`assistant.app.launch`) over `assistant` on a free port; yields its URL."""
    from assistant.app import launch

    settings = assistant.settings.model_copy(update={"port": free_port(), **overrides})
    demo, url = launch(assistant, settings)
    try:
        yield url
    finally:
        demo.close()


@pytest.fixture(scope="session")
def chat_url(corpus_assistant) -> Iterator[str]:
    corpus_assistant.warm_up()
    with running(corpus_assistant) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_assistant(tmp_path_factory, embedder):
    """Its own corpus: the hostile document and one bundled article; uploads limited to 50 KB."""
    from assistant.service import Assistant

    tmp = tmp_path_factory.mktemp("hostile")
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "lighthouse-log.md").write_text(HOSTILE_DOC, encoding="utf-8")
    shutil.copy2(CORPUS / "china-military-online-japan-germany-acsa.md", corpus)
    a = Assistant(make_settings(tmp, corpus=corpus, max_upload_mb=0.05), embedder=embedder)
    a.index()
    return a


@pytest.fixture(scope="session")
def hostile_url(hostile_assistant) -> Iterator[str]:
    with running(hostile_assistant) as url:
        yield url


@pytest.fixture(scope="session")
def client(chat_url):
    from gradio_client import Client

    return Client(chat_url, verbose=False)


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's Chromium driven by Playwright, headless, with a fresh profile."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no browser at {CHROMIUM}: run `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    context = pw.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1000},
    )
    try:
        yield context
    finally:
        context.close()
        pw.stop()


@pytest.fixture
def page(browser):
    """A new tab that records every request it makes and fails the test on a JavaScript error."""
    p = browser.new_page()
    p.requests, p.js_errors, p.dialogs = [], [], []
    p.on("request", lambda r: p.requests.append(r.url))
    p.on("pageerror", lambda e: p.js_errors.append(str(e)))
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    yield p
    p.close()


os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
