"""The ONNX backends against the torch model they are exported from (real weights, real export)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.embeddings import Embedder, onnx_file

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TEXTS = [
    "Japan and Germany signed an Acquisition and Cross-Servicing Agreement in 2024.",
    "Oil prices rose sharply on Monday after OPEC agreed to cut output by 1.5 mln barrels a day.",
    "Who?",
    "The Bundesbank said it would leave its discount rate unchanged. " * 30,  # over 256 word pieces
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def reference():
    """Vectors of the reference runtime, sentence-transformers on torch."""
    torch = Embedder(backend="torch")
    return torch.embed_passages(TEXTS), torch.embed_query(TEXTS[0])


def test_fp32_export_matches_torch(cache, reference):
    passages, query = reference
    e = Embedder(backend="onnx", cache_dir=cache)
    got = e.embed_passages(TEXTS)
    assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * passages).sum(1).min() > 0.9999
    assert float(e.embed_query(TEXTS[0]) @ query) > 0.9999


def test_int8_stays_close_to_torch(cache, reference):
    passages, _ = reference
    got = Embedder(backend="onnx-int8", cache_dir=cache).embed_passages(TEXTS)
    cos = (got * passages).sum(1)
    assert cos.min() > 0.97 and cos.mean() > 0.98


def test_export_is_cached_and_reused(cache):
    a = onnx_file(cache, quantized=True)
    mtime = a.stat().st_mtime_ns
    assert onnx_file(cache, quantized=True) == a and a.stat().st_mtime_ns == mtime
    assert not [p for p in a.parent.iterdir() if p.name.endswith(".tmp")]  # no half-written files left


def test_sentences_rank_the_same_as_with_torch(cache, embedder):
    """What answering needs: the order of candidate sentences by similarity to the question."""
    q = "What did Japan agree with Germany?"
    sents = TEXTS[:3] + ["Germany and Japan agreed to share fuel and ammunition.", "Wheat exports fell."]
    ref = embedder.embed_many(sents) @ embedder.embed_query(q)
    for backend in ("onnx", "onnx-int8"):
        e = Embedder(backend=backend, cache_dir=cache)
        got = e.embed_many(sents) @ e.embed_query(q)
        assert np.argsort(-got)[:2].tolist() == np.argsort(-ref)[:2].tolist(), backend


def test_int8_sentence_vectors_do_not_depend_on_the_sentences_beside_them(cache):
    """Answers embed candidate sentences; the same sentence must get the same vector whatever
    else is embedded in the same call (int8 activations are scaled per batch)."""
    alone = Embedder(backend="onnx-int8", cache_dir=cache).embed_many([TEXTS[0]])[0]
    among_others = Embedder(backend="onnx-int8", cache_dir=cache).embed_many(TEXTS[::-1])[-1]
    assert np.array_equal(alone, among_others)


def test_texts_encoded_one_at_a_time_side_by_side_get_the_vectors_of_one_thread(cache):
    """With two threads, one-at-a-time texts run in parallel on a one-thread session; the vectors
    must be those a one-thread encoder gives them in turn."""
    two = Embedder(backend="onnx-int8", threads=2, cache_dir=cache)
    one = Embedder(backend="onnx-int8", threads=1, cache_dir=cache)
    assert two._onnx._pool is not None and one._onnx._pool is None
    assert np.array_equal(two.embed_many(TEXTS), one.embed_many(TEXTS))
