"""The chat's HTML: escaping of document text, [n] markers as links, the highlighted span."""

from __future__ import annotations

import re
import subprocess
import sys

from assistant.schema import Answer, Citation, Document
from assistant.ui.render import (
    Turn,
    highlight,
    quote_reference,
    render_answer,
    render_answer_text,
    render_card,
    render_document,
    render_line,
    render_overview,
    render_sources,
    render_transcript,
    stream_chunks,
)

HOSTILE = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> [x](javascript:alert(1)) **b**'


def cite(n=1, text="Alpha beta. The quoted sentence here. Gamma.", quote="The quoted sentence here.",
         passage_start=100, title="A “title”", **kw) -> Citation:
    s = text.index(quote)
    fields = dict(n=n, doc_id="doc.md", title=title, publisher="Pub", author="Ann Author", date="2024-02-08",
                  text=text, passage_start=passage_start, passage_end=passage_start + len(text),
                  start=passage_start + s, end=passage_start + s + len(quote), score=0.9, quote=quote)
    fields.update(kw)
    return Citation(**fields)


def answer(text, citations, **kw) -> Answer:
    return Answer(question="q?", answer=text, abstained=False, citations=citations, timings_ms={}, **kw)


def no_raw_tags(html: str) -> bool:
    """No element from document text survived: only our own tags appear."""
    return not re.search(r"<(script|img|iframe)\b", html, re.I) and "javascript:" not in re.sub(
        r"&[#\w]+;", "", "".join(re.findall(r'href="([^"]*)"', html))
    )


def test_marker_at_line_end_becomes_a_link_to_its_passage():
    html = render_line("Japan sent missiles. [2]", 3, {2: cite(2)})
    assert html.startswith("Japan sent missiles. ")
    assert '<a href="#src-3-2" class="cite" data-turn="3" data-n="2"' in html
    assert html.endswith(">[2]</a>")


def test_glued_footnote_and_uncited_numbers_stay_text():
    cites = {1: cite(1)}
    html = render_line("As agreed.[3] [1]", 0, cites)
    assert html.count('class="cite"') == 1 and "As agreed.[3]" in html
    assert 'class="cite"' not in render_line("Footnote in the middle [1] of a line.", 0, cites)
    assert 'class="cite"' not in render_line("Unknown marker [7]", 0, cites)


def test_conflict_header_links_every_marker_and_keeps_the_colon():
    cites = {1: cite(1), 2: cite(2)}
    html = render_line("The sources give different accounts [1] [2]:", 0, cites)
    assert html.count('class="cite"') == 2 and html.endswith("</a>:")


def test_answer_lines_bullets_and_short_answer():
    text = "Short answer: September 2023 [1]\nIn September 2023, Tokyo announced it. [1]\n- Another one. [2]"
    html = render_answer_text(text, 0, [cite(1), cite(2)])
    assert '<p class="short"><strong>Short answer:</strong> September 2023' in html
    assert html.count("<li>") == 1 and html.count("<ul>") == 1 and html.count("</ul>") == 1


def test_hostile_text_is_escaped_everywhere():
    c = cite(1, text=f"Before. {HOSTILE} After.", quote=HOSTILE, title=HOSTILE, publisher=HOSTILE, author=HOSTILE,
             doc_id="<b>id</b>.md")
    a = answer(f"{HOSTILE} [1]", [c], corrected_question=HOSTILE)
    turn = Turn(question=HOSTILE, answer=a)
    html = render_transcript([turn], "") + render_sources([turn])
    assert no_raw_tags(html)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "<b>id</b>" not in html and "**b**" in html  # Markdown is not interpreted either
    doc = Document("d.md", "d.md", HOSTILE, f"x {HOSTILE} y", "sha", HOSTILE, HOSTILE, "2024")
    assert no_raw_tags(render_document(doc, 2, 2 + len(HOSTILE)))
    assert no_raw_tags(render_overview([doc], {"d.md": 1}))


def test_errors_and_questions_are_escaped():
    html = render_transcript([Turn(question="<img src=x onerror=alert(1)>", error="bad <script>")], "")
    assert no_raw_tags(html) and "bad &lt;script&gt;" in html and 'role="alert"' in html


