"""Measure the chat as a user meets it: `assistant serve` start-up to first answer, then time to the
first streamed answer chunk and to the full answer (median of 20 warm questions through /chat).

    python -m tests.e2e.measure_ui [--data DIR] [--questions 20]

Builds the index first if needed (not timed). Not a test: prints numbers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from gradio_client import Client

from tests.conftest import CORPUS, ROOT
from tests.e2e.conftest import free_port


def questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")][:n]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--data", type=Path, default=Path("/tmp/assistant-measure"))
    p.add_argument("--questions", type=int, default=20)
    args = p.parse_args()
    base = [sys.executable, "-m", "assistant"]
    subprocess.run(base + ["index", "--corpus", str(CORPUS), "--data", str(args.data)], check=True,
                   capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    proc = subprocess.Popen(base + ["serve", "--corpus", str(CORPUS), "--data", str(args.data), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        client = None
        while client is None:
            if proc.poll() is not None:
                print(proc.stdout.read())
                return 1
            try:
                client = Client(url, verbose=False)
            except Exception:
                time.sleep(0.2)
        client.predict(questions(1)[0], api_name="/ask")
        startup = time.perf_counter() - t0
        print(f"start-up, process start to first /ask answer: {startup:.1f} s")

        qs = questions(args.questions)
        for q in qs[:2]:  # warm
            client.predict(q, [], "", "", api_name="/chat")
        first_any, first_answer, full, ask_rt = [], [], [], []
        for q in qs:
            chat = Client(url, verbose=False)  # a fresh session: no follow-up rewriting between questions
            t = time.perf_counter()
            job = chat.submit(q, [], "", "", api_name="/chat")
            seen_any = seen_answer = None
            for out in job:
                now = time.perf_counter() - t
                seen_any = seen_any or now
                if seen_answer is None and 'class="bot pending"' not in out[0]:
                    seen_answer = now
            job.result()
            full.append(time.perf_counter() - t)
            first_any.append(seen_any)
            first_answer.append(seen_answer)
            t = time.perf_counter()
            client.predict(q, api_name="/ask")
            ask_rt.append(time.perf_counter() - t)

        def med(xs):
            return f"{statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"

        print(f"{len(qs)} warm questions through /chat (streaming):")
        print(f"  first chunk (the 'Searching…' placeholder): {med(first_any)}")
        print(f"  first chunk of answer text:                 {med(first_answer)}")
        print(f"  full answer:                                {med(full)}")
        print(f"  /ask round trip (no streaming):             {med(ask_rt)}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
