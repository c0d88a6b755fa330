"""Running the assistant for an evaluation: a throw-away index of benchmark documents, and one timed question."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import QuestionError
from ..schema import IndexSummary
from ..service import Assistant
from ..settings import Settings


@contextmanager
def temporary_assistant(
    settings: Settings, embedder, write: Callable[[Path], None], progress=None,
) -> Iterator[tuple[Assistant, IndexSummary]]:
    """An Assistant over the documents `write` puts into an empty folder, indexed by our real
    indexer with `settings` into a temporary embedded store; everything is deleted afterwards,
    so a benchmark never touches the user's data folder or Chroma server."""
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        write(corpus)
        s = settings.model_copy(update={"corpus_dir": corpus, "data_dir": Path(tmp) / "data", "chroma_mode": "embedded"})
        assistant = Assistant(s, embedder=embedder)
        try:
            yield assistant, assistant.index(progress=progress)
        finally:
            assistant.catalog.close()


def timed_ask(assistant: Assistant, question: str) -> tuple[dict, float]:
    """(`ask`'s answer object as JSON, wall time in ms). A question `ask` refuses outright (empty,
    too long) counts as an abstention whose answer text is the refusal."""
    t0 = time.perf_counter()
    try:
        answer = assistant.ask(question).to_json()
    except QuestionError as exc:
        answer = {"question": question, "answer": str(exc), "abstained": True, "citations": [], "nearest": [],
                  "timings_ms": {}, "short_answer": None, "conflict": False, "corrected_question": None}
    return answer, (time.perf_counter() - t0) * 1000
