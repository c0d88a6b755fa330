"""Real Chroma on disk, the real MiniLM model, real documents."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from chromadb.api.client import SharedSystemClient

from assistant.service import Assistant
from tests.conftest import CORPUS, ROOT, make_settings

pytestmark = pytest.mark.integration

ACSA = ("Japan and Germany signed an Acquisition and Cross-Servicing Agreement in 2024. "
        "It lets the two forces share food, fuel and ammunition during joint exercises.")
PATRIOT = ("Japan says it will send its own Patriot air defence missile systems to the US. "
           "The missiles will later be dispatched to Ukrainian forces.")
BUDGET = "Japan approved a record defence budget of 5.4 trillion yen for 2022, the largest ever."


@pytest.fixture
def small(tmp_path, embedder):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "acsa.txt").write_text("ACSA with Germany\n\n" + ACSA)
    (corpus / "patriot.md").write_text('---\ntitle: "Patriots for Ukraine"\ndate: "2023-12-22"\n---\n' + PATRIOT)
    (corpus / "budget.txt").write_text("Budget\n\n" + BUDGET)
    return corpus, Assistant(make_settings(tmp_path, corpus), embedder=embedder)


def _store_ids(a: Assistant) -> set[str]:
    """The stored passages' ids, checking that each has its sentence vectors and that no
    sentence outlives its passage."""
    ids = a.store.ids()
    owners = {m["chunk_id"] for m in a.store.sentences.get(include=["metadatas"])["metadatas"]}
    assert owners == ids
    return ids


def test_dense_search_ranks_a_passage_by_its_best_sentence(tmp_path):
    """A passage holding the one sentence that matches outranks a passage that is closer as a
    whole (the word-hash embedder makes both closenesses exact and known)."""
    from tests.fakes import WordHashEmbedder

    corpus = tmp_path / "docs"
    corpus.mkdir()
    buried = ("Patriot missiles for Ukraine leave Japan this winter. " + " ".join(
        f"The {w} harbour fleet trained with coastal radar crews in spring." for w in ("north", "south", "east", "west")))
    (corpus / "buried.txt").write_text(buried)
    (corpus / "near.txt").write_text("Ukraine asked Japan for help; Japan thanked Ukraine and Ukraine thanked Japan for missiles.")
    fake = WordHashEmbedder()
    a = Assistant(make_settings(tmp_path, corpus), embedder=fake)
    a.index()
    question = "Which Patriot missiles leave Japan for Ukraine?"
    q = fake.embed_query(question)
    docs = {d: a.document(d) for d in ("buried.txt", "near.txt")}
    whole = {d: float(fake.embed_passages([doc.text])[0] @ q) for d, doc in docs.items()}
    assert whole["near.txt"] > whole["buried.txt"]  # as whole passages, the other one is closer
    hits = a.retrieve(question, 2, mode="dense")
    assert [h.passage.doc_id for h in hits] == ["buried.txt", "near.txt"]
    best = float(fake.embed_passages(["Patriot missiles for Ukraine leave Japan this winter."])[0] @ q)
    assert hits[0].dense_score == pytest.approx(best, abs=1e-4)

    # With no sentence vectors to search, the passages' own vectors still rank (whole-passage order).
    a.store.sentences.delete(ids=a.store.sentences.get(include=[])["ids"])
    assert [h.passage.doc_id for h in a.retrieve(question, 2, mode="dense")] == ["near.txt", "buried.txt"]


def test_incremental_add_change_delete(small):
    corpus, a = small
    s1 = a.index()
    assert (s1.added, s1.updated, s1.removed, s1.unchanged) == (3, 0, 0, 0)
    assert _store_ids(a) == a.catalog.chunk_ids() and len(_store_ids(a)) == s1.chunks

    s2 = a.index()
    assert (s2.added, s2.updated, s2.removed, s2.unchanged) == (0, 0, 0, 3)

    (corpus / "budget.txt").write_text("Budget\n\nJapan approved a defence budget of 6.8 trillion yen for 2023.")
    (corpus / "acsa.txt").unlink()
    (corpus / "new.txt").write_text("New\n\nJapan and the Philippines signed a Reciprocal Access Agreement in July 2024.")
    s3 = a.index()
    assert (s3.added, s3.updated, s3.removed, s3.unchanged) == (1, 1, 1, 1)
    assert _store_ids(a) == a.catalog.chunk_ids()
    assert {d.doc_id for d in a.documents()} == {"budget.txt", "new.txt", "patriot.md"}
    answer = a.ask("How big is the defence budget for 2023?")
    assert "6.8 trillion yen" in answer.answer
    assert all("5.4" not in c.quote for c in answer.citations)


def test_unreadable_file_is_skipped_and_the_rest_indexed(small):
    corpus, a = small
    (corpus / "zero.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    (corpus / "copy.txt").write_text("Budget\n\n" + BUDGET)  # same bytes as budget.txt
    s = a.index()
    reasons = dict(s.skipped)
    assert set(reasons) == {"zero.txt", "binary.txt", "broken.pdf", "copy.txt"}
    assert "empty" in reasons["zero.txt"] and "binary" in reasons["binary.txt"]
    assert "same content" in reasons["copy.txt"]
    assert s.added == 3 and len(a.documents()) == 3


def test_answers_cite_verbatim_and_abstain_off_topic(small):
    _, a = small
    a.index()
    ans = a.ask("What will Japan send to the US for Ukraine?")
    assert not ans.abstained and "Patriot" in ans.answer
    for c in ans.citations:
        doc = a.document(c.doc_id)
        assert doc.text[c.start:c.end] == c.quote and c.quote in c.text
        assert doc.text[c.passage_start:c.passage_end] == c.text
    assert ans.citations[0].doc_id == "patriot.md" and ans.citations[0].date == "2023-12-22"

    off = a.ask("What is the capital of Brazil?")
    assert off.abstained and off.citations == [] and off.nearest


def test_a_document_removed_between_search_and_answer_is_left_out(small, monkeypatch):
    _, a = small
    a.index()
    document = a.catalog.document
    monkeypatch.setattr(a.catalog, "document", lambda d: None if d == "acsa.txt" else document(d))  # just deleted
    ans = a.ask("What does the ACSA with Germany let the forces share, and what will Japan send for Ukraine?")
    assert "acsa.txt" not in {c.doc_id for c in ans.citations}  # answered from what is left, no error


def test_filters_restrict_to_documents_and_dates(small):
    _, a = small
    a.index()
    from assistant.schema import Filters

    hits = a.retrieve("Japan", 10, Filters(doc_ids=("budget.txt",)))
    assert hits and {h.passage.doc_id for h in hits} == {"budget.txt"}
    dated = a.retrieve("Japan", 10, Filters(date_from="2023-01-01"))
    assert {h.passage.doc_id for h in dated} == {"patriot.md"}


def test_stale_settings_never_reuse_an_index(small, embedder, tmp_path):
    corpus, a = small
    a.index()
    other = Assistant(make_settings(tmp_path, corpus, chunk_chars=300, chunk_overlap_chars=50), embedder=embedder)
    assert not other.has_index()


NEW_FILES = 400


def test_sigkill_mid_index_keeps_the_old_index_and_next_run_completes(tmp_path, embedder):
    """Kill the indexer while it embeds; the previous index still answers, and a rerun ends with
    exactly one copy of every passage."""
    corpus = tmp_path / "docs"
    shutil.copytree(CORPUS, corpus)
    settings = make_settings(tmp_path, corpus)
    a = Assistant(settings, embedder=embedder)
    a.index()
    before = a.ask("What did Japan say it would send to the US to be passed on to Ukraine?")
    docs_before, chunks_before = a.counts()
    # Many new files (about 1,200 passages, several batches), so the run is still going when killed.
    for i in range(NEW_FILES):
        (corpus / f"extra{i}.txt").write_text(f"Extra {i}\n\n" + f"Report {i} on naval exercise number {i}. " * 40)
    env = {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin",
           "ASSISTANT_MODEL_CACHE_DIR": os.environ["ASSISTANT_MODEL_CACHE_DIR"]}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "index"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    import time

    deadline = time.time() + 120
    while time.time() < deadline:  # wait until some of the new passages are committed
        docs_now, _ = Assistant(settings, embedder=embedder).counts()
        if docs_now > docs_before:
            break
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    SharedSystemClient.clear_system_cache()  # read the store from disk, as a new process would
    mid = Assistant(settings, embedder=embedder)
    again = mid.ask("What did Japan say it would send to the US to be passed on to Ukraine?")
    assert again.answer == before.answer
    assert mid.counts()[0] < docs_before + NEW_FILES, "the run was killed before it finished"

    s = mid.index()
    assert s.skipped == []
    docs, chunks = mid.counts()
    assert docs == docs_before + NEW_FILES
    assert mid.store.ids() == mid.catalog.chunk_ids() and mid.store.count() == chunks


def test_cli_ask_json_on_the_bundled_corpus(tmp_path):
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--json",
         "What did Japan say it would send to the US to be passed on to Ukraine?"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert set(obj) >= {"question", "answer", "abstained", "citations", "timings_ms"}
    assert "Patriot" in obj["answer"] and obj["abstained"] is False
    c = obj["citations"][0]
    assert set(c) >= {"n", "doc_id", "title", "publisher", "date", "text", "start", "end", "score"}
    assert c["doc_id"].startswith("magnani") and c["quote"] in c["text"]


def test_an_update_analyses_only_the_changed_documents_passages(small, monkeypatch):
    """BM25 is rebuilt after every change, but each unchanged passage's terms come from the
    analysis saved with the last build."""
    from assistant import lexical

    corpus, a = small
    a.index()
    analysed = []
    real = lexical.analyse
    monkeypatch.setattr(lexical, "analyse", lambda text: analysed.append(text) or real(text))
    (corpus / "acsa.txt").write_text("ACSA with Germany\n\n" + ACSA + " It was signed in Tokyo.")
    assert a.index().updated == 1
    assert analysed and all("ACSA" in t for t in analysed)  # only the changed file's passages
    assert a.ask("Where was the ACSA with Germany signed?").citations[0].doc_id == "acsa.txt"


def test_each_source_a_question_names_is_searched_even_beyond_the_top_k(tmp_path, embedder):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    for name, publisher, text in (
        ("gazette.md", "Harbour Gazette", "Japan wants to shed the limits of its pacifist constitution through new partnerships."),
        ("times.md", "Coastal Times", "Tokyo seeks partners abroad to escape the restrictions of the pacifist constitution."),
        ("other.md", "Inland Post", "Japan's pacifist constitution limits what its partnerships can do abroad, partners say."),
    ):
        (corpus / name).write_text(f'---\ntitle: "Report"\npublisher: "{publisher}"\n---\n{text}\n')
    a = Assistant(make_settings(tmp_path, corpus, top_k=1), embedder=embedder)  # one passage: one source
    a.index()
    answer = a.ask("What do the Harbour Gazette and the Coastal Times say Japan wants to escape?")
    assert {c.doc_id for c in answer.citations} == {"gazette.md", "times.md"}
    assert answer.answer.startswith("What each source says [1] [2]:")


def test_a_date_asked_of_two_named_sources_is_answered_by_each_though_neither_names_all_it_asks(tmp_path, embedder):
    corpus = tmp_path / "docs"
    corpus.mkdir()
    docs = [("gazette.md", "Harbour Gazette", "Japan and French ministers met in Tokyo on March 13, 2015."),
            ("times.md", "Coastal Times", "In 2021 Japan held its first talks with German ministers."),
            ("post.md", "Inland Post", "Italian envoys visited the port and spoke of trade."),
            *((f"filler{i}.md", f"Bulletin {i}", f"Fishing boats number {i} sailed from the harbour at dawn.") for i in range(4))]
    for name, publisher, text in docs:
        (corpus / name).write_text(f'---\ntitle: "Report"\npublisher: "{publisher}"\n---\n{text}\n')
    a = Assistant(make_settings(tmp_path, corpus), embedder=embedder)
    a.index()
    answer = a.ask("When did Japan meet French, German and Italian ministers, according to the Harbour Gazette "
                   "and the Coastal Times?")
    assert not answer.abstained  # no one sentence names French, German and Italian ministers
    assert [c.doc_id for c in answer.citations] == ["gazette.md", "times.md"]


def test_a_document_another_process_indexes_is_found_by_dense_search_without_a_restart(small, model_cache):
    corpus, a = small
    a.index()
    question = "Which frigate did the Netherlands send to Japan for the harbour visit?"
    assert a.retrieve(question, 3, mode="dense")  # the chat process has its store open
    (corpus / "frigate.txt").write_text("Harbour visit\n\nThe Netherlands sent the frigate Tromp to Japan for a "
                                        "harbour visit in Yokosuka.")
    env = {**os.environ, "ASSISTANT_MODEL_CACHE_DIR": str(model_cache)}
    out = subprocess.run([sys.executable, "-m", "assistant", "index", "--corpus", str(corpus),
                          "--data", str(a.settings.data_dir)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    hits = a.retrieve(question, 3, mode="dense")
    assert hits and hits[0].passage.doc_id == "frigate.txt"
    # This process's next write goes through the reopened store, so it keeps the other one's.
    (corpus / "tanker.txt").write_text("Tanker\n\nAn Italian tanker refuelled Japanese jets over the Pacific.")
    assert a.index().added == 1
    SharedSystemClient.clear_system_cache()  # read the store from disk, as a new process would
    fresh = Assistant(a.settings, embedder=a.embedder)
    assert fresh.store.ids() == fresh.catalog.chunk_ids()
    assert fresh.retrieve(question, 1, mode="dense")[0].passage.doc_id == "frigate.txt"
    assert fresh.retrieve("Who refuelled Japanese jets?", 1, mode="dense")[0].passage.doc_id == "tanker.txt"


def test_the_news_agency_of_a_photo_caption_is_its_paragraph_s_closing_credit(corpus_assistant):
    a = corpus_assistant.ask("Which news agency took the photo of Abe meeting Le Drian and Fabius in Tokyo?")
    assert not a.abstained and "(Kyodo)" in [c.quote for c in a.citations]
    plain = corpus_assistant.ask("When did Abe meet Le Drian and Fabius in Tokyo?")
    assert "(Kyodo)" not in [c.quote for c in plain.citations]


def test_a_question_about_the_report_a_source_relies_on_reads_its_reference_line(corpus_assistant):
    a = corpus_assistant.ask("Which Yonhap report does the ANKASAM analysis rely on for the trilateral framework, "
                             "and on what date was it read?")
    assert not a.abstained and "29.07.2024" in a.answer and "Yonhap" in a.answer
