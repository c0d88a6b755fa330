"""Concurrency: 16 gradio_client users asking questions at once against a running `assistant serve`.

    python bench/concurrency.py                                   # bundled corpus, 16 users x 5 questions
    python bench/concurrency.py --users 4 --per-user 2            # quick
    python bench/concurrency.py --data D --corpus C --backend onnx-int8   # an existing index

Starts `python -m assistant serve` on 127.0.0.1 and a free port (loopback only), times how long
until the page answers (the "chat ready" figure), then runs --users threads, each with its own
gradio_client.Client, each asking --per-user questions through the public /ask endpoint, all
released together. Reports throughput, latency percentiles and every error. Bounded: each
call has a timeout and the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import common

START_TIMEOUT_S = 600  # a first start may build the index
CALL_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_memory_mb(pid: int) -> dict:
    """The server's peak and current resident memory (Linux /proc), in MB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmHWM:", "VmRSS:")):
                key = "server_peak_rss_mb" if line.startswith("VmHWM") else "server_rss_mb"
                out[key] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return out


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--users", type=int, default=16)
    p.add_argument("--per-user", type=int, default=5)
    p.add_argument("--data", type=Path)
    p.add_argument("--corpus", type=Path, default=common.ROOT / "corpus")
    p.add_argument("--questions-from", default="bundled", help="question set: bundled, reuters or pool")
    p.add_argument("--backend", help="ASSISTANT_EMBED_BACKEND for the server (default: the setting's default)")
    p.add_argument("--save-as", default=None)
    a = p.parse_args()
    from gradio_client import Client

    from query_latency import questions_for

    data = a.data or common.OUT / "concurrency" / f"data-{a.backend or 'default'}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(common.ROOT))
    if a.backend:
        env["ASSISTANT_EMBED_BACKEND"] = a.backend
    log = (common.OUT / f"concurrency-server-{port}.log").open("w")
    cmd = [sys.executable, "-m", "assistant", "serve", "--corpus", str(a.corpus), "--data", str(data),
           "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=common.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        ready_s = wait_ready(url, proc, START_TIMEOUT_S)
        print(f"server ready in {ready_s:.1f} s (process start to first page)", flush=True)
        pool = questions_for(a.questions_from, 200)
        clients = [Client(url, verbose=False) for _ in range(a.users)]
        lat: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        go = threading.Barrier(a.users)

        def user(i: int) -> None:
            go.wait()
            for j in range(a.per_user):
                q = pool[(i * a.per_user + j) % len(pool)]
                t = time.perf_counter()
                try:
                    job = clients[i].submit(q, api_name="/ask")
                    out = job.result(timeout=CALL_TIMEOUT_S)
                    ok = isinstance(out, dict) and "answer" in out
                    err = None if ok else f"unexpected reply {str(out)[:100]}"
                except Exception as exc:  # every failure counts, whatever its type
                    err = f"{type(exc).__name__}: {str(exc)[:150]}"
                with lock:
                    lat.append(time.perf_counter() - t)
                    if err:
                        errors.append(err)

        threads = [threading.Thread(target=user, args=(i,)) for i in range(a.users)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=CALL_TIMEOUT_S * a.per_user + 60)
        wall = time.perf_counter() - t0
        n = len(lat)
        r = {"users": a.users, "per_user": a.per_user, "requests": n, "errors": len(errors), "error_samples": errors[:5],
             "wall_s": wall, "throughput_qps": n / wall, "p50_s": common.pct(lat, 50), "p95_s": common.pct(lat, 95),
             "max_s": max(lat) if lat else float("nan"), "server_ready_s": ready_s, "backend": a.backend or "default"}
        r.update(server_memory_mb(proc.pid))
        print(f"{a.users} users x {a.per_user} questions: {n} answers in {wall:.1f} s = {r['throughput_qps']:.2f} questions/s; "
              f"latency p50 {r['p50_s']:.2f} s, p95 {r['p95_s']:.2f} s, max {r['max_s']:.2f} s; errors {len(errors)}"
              + (f" (first: {errors[0]})" if errors else "")
              + f"; server peak RSS {r.get('server_peak_rss_mb', float('nan')):.0f} MB")
        common.save(a.save_as or f"concurrency_{a.users}x{a.per_user}_{a.backend or 'default'}", r)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


if __name__ == "__main__":
    main()
