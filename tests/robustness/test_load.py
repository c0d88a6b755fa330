"""Load: 20 gradio_client clients x 10 questions against the real chat on loopback, while index
updates (files added, changed, deleted) run in a thread of the same server. No errors, every
answer cited, latency percentiles printed."""

from __future__ import annotations

import statistics
import threading
import time

import pytest
from gradio_client import Client

from tests.robustness.conftest import QUESTIONS, clone_index, running

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CLIENTS = 20
PER_CLIENT = 10
ASK_BOUND_S = 120  # one question, queued behind up to 19 others on a shared 2-core machine
ROUND_PAUSE_S = 2.0  # between index update rounds, so updates keep landing until the last question
MAX_ROUNDS = 40
ASKED = QUESTIONS + [
    "What is AUKUS?",
    "What is the Five Eyes group?",
    "How many submarines did Japan sell to Australia?",
    "What did Japan approve for its defence budget in 2022?",
    "How many ships did the harbour office of Kestrel Bay record in the spring survey?",
]


def new_doc(r: int, i: int, what: str) -> str:
    return (f"Kestrel Bay harbour report {r}.{i}\n\nThe harbour office of Kestrel Bay recorded {what} in the spring "
            f"survey of round {r}. The survey was repeated by a second team on the following day.")


def check(answer: dict) -> str | None:
    """Why this answer breaks the rules, or None: an answer cites, an abstention lists passages."""
    if answer["abstained"]:
        if answer["citations"] or not answer["nearest"]:
            return "abstained without nearest passages (or with citations)"
    else:
        if not answer["citations"]:
            return "answered without citations"
        for c in answer["citations"]:
            if f"[{c['n']}]" not in answer["answer"]:
                return f"citation [{c['n']}] not marked in the answer"
    for c in answer["citations"] + answer["nearest"]:
        if c["quote"] not in c["text"]:
            return f"quote of {c['doc_id']} not in its passage"
    return None


def test_twenty_clients_while_the_index_updates(corpus_assistant, tmp_path):
    a = clone_index(corpus_assistant, tmp_path)
    a.warm_up()
    corpus = a.settings.corpus_dir
    latencies: list[float] = []
    problems: list[str] = []
    index_log: list[str] = []
    done = threading.Event()
    lock = threading.Lock()

    def index_updates() -> None:
        """Rounds of add 3 files, change one, delete one, each followed by `Assistant.index()`."""
        r = 0
        try:
            while not done.is_set() and r < MAX_ROUNDS:
                for i in range(3):
                    (corpus / f"kestrel-{r}-{i}.txt").write_text(new_doc(r, i, f"{11 + i} ships"))
                index_log.append(f"round {r} add: {a.index().line()}")
                (corpus / f"kestrel-{r}-0.txt").write_text(new_doc(r, 0, "forty-two ships and a ferry"))
                index_log.append(f"round {r} change: {a.index().line()}")
                (corpus / f"kestrel-{r}-1.txt").unlink()
                index_log.append(f"round {r} delete: {a.index().line()}")
                r += 1
                done.wait(ROUND_PAUSE_S)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            with lock:
                problems.append(f"index update failed: {type(exc).__name__}: {exc}")

    def client(k: int) -> None:
        try:
            c = Client(url, verbose=False)
        except Exception as exc:  # noqa: BLE001
            with lock:
                problems.append(f"client {k} could not connect: {exc}")
            return
        for j in range(PER_CLIENT):
            q = ASKED[(k + j) % len(ASKED)]
            t0 = time.perf_counter()
            try:
                answer = c.predict(q, api_name="/ask")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    problems.append(f"client {k} question {q!r}: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - t0
            why = check(answer)
            with lock:
                latencies.append(took)
                if why:
                    problems.append(f"{q!r}: {why}")
                if took > ASK_BOUND_S:
                    problems.append(f"{q!r} took {took:.0f} s")

    with running(a) as url:
        indexer = threading.Thread(target=index_updates, name="index-updates")
        clients = [threading.Thread(target=client, args=(k,), name=f"client-{k}") for k in range(CLIENTS)]
        t0 = time.perf_counter()
        indexer.start()
        for t in clients:
            t.start()
        for t in clients:
            t.join(timeout=900)
        wall = time.perf_counter() - t0
        done.set()
        indexer.join(timeout=300)
        assert not indexer.is_alive() and not any(t.is_alive() for t in clients), "load test did not finish in time"
        final = Client(url, verbose=False).predict(ASKED[-1], api_name="/ask")

    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    print(f"\nload: {len(latencies)} answers from {CLIENTS} clients in {wall:.1f} s "
          f"({len(latencies) / wall:.2f} answers/s); latency p50 {q[49]:.2f} s, p95 {q[94]:.2f} s, "
          f"max {max(latencies):.2f} s; {len(problems)} problems; index updates meanwhile:")
    print(f"  {len(index_log) // 3} index update rounds (add 3, change 1, delete 1); the first and last:")
    print("\n".join(f"  {line}" for line in index_log[:3] + index_log[-3:]))
    assert not problems, "\n".join(problems[:20])
    assert len(latencies) == CLIENTS * PER_CLIENT
    assert index_log, "no index update ran while the clients asked"
    # After the updates the index is whole and the new documents answer.
    assert a.store.ids() == a.catalog.chunk_ids()
    assert not final["abstained"] and final["citations"][0]["doc_id"].startswith("kestrel-")
