"""HTML for the chat page. Pure functions; every piece of text from a document or a user goes
through `html.escape` here, so a document holding `<script>` or `[x](javascript:...)` shows as text.

The HTML is shown by `gr.HTML`, which inserts it with `innerHTML` and renders no Markdown, so
the escaping below is the whole of the defence: nothing else in the page touches this text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape

from ..schema import Answer, Citation, Document

# The core ends each answer line with its markers, each after a space ("... sentence. [2]",
# "The sources give different accounts [1] [2]:"). A bracketed number glued to the text
# ("agreement.[3]") is the document's own footnote and stays text.
_TRAILING_MARKERS = re.compile(r"((?:\s+\[\d+\])+)(:?)\s*$")
_MARKER = re.compile(r"\[(\d+)\]")
_PREVIEW_CHARS = 110
_QUESTION_SHOWN = 2000  # characters of a question echoed back (the core refuses longer ones anyway)
_DOC_WINDOW = 4000  # characters of the document shown on each side of a quote in the document view


@dataclass
class Turn:
    """One exchange of the conversation, as the page shows it."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    shown: str | None = None  # the part of the answer text streamed so far (None: all of it)

    @property
    def sources(self) -> list[Citation]:
        if self.answer is None:
            return []
        return self.answer.citations + self.answer.related or self.answer.nearest


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def source_id(turn: int, n: int) -> str:
    """The element id of passage n of turn `turn` in the sources panel."""
    return f"src-{turn}-{n}"


def marker(turn: int, c: Citation) -> str:
    return (
        f'<a href="#{source_id(turn, c.n)}" class="cite" data-turn="{turn}" data-n="{c.n}" '
        f'title="{esc(c.title)}">[{c.n}]</a>'
    )


def render_line(line: str, turn: int, cites: dict[int, Citation]) -> str:
    """One answer line, escaped, with its trailing [n] markers turned into links to passages."""
    m = _TRAILING_MARKERS.search(line)
    if not m:
        return esc(line)
    linked = []
    for num in _MARKER.findall(m.group(1)):
        c = cites.get(int(num))
        linked.append(marker(turn, c) if c else esc(f"[{num}]"))
    return esc(line[: m.start()]) + " " + " ".join(linked) + esc(m.group(2))


