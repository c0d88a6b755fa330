"""Every metric on small hand-computed cases, edge cases included."""

import math

import pytest

from assistant.evaluation import metrics as m


def test_holds_ignores_whitespace_runs_but_not_case():
    assert m.holds("Japan  and\nFrance signed", "Japan and France")
    assert m.holds("a\xa0b", "a b")
    assert not m.holds("japan and france", "Japan and France")
    assert not m.holds("anything", "   ")  # an empty needle is never "found"


def test_evidence_rank_and_ranks():
    passages = ["nothing here", "the cat sat", "a dog ran; the cat sat"]
    assert m.evidence_rank(passages, ["cat sat"]) == 2
    assert m.evidence_rank(passages, ["dog ran", "cat sat"]) == 2
    assert m.evidence_rank(passages, ["bird"]) is None
    assert m.evidence_rank([], ["cat"]) is None
    assert m.evidence_ranks(passages, ["dog ran", "cat sat", "bird"]) == [3, 2, None]


def test_recall_and_mrr():
    ranks = [1, 3, None, 2]
    assert m.recall_at(ranks, 1) == 0.25
    assert m.recall_at(ranks, 2) == 0.5
    assert m.recall_at(ranks, 5) == 0.75
    assert m.mrr(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)
    assert m.mrr(ranks, k=2) == pytest.approx((1 + 0 + 0 + 1 / 2) / 4)  # rank 3 is outside the top 2
    assert m.recall_at([], 5) is None and m.mrr([]) is None


def test_contains_all_is_case_insensitive_and_needs_every_string():
    answer = "Japan signed with the United States [1] and\nAustralia [2]."
    assert m.contains_all(answer, ["united states", "AUSTRALIA"])
    assert not m.contains_all(answer, ["United States", "India"])
    assert m.contains_all("", [])  # nothing asked: vacuously true (questions without answers are not scored)
    assert not m.contains_all("", ["x"])


def test_strip_markers():
    assert m.strip_markers("Short answer: 2015 [1]\nIt was 2015 [1] [2].") == "Short answer: 2015 It was 2015 ."


def test_squad_normalisation_exact_match_and_f1():
    assert m.normalize_answer("The  Patriot, missiles!") == "patriot missiles"
    assert m.exact_match("the Patriot", "Patriot") == 1.0
    assert m.exact_match("Patriot missile", "Patriot") == 0.0
    # pred: [patriot, air, defence, missiles]; gold: [patriot, missiles] -> p = 2/4, r = 2/2, F1 = 2/3
    assert m.token_f1("Patriot air defence missiles", "the Patriot missiles") == pytest.approx(2 / 3)
    assert m.token_f1("", "") == 1.0  # SQuAD: both empty is a match (v2.0 no-answer)
    assert m.token_f1("", "Patriot") == 0.0  # an empty answer scores nothing
    assert m.token_f1("a an the", "Patriot") == 0.0  # only articles normalise to empty
    assert m.token_f1("dog", "cat") == 0.0
    # repeated tokens count once per gold occurrence: pred [x, x, y], gold [x, y] -> common 2, p = 2/3, r = 1
    assert m.token_f1("x x y", "x y") == pytest.approx(0.8)


def test_best_score_over_gold_answers():
    assert m.best_score("October 1973", ["1973", "October 1973"], m.exact_match) == 1.0
    assert m.best_score("anything", [], m.token_f1) == 0.0


def _cite(text, quote, ps=100, start=None):
    start = ps + text.index(quote) if start is None else start
    return {"text": text, "quote": quote, "passage_start": ps, "passage_end": ps + len(text),
            "start": start, "end": start + len(quote), "doc_id": "d"}


