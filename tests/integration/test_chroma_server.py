"""Chroma client/server mode: a real `chroma run` on loopback gives the same answers as the embedded store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from assistant.schema import Filters
from assistant.service import Assistant
from tests.conftest import CORPUS, make_settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUESTIONS = [
    "What did Japan say it would send to the US to be passed on to Ukraine?",
    "When did Germany sign the ACSA with Japan?",
    "What is the capital of Brazil?",
    "Which countries signed a Reciprocal Access Agreement with Japan?",
]
START_TIMEOUT_S = 30


def _chroma_exe() -> str | None:
    here = Path(sys.executable).parent / "chroma"
    return str(here) if here.exists() else shutil.which("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A `chroma run` subprocess on 127.0.0.1 and a free port; stopped after the module."""
    exe = _chroma_exe()
    if exe is None:
        pytest.skip("the `chroma` command (shipped with chromadb) is not installed")
    tmp = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen([exe, "run", "--path", str(tmp / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}: {(tmp / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"chroma run did not answer its heartbeat within {START_TIMEOUT_S} s")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


class _Memo:
    """The real embedder, remembering every vector: the second store gets exactly the same
    vectors without encoding the corpus twice (and the comparison is of the stores alone)."""

    def __init__(self, inner):
        self.inner = inner
        self.dim = inner.dim
        self.memo: dict[str, np.ndarray] = {}
        self.with_parts: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}  # (text, spans) -> vectors

    def embed_passages(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if todo:
            self.memo.update(zip(todo, self.inner.embed_passages(todo)))
        return np.stack([self.memo[t] for t in texts]) if texts else self.inner.embed_passages([])

    embed_many = embed_passages

    def embed_passages_with_parts(self, texts, parts):
        key = [(t, tuple(p)) for t, p in zip(texts, parts)]
        todo = [k for k in dict.fromkeys(key) if k not in self.with_parts]
        if todo:
            vecs, sents = self.inner.embed_passages_with_parts([t for t, _ in todo], [list(p) for _, p in todo])
            self.with_parts.update(zip(todo, zip(vecs, sents)))
        return np.stack([self.with_parts[k][0] for k in key]), [self.with_parts[k][1] for k in key]

    def embed_query(self, text):
        return self.embed_passages([text])[0]


@pytest.fixture(scope="module")
def pair(tmp_path_factory, chroma_server, embedder):
    """(embedded, server) assistants over the bundled corpus, indexed with the same vectors."""
    memo = _Memo(embedder)
    local = Assistant(make_settings(tmp_path_factory.mktemp("embedded"), CORPUS), embedder=memo)
    remote = Assistant(make_settings(tmp_path_factory.mktemp("http"), CORPUS, chroma_mode="http",
                                     chroma_host="127.0.0.1", chroma_port=chroma_server), embedder=memo)
    local.index()
    summary = remote.index()
    assert summary.chunks == local.counts()[1] > 0
    return local, remote


def test_server_holds_every_passage(pair):
    local, remote = pair
    assert remote.store.count() == local.store.count()
    assert remote.store.ids() == remote.catalog.chunk_ids() == local.catalog.chunk_ids()


def test_same_answers_and_citations(pair):
    local, remote = pair
    for q in QUESTIONS:
        a, b = local.ask(q), remote.ask(q)
        assert (b.answer, b.abstained) == (a.answer, a.abstained), q
        assert [(c.doc_id, c.start, c.end) for c in b.citations] == [(c.doc_id, c.start, c.end) for c in a.citations], q
        assert [(c.doc_id, c.start, c.end) for c in b.nearest] == [(c.doc_id, c.start, c.end) for c in a.nearest], q


def test_dense_search_with_a_document_filter(pair):
    local, remote = pair
    doc = local.documents()[0].doc_id
    only = Filters(doc_ids=(doc,))
    for a in (local, remote):
        hits = a.retrieve("Japan defence cooperation", 5, only, mode="dense")
        assert hits and {h.passage.doc_id for h in hits} == {doc}
    assert [h.passage.chunk_id for h in local.retrieve("Japan defence cooperation", 5, only, mode="dense")] == \
        [h.passage.chunk_id for h in remote.retrieve("Japan defence cooperation", 5, only, mode="dense")]


def test_a_server_that_went_away_is_a_one_line_error(tmp_path):
    from assistant.errors import StoreError
    from assistant.store import VectorStore

    s = make_settings(tmp_path, CORPUS, chroma_mode="http", chroma_host="127.0.0.1", chroma_port=_free_port())
    with pytest.raises(StoreError, match="chroma run"):
        VectorStore(s)
