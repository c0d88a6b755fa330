"""Shared fixtures: settings pointing at temp folders, and one real index of the bundled corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """One folder for the ONNX export of the model, shared by every test and the processes they
    start, so the model is exported once per session rather than once per data folder."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _no_assistant_env(monkeypatch, model_cache):
    """Tests never read a developer's ASSISTANT_* settings."""
    for key in list(os.environ):
        if key.startswith("ASSISTANT_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(model_cache))


def make_settings(tmp: Path, corpus: Path = CORPUS, **kw):
    from assistant.settings import load_settings

    return load_settings(corpus_dir=corpus, data_dir=tmp / "data", **kw)


@pytest.fixture(scope="session")
def embedder(model_cache):
    """The real bundled model with the default settings' backend, loaded once per test session."""
    from assistant.embeddings import Embedder
    from assistant.settings import load_settings

    return Embedder.from_settings(load_settings(model_cache_dir=model_cache))


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory, embedder):
    """An Assistant over a real index of the bundled corpus (built once, read-only for tests)."""
    from assistant.service import Assistant

    tmp = tmp_path_factory.mktemp("bundled")
    a = Assistant(make_settings(tmp), embedder=embedder)
    a.index()
    return a
