import pytest

from assistant.retrieve import rrf


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
