"""Text cleaning: normalise whitespace and drop page furniture, never touching sentences."""

from __future__ import annotations

import re

# Whole lines that web captures add around an article (navigation, share buttons, counters).
_FURNITURE = [
    r"top of page",
    r"bottom of page",
    r"\d+\s*visualizzazion[ei]\s*\d*\s*comment[io]",
    r"paylaş",
    r"share( this)?( post| article)?:?",
    r"this post is also available in:.*",
    r"similar posts.*",
    r"related (news|posts|articles)",
    r"skip to (main )?content",
    r"(print|email|tweet|share on \w+)",
    r"advertisement",
]
_FURNITURE_RE = re.compile(r"^\s*(?:" + "|".join(_FURNITURE) + r")\s*$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Unify line endings and odd spaces, strip trailing blanks, keep at most one empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\t", "    ")
    text = "".join(ch for ch in text if ch == "\n" or ch >= " " or ch == "\t")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def drop_furniture(text: str) -> str:
    """Remove lines that are page furniture (see _FURNITURE); other lines pass unchanged."""
    kept = [line for line in text.split("\n") if not _FURNITURE_RE.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


def clean(text: str) -> str:
    return drop_furniture(normalise(text))
