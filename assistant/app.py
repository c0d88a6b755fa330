"""The browser chat (Gradio only): each action calls an `Assistant` method; HTML comes from `ui.render`."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

# Before gradio is imported: no version check or telemetry calls (these machines have no network).
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from .cli import print_progress  # noqa: E402
from .corpus import SUPPORTED  # noqa: E402
from .errors import AssistantError  # noqa: E402
from .service import Assistant  # noqa: E402
from .settings import Settings  # noqa: E402
from .ui import assets  # noqa: E402
from .ui.forms import append_feedback, auth_for, feedback_record, make_filters, save_uploads  # noqa: E402
from .ui.render import (  # noqa: E402
    Turn,
    render_document,
    render_notice,
    render_overview,
    render_sources,
    render_transcript,
    render_welcome,
    stream_chunks,
)

log = logging.getLogger(__name__)

EXAMPLES = [
    "What did Japan say it would send to the US to be passed on to Ukraine?",
    "When did Germany sign the ACSA with Japan?",
    "What is the capital of Brazil?",
]
STREAM_WORDS = 6  # words added per streamed chunk
STREAM_PAUSE_S = 0.02  # between chunks: a 120-word answer takes 0.4 s to unfold
ANSWER_CONCURRENCY = 4  # questions answered at once; the model and index are shared and thread-safe
PASSAGE_WINDOW = 1000  # characters either side of a span returned by the /passage endpoint


def doc_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """(label, doc id) for the document filter; a title shared by two documents gets its file name."""
    docs = assistant.documents()
    titles = [d.title for d in docs]
    return [(d.title if titles.count(d.title) == 1 else f"{d.title} ({d.doc_id})", d.doc_id) for d in docs]


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page over one assistant. Public API endpoints: /ask, /passage, /chat, /add_documents."""

    def welcome() -> str:
        return render_welcome(assistant.documents(), assistant.passage_counts())

    def page(turns: list[Turn]) -> tuple[str, str]:
        return render_transcript(turns, welcome() if not turns else ""), render_sources(turns)

    def chat(question: str, doc_ids: list[str] | None, date_from: str, date_to: str,
             turns: list[Turn] | None) -> Iterator[tuple[str, str, list[Turn], str]]:
        turns = list(turns or [])
        q = question if isinstance(question, str) else ""
        turns.append(Turn(q))
        try:
            filters = make_filters(doc_ids, date_from, date_to)
        except AssistantError as exc:
            turns[-1] = Turn(q, error=str(exc))
            yield (*page(turns), turns, q)  # keep the question so it can be fixed
            return
        yield (*page(turns), turns, "")
        # The searched form of earlier questions, so a chain of follow-ups keeps its topic.
        history = [t.answer.corrected_question or t.answer.question for t in turns[:-1] if t.answer]
        try:
            answer = assistant.ask(q, filters, history)
        except AssistantError as exc:
            turns[-1] = Turn(q, error=str(exc))
            yield (*page(turns), turns, "")
            return
        except Exception:
            log.exception("answering %r failed", q[:200])
            turns[-1] = Turn(q, error="something went wrong while answering; the server log has the details")
            yield (*page(turns), turns, "")
            return
        if not answer.abstained:
            for prefix in stream_chunks(answer.answer, STREAM_WORDS):
                turns[-1] = Turn(q, answer, shown=prefix)
                yield (*page(turns), turns, "")
                time.sleep(STREAM_PAUSE_S)
        turns[-1] = Turn(q, answer)
        yield (*page(turns), turns, "")

    def clear() -> tuple[str, str, list[Turn], str, str]:
        return (*page([]), [], "", "")

    def feedback(rating: str, turns: list[Turn] | None) -> str:
        answered = [t for t in (turns or []) if t.answer is not None]
        if not answered:
            return render_notice("Ask a question first; the rating applies to the latest answer.", "error")
        last = answered[-1]
        append_feedback(assistant.settings.feedback_path, feedback_record(last.answer, rating))
        word = "helpful" if rating == "up" else "not helpful"
        return render_notice(f"Thanks: “{word}” saved for “{last.question[:80]}”.", "ok")

    def open_document(evt: gr.EventData) -> str:
        data = getattr(evt, "_data", None) or {}
        doc_id = data.get("doc_id")
        doc = assistant.document(doc_id) if isinstance(doc_id, str) else None
        if doc is None:
            return render_notice(
                f"unknown document {str(doc_id)[:200]!r}; only indexed documents can be shown", "error")
        try:
            start, end = int(data.get("start", 0)), int(data.get("end", 0))
        except (TypeError, ValueError):
            start = end = 0
        return render_document(doc, start, end)

    def add_documents(files: list[str] | None) -> tuple[str, Any, str, None]:
        if not files:
            return render_notice("Choose one or more files first.", "error"), gr.skip(), gr.skip(), None
        settings = assistant.settings
        result = save_uploads(files, settings.corpus_dir, settings.max_upload_mb)
        lines = result.lines()
        kind = "ok" if result.saved else "error"
        if result.saved:
            try:
                summary = assistant.index()
            except AssistantError as exc:
                lines.append(f"indexing failed: {exc}")
                kind = "error"
            else:
                lines += [f"skipped {path}: {reason}" for path, reason in summary.skipped]
                lines.append(f"index updated: {summary.line()}")
        overview = render_overview(assistant.documents(), assistant.passage_counts())
        return render_notice("\n".join(lines), kind), gr.Dropdown(choices=doc_choices(assistant)), overview, None

    def on_load() -> tuple[str, str, Any]:
        return welcome(), render_overview(assistant.documents(), assistant.passage_counts()), gr.Dropdown(
            choices=doc_choices(assistant)
        )

    # -- API-only endpoints ----------------------------------------------------------------------
    def ask(question: str, doc_ids: list[str] | None = None, date_from: str | None = None,
            date_to: str | None = None, history: list[str] | None = None) -> dict:
        """The same JSON object as `assistant ask --json`. doc_ids restricts to those documents,
        date_from/date_to (YYYY[-MM[-DD]]) to a date range, history lists earlier questions."""
        try:
            known = {d.doc_id for d in assistant.documents()} if doc_ids else None
            filters = make_filters(doc_ids, date_from, date_to, known=known)
            hist = [h for h in (history or []) if isinstance(h, str)]
            return assistant.ask(question, filters, hist).to_json()
        except AssistantError as exc:
            raise gr.Error(str(exc)) from None

    def passage(doc_id: str, start: int = 0, end: int = 0) -> dict:
        """An indexed document's text around [start, end) and its metadata; doc_id must be indexed."""
        doc = assistant.document(doc_id) if isinstance(doc_id, str) else None
        if doc is None:
            raise gr.Error(f"unknown document {str(doc_id)[:200]!r}; ids are listed by the corpus overview")
        try:
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            raise gr.Error(f"start and end must be whole numbers of characters, not {str(start)[:20]!r} and "
                           f"{str(end)[:20]!r}") from None
        start = max(0, min(start, len(doc.text)))
        end = max(start, min(end, len(doc.text)))
        lo, hi = max(0, start - PASSAGE_WINDOW), min(len(doc.text), end + PASSAGE_WINDOW)
        # No "path" key: gradio_client would take a dict with one for a file to download.
        return {"doc_id": doc.doc_id, "title": doc.title, "publisher": doc.publisher, "author": doc.author,
                "date": doc.date, "start": start, "end": end, "quote": doc.text[start:end],
                "context_start": lo, "context": doc.text[lo:hi]}

    with gr.Blocks(title="Citing assistant", analytics_enabled=False) as demo:
        turns = gr.State([])
        gr.HTML('<div class="app-head"><h1>Citing assistant</h1><p>Answers quoted from your documents, '
                'each sentence with its source. Runs on this machine.</p></div>', js_on_load=None)
        with gr.Tabs():
            with gr.Tab("Chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        transcript = gr.HTML(page([])[0], elem_id="transcript", js_on_load=None, autoscroll=True)
                        with gr.Row():
                            question = gr.Textbox(show_label=False, placeholder="Ask a question about the documents…",
                                                  scale=5, max_lines=4, elem_id="question")
                            ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                        with gr.Row(elem_id="examples"):
                            example_btns = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
                        with gr.Accordion("Filters", open=False, elem_id="filters"):
                            docs = gr.Dropdown(choices=doc_choices(assistant), multiselect=True,
                                               label="Only these documents", elem_id="filter-docs")
                            with gr.Row():
                                date_from = gr.Textbox(label="From date", placeholder="YYYY, YYYY-MM or YYYY-MM-DD",
                                                       elem_id="date-from")
                                date_to = gr.Textbox(label="To date", placeholder="YYYY, YYYY-MM or YYYY-MM-DD",
                                                     elem_id="date-to")
                            gr.Markdown("Undated documents are left out when a date range is set.")
                        with gr.Row():
                            up_btn = gr.Button("✓ Helpful", size="sm", elem_id="thumbs-up")
                            down_btn = gr.Button("✗ Not helpful", size="sm", elem_id="thumbs-down")
                            clear_btn = gr.Button("New conversation", size="sm", elem_id="clear")
                        feedback_note = gr.HTML("", elem_id="feedback-note", js_on_load=None)
                    with gr.Column(scale=2):
                        sources = gr.HTML(render_sources([]), elem_id="sources", js_on_load=assets.SOURCES_ON_LOAD,
                                          max_height=720)
                        docview = gr.HTML("", elem_id="docview", js_on_load=None)
            with gr.Tab("Documents"):
                overview = gr.HTML(render_overview(assistant.documents(), assistant.passage_counts()),
                                   label="overview", elem_id="overview", js_on_load=None)
                files = gr.File(label="Add documents (.txt, .md, .html, .pdf; up to "
                                f"{assistant.settings.max_upload_mb:g} MB each)", file_count="multiple",
                                file_types=list(SUPPORTED), type="filepath", elem_id="upload")
                add_btn = gr.Button("Add to the index", variant="primary", elem_id="add-docs")
                upload_note = gr.HTML("", label="status", elem_id="upload-note", js_on_load=None)

        chat_io = dict(inputs=[question, docs, date_from, date_to, turns],
                       outputs=[transcript, sources, turns, question],
                       concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer", show_progress="hidden")
        ask_btn.click(chat, **chat_io, api_name="chat", api_visibility="undocumented")
        question.submit(chat, **chat_io, api_name="chat_submit", api_visibility="private")
        for i, (btn, q) in enumerate(zip(example_btns, EXAMPLES)):
            btn.click(lambda q=q: q, None, question, api_name=f"example_{i}", api_visibility="private",
                      queue=False).then(chat, **chat_io, api_name=f"chat_example_{i}", api_visibility="private")
        clear_btn.click(clear, None, [transcript, sources, turns, question, docview],
                        api_name="clear", api_visibility="private", queue=False)
        up_btn.click(lambda t: feedback("up", t), turns, feedback_note, api_name="feedback_up",
                     api_visibility="undocumented")
        down_btn.click(lambda t: feedback("down", t), turns, feedback_note, api_name="feedback_down",
                       api_visibility="undocumented")
        sources.click(open_document, None, docview, api_name="open_document", api_visibility="private").then(
            None, js=assets.SCROLL_TO_DOC, api_name="scroll_to_document", api_visibility="private")
        add_btn.click(add_documents, files, [upload_note, docs, overview, files], api_name="add_documents",
                      concurrency_limit=1, concurrency_id="index")
        demo.load(on_load, None, [transcript, overview, docs], api_name="load", api_visibility="private",
                  show_progress="hidden")
        gr.api(ask, api_name="ask", concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer")
        gr.api(passage, api_name="passage")
    return demo


def launch(assistant: Assistant, settings: Settings) -> tuple[gr.Blocks, str]:
    """Start the chat in background threads; returns the app and its local URL.

    Raises ConfigError when listening beyond loopback without a login.
    """
    auth = auth_for(settings)
    demo = build_app(assistant)
    _, url, _ = demo.launch(
        server_name=settings.host, server_port=settings.port, auth=auth,
        auth_message="Log in with ASSISTANT_AUTH_USER / ASSISTANT_AUTH_PASSWORD." if auth else None,
        max_file_size=int(settings.max_upload_mb * 1024 * 1024), prevent_thread_lock=True, quiet=True,
        ssr_mode=False, css=assets.CSS, js=assets.JS, show_error=False,
    )
    return demo, url


def serve(settings: Settings) -> int:
    """`assistant serve`: bring the index up to date, load the model, serve until Ctrl-C."""
    auth = auth_for(settings)  # refuse an open port before any slow work
    started = time.perf_counter()
    assistant = Assistant(settings)
    # Incremental: the first start builds the index, later ones only pick up changed files.
    print(f"indexing {settings.corpus_dir}…", flush=True)
    summary = assistant.index(progress=print_progress)
    for path, reason in summary.skipped:
        print(f"skipped {path}: {reason}")
    print(f"index ready: {summary.line()}", flush=True)
    print("loading the embedding model…", flush=True)
    assistant.warm_up()
    try:  # one real question: the model's first full-size batches cost about 2 s, paid here, not by a user
        assistant.ask(EXAMPLES[0])
    except AssistantError:
        pass
    if auth:
        print(f"login required: user {auth[0]!r} (from ASSISTANT_AUTH_USER / ASSISTANT_AUTH_PASSWORD)", flush=True)
    demo, url = launch(assistant, settings)
    docs, passages = assistant.counts()
    print(f"chat ready at {url} ({docs} documents, {passages} passages; started in "
          f"{time.perf_counter() - started:.1f} s); Ctrl-C stops it", flush=True)
    try:
        demo.block_thread()
    finally:
        demo.close()
    return 0
