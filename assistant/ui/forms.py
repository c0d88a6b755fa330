"""What the chat page takes from users, checked: filters, uploaded files, feedback, who may connect."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
import os
import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import SUPPORTED
from ..errors import AssistantError, ConfigError
from ..schema import Answer, Filters
from ..settings import Settings

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MAX_NAME = 120  # characters kept of an uploaded file's name
_feedback_lock = threading.Lock()


class FilterError(AssistantError):
    """A filter the user typed cannot be used (a bad date, an unknown document)."""


def parse_date(value: str | None, label: str) -> str | None:
    """'2024', '2024-02' or '2024-02-08' (stripped) or None when empty; FilterError otherwise."""
    v = (value or "").strip()
    if not v:
        return None
    m = _DATE.match(v)
    bad = FilterError(f"{label} “{v}” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-02-08)")
    if not m:
        raise bad
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise bad from None
    return v


def make_filters(doc_ids: list[str] | tuple[str, ...] | str | None, date_from: str | None, date_to: str | None,
                 known: set[str] | None = None) -> Filters:
    """Filters from the page's inputs. Raises FilterError naming the bad input.

    `known` (the indexed doc ids) makes an unknown id an error rather than a filter matching nothing.
    """
    if isinstance(doc_ids, str):
        doc_ids = [doc_ids] if doc_ids else []
    ids = tuple(dict.fromkeys(d for d in (doc_ids or []) if d))
    if known is not None:
        unknown = [d for d in ids if d not in known]
        if unknown:
            raise FilterError(
                f"unknown document id {unknown[0]!r}; indexed ids are: {', '.join(sorted(known)) or '(none)'}"
            )
    lo = parse_date(date_from, "From date")
    hi = parse_date(date_to, "To date")
    if lo and hi:
        k = min(len(lo), len(hi))
        if lo[:k] > hi[:k]:
            raise FilterError(f"the From date {lo} is after the To date {hi}; swap them or clear one")
    return Filters(doc_ids=ids, date_from=lo, date_to=hi)


# -- uploads ------------------------------------------------------------------------------------
@dataclass
class UploadResult:
    saved: list[str] = field(default_factory=list)  # file names written into the corpus folder
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)

    def lines(self) -> list[str]:
        out = [f"added {name}" for name in self.saved]
        out += [f"refused {name}: {reason}" for name, reason in self.refused]
        return out


def safe_name(name: str) -> str:
    """A file name safe to create in the corpus folder: the last path component only, no leading
    dots, letters/digits/space/._- only, at most 120 characters (the suffix is kept)."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" ").lstrip(".").strip(" ")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = stem.strip(" .") or "upload"
    suffix = suffix[:16]
    keep = _MAX_NAME - len(suffix) - 1
    return f"{stem[:keep]}.{suffix}" if suffix else stem[:_MAX_NAME]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _copy_new(src: Path, dest: Path) -> None:
    """Copy under a hidden temporary name, then link into place: an indexer never sees half a file,
    and an existing file is never replaced (os.link fails instead)."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    try:
        shutil.copyfile(src, tmp)
        os.link(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def save_uploads(paths: list[str | Path], corpus_dir: Path, max_mb: float) -> UploadResult:
    """Copy uploaded temp files into corpus_dir after checking type and size.

    A name already taken gets a suffix (`report-1.pdf`); the same bytes under the same name are
    reported as already present instead of copied twice.
    """
    result = UploadResult()
    corpus_dir.mkdir(parents=True, exist_ok=True)
    limit = int(max_mb * 1024 * 1024)
    accepted = ", ".join(s for s in SUPPORTED if s not in (".markdown", ".htm"))
    for raw in paths:
        src = Path(raw)
        name = safe_name(src.name)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED:
            result.refused.append((name, f"type {suffix or '(none)'} is not accepted; use {accepted}"))
            continue
        try:
            size = src.stat().st_size
        except OSError as exc:
            result.refused.append((name, f"cannot read the upload ({exc.strerror or exc})"))
            continue
        if size > limit:
            result.refused.append((name, f"{size / 1048576:.1f} MB is over the {max_mb:g} MB upload limit"))
            continue
        if size == 0:
            result.refused.append((name, "the file is empty"))
            continue
        dest, i, digest = corpus_dir / name, 1, None
        while dest.exists() or dest.is_symlink():
            if dest.is_file() and not dest.is_symlink() and dest.stat().st_size == size:
                digest = digest or _sha256(src)
                if _sha256(dest) == digest:
                    break
            dest = corpus_dir / f"{Path(name).stem}-{i}{Path(name).suffix}"
            i += 1
        else:
            _copy_new(src, dest)
            result.saved.append(dest.name)
            continue
        result.refused.append((name, f"the same file is already in the corpus as {dest.name}"))
    return result


# -- feedback -----------------------------------------------------------------------------------
def feedback_record(answer: Answer, rating: str) -> dict:
    """One JSON line for evaluators: the question, the answer, its citations and the rating."""
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    return {
        "timestamp": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "rating": rating,
        "question": answer.question,
        "searched": answer.corrected_question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [c.to_json() for c in answer.citations or answer.nearest],
        "related": [c.to_json() for c in answer.related],
    }


def append_feedback(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with _feedback_lock, path.open("a", encoding="utf-8") as f:
        f.write(line)


# -- exposure -----------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def auth_for(settings: Settings) -> tuple[str, str] | None:
    """The (user, password) the server must ask for, or None on loopback without credentials.

    Raises ConfigError when the chat would listen beyond this machine without both.
    """
    user, password = settings.auth_user, settings.auth_password
    if user and password:
        return (user, password)
    if is_loopback(settings.host):
        return None
    raise ConfigError(
        f"listening on {settings.host} makes the chat reachable from other machines, so it needs a login: "
        "set ASSISTANT_AUTH_USER and ASSISTANT_AUTH_PASSWORD, or use --host 127.0.0.1"
    )
