from hypothesis import given, settings, strategies as st

from assistant.chunking import chunk_spans

ARTICLE = " ".join(f"Sentence number {i} talks about topic {i % 7} in some detail." for i in range(60))


def test_chunks_are_slices_within_the_limit_and_cover_every_sentence():
    spans = chunk_spans(ARTICLE, 300, 80)
    assert len(spans) > 5
    assert all(e - s <= 300 for s, e in spans)
    covered = " ".join(ARTICLE[s:e] for s, e in spans)
    for i in range(60):
        assert f"Sentence number {i} talks" in covered


def test_neighbouring_chunks_overlap_by_whole_sentences():
    spans = chunk_spans(ARTICLE, 300, 80)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert s2 < e1, "next passage starts inside the previous one (overlap)"
        assert ARTICLE[s2:].startswith("Sentence number"), "overlap starts at a sentence"
        assert s2 > s1, "always moves forward"


def test_no_overlap_setting_gives_disjoint_chunks():
    spans = chunk_spans(ARTICLE, 300, 0)
    assert all(s2 >= e1 for (_, e1), (s2, _) in zip(spans, spans[1:]))


def test_a_sentence_longer_than_the_limit_is_cut_at_spaces():
    text = "word " * 500
    spans = chunk_spans(text.strip(), 200, 50)
    assert all(e - s <= 200 for s, e in spans)
    assert spans[-1][1] == len(text.strip())


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc .!?\n")), max_size=2000), st.integers(200, 600), st.integers(0, 150))
def test_chunks_always_move_forward_and_stay_in_bounds(text, size, overlap):
    spans = chunk_spans(text, size, overlap)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
    assert [s for s, _ in spans] == sorted(set(s for s, _ in spans))
