"""Build a cited answer from the retrieved passages' own sentences; no language model involved.

Every sentence of an answer is a verbatim sentence of a cited passage, so a citation can never
point at text that does not say what the answer says. The work is choosing which sentences:
each candidate is scored by how much of the question's weighted vocabulary it contains and by
its embedding similarity to the question, and the answer is given only when the best support
clears a threshold tuned on the dev questions. An answer quotes the one best sentence (with
what completes it: a list it opens, the speaker next to a quote); only a question asking for
several things gets more cited sentences. Other close passages are offered as related ones,
which carry no claim of the answer.
"""

from __future__ import annotations

import re

import numpy as np

from .absent import absent_names
from .asks import ASKS_REPORTED, ASKS_SPEECH, ASKS_WHY, SPEECH, dates_asked, wants_list, wants_several
from .composer import ASKS_AGENCY, Composer, Embed, PassageAt
from .lexical import LexicalIndex
from .schema import Answer, Citation, Document, Hit
from .sentences import (
    ANAPHOR,
    CONSEQUENCE,
    ENUMERATION,
    Sentence,
    best_per_passage,
    candidates,
    coverage,
    entities,
    near_duplicate,
    same,
)
from .sources import SourceIndex

ABSTAIN_TEXT = "The documents do not answer this question."


# Passages listed after an answer as related (not quoted): at most this many, scoring at least
# this share of the lead sentence's score.
_RELATED = 3
_RELATED_FLOOR = 0.7
# Further sentences of an answer to a question asking for several things score at least this
# share of the best one (chosen on the dev questions: 0.8 cited more passages without the
# evidence, 0.9 dropped list items).
_EXTRA_FLOOR = 0.85
# A sentence naming the kind of thing asked for ("which countries") leads when it scores at least
# this share of the best sentence (as for dates, numbers and names).
_TYPED_LEAD = 0.8
_ITEM_TITLE = 12  # words of a list item's opening sentence that only names the item
_KIND_WORD = {"date": "date", "number": "number", "person": "name", "expansion": "full form"}


