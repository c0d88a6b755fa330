"""Files to cleaned Documents with metadata; unreadable files become skip reasons, not crashes."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from .cleaning import clean
from .errors import CorpusError
from .schema import Document

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_META_CHARS = 300  # longest title, author or publisher kept: they are shown on every citation


class _MetaLoader(yaml.SafeLoader):
    """YAML's safe loader with dates left as text, so `date: 2024-13-45` is an unusable date
    (iso_date says None) instead of a ValueError from the date constructor."""


_MetaLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Unreadable(Exception):
    """A file that is skipped; the message is the reason shown in the summary."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    rel: str  # POSIX path relative to the corpus root: the document id
    size: int
    mtime_ns: int


def scan(root: Path) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Supported files under root (symlinks followed once, loops ignored) and skip reasons."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist or is not a folder; pass --corpus DIR")
    found: list[SourceFile] = []
    skipped: list[tuple[str, str]] = []
    seen_dirs: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen_dirs:  # a symlink loop: do not walk it again
            dirnames[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # Plain string paths here: pathlib costs about 30 us a file, 0.6 s for 20,000 files.
        prefix = os.path.relpath(dirpath, root).replace(os.sep, "/") + "/"
        prefix = "" if prefix == "./" else prefix
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() == "readme.md":
                continue
            full, rel = os.path.join(dirpath, name), prefix + name
            suffix = os.path.splitext(name)[1]
            if suffix.lower() not in SUPPORTED:
                skipped.append((rel, f"unsupported type {suffix or '(none)'}; use {', '.join(SUPPORTED)}"))
                continue
            try:
                fst = os.stat(full)
            except OSError as exc:
                skipped.append((rel, f"cannot read ({exc.strerror or exc})"))
                continue
            if not stat.S_ISREG(fst.st_mode):  # a pipe or a device would block or never end
                skipped.append((rel, "not a regular file (a pipe, socket or device); only plain files are read"))
                continue
            found.append(SourceFile(Path(full), rel, fst.st_size, fst.st_mtime_ns))
    return found, skipped


def load(src: SourceFile, max_bytes: int) -> Document:
    """Read, clean and describe one file. Raises Unreadable with a one-line reason."""
    if src.size == 0:
        raise Unreadable("empty file")
    if src.size > max_bytes:
        raise Unreadable(f"{src.size / 1e6:.0f} MB is over the {max_bytes / 1e6:.0f} MB limit (ASSISTANT_MAX_FILE_MB)")
    try:
        raw = src.path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc})") from None
    sha = hashlib.sha256(raw).hexdigest()
    suffix = src.path.suffix.lower()
    try:
        if suffix == ".pdf":
            meta, body = _read_pdf(raw)
        elif suffix in (".html", ".htm"):
            meta, body = _read_html(decode(raw))
        else:
            meta, body = _read_text(decode(raw))
        text = clean(body)
    except Unreadable:
        raise
    except Exception as exc:  # a parser failing on one strange file must not stop the whole run
        log.warning("cannot parse %s", src.rel, exc_info=True)
        raise Unreadable(f"cannot be parsed ({type(exc).__name__}: {str(exc)[:120]})") from None
    if len(text.strip()) < 20:
        raise Unreadable("no text found")
    title = str(meta.get("title") or _first_line(text) or src.path.stem).strip()
    return Document(
        doc_id=src.rel,
        path=src.rel,
        title=title[:_META_CHARS],
        text=text,
        sha256=sha,
        publisher=_opt(meta.get("publisher")),
        author=_opt(meta.get("author")),
        date=iso_date(meta.get("date")),
    )


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252/Latin-1 if it reads as text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable("broken UTF-16 text") from None
    sample = raw[:65536]
    if b"\x00" in sample:
        # UTF-16 without BOM has a NUL in every other byte of ASCII text.
        for enc in ("utf-16-le", "utf-16-be"):
            half = sample[1::2] if enc == "utf-16-le" else sample[0::2]
            if half.count(0) > 0.9 * len(half):
                try:
                    return raw.decode(enc)
                except UnicodeDecodeError:
                    break
        raise Unreadable("binary data, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    bad = sum(1 for ch in text[:65536] if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\n\r\t\f"))
    if bad > 0.02 * max(1, min(len(text), 65536)):
        raise Unreadable("not valid text in UTF-8, UTF-16 or Latin-1; re-save it as UTF-8")
    return text


def _read_text(text: str) -> tuple[dict, str]:
    """YAML front matter (scalar values only) and the text after it; unusable front matter stays text."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.load(m.group(1), Loader=_MetaLoader) or {}
    except (yaml.YAMLError, RecursionError, ValueError):  # broken, nested thousands deep, or odd scalars
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    # A list or mapping is not a title: printing one built from YAML aliases (a "billion laughs"
    # block) would expand it to billions of items.
    scalars = {k: v for k, v in meta.items() if isinstance(v, (str, int, float, date)) and not isinstance(v, bool)}
    return scalars, text[m.end():]


def _read_html(html: str) -> tuple[dict, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, str] = {}

    def content(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
            if tag and tag.get("content"):
                return str(tag["content"])
        return None

    if soup.title and soup.title.string:
        meta["title"] = soup.title.string
    meta["title"] = content("og:title") or meta.get("title") or ""
    meta["author"] = content("author", "article:author") or ""
    meta["publisher"] = content("og:site_name", "publisher") or ""
    meta["date"] = content("article:published_time", "date", "dc.date", "pubdate") or ""
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "aside", "form", "iframe", "svg"]):
        tag.decompose()
    blocks = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre", "td"]):
        if el.find(["p", "li", "blockquote"]):
            continue  # its children are collected themselves
        line = " ".join(el.get_text(" ", strip=True).split())
        if line:
            blocks.append(line)
    body = "\n\n".join(blocks) if blocks else soup.get_text("\n")
    return meta, body


def _read_pdf(raw: bytes) -> tuple[dict, str]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted PDF; save a copy without a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise Unreadable(f"corrupt PDF ({type(exc).__name__})") from None
    except Exception as exc:  # pypdf raises many types on damaged files
        if "crypt" in str(exc).lower():
            raise Unreadable("encrypted PDF; save a copy without a password") from None
        raise Unreadable(f"corrupt PDF ({type(exc).__name__})") from None
    meta = {
        "title": info.get("/Title"),
        "author": info.get("/Author"),
        "date": _pdf_date(str(info.get("/CreationDate") or "")),
    }
    return meta, "\n\n".join(p.strip() for p in pages)


def _pdf_date(raw: str) -> str | None:
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", raw)
    if not m:
        return None
    return "-".join(p for p in m.groups() if p)


def iso_date(value: object) -> str | None:
    """Normalise a date to YYYY-MM-DD (or YYYY-MM, YYYY); None when absent or unparseable."""
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    s = str(value).strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s):
        return s if _real_date(s) else None
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d %B %Y", "%B %d, %Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(s[: len(s)], fmt).date().isoformat()
        except ValueError:
            continue
    m = re.match(r"(\d{4}-\d{2}-\d{2})", s)
    return m.group(1) if m and _real_date(m.group(1)) else None


def _real_date(iso: str) -> bool:
    """'2024', '2024-02' or '2024-02-29' naming a real day, month or year ('2024-13-45' does not)."""
    parts = [int(p) for p in iso.split("-")]
    try:
        date(*(parts + [1, 1])[:3])
    except ValueError:
        return False
    return True


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return ""


def _opt(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip()[:_META_CHARS]
    return s or None
