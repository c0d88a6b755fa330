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


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in [i + 1 for i, ch in enumerate(text) if ch == "."]:
        spans.append((start, end))
        start = end + 1
    return spans


PASSAGE = ("Japan and Germany signed an Acquisition and Cross-Servicing Agreement in 2024. "
           "Oil prices rose sharply on Monday after OPEC agreed to cut output. "
           "The Bundesbank left its discount rate unchanged.")


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_sentence_parts_match_torch_and_their_own_sentence(cache, backend):
    """Each sentence's pooled vector (late chunking) is the same in every runtime, and lies
    nearer its own sentence, encoded alone, than any other sentence of the passage."""
    spans = _sentence_spans(PASSAGE)
    torch = Embedder(backend="torch")
    want_p, [want] = torch.embed_passages_with_parts([PASSAGE], [spans])
    e = Embedder(backend=backend, cache_dir=cache)
    got_p, [got] = e.embed_passages_with_parts([PASSAGE], [spans])
    assert got.shape == (3, 384) and np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * want).sum(1).min() > (0.9999 if backend == "onnx" else 0.97)
    assert float(got_p[0] @ e.embed_passages([PASSAGE])[0]) > 0.999  # the passage vector is the plain one
    alone = e.embed_passages([PASSAGE[s:t] for s, t in spans])
    assert (np.argmax(got @ alone.T, axis=1) == np.arange(3)).all()


def test_a_sentence_past_the_token_limit_gets_a_zero_row(cache):
    long = "The Bundesbank said it would leave its discount rate unchanged. " * 30 + "Last words."
    _, [parts] = Embedder(backend="onnx-int8", cache_dir=cache).embed_passages_with_parts(
        [long], [[(0, 64), (len(long) - 11, len(long))]])
    assert np.linalg.norm(parts[0]) == pytest.approx(1.0, abs=1e-5) and not parts[1].any()


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
