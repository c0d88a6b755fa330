"""Split a cleaned document into passages of whole sentences, each keeping its character offsets."""

from __future__ import annotations

from .text import sentence_spans


def chunk_spans(text: str, chunk_chars: int, overlap_chars: int) -> list[tuple[int, int]]:
    """(start, end) offsets of passages covering `text`; text[start:end] is the passage.

    Sentences are packed until the next would push a passage past `chunk_chars`. The next
    passage starts with as many trailing sentences of the previous one as fit in
    `overlap_chars`, so a fact stated across a boundary is whole in at least one passage.
    With chunk_chars=900 and overlap_chars=200 a 4,000-character article with 25 sentences
    becomes about six passages of 600-900 characters, each repeating the last one or two
    sentences of the one before. A sentence longer than `chunk_chars` is cut at spaces.
    """
    units = _units(text, chunk_chars)
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - units[i][0] <= chunk_chars:
            j += 1
        chunks.append((units[i][0], units[j][1]))
        if j + 1 >= len(units):
            break
        # Step back over trailing sentences that fit in the overlap, but always move forward, and
        # only as far as still leaves room for the next sentence: otherwise the next passage
        # would end where this one ends and repeat only its tail.
        k = j + 1
        while (k - 1 > i and units[j][1] - units[k - 1][0] <= overlap_chars
               and units[j + 1][1] - units[k - 1][0] <= chunk_chars):
            k -= 1
        i = k
    return chunks


def _units(text: str, limit: int) -> list[tuple[int, int]]:
    """Sentence spans, with any sentence longer than `limit` cut at the last space before it."""
    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        while e - s > limit:
            cut = text.rfind(" ", s + limit // 2, s + limit)
            cut = cut if cut > s else s + limit
            end = cut
            while end > s and text[end - 1].isspace():  # a run of spaces before the cut stays out
                end -= 1
            out.append((s, end))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out
