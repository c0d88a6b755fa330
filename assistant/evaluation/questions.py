"""Read and check a question file: one JSON object a line with id, question, answers, evidence, answerable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

SPLITS = ("dev", "test")
_REQUIRED = {"id": str, "question": str, "answers": list, "evidence": list, "answerable": bool}


@dataclass(frozen=True)
class Question:
    """One curated question. `kind` defaults to "unspecified" and `split` to "dev" when absent."""

    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[str, ...]
    answerable: bool
    kind: str = "unspecified"
    split: str = "dev"


def load_questions(path: Path, split: str = "all") -> list[Question]:
    """The questions of `path` in file order, keeping only `split` ("dev", "test" or "all").

    Raises ConfigError naming the file and line of the first bad line, or when the file is
    missing, empty, or has no question in the requested split.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"question file {path} does not exist; pass --questions FILE (one JSON object a line)")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read question file {path} ({exc}); save it as UTF-8 JSON lines") from None
    questions: list[Question] = []
    seen: set[str] = set()
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        q = parse_line(line, f"{path}:{no}")
        if q.id in seen:
            raise ConfigError(f"{path}:{no}: id {q.id!r} is used twice; ids must be unique")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise ConfigError(f"question file {path} holds no questions")
    if split not in ("all", *SPLITS):
        raise ConfigError(f"split must be one of all, {', '.join(SPLITS)}; got {split!r}")
    chosen = [q for q in questions if split == "all" or q.split == split]
    if not chosen:
        raise ConfigError(f"question file {path} has no {split!r} questions (a missing split means dev); use --split all")
    return chosen


def parse_line(line: str, where: str) -> Question:
    """One question from one JSON line; `where` ("file:line") starts every error message."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)}; required: {', '.join(_REQUIRED)}")
    for key, typ in _REQUIRED.items():
        if not isinstance(raw[key], typ):
            raise ConfigError(f"{where}: field {key!r} must be a {typ.__name__}, got {raw[key]!r}")
    for key in ("answers", "evidence"):
        if not all(isinstance(s, str) and s.strip() for s in raw[key]):
            raise ConfigError(f"{where}: every item of {key!r} must be a non-empty string")
    if not raw["question"].strip() or not raw["id"].strip():
        raise ConfigError(f"{where}: 'id' and 'question' must not be empty")
    if raw["answerable"] and not raw["answers"]:
        raise ConfigError(f"{where}: an answerable question needs at least one string in 'answers'")
    kind = raw.get("kind") or "unspecified"
    split = raw.get("split") or "dev"
    if not isinstance(kind, str):
        raise ConfigError(f"{where}: field 'kind' must be a string, got {kind!r}")
    if split not in SPLITS:
        raise ConfigError(f"{where}: field 'split' must be one of {', '.join(SPLITS)}, got {split!r}")
    return Question(
        id=raw["id"], question=raw["question"], answers=tuple(raw["answers"]), evidence=tuple(raw["evidence"]),
        answerable=raw["answerable"], kind=kind, split=split,
    )
