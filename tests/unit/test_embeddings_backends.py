"""Embedder without the model: backend choice, settings, batching by length, the query cache."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
import pytest

from assistant.embeddings import BACKENDS, Embedder, OnnxEncoder, model_path
from assistant.errors import ConfigError


def test_unknown_backend_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="unknown embedding backend 'cuda'.*torch, onnx, onnx-int8"):
        Embedder(backend="cuda")


def test_bad_sizes_fail_early_with_the_values():
    with pytest.raises(ConfigError, match="got 0 and 2"):
        Embedder(batch_size=0)


def test_from_settings_reads_backend_and_model_folder(tmp_path, monkeypatch):
    from assistant.settings import load_settings

    monkeypatch.delenv("ASSISTANT_MODEL_CACHE_DIR")

    s = load_settings(data_dir=tmp_path, embed_batch_size=8, embed_threads=1)
    e = Embedder.from_settings(s)
    assert (e.batch_size, e.threads, e.backend, e.cache_dir) == (8, 1, "onnx-int8", tmp_path / "models")
    shared = load_settings(data_dir=tmp_path, embed_backend="torch", model_cache_dir=tmp_path / "shared")
    assert (Embedder.from_settings(shared).backend, shared.models_dir) == ("torch", tmp_path / "shared")
    assert set(BACKENDS) == {"torch", "onnx", "onnx-int8"}


def test_each_backend_gets_its_own_index_and_a_mismatched_embedder_is_refused(tmp_path):
    from assistant.service import Assistant
    from assistant.settings import load_settings

    keys = {load_settings(data_dir=tmp_path, embed_backend=b).index_key for b in BACKENDS}
    assert len(keys) == 3
    with pytest.raises(ConfigError, match="Embedder.from_settings"):
        Assistant(load_settings(data_dir=tmp_path, embed_backend="onnx"), embedder=Embedder(backend="torch"))


class _Session:
    """Stands in for onnxruntime: a text's vector is a function of its token ids alone, and every
    call is recorded, so batching and reordering can be checked."""

    def __init__(self):
        self.calls: list[tuple[int, int]] = []

    def get_inputs(self):
        return [SimpleNamespace(name=n) for n in ("input_ids", "attention_mask", "token_type_ids")]

    def run(self, _outputs, feed):
        ids, mask = feed["input_ids"], feed["attention_mask"]
        assert ids.shape == mask.shape == feed["token_type_ids"].shape
        self.calls.append(ids.shape)
        out = np.zeros((ids.shape[0], 384), dtype=np.float32)
        for r in range(ids.shape[0]):
            real = ids[r][mask[r] == 1]
            assert (ids[r][mask[r] == 0] == 0).all()  # padding is id 0 and masked
            out[r, real % 384] += 1.0
            out[r] /= np.linalg.norm(out[r])
        return [out]


@pytest.fixture
def encoder():
    from tokenizers import Tokenizer

    enc = OnnxEncoder.__new__(OnnxEncoder)
    enc.tokenizer = Tokenizer.from_file(f"{model_path()}/tokenizer.json")
    enc.tokenizer.enable_truncation(max_length=256)
    enc.tokenizer.no_padding()
    enc.session = _Session()
    enc._single, enc._single_lock, enc._pool = None, threading.Lock(), None
    enc.inputs = {"input_ids", "attention_mask", "token_type_ids"}
    return enc


TEXTS = [
    "A long sentence about the Bank of Japan and its interest rate decision in March of that year.",
    "Short one.",
    "Oil prices rose.",
    "A middling sentence about wheat exports to the Soviet Union.",
    "Yes.",
]


def test_rows_come_back_in_input_order_whatever_the_batching(encoder):
    whole = encoder.encode(TEXTS, 64)
    for size in (1, 2, 3):
        assert np.allclose(encoder.encode(TEXTS, size), whole)
    one_by_one = np.stack([encoder.encode([t], 1)[0] for t in TEXTS])
    assert np.allclose(whole, one_by_one)


def test_texts_one_at_a_time_run_side_by_side_on_the_one_thread_session(encoder):
    from concurrent.futures import ThreadPoolExecutor

    whole = encoder.encode(TEXTS, 64)
    opened = []
    encoder._open_single, encoder._pool = lambda: opened.append(_Session()) or opened[-1], ThreadPoolExecutor(2)
    encoder.encode(TEXTS, 2)
    encoder.encode(TEXTS[:1], 1)
    assert opened == []  # batches, and a lone text, never open the one-thread session
    assert np.allclose(encoder.encode(TEXTS, 1), whole)  # rows in input order
    assert np.allclose(encoder.encode(TEXTS, 1), whole)
    assert len(opened) == 1  # opened once, on first use
    single = opened[0]
    assert len(single.calls) == 2 * len(TEXTS) and all(n == 1 for n, _ in single.calls)
    calls = len(encoder.session.calls)
    encoder.encode(TEXTS, 2)  # batches stay on the batch session
    assert len(encoder.session.calls) > calls and len(single.calls) == 2 * len(TEXTS)


def test_batches_group_texts_of_similar_length(encoder):
    encoder.encode(TEXTS, 2)
    widths = [w for _, w in encoder.session.calls]
    assert widths == sorted(widths)  # shortest first: "Yes." is never padded to the long sentence
    assert encoder.session.calls[0][1] < encoder.session.calls[-1][1]


def test_long_text_is_truncated_to_the_model_limit(encoder):
    encoder.encode(["word " * 1000], 1)
    assert encoder.session.calls[-1] == (1, 256)


def test_query_vectors_are_cached_and_read_only(monkeypatch):
    e = Embedder(backend="onnx")
    calls = []
    fake = SimpleNamespace(encode=lambda texts, bs: calls.append(list(texts)) or np.ones((len(texts), 384), np.float32))
    monkeypatch.setitem(e.__dict__, "_onnx", fake)
    v1 = e.embed_query("what happened?")
    v2 = e.embed_query("what happened?")
    assert v1 is v2 and calls == [["what happened?"]]
    with pytest.raises(ValueError):
        v1[0] = 2.0


def test_empty_input_gives_an_empty_matrix():
    e = Embedder(backend="onnx")
    assert e.embed_passages([]).shape == (0, 384)
    assert e.embed_many([]).shape == (0, 384)


def test_sentences_seen_before_are_not_encoded_again(monkeypatch):
    e = Embedder(backend="onnx")
    calls = []

    def encode(texts, bs):
        calls.append(list(texts))
        return np.stack([np.full(384, len(t), np.float32) for t in texts])

    monkeypatch.setitem(e.__dict__, "_onnx", SimpleNamespace(encode=encode))
    first = e.embed_many(["aa", "b", "aa"])
    second = e.embed_many(["b", "cccc", "aa"])
    assert calls == [["aa", "b"], ["cccc"]]  # duplicates and repeats encoded once
    assert first[:, 0].tolist() == [2, 1, 2] and second[:, 0].tolist() == [1, 4, 2]
    second[0, 0] = 99.0  # callers get their own copy, never the cached row
    assert e.embed_many(["b"])[0, 0] == 1
