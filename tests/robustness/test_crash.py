"""Crash safety while documents are removed and replaced: the indexer killed with SIGKILL at each
write of that phase leaves an index that answers, and the next run ends exactly where a clean
build of the same files ends (same chunk ids, no duplicate, none missing).

tests/integration/test_index_and_ask.py::test_sigkill_mid_index_keeps_the_old_index_and_next_run_completes
kills a run that only adds files (real model, at a random moment). Here the kill lands at chosen
writes of a run that deletes, changes and adds; the word-hash embedder keeps each run to seconds
(the order of writes, not the vectors, is under test).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest
from chromadb.api.client import SharedSystemClient

from assistant.index import chunk_id, passages_of
from assistant.service import Assistant
from tests.conftest import CORPUS, ROOT, make_settings
from tests.fakes import WordHashEmbedder
from tests.robustness.conftest import QUESTIONS

pytestmark = pytest.mark.integration

GONE = "japan-expands-global-defense-cooperation-2015.md"
CHANGED = "china-military-online-japan-germany-acsa.md"
UNTOUCHED_QUESTION = QUESTIONS[0]  # answered from magnani-indo-pacific-mega-basin.md, which no run touches


def extra(i: int, what: str) -> str:
    return f"Extra report {i}\n\n" + f"The harbour office of town {i} recorded {what} in the spring survey. " * 30


def make_corpus(folder):
    shutil.copytree(CORPUS, folder)
    for i in range(3):
        (folder / f"extra{i}.txt").write_text(extra(i, "eleven ships"))


def change_corpus(folder):
    """One run's worth of work: two files deleted, two changed, one turned unreadable, one added."""
    (folder / GONE).unlink()
    (folder / "extra0.txt").unlink()
    (folder / CHANGED).write_text((folder / CHANGED).read_text() + "\n\nA sentence added in the last edit.\n")
    (folder / "extra1.txt").write_text(extra(1, "twelve ships and a ferry"))
    (folder / "extra2.txt").write_bytes(b"\x00\x01binary now" * 100)
    (folder / "extra3.txt").write_text(extra(3, "a lighthouse"))


def assert_whole(a: Assistant) -> None:
    """Every document in the catalog is one whole version: its passages are exactly the ones that
    version chunks into, each with its vector in the store."""
    store_ids = a.store.ids()
    per_doc = a.passage_counts()
    for d in a.documents():
        doc = a.document(d.doc_id)
        expected = {p.chunk_id for p in passages_of(doc, a.settings)}
        assert a.catalog.chunk_ids(d.doc_id) == expected, d.doc_id
        assert per_doc[d.doc_id] == len(expected)
        assert expected <= store_ids, f"{d.doc_id}: passages without vectors"


# (target, n-th call, before|after, version of CHANGED left in the catalog, vectors the catalog no
# longer lists left in the store): the writes of the removal and update phase, in the order
# Indexer.update makes them for change_corpus().
KILL_POINTS = [
    ("catalog.remove", 1, "after", "old", True),  # deleted files left the catalog; their vectors are still stored
    ("store.delete", 1, "after", "old", False),  # deleted files fully removed; nothing else done yet
    ("catalog.remove", 2, "after", "old", True),  # the file that turned binary left the catalog, not the store
    ("store.add", 1, "after", "old", True),  # the changed file's new vectors stored; the catalog has the old version
    ("catalog.put", 1, "after", "new", True),  # the catalog switched to the new version; stale vectors not yet deleted
]


@pytest.mark.parametrize("target, n, when, version, orphans", KILL_POINTS,
                         ids=[f"{t}#{n}-{w}" for t, n, w, _, _ in KILL_POINTS])
def test_sigkill_while_removing_and_updating(tmp_path, target, n, when, version, orphans):
    fake = WordHashEmbedder()
    corpus = tmp_path / "docs"
    make_corpus(corpus)
    settings = make_settings(tmp_path, corpus)
    a = Assistant(settings, embedder=fake)
    a.index()
    before = a.ask(UNTOUCHED_QUESTION)
    old_docs = {d.doc_id: d.sha256 for d in a.documents()}
    a.catalog.close()
    # The killed run is another process; this one must then read the store from disk as a new
    # process would, not through the Chroma client it cached for the path (Chroma does not
    # share one store's in-memory state between processes).
    SharedSystemClient.clear_system_cache()

    change_corpus(corpus)
    env = {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_DATA_DIR": str(settings.data_dir),
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.run([sys.executable, "-m", "tests.robustness.kill_at", target, str(n), when], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]

    # The kill landed where intended ...
    mid = Assistant(settings, embedder=fake)
    assert GONE not in {d.doc_id for d in mid.documents()}
    assert (mid.document(CHANGED).sha256 == old_docs[CHANGED]) == (version == "old")
    assert bool(mid.store.ids() - mid.catalog.chunk_ids()) == orphans
    # ... and the index it left behind answers, from whole documents only.
    assert_whole(mid)
    assert mid.catalog.chunk_ids() <= mid.store.ids()
    assert set(old_docs) - {GONE, "extra0.txt", "extra2.txt"} <= {d.doc_id for d in mid.documents()}
    again = mid.ask(UNTOUCHED_QUESTION)
    assert again.answer == before.answer and not again.abstained
    for q in QUESTIONS:
        for c in mid.ask(q).citations:
            assert mid.document(c.doc_id).text[c.start:c.end] == c.quote

    # The next run finishes the job: exactly what a clean build of the same files holds.
    s = mid.index()
    assert [p for p, _ in s.skipped] == ["extra2.txt"]
    clean = Assistant(make_settings(tmp_path / "clean", corpus), embedder=fake)
    clean.index()
    assert mid.catalog.chunk_ids() == clean.catalog.chunk_ids() == mid.store.ids()
    assert mid.store.count() == len(mid.store.ids()) == mid.counts()[1] == clean.counts()[1]
    assert {d.doc_id: d.sha256 for d in mid.documents()} == {d.doc_id: d.sha256 for d in clean.documents()}
    assert_whole(mid)
    for q in QUESTIONS:
        assert mid.ask(q).answer == clean.ask(q).answer, q


def test_chunk_ids_name_content_so_a_rerun_adds_nothing_twice():
    """Why the rerun cannot duplicate: a passage's id hashes its document version and span."""
    from assistant.schema import Document

    doc = Document("d.md", "d.md", "T", "One sentence here. Another one there.", "sha-1")
    assert chunk_id(doc, 0, 0, 18) == chunk_id(doc, 0, 0, 18)
    assert chunk_id(doc, 0, 0, 18) != chunk_id(Document(**{**doc.__dict__, "sha256": "sha-2"}), 0, 0, 18)
