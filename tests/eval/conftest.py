"""Fixtures for the evaluation tests: a tiny corpus with its question file, and the shared model."""

from __future__ import annotations

import json

import pytest

TINY_DOCS = {
    "bees.txt": "Honey bees\n\nHoney bees live in colonies of up to 60,000 workers. The queen lays about 2,000 eggs a day. "
                "Worker bees communicate the direction of flowers with a waggle dance.",
    "volcanoes.txt": "Volcanoes of Iceland\n\nIceland has about 130 volcanoes. The eruption of Eyjafjallajökull in 2010 "
                     "grounded flights across Europe for six days because its ash cloud was dangerous for jet engines.",
    "tea.txt": "A short history of tea\n\nTea reached Britain in the 1650s through Portuguese and Dutch traders. "
               "Catherine of Braganza made tea drinking fashionable at the English court after 1662.",
}
TINY_QUESTIONS = [
    {"id": "t1", "question": "How do worker bees tell each other where flowers are?", "answers": ["waggle dance"],
     "evidence": ["Worker bees communicate the direction of flowers with a waggle dance."], "answerable": True,
     "kind": "fact", "split": "dev"},
    {"id": "t2", "question": "Why did the 2010 Eyjafjallajökull eruption ground flights?", "answers": ["ash cloud"],
     "evidence": ["because its ash cloud was dangerous for jet engines"], "answerable": True, "kind": "why", "split": "dev"},
    {"id": "t3", "question": "Who made tea drinking fashionable at the English court?", "answers": ["Catherine of Braganza"],
     "evidence": ["Catherine of Braganza made tea drinking fashionable at the English court"], "answerable": True,
     "kind": "fact", "split": "test"},
    {"id": "t4", "question": "What is the boiling point of mercury?", "answers": [], "evidence": [], "answerable": False,
     "kind": "unanswerable", "split": "test"},
]


@pytest.fixture
def tiny(tmp_path):
    """(corpus folder, question file) of three short documents and four questions."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in TINY_DOCS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(q) + "\n" for q in TINY_QUESTIONS), encoding="utf-8")
    return corpus, questions


@pytest.fixture
def shared_model(monkeypatch, embedder):
    """Every Assistant the eval command creates uses the session's already-loaded model."""
    from assistant.service import Assistant

    monkeypatch.setattr(Assistant, "embedder", property(lambda self: embedder))
    return embedder
