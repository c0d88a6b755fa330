"""Test helper, run as a subprocess: `python -m tests.robustness.kill_at TARGET N before|after`.

Runs `Assistant.index()` (settings from ASSISTANT_* variables, the word-hash embedder) and sends
itself SIGKILL just before or just after the N-th call of TARGET, as `kill -9` or a power cut at
that instant would: no exception handler, `finally` or atexit runs.
"""

from __future__ import annotations

import os
import signal
import sys

from assistant.catalog import Catalog
from assistant.service import Assistant
from assistant.settings import load_settings
from assistant.store import VectorStore
from tests.fakes import WordHashEmbedder

TARGETS = {
    "catalog.remove": (Catalog, "remove"),
    "catalog.put": (Catalog, "put"),
    "store.add": (VectorStore, "add"),
    "store.delete": (VectorStore, "delete"),
}


def main(target: str, n: int, when: str) -> int:
    cls, name = TARGETS[target]
    real = getattr(cls, name)
    calls = 0

    def wrapped(self, *args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == n and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        out = real(self, *args, **kwargs)
        if calls == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    setattr(cls, name, wrapped)
    Assistant(load_settings(), embedder=WordHashEmbedder()).index()
    print(f"{target} was called {calls} times, fewer than {n}", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
