"""The page's own CSS and JavaScript (no external files: the page loads nothing from the network)."""

CSS = """
.app-head h1 { margin: 0; font-size: 1.5em; }
.app-head p { margin: 2px 0 0 0; color: var(--body-text-color-subdued); }
#transcript { min-height: 420px; }
.transcript { display: flex; flex-direction: column; gap: 14px; }
.transcript .user { align-self: flex-end; background: var(--color-accent-soft); border-radius: 12px;
  padding: 8px 12px; margin-left: 15%; white-space: pre-wrap; }
.transcript .turn { display: flex; flex-direction: column; gap: 8px; }
.bot { background: var(--block-background-fill); border: 1px solid var(--border-color-primary);
  border-radius: 12px; padding: 10px 14px; margin-right: 8%; }
.bot p { margin: 0 0 6px 0; }
.bot ul { margin: 4px 0 4px 18px; }
.bot .searched { color: var(--body-text-color-subdued); font-size: 0.9em; }
.bot .related-head, .bot ul.related { color: var(--body-text-color-subdued); font-size: 0.9em; }
#sources h3.related-head { margin-top: 12px; }
.bot.streaming::after { content: "▍"; opacity: 0.6; }
.bot.pending { color: var(--body-text-color-subdued); font-style: italic; }
.bot.error { border-color: #d9534f; color: #a94442; background: #fdf2f2; }
.bot.abstained .banner { display: flex; flex-direction: column; gap: 2px; border-left: 5px solid #e0a800;
  background: #fff8e1; color: #5c4400; padding: 8px 12px; border-radius: 6px; margin-bottom: 8px; }
.conflict-badge { display: inline-block; background: #fde2e1; color: #8a1f17; border-radius: 6px;
  padding: 1px 8px; font-size: 0.85em; }
a.cite { font-weight: 600; text-decoration: none; color: var(--color-accent); cursor: pointer;
  padding: 0 1px; border-radius: 3px; }
a.cite:hover, a.cite:focus { background: var(--color-accent-soft); }
.cite-sample { font-weight: 600; color: var(--color-accent); }
#sources .turn-sources h3 { margin: 0 0 2px 0; }
#sources .for { color: var(--body-text-color-subdued); font-size: 0.85em; margin: 0 0 8px 0; }
.card { border: 1px solid var(--border-color-primary); border-radius: 8px; margin-bottom: 8px;
  padding: 6px 10px; background: var(--block-background-fill); }
.card.active { outline: 3px solid var(--color-accent); }
.card summary { cursor: pointer; }
.card summary .num { font-weight: 700; color: var(--color-accent); }
.card summary .title { font-weight: 600; }
.card summary .preview { display: block; color: var(--body-text-color-subdued); font-size: 0.85em; }
.card[open] summary .preview { display: none; }
.meta { color: var(--body-text-color-subdued); font-size: 0.85em; margin: 6px 0; }
.docid { font-family: var(--font-mono); }
.passage { white-space: pre-wrap; line-height: 1.5; font-size: 0.95em; }
.passage mark { background: #ffe066; color: #222; padding: 0 1px; }
.docview .passage { max-height: 420px; overflow-y: auto; }
.quote-ref { width: 100%; font-size: 0.85em; margin-top: 6px; resize: vertical; }
.qlabel { font-size: 0.8em; color: var(--body-text-color-subdued); display: block; margin-top: 6px; }
.card-actions { display: flex; gap: 8px; margin: 4px 0; }
.card-actions button { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 2px 10px;
  background: var(--button-secondary-background-fill); cursor: pointer; font-size: 0.85em; }
table.overview { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.overview th, table.overview td { border-bottom: 1px solid var(--border-color-primary); padding: 4px 6px;
  text-align: left; vertical-align: top; }
table.overview td.num { text-align: right; }
.notice { padding: 6px 10px; border-radius: 6px; white-space: pre-wrap; }
.notice.error { background: #fdf2f2; color: #a94442; }
.notice.ok { background: #eef8ee; color: #24632a; }
"""

# Runs once on page load (Gradio's `js=`): one delegated click handler for the whole page, so it
# keeps working however often the answer and sources HTML are replaced.
JS = """
() => {
  if (window.__citingUi) return;
  window.__citingUi = true;
  const openSource = (turn, id) => {
    const panel = document.getElementById('sources');
    if (!panel) return;
    panel.querySelectorAll('.turn-sources').forEach(g => { g.hidden = g.dataset.turn !== String(turn); });
    panel.querySelectorAll('.card.active').forEach(c => c.classList.remove('active'));
    const card = document.getElementById(id);
    if (!card) return;
    card.open = true;
    card.classList.add('active');
    card.scrollIntoView({block: 'center'});
  };
  document.addEventListener('click', (ev) => {
    const cite = ev.target.closest('a.cite');
    if (cite) {
      ev.preventDefault();
      openSource(cite.dataset.turn, cite.getAttribute('href').slice(1));
      return;
    }
    const copy = ev.target.closest('button.copy-quote');
    if (copy) {
      const area = document.getElementById(copy.dataset.target);
      if (!area) return;
      area.select();
      const done = () => { copy.textContent = 'Copied'; setTimeout(() => { copy.textContent = 'Copy quote'; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(area.value).then(done, () => { document.execCommand('copy'); done(); });
      } else { document.execCommand('copy'); done(); }
    }
  });
}
"""

# The sources panel's own loader (`gr.HTML(js_on_load=...)`): a "Show in document" click becomes a
# Gradio event carrying the document id and span, which the server looks up in the index.
SOURCES_ON_LOAD = """
element.addEventListener('click', (ev) => {
  const b = ev.target.closest('button.open-doc');
  if (b) trigger('click', {doc_id: b.dataset.doc, start: Number(b.dataset.start), end: Number(b.dataset.end)});
});
"""

SCROLL_TO_DOC = (
    "() => { const m = document.querySelector('#docview mark'); if (m) m.scrollIntoView({block: 'center'}); }"
)
