"""BM25 index: saved analyses are reused by chunk id, and only what is new is analysed."""

import json

from assistant import lexical
from assistant.lexical import LexicalIndex, analyse


def test_rebuild_reuses_saved_analyses_and_analyses_only_new_passages(tmp_path, monkeypatch):
    first = LexicalIndex.build([("a", "Frigates patrol the harbour."), ("b", "Submarines dive deep.")])
    first.save(tmp_path / "bm25", generation=1)
    known = LexicalIndex.load_analysed(tmp_path / "bm25")
    assert known == {"a": analyse("Frigates patrol the harbour."), "b": analyse("Submarines dive deep.")}

    analysed = []
    monkeypatch.setattr(lexical, "analyse", lambda text: analysed.append(text) or analyse(text))
    second = LexicalIndex.build([("a", "Frigates patrol the harbour."), ("c", "Destroyers escort tankers.")], known)
    assert analysed == ["Destroyers escort tankers."]  # "a" came from the saved analysis
    assert [cid for cid, _ in second.search("destroyer escort", 2)] == ["c"]
    assert second.search("frigate", 2)[0][0] == "a" and not second.search("submarine", 2)
    assert second.doc_freq["frigat"] == 1 and "harbour" in second.vocabulary


def test_an_analysis_saved_by_another_version_is_ignored(tmp_path):
    (tmp_path / "bm25").mkdir()
    (tmp_path / "bm25" / "analysed.json").write_text(json.dumps({"version": -1, "passages": {"a": "x\ty"}}))
    assert LexicalIndex.load_analysed(tmp_path / "bm25") == {}
    assert LexicalIndex.load_analysed(tmp_path / "missing") == {}


def test_an_index_saved_by_another_analysis_is_not_loaded(tmp_path, monkeypatch):
    index = LexicalIndex.build([("a", "The programme grows."), ("b", "Submarines dive deep.")])
    index.save(tmp_path / "bm25", generation=3)
    assert LexicalIndex.load(tmp_path / "bm25", generation=3).search("program", 1)[0][0] == "a"
    monkeypatch.setattr(lexical, "ANALYSIS_VERSION", lexical.ANALYSIS_VERSION + 1)  # `terms` changed since
    assert LexicalIndex.load(tmp_path / "bm25", generation=3) is None


def test_the_vocabulary_counts_how_often_each_word_is_written_with_a_capital(tmp_path):
    index = LexicalIndex.build([("a", "Beijing objected. Being late, Tokyo waited."), ("b", "Beijing is being firm.")])
    assert index.vocabulary["beijing"] == 2 and index.capitalised["beijing"] == 2
    assert index.vocabulary["being"] == 2 and index.capitalised["being"] == 1
    index.save(tmp_path / "bm25", generation=1)
    assert LexicalIndex.load(tmp_path / "bm25", generation=1).capitalised == index.capitalised


def test_a_hyphenated_question_word_the_corpus_lacks_stands_for_its_parts():
    index = LexicalIndex.build([("a", "They signed the Agreement on the Security of Information."),
                                ("b", "Self-defense forces train."), ("c", "Security forces train.")])
    assert index.query_terms("the security-of-information accord") == ["secur", "inform", "accord"]
    assert index.query_terms("self-defense") == ["self-defens"]  # the corpus writes it so: kept whole
    assert index.search("security-of-information", 1)[0][0] == "a"