def compose(
    question: str,
    hits: list[Hit],
    docs: dict[str, Document],
    lexical: LexicalIndex,
    embed: Embed,
    qvec: np.ndarray,
    *,
    passage_at: PassageAt,
    abstain_below: float,
    max_sentences: int,
    timings_ms: dict[str, float] | None = None,
    original_question: str | None = None,
    corrected: str | None = None,
    sources: SourceIndex | None = None,
) -> Answer:
    """The answer to `question` from `hits` (best first), or an abstention.

    `embed` turns sentences into unit vectors comparable with `qvec`; `passage_at` finds the
    indexed passage holding a span (for neighbouring sentences); `abstain_below` is the support
    the best sentence needs; `sources` tells which documents the question names (default: an
    index of the hits' documents). Deterministic for a given embed function.
    """
    shown = original_question or question
    timings = dict(timings_ms or {})
    c = Composer(question, hits, docs, lexical, embed, qvec, passage_at, sources)
    named = c.sources.named(question)
    if len(named) == 1 and any(h.passage.doc_id == named[0] for h in hits):
        hits = [h for h in hits if h.passage.doc_id == named[0]]  # "according to Magnani": Magnani's words only
    sents = c.shortlist(candidates(hits, docs))
    c.score(sents)
    ranked = sorted(sents, key=lambda s: (-s.score, s.doc.doc_id, s.start))
    best = ranked[0] if ranked else None
    passage_cov = max((coverage(c.weights, h.passage.text) for h in hits[:3]), default=0.0)
    support = 0.0 if best is None else 0.5 * max(best.coverage, passage_cov) + 0.5 * max(s.dense for s in sents)
    timings["support"] = round(support, 4)

    def abstain(reason: str) -> Answer:
        nearest = [_cite(i + 1, s) for i, s in enumerate(best_per_passage(ranked)[:3])]
        text = reason + (" The nearest passages are listed below." if nearest else "")
        return Answer(shown, text, True, [], timings, nearest=nearest, corrected_question=corrected)

    if best is None or not c.weights:
        return abstain(ABSTAIN_TEXT)
    missing = absent_names(question, lexical, [d.text for d in docs.values()])
    if missing:
        return abstain(f"The documents do not mention {', '.join(missing)}, so they do not answer this question.")
    if support < abstain_below:
        return abstain(ABSTAIN_TEXT)
    # A heading ("US Japanese Defense Guidelines") or a reference shares the question's words and
    # states nothing: it never leads.
    lead = next((s for s in ranked if not c.states_nothing(s)), best)
    if c.kinds:
        typed = c.typed(ranked, best)
        # "When did Japan meet French and German ministers, according to the 2015 article and China
        # Military Online?": each named source answers its part (below), though no one sentence
        # names enough of the question's subject to answer it all.
        if typed is None and len(named) < 2:
            return abstain(f"The documents discuss this but do not state the {_KIND_WORD[c.kinds[0]]} asked for.")
        lead = typed or lead
    elif c.thing and not c.names_one(lead):
        # "What islands ...": a close sentence naming islands leads rather than one naming none.
        named_one = next((s for s in ranked if s.score >= _TYPED_LEAD * best.score and c.names_one(s)), None)
        if named_one is None and c.needs_name:
            return abstain(f"The documents discuss this but do not name the {c.thing} asked for.")
        lead = named_one or lead
    if ASKS_SPEECH.search(question) and not any(SPEECH.search(s.text) for s in [lead, *c.neighbours(lead, 2, 1)]):
        return abstain("The documents discuss this but quote nobody saying it.")
    rival = None if wants_several(question) else c.rival(lead, ranked)
    # Beside the lead: another source's different value, or what the text says of the other alternative.
    other = rival or c.alternative(lead, ranked)
    chosen = [lead, other] if other is not None else _grow(c, lead, ranked, best, max_sentences)

    # "What do X and Y say ...": each named source's sentence, in the order they are named.
    per_source = _per_source(c, ranked, named)
    if per_source:
        chosen = per_source
    citations = [_cite(i + 1, s) for i, s in enumerate(chosen)]
    cited = {s.passage.chunk_id for s in chosen}
    near = [s for s in best_per_passage(ranked) if s.passage.chunk_id not in cited and s.score >= _RELATED_FLOOR * best.score]
    related = [_cite(len(citations) + i + 1, s) for i, s in enumerate(near[:_RELATED])]
    short = c.short(lead)
    if "date" in c.kinds and ASKS_REPORTED.search(question) and lead.doc.date:
        # "Who said ..., and when was it reported?": the source's own date, not one in the sentence.
        reported = f"reported {lead.doc.date} by {lead.doc.publisher or f'“{lead.doc.title}”'}"
        person = c.short(lead, ["person"]) if "person" in c.kinds else None
        short = f"{person}; {reported}" if person else reported
    conflict = not per_source and rival is not None
    lines: list[str] = []
    if conflict or per_source:
        markers = " ".join(f"[{x.n}]" for x in citations)
        lines.append(f"The sources give different accounts {markers}:" if conflict else f"What each source says {markers}:")
        for x, s in zip(citations, chosen):
            lines.append(f"- According to {source_label(s.doc)}: {s.text} [{x.n}]")
    else:
        if short:
            n = next((x.n for x in citations if short in x.quote), 1)  # the citation that says it
            lines.append(f"Short answer: {short} [{n}]")
        lines.append(f"{chosen[0].text} [1]")  # the lead, or the first item of a list it belongs to
        for x, s in zip(citations[1:], chosen[1:]):
            lines.append(f"- {s.text} [{x.n}]")
    return Answer(shown, "\n".join(lines), False, citations, timings, short_answer=short, conflict=conflict,
                  related=related, corrected_question=corrected)


def _per_source(c: Composer, ranked: list[Sentence], named: list[str]) -> list[Sentence]:
    """Each named source's best sentence, in the order named, when two or more sources have
    candidates; else []. As for the lead, a heading or reference never stands for a source, and of a
    source's close sentences, one naming what is asked for ("which countries ...") comes first, then
    one naming the question's subject ("ties with Canada")."""
    chosen = []
    for doc_id in named:
        own = [s for s in ranked if s.doc.doc_id == doc_id and not c.states_nothing(s)]
        if not own:
            continue
        close = [s for s in own if s.score >= _TYPED_LEAD * own[0].score]
        # The closest of them naming what is asked for and what the question is about ("with Canada").
        chosen.append(max(close, key=lambda s: (bool(c.thing) and bool(c.things(s)), c.names_the_subject(s))))
    return chosen if len(chosen) >= 2 else []