def test_a_huge_question_is_echoed_clipped():
    html = render_transcript([Turn(question="x" * 100_000, error="too long")], "")
    assert len(html) < 3000 and "x…" in html


def test_highlight_marks_the_quoted_span_by_offsets():
    c = cite()
    assert highlight(c) == "Alpha beta. <mark>The quoted sentence here.</mark> Gamma."


def test_highlight_falls_back_to_finding_the_quote_when_offsets_disagree():
    c = cite(start=0, end=5)  # offsets that do not point at the quote
    assert "<mark>The quoted sentence here.</mark>" in highlight(c)
    assert "<mark>" not in highlight(Citation(**{**cite().to_json(), "start": 0, "end": 5, "quote": "absent"}))


def test_highlight_escapes_inside_and_around_the_mark():
    c = cite(text="a < b. The <i>quote</i> & more. c > d", quote="The <i>quote</i> & more.")
    assert highlight(c) == "a &lt; b. <mark>The &lt;i&gt;quote&lt;/i&gt; &amp; more.</mark> c &gt; d"


def test_quote_reference_format_and_missing_fields():
    assert quote_reference(cite()) == "“The quoted sentence here.” — Ann Author, “A “title””, Pub, 2024-02-08"
    bare = cite(author=None, publisher=None, date=None, title="T")
    assert quote_reference(bare) == "“The quoted sentence here.” — “T”"


def test_card_has_id_mark_meta_and_copyable_quote():
    html = render_card(2, cite(3))
    assert 'id="src-2-3"' in html and "<mark>" in html and "Publisher: Pub" in html and "Date: 2024-02-08" in html
    assert '<textarea id="src-2-3-q" class="quote-ref" readonly' in html and 'data-target="src-2-3-q"' in html
    assert 'data-doc="doc.md"' in html


def test_abstention_is_a_distinct_state_with_nearest_passages():
    a = Answer("Capital of Brazil?", "The documents do not answer this question.", True, [], {}, nearest=[cite(1)])
    html = render_answer(0, Turn("Capital of Brazil?", a))
    assert "abstained" in html and "Not in the documents" in html and 'href="#src-0-1"' in html
    assert "Nearest passages (not an answer)" in render_sources([Turn("q", a)])


def test_only_the_latest_turn_sources_are_visible():
    turns = [Turn("a", answer("x [1]", [cite(1)])), Turn("b", answer("y [1]", [cite(1)]))]
    html = render_sources(turns)
    assert '<section class="turn-sources" data-turn="0" hidden>' in html
    assert '<section class="turn-sources" data-turn="1">' in html
    assert 'id="src-0-1"' in html and 'id="src-1-1"' in html


def test_streaming_prefixes_grow_to_the_whole_text_and_mark_the_turn():
    text = "one two three four five six seven\n- eight nine [1]"
    chunks = list(stream_chunks(text, 3))
    assert chunks[-1] == text and all(text.startswith(c) for c in chunks)
    assert all(len(a) < len(b) for a, b in zip(chunks, chunks[1:]))
    a = answer(text, [cite(1)])
    assert "streaming" in render_answer(0, Turn("q", a, shown=chunks[0]))
    assert "streaming" not in render_answer(0, Turn("q", a))
    assert list(stream_chunks("", 3)) == [""]


def test_document_view_is_windowed():
    doc = Document("d.md", "d.md", "T", "x" * 10000 + "QUOTE" + "y" * 10000, "sha")
    html = render_document(doc, 10000, 10005, window=50)
    assert "<mark>QUOTE</mark>" in html and len(html) < 1000 and html.count("…") == 2


def test_core_modules_never_import_gradio():
    code = "import assistant.service, assistant.cli, assistant.ui.render, assistant.ui.forms, sys; " \
           "assert 'gradio' not in sys.modules, 'gradio imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_related_passages_are_listed_apart_from_the_sources():
    a = Answer("Q?", "Lead sentence. [1]", False, [cite(1)], {}, related=[cite(2)])
    turn = Turn("Q?", a)
    html = render_answer(0, turn)
    assert "Related passages (not quoted in the answer)" in html and 'data-n="2"' in html
    panel = render_sources([turn])
    assert panel.index('id="src-0-1"') < panel.index("Related (not quoted") < panel.index('id="src-0-2"')
