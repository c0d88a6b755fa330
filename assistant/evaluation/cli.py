"""`assistant eval`: its flags, and one run from questions and benchmarks to the written report."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from ..errors import ConfigError, CorpusError
from ..settings import Settings
from . import curated, gate, report
from .questions import load_questions

DEFAULT_QUESTIONS = Path("eval/questions.jsonl")
DEFAULT_RUNS = Path("eval/runs")
SQUAD_DEFAULT_LIMIT = 1000  # all 10,570 v1.1 questions take hours at about 1 s a question
_REDACTED = ("auth_user", "auth_password")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The eval flags (`--corpus` and `--data` come from the main parser)."""
    p.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help=f"question file, JSON lines (default {DEFAULT_QUESTIONS})")
    p.add_argument("--k", type=int, help="passages retrieved and scored per question (default: ASSISTANT_TOP_K or 5)")
    p.add_argument("--split", choices=("dev", "test", "all"), default="all", help="which questions to run (default all)")
    p.add_argument("--curated", action=argparse.BooleanOptionalAction, default=True, help="run the question file (default on)")
    p.add_argument("--baselines", action=argparse.BooleanOptionalAction, default=True,
                   help="also score BM25 alone, dense alone and llama-index's default pipeline (default on)")
    p.add_argument("--beir", type=Path, metavar="DIR", help="also run a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
    p.add_argument("--squad", type=Path, action="append", default=[], metavar="FILE", help="also run a SQuAD dev JSON file (repeatable)")
    p.add_argument("--limit", type=int, help="benchmarks only: ask a seeded random subset of this many questions "
                   f"(default: all BEIR queries, {SQUAD_DEFAULT_LIMIT:,} SQuAD questions)")
    p.add_argument("--seed", type=int, default=0, help="seed of the --limit subset (default 0)")
    p.add_argument("--json", action="store_true", help="print the whole report, per-question answers included, as JSON")
    p.add_argument("--out", type=Path, help=f"output folder (default {DEFAULT_RUNS}/<timestamp>)")
    p.add_argument("--baseline", type=Path, metavar="FILE", help="saved report.json to compare with; exit 1 on a drop")
    p.add_argument("--margin", type=float, default=0.02, help="largest allowed drop of a headline metric (default 0.02)")
    p.add_argument("--save-baseline", type=Path, metavar="FILE", help="also write this run without per-question records, as a baseline")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run what the flags ask for, write the report; 1 when the regression gate finds a drop, else 0.

    Raises ConfigError / CorpusError (one line on the CLI) for bad files and flags.
    """
    t0 = time.perf_counter()
    _check_flags(args)
    git = _git()  # now: the code this run imported, not what the checkout holds when it ends
    rep: dict = {"meta": {}}
    embedder = None
    if args.curated:
        questions = load_questions(args.questions, args.split)
        cur, embedder = _run_curated(questions, settings, args)
        rep["curated"] = cur
    if args.beir or args.squad:
        from ..service import Assistant
        from . import beir, squad

        embedder = embedder or Assistant(settings).embedder  # the embedder the settings describe, loaded lazily
        if args.beir:
            _say(f"BEIR: indexing {args.beir}")
            rep["beir"] = beir.run(args.beir, settings, embedder, args.limit, args.seed, _index_progress)
        rep["squad"] = []
        for path in args.squad:
            _say(f"SQuAD: indexing {path}")
            limit = args.limit or SQUAD_DEFAULT_LIMIT
            rep["squad"].append(squad.run(path, settings, embedder, limit, args.seed, _index_progress, _ask_progress))
    if args.baseline:
        rep["gate"] = gate.compare(rep, gate.load_baseline(args.baseline), args.split, args.margin, str(args.baseline))
    rep["meta"] = _meta(args, settings, git, time.perf_counter() - t0)

    out = args.out or _fresh_run_dir()
    paths = report.write(rep, out)
    if args.save_baseline:
        args.save_baseline.parent.mkdir(parents=True, exist_ok=True)
        args.save_baseline.write_text(json.dumps(gate.slim(rep), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
    else:
        print(paths["md"].read_text(encoding="utf-8"))
    _say(f"wrote {', '.join(str(p) for p in paths.values())}")
    if rep.get("gate", {}).get("drops"):
        for line in rep["gate"]["drops"]:
            print(f"regression: {line}", file=sys.stderr)
        return 1
    return 0


def _check_flags(args: argparse.Namespace) -> None:
    if not args.curated and not args.beir and not args.squad:
        raise ConfigError("nothing to run: --no-curated needs --beir DIR or --squad FILE")
    if args.baseline and not args.curated:
        raise ConfigError("--baseline compares curated results; drop --no-curated")
    if args.limit is not None and args.limit < 1:
        raise ConfigError(f"--limit must be at least 1; got {args.limit}")
    if not 0 <= args.margin <= 1:
        raise ConfigError(f"--margin is a share between 0 and 1; got {args.margin}")
    if args.beir and not args.beir.is_dir():
        raise CorpusError(f"BEIR folder {args.beir} does not exist; pass --beir DIR (e.g. ../shared/bench/scifact)")
    for path in args.squad:
        if not path.is_file():
            raise ConfigError(f"SQuAD file {path} does not exist; pass --squad FILE (e.g. ../shared/bench/squad/dev-v1.1.json)")


def _run_curated(questions, settings: Settings, args: argparse.Namespace):
    from ..service import Assistant

    if not Path(settings.corpus_dir).is_dir():
        raise CorpusError(f"corpus folder {settings.corpus_dir} does not exist or is not a folder; pass --corpus DIR")
    t0 = time.perf_counter()
    assistant = Assistant(settings)
    summary = assistant.index(progress=_index_progress)
    _say(f"index: {summary.line()}; asking {len(questions)} questions")
    result = curated.run(assistant, questions, settings.top_k, args.baselines, _ask_progress)
    n_docs, n_passages = assistant.counts()
    k = settings.top_k
    cur = {
        "questions_file": str(args.questions), "corpus": str(settings.corpus_dir), "split": args.split,
        "documents": n_docs, "passages": n_passages, "index_s": round(summary.seconds, 1),
        "run_s": round(time.perf_counter() - t0, 1),
        "setup": result["setup"], "summary": curated.summarise(result["records"], k), "records": result["records"],
    }
    return cur, assistant.embedder


def _meta(args: argparse.Namespace, settings: Settings, git: tuple[str, bool | None], run_s: float) -> dict:
    commit, dirty = git
    stamped = settings.model_dump(mode="json")
    for key in _REDACTED:  # a report may be shared; credentials stay out of it
        if stamped.get(key):
            stamped[key] = "(set)"
    command = {k: (str(v) if isinstance(v, Path) else [str(x) for x in v] if isinstance(v, list) else v)
               for k, v in vars(args).items() if k != "func"}
    return {"date": datetime.now().astimezone().isoformat(timespec="seconds"), "commit": commit, "dirty": dirty,
            "run_s": round(run_s, 1), "command": command, "settings": stamped}


def _git() -> tuple[str, bool | None]:
    """(commit, uncommitted changes?) of the checkout this package runs from; ("unknown", None) outside git."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
        if commit.returncode:
            return "unknown", None
        status = subprocess.run(["git", "status", "--porcelain"], cwd=here, capture_output=True, text=True, timeout=10)
        return commit.stdout.strip(), bool(status.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return "unknown", None


def _fresh_run_dir() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path, n = DEFAULT_RUNS / stamp, 1
    while path.exists():
        n += 1
        path = DEFAULT_RUNS / f"{stamp}-{n}"
    return path


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _index_progress(done: int, total: int, what: str) -> None:
    step = max(1, total // 10)
    if total >= 20 and (done % step == 0 or done == total):
        _say(f"  indexed {done}/{total} files")


def _ask_progress(done: int, total: int) -> None:
    step = max(1, total // 10)
    if done % step == 0 or done == total:
        _say(f"  asked {done}/{total} questions")