def _grow(c: Composer, lead: Sentence, ranked: list[Sentence], best: Sentence, max_sentences: int) -> list[Sentence]:
    """The lead with what completes it and, for a question asking for several things, further
    sentences that each name something new."""
    question = c.question
    chosen: list[Sentence] = [lead]
    if (lead.before and ANAPHOR.match(lead.text)) or (ASKS_WHY.search(question) and CONSEQUENCE.match(lead.text)):
        # "This pushed Japan further ...": what "this" is, the sentence before says, so it is quoted
        # too; and to a why-question, what "For this reason, ..." or "Therefore ..." follows from.
        chosen += c.neighbours(lead, 1, 0)[:1]
    # A speaker or name asked for but missing from the lead may stand in the sentence next to it.
    if ("person" in c.kinds and not c.short(lead)) or (ASKS_SPEECH.search(question) and not SPEECH.search(lead.text)):
        chosen += [n for n in c.neighbours(lead, 1, 1) if SPEECH.search(n.text) or c.short(n)][:1]
    attribution = c.attribution(lead) if ASKS_AGENCY.search(question) else None
    if attribution is not None and not same(attribution, lead):
        # "... and which news agency's story reported it?": the line saying whose story this is.
        chosen.append(attribution)
    chosen += c.continuation(lead) + c.references(lead)
    # 'In the "enhanced" stage, what are ...': the question picks the item its quoted term names.
    picked = c.opens_item(lead) and c.quotes(lead, marked=True)
    siblings = c.siblings(lead) if wants_list(question) and c.opens_item(lead) and not picked else []
    if len(siblings) > 1:
        # "Under what three pretexts ...?": a lead reading "Third, under the justification of ..." is
        # one item of the list asked for; the answer is the whole list, in the document's order.
        return siblings
    if (picked or not wants_list(question)) and c.opens_item(lead) and len(chosen) == 1 and len(lead.text.split()) <= _ITEM_TITLE:
        # "What happens during the 'enhanced' stage?" led by "Third, through “enhanced” exercises.":
        # an item's few opening words name it, the rest of its line ("Once the mechanisms are
        # established, ... organize ...") says what it is.
        chosen += c.rest_of_line(lead, c.neighbours(lead, 0, 3))
    # More sentences only for a question that asks for several things; each must name something new.
    # "Who ..., and when?" asks for parts of one answer: once its sentences give each part, it is whole.
    whole = not wants_list(question) and c.kinds and all(any(c.short(x, [k]) for x in chosen) for k in c.kinds)
    if whole and "date" in c.kinds and dates_asked(question) > 1:  # "when ..., and when ...?": a date for each
        whole = len({c.short(x, ["date"]) for x in chosen} - {None}) > 1
    # A lead that lists three things or more itself ("in areas such as aerospace, autonomous systems
    # and artificial intelligence") is the list asked for; other sentences would only be about them.
    whole = whole or (not c.things(lead) and bool(ENUMERATION.search(lead.text)))
    cap = (max_sentences if wants_several(question) and not whole else 1) + len(chosen) - 1
    # "Which countries ...": what is new must be a country, when the passages name any.
    news = c.things if c.thing and any(c.things(s) for s in ranked) else (lambda x: entities(x.text, question))
    known = set().union(*(news(x) for x in chosen))
    for s in ranked:
        if len(chosen) >= cap or s.score < _EXTRA_FLOOR * best.score:
            break
        if any(same(s, x) for x in chosen) or c.states_nothing(s):
            continue
        if any(near_duplicate(s.text, x.text) for x in chosen):
            continue
        new = news(s) - known
        if not new:
            continue  # says nothing the answer does not already name
        known |= new
        chosen.append(s)
    return chosen


def source_label(src: Document | Citation) -> str:
    """“Title”, Author, Publisher, Date — whichever of them the source states."""
    return ", ".join([f"“{src.title}”"] + [p for p in (src.author, src.publisher, src.date) if p])


def _cite(n: int, s: Sentence) -> Citation:
    p = s.passage
    return Citation(
        n=n, doc_id=s.doc.doc_id, title=s.doc.title, publisher=s.doc.publisher, author=s.doc.author,
        date=s.doc.date, text=p.text, passage_start=p.start, passage_end=p.end,
        start=s.start, end=s.end, score=round(s.score, 4), quote=s.text,
    )
