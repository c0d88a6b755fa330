"""Command line: `assistant index | ask | serve | eval`. User errors print one line, never a traceback."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .errors import AssistantError
from .schema import Answer
from .settings import Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(
        corpus_dir=getattr(args, "corpus", None),
        data_dir=getattr(args, "data", None),
        top_k=getattr(args, "k", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
    )


def print_progress(done: int, total: int, what: str) -> None:
    """Progress on stderr for runs of 20 files or more: live on a terminal, every 10% in a log."""
    if total < 20:
        return
    if not sys.stderr.isatty() and done not in (0, total) and done % max(1, total // 10):
        return
    end = "\n" if done >= total else "\r"
    sys.stderr.write(f"indexing {done}/{total} files{' ' * 10}{end}")
    sys.stderr.flush()


def cmd_index(args: argparse.Namespace) -> int:
    from .service import Assistant

    settings = _settings(args)
    summary = Assistant(settings).index(progress=print_progress)
    for path, reason in summary.skipped:
        print(f"skipped {path}: {reason}")
    print(summary.line())
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from .service import Assistant

    settings = _settings(args)
    assistant = Assistant(settings)
    if not assistant.has_index():
        summary = assistant.index(progress=print_progress)
        print(f"built the index: {summary.line()}", file=sys.stderr)
    answer = assistant.ask(args.question)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(format_answer(answer))
    return 0


def format_answer(answer: Answer) -> str:
    """The answer, then one line per source: what a terminal user reads."""
    from .answer import source_label

    out = []
    if answer.corrected_question:
        out.append(f"(searched for: {answer.corrected_question})")
    out.append(answer.answer)
    for heading, cites, quoted in (("Sources:", answer.citations, False),
                                   ("Related passages (not quoted in the answer):", answer.related, True),
                                   ("Nearest passages:", answer.nearest, True)):
        if cites:
            out += ["", heading]
        for c in cites:
            out.append(f"[{c.n}] {source_label(c)} — {c.doc_id}, characters {c.start}-{c.end}")
            if quoted:
                out.append(f"    {c.quote}")
    return "\n".join(out)


def cmd_serve(args: argparse.Namespace) -> int:
    from .app import serve

    return serve(_settings(args))


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.cli import run

    return run(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="Cited answers from your documents, offline.")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--corpus", type=Path, help="folder of documents (default: ASSISTANT_CORPUS_DIR or ./corpus)")
        sp.add_argument("--data", type=Path, help="where the index lives (default: ASSISTANT_DATA_DIR or ./data)")

    sp = sub.add_parser("index", help="build or update the index")
    common(sp)
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("ask", help="answer one question with citations")
    common(sp)
    sp.add_argument("question")
    sp.add_argument("--json", action="store_true", help="print the answer object as JSON")
    sp.add_argument("--k", type=int, help="passages used for the answer")
    sp.set_defaults(func=cmd_ask)

    sp = sub.add_parser("serve", help="start the chat in the browser")
    common(sp)
    sp.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    sp.add_argument("--port", type=int, help="port (default 7860)")
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("eval", help="score the assistant on a question set and public benchmarks")
    common(sp)
    try:
        from .evaluation.cli import add_arguments
    except ImportError:  # the evaluation package is optional at import time
        add_arguments = None
    if add_arguments:
        add_arguments(sp)
    sp.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * args.verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    try:
        return args.func(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the index keeps what was finished", file=sys.stderr)
        return 130
