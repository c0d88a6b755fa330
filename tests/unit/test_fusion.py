import pytest

from assistant.retrieve import _with_each_winner, rrf


def test_rrf_hand_computed():
    fused = dict(rrf([(["a", "b", "c"], 1.0), (["b", "d"], 1.0)], k=60))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["d"] == pytest.approx(1 / 62)
    assert list(dict(rrf([(["a", "b", "c"], 1.0), (["b", "d"], 1.0)], k=60))) == ["b", "a", "d", "c"]


def test_rrf_weights_and_empty_lists():
    assert rrf([], 60) == []
    fused = rrf([(["x"], 0.0), (["y"], 1.0)], k=1)
    assert fused[0][0] == "y" and fused[1][1] == 0.0


def test_each_retrievers_first_passage_is_kept_in_the_top_k():
    dense = ["d1", "m1", "m2", "m3", "m4", "m5"]
    lexical = ["w", "m1", "m2", "m3", "m4", "m5"]  # "w" is first here and absent from the dense list
    fused = rrf([(dense, 1.0), (lexical, 1.0)], k=5)
    top = fused[:5]
    assert "w" not in [c for c, _ in top]  # middling places in both outweigh one first place
    kept = _with_each_winner(top, fused, ["d1", "w"])
    assert [c for c, _ in kept] == [c for c, _ in sorted(kept, key=lambda cs: -cs[1])]  # still fused order
    assert {"d1", "w"} <= {c for c, _ in kept} and len(kept) == 5
    assert _with_each_winner(fused[:5], fused, ["m1"]) == fused[:5]  # a winner already in: unchanged