def render_answer_text(text: str, turn: int, citations: Iterable[Citation]) -> str:
    """The answer's lines as HTML: "- " lines become a list, "Short answer:" is set in bold."""
    cites = {c.n: c for c in citations}
    out: list[str] = []
    in_list = False
    for line in text.split("\n"):
        if not line.strip():
            continue
        bullet = line.startswith("- ")
        if bullet and not in_list:
            out.append("<ul>")
        elif not bullet and in_list:
            out.append("</ul>")
        in_list = bullet
        if bullet:
            out.append(f"<li>{render_line(line[2:], turn, cites)}</li>")
        elif line.startswith("Short answer: "):
            out.append(f'<p class="short"><strong>Short answer:</strong> {render_line(line[14:], turn, cites)}</p>')
        else:
            out.append(f"<p>{render_line(line, turn, cites)}</p>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def render_answer(turn_no: int, turn: Turn) -> str:
    """The assistant's side of one turn: an answer, the "not in the documents" state, or an error."""
    if turn.error is not None:
        return f'<div class="bot error" role="alert">⚠ {esc(turn.error)}</div>'
    a = turn.answer
    if a is None:
        return '<div class="bot pending">Searching the documents…</div>'
    note = f'<p class="searched">Searched for: <em>{esc(a.corrected_question)}</em></p>' if a.corrected_question else ""
    if a.abstained:
        nearest = _passage_list(turn_no, a.nearest, "The nearest passages (they do not answer it):", "nearest")
        return (
            f'<div class="bot abstained">{note}<div class="banner" role="status"><strong>Not in the documents</strong>'
            f"<span>{esc(a.answer)}</span></div>{nearest}</div>"
        )
    text = a.answer if turn.shown is None else turn.shown
    badge = '<p class="conflict-badge">The sources disagree</p>' if a.conflict else ""
    streaming = turn.shown is not None and turn.shown != a.answer
    related = "" if streaming else _passage_list(turn_no, a.related, "Related passages (not quoted in the answer):", "related")
    return (f'<div class="bot answer{" streaming" if streaming else ""}">{note}{badge}'
            f"{render_answer_text(text, turn_no, a.citations)}{related}</div>")


def _passage_list(turn_no: int, cites: list[Citation], heading: str, css: str) -> str:
    """Passages named under an answer with their markers: "the nearest" or "related" ones."""
    items = "".join(f"<li>{marker(turn_no, c)} {esc(c.title)}: <q>{esc(_preview(c.quote))}</q></li>" for c in cites)
    return f'<p class="{css}-head">{esc(heading)}</p><ul class="{css}">{items}</ul>' if items else ""


def render_transcript(turns: list[Turn], welcome: str) -> str:
    """The whole conversation, or the first-time help when it is empty."""
    if not turns:
        return f'<div class="transcript empty">{welcome}</div>'
    parts = []
    for i, t in enumerate(turns):
        q = t.question if len(t.question) <= _QUESTION_SHOWN else t.question[:_QUESTION_SHOWN] + "…"
        parts.append(f'<div class="turn" data-turn="{i}"><div class="user">{esc(q)}</div>{render_answer(i, t)}</div>')
    return f'<div class="transcript">{"".join(parts)}</div>'


def highlight(c: Citation) -> str:
    """The cited passage, escaped, with the quoted span inside <mark>."""
    text = c.text
    s, e = c.start - c.passage_start, c.end - c.passage_start
    if not (0 <= s < e <= len(text)) or text[s:e] != c.quote:
        found = text.find(c.quote) if c.quote else -1
        if found < 0:
            return esc(text)
        s, e = found, found + len(c.quote)
    return f"{esc(text[:s])}<mark>{esc(text[s:e])}</mark>{esc(text[e:])}"


def quote_reference(c: Citation) -> str:
    """Plain text to paste into an article: “quote” — Author, “Title”, Publisher, Date."""
    parts = [p for p in (c.author, f"“{c.title}”", c.publisher, c.date) if p]
    return f"“{c.quote.strip()}” — {', '.join(parts)}"


def meta_line(publisher: str | None, author: str | None, date: str | None) -> str:
    parts = [
        f"Publisher: {esc(publisher)}" if publisher else "Publisher not stated",
        f"Author: {esc(author)}" if author else "Author not stated",
        f"Date: {esc(date)}" if date else "Undated",
    ]
    return " · ".join(parts)


def render_card(turn: int, c: Citation) -> str:
    """One passage in the sources panel: a <details> that a click on its marker opens."""
    sid = source_id(turn, c.n)
    return (
        f'<details class="card" id="{sid}" data-n="{c.n}">'
        f'<summary><span class="num">[{c.n}]</span> <span class="title">{esc(c.title)}</span>'
        f'<span class="preview">{esc(_preview(c.quote))}</span></summary>'
        f'<div class="meta">{meta_line(c.publisher, c.author, c.date)}<br><span class="docid">{esc(c.doc_id)}</span>'
        f" · characters {c.start:,}–{c.end:,}</div>"
        f'<div class="passage">{highlight(c)}</div>'
        f'<label class="qlabel" for="{sid}-q">Copy as quote</label>'
        f'<textarea id="{sid}-q" class="quote-ref" readonly rows="3">{esc(quote_reference(c))}</textarea>'
        f'<div class="card-actions"><button type="button" class="copy-quote" data-target="{sid}-q">Copy quote</button>'
        f'<button type="button" class="open-doc" data-doc="{esc(c.doc_id)}" data-start="{c.start}" '
        f'data-end="{c.end}">Show in document</button></div>'
        "</details>"
    )


def render_sources(turns: list[Turn]) -> str:
    """Sources of every answered turn; only the latest is visible until an older marker is clicked."""
    shown = [(i, t) for i, t in enumerate(turns) if t.sources]
    if not shown:
        return ('<div class="sources-empty">The passages cited by an answer appear here. '
                "Click a [n] marker to open one.</div>")
    last = shown[-1][0]
    groups = []
    for i, t in shown:
        a = t.answer  # set: a turn with sources has an answer
        if a.abstained:
            head, cards = "Nearest passages (not an answer)", "".join(render_card(i, c) for c in a.nearest)
        else:
            head, cards = "Sources", "".join(render_card(i, c) for c in a.citations)
            if a.related:
                cards += '<h3 class="related-head">Related (not quoted in the answer)</h3>'
                cards += "".join(render_card(i, c) for c in a.related)
        hidden = "" if i == last else " hidden"
        groups.append(
            f'<section class="turn-sources" data-turn="{i}"{hidden}><h3>{head}</h3>'
            f'<p class="for">for: {esc(t.question)}</p>{cards}</section>'
        )
    return "".join(groups)


def render_overview(docs: list[Document], passages: dict[str, int]) -> str:
    """The corpus as a table: title, publisher, author, date, passages, file."""
    if not docs:
        return '<p class="overview-empty">No documents are indexed yet. Add some in the Documents tab.</p>'
    rows = "".join(
        f"<tr><td>{esc(d.title)}</td><td>{esc(d.publisher or '—')}</td><td>{esc(d.author or '—')}</td>"
        f"<td>{esc(d.date or '—')}</td><td class='num'>{passages.get(d.doc_id, 0):,}</td>"
        f"<td class='docid'>{esc(d.doc_id)}</td></tr>"
        for d in docs
    )
    return (
        '<table class="overview"><thead><tr><th>Document</th><th>Publisher</th><th>Author</th><th>Date</th>'
        f"<th>Passages</th><th>File</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def render_welcome(docs: list[Document], passages: dict[str, int]) -> str:
    """First-time help: what the assistant does, how to read an answer, and what it has read."""
    dated = sorted(d.date for d in docs if d.date)
    span = f", dated {esc(dated[0])} to {esc(dated[-1])}" if dated else ""
    return (
        '<div class="welcome"><h2>Ask the documents</h2>'
        "<p>Every sentence of an answer is quoted from a document and carries a marker such as "
        "<span class='cite-sample'>[1]</span>: click it to see the passage with the quoted sentence highlighted. "
        "When the documents do not answer, you are told so and shown the nearest passages.</p>"
        "<p>Follow-up questions (“and what about Germany?”) use the conversation. "
        "Restrict a question to some documents or dates under <em>Filters</em>; add your own files in the "
        "<em>Documents</em> tab.</p>"
        f"<h3>In the index: {len(docs)} documents, {sum(passages.values()):,} passages{span}</h3>"
        f"{render_overview(docs, passages)}</div>"
    )


def render_document(doc: Document, start: int, end: int, window: int = _DOC_WINDOW) -> str:
    """The document around [start, end) with that span marked; the text is cut `window` characters
    either side so a 50 MB document does not become a 50 MB page."""
    text = doc.text
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lo, hi = max(0, start - window), min(len(text), end + window)
    before = ("…" if lo else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return (
        f'<div class="docview"><h3>{esc(doc.title)}</h3>'
        f'<div class="meta">{meta_line(doc.publisher, doc.author, doc.date)} · '
        f'<span class="docid">{esc(doc.doc_id)}</span></div>'
        f'<div class="passage">{esc(before)}<mark>{esc(text[start:end])}</mark>{esc(after)}</div></div>'
    )


def render_notice(message: str, kind: str = "info") -> str:
    return f'<div class="notice {esc(kind)}">{esc(message)}</div>' if message else ""


def stream_chunks(text: str, words: int = 6) -> Iterator[str]:
    """Growing prefixes of `text`, `words` words at a time, ending with the whole text."""
    ends = [m.end() for m in re.finditer(r"\S+\s*", text)]
    for i in range(words - 1, len(ends), words):
        yield text[: ends[i]]
    if not ends or len(ends) % words:
        yield text


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 1].rstrip() + "…"
