"""Fixtures for the robustness suite: writable copies of the bundled index (no re-embedding), the
end-to-end server fixtures of tests/e2e, and a headless browser on a thread of its own."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import make_settings
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, chat_url, client, free_port, running  # noqa: F401

# Questions on the bundled corpus whose answers other tests compare before and after a change.
QUESTIONS = [
    "What did Japan say it would send to the US to be passed on to Ukraine?",
    "When did Germany sign the ACSA with Japan?",
    "Which countries make up the Quadrilateral Security Dialogue (QUAD)?",
    "Why is the stability of Sri Lanka important to Japan?",
    "What is the capital of Brazil?",
]


def clone_index(src, tmp: Path, embedder=None, **overrides):
    """A new Assistant over a copy of src's corpus and index, in tmp.

    Copies the catalog (SQLite backup) and the vectors (read from Chroma, written to a new
    store) and keeps the files' mtimes, so the clone's next `index()` embeds only what a test
    adds: cloning the bundled corpus takes about a second instead of half a minute of encoding.
    """
    from assistant.service import Assistant

    corpus = tmp / "corpus"
    shutil.copytree(src.settings.corpus_dir, corpus, copy_function=shutil.copy2)
    settings = make_settings(tmp, corpus=corpus, **overrides)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src.catalog.path) as s, sqlite3.connect(settings.index_dir / "catalog.sqlite3") as d:
        s.backup(d)
    dst = Assistant(settings, embedder=embedder or src.embedder)
    got = src.store.collection.get(include=["embeddings", "documents", "metadatas"])
    metas = [{k: m[k] for k in ("doc_id", "start", "end")} for m in got["metadatas"]]
    sents = src.store.sentences.get(include=["embeddings", "metadatas"])
    by_chunk: dict[str, list] = {}
    for v, m in zip(sents["embeddings"], sents["metadatas"]):
        by_chunk.setdefault(m["chunk_id"], []).append(v)
    rows = [np.asarray(by_chunk.get(i, []), dtype=np.float32).reshape(-1, 384) for i in got["ids"]]
    dst.store.add(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), got["documents"], metas, rows)
    assert dst.store.ids() == dst.catalog.chunk_ids()
    return dst


@pytest.fixture
def bundled_copy(corpus_assistant, tmp_path):
    """A writable Assistant over a copy of the bundled corpus and its real index."""
    return clone_index(corpus_assistant, tmp_path)


def in_browser(check: Callable, profile: Path, timeout_s: float = 300) -> None:
    """Run check(page) in a headless Chromium of its own, on a thread of its own.

    Playwright's sync API refuses to start on a thread where another instance runs, and the
    session browser of tests/e2e may be running on this one. The page records its requests,
    JavaScript errors and dialogs like the e2e `page` fixture; an assertion failing inside
    `check` fails the test with its own traceback.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no browser at {CHROMIUM}: run `apt-get install -y chromium`")
    failures: list[BaseException] = []

    def work() -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                context = pw.chromium.launch_persistent_context(
                    str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                    viewport={"width": 1400, "height": 1000})
                try:
                    page = context.new_page()
                    page.requests, page.js_errors, page.dialogs = [], [], []
                    page.on("request", lambda r: page.requests.append(r.url))
                    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
                    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
                    check(page)
                finally:
                    context.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread below
            failures.append(exc)

    thread = threading.Thread(target=work, name="browser-check")
    thread.start()
    thread.join(timeout_s)
    assert not thread.is_alive(), f"the browser check did not finish in {timeout_s:.0f} s"
    if failures:
        raise failures[0]