def test_citation_supported_by_passage_or_by_quote_inside_evidence():
    text = "Japan signed a deal. It covers transfers. Other things happened."
    c = _cite(text, "It covers transfers.")
    assert m.citation_supported(c, ["signed a deal"])  # the passage holds the evidence
    # evidence that runs past the passage end: the quoted sentence lies inside it
    assert m.citation_supported(c, ["It covers transfers. And the evidence continues in the next passage."])
    assert not m.citation_supported(c, ["Germany"])
    assert not m.citation_supported(c, [])  # no evidence (unanswerable): never supported


def test_quote_verified_checks_offsets_and_document_slices():
    doc = "x" * 100 + "Japan signed a deal. It covers transfers."
    text = doc[100:]
    good = _cite(text, "It covers transfers.")
    assert m.quote_verified(good)
    assert m.quote_verified(good, doc_text=doc)
    assert not m.quote_verified(good, doc_text="y" * 100 + text.upper())  # passage is not the document slice
    assert not m.quote_verified(_cite(text, "It covers transfers.", start=101))  # offsets point elsewhere
    assert not m.quote_verified({**good, "quote": ""})
    assert not m.quote_verified({**good, "start": None})


def test_cited_lines():
    answer = "Short answer: 2015 [1]\nJapan signed in 2015. [1]\n- Another sentence [3]\n\n- No marker here"
    assert m.cited_lines(answer, n_citations=2) == (2, 4)  # [3] resolves to no citation
    assert m.cited_lines("", 0) == (0, 0)  # empty answer
    assert m.cited_lines("A claim [1]", 0) == (0, 1)  # no citations: markers resolve to nothing


def test_abstention_counts_and_scores():
    # (answerable, abstained)
    ab = m.Abstention.count([(False, True), (False, False), (True, True), (True, False), (True, False)])
    assert (ab.tp, ab.fn, ab.fp, ab.tn) == (1, 1, 1, 2)
    assert ab.precision == 0.5 and ab.recall == 0.5 and ab.f1 == 0.5
    assert ab.refused_rate == pytest.approx(1 / 3)
    assert ab.accuracy == pytest.approx(3 / 5)


def test_abstention_edge_cases():
    all_abstained = m.Abstention.count([(False, True), (True, True)])
    assert all_abstained.precision == 0.5 and all_abstained.recall == 1.0
    assert all_abstained.f1 == pytest.approx(2 / 3) and all_abstained.refused_rate == 1.0
    no_unanswerable = m.Abstention.count([(True, False), (True, False)])
    assert no_unanswerable.recall is None and no_unanswerable.precision is None and no_unanswerable.f1 is None
    assert no_unanswerable.refused_rate == 0.0
    zero_answerable = m.Abstention.count([(False, False), (False, True)])
    assert zero_answerable.refused_rate is None and zero_answerable.recall == 0.5 and zero_answerable.precision == 1.0
    never_abstained = m.Abstention.count([(False, False), (True, False)])
    assert never_abstained.precision is None and never_abstained.f1 == 0.0
    assert m.Abstention.count([]).accuracy is None


def test_percentile_and_mean():
    assert m.percentile([10, 20, 30, 40], 50) == 25.0
    assert m.percentile([10, 20, 30, 40], 95) == pytest.approx(38.5)
    assert m.percentile([], 50) is None
    assert m.mean([True, False, True, True]) == 0.75
    assert m.mean([]) is None


def test_ndcg_and_doc_recall():
    ranked = ["a", "x", "b", "y"]
    qrels = {"a": 1, "b": 1}
    assert m.ndcg_at(ranked, qrels, 10) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    assert m.ndcg_at(["a", "b"], qrels, 10) == 1.0
    assert m.ndcg_at(["x", "a"], qrels, 1) == 0.0
    assert m.ndcg_at(ranked, {}, 10) == 0.0
    assert m.doc_recall_at(ranked, ["a", "b", "c"], 3) == pytest.approx(2 / 3)
    assert m.doc_recall_at(ranked, [], 3) == 0.0
    assert m.unique(["d1", "d2", "d1", "d3"]) == ["d1", "d2", "d3"]
