"""The answer builder on hand-made passages, with a word-hash embedder (no model needed)."""

import re

import numpy as np
import pytest

from assistant.absent import absent_names
from assistant.answer import compose
from assistant.asks import ASKS_WHY, answer_types, either_or, short_answer, wants_several
from assistant.composer import Composer
from assistant.index import lexical_text
from assistant.lexical import LexicalIndex
from assistant.schema import Document, Hit, Passage
from assistant.sentences import antecedent, candidates, coverage, question_weights
from assistant.sources import SourceIndex
from tests.fakes import WordHashEmbedder

TEXT = (
    "Japan and Germany signed an ACSA in 2024. The agreement covers food, fuel and ammunition.\n\n"
    "Japan says it will send Patriot missiles to the US to be passed on to Ukraine. "
    "This means the US can send its own stockpile.\n\n"
    "The main objectives are:\n  1. Freedom of navigation;\n  2. Economic prosperity.\n\n"
    "Minister Jean-Yves Le Drian said the deal was a win-win."
)
DOC = Document("d.md", "d.md", "Defence notes", TEXT, "sha", "Pub", "Ann Author", "2024-02-08")


def _setup():
    # One passage per paragraph, offsets into TEXT.
    passages = []
    for i, m in enumerate(re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", TEXT)):
        passages.append(Passage(f"c{i}", "d.md", i, m.start(), m.end(), m.group()))
    lexical = LexicalIndex.build([(p.chunk_id, p.text) for p in passages])
    return passages, lexical


def ask(question, order=None, threshold=0.3):
    passages, lexical = _setup()
    emb = WordHashEmbedder()
    ranked = sorted(passages, key=lambda p: -coverage({t: 1.0 for t in __import__("assistant.text", fromlist=["terms"]).terms(question)}, p.text))
    hits = [Hit(p, 1.0 / (i + 1)) for i, p in enumerate(order or ranked)]

    def passage_at(doc_id, s, e):
        return next((p for p in passages if p.start <= s and e <= p.end), None)

    return compose(question, hits, {"d.md": DOC}, lexical, emb.embed_many, emb.embed_query(question),
                   passage_at=passage_at, abstain_below=threshold, max_sentences=3)


def test_answer_quotes_verbatim_with_resolving_markers():
    a = ask("What will Japan send to the US for Ukraine?")
    assert not a.abstained
    assert "Patriot" in a.answer.splitlines()[0]
    for c in a.citations:
        assert TEXT[c.start:c.end] == c.quote
        assert c.quote in c.text
        assert TEXT[c.passage_start:c.passage_end] == c.text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", a.answer)}
    assert markers == {c.n for c in a.citations}
    assert all(re.search(r"\[\d+\]$", line) for line in a.answer.splitlines() if line.strip())


def test_explaining_sentence_follows_the_lead():
    a = ask("What will Japan send to the US for Ukraine?")
    assert "This means the US can send its own stockpile." in a.answer


def test_list_introduced_by_a_colon_is_completed():
    a = ask("What are the main objectives?")
    assert "Freedom of navigation" in a.answer and "Economic prosperity" in a.answer


def test_absent_name_abstains_and_lists_nearest():
    a = ask("When did Japan sign an ACSA with Brazil?")
    assert a.abstained and "Brazil" in a.answer
    assert a.citations == [] and a.nearest


def test_missing_kind_of_answer_abstains():
    # The passage is about the agreement but states no number of troops.
    a = ask("How many troops does the ACSA with Germany cover?")
    assert a.abstained


def test_date_question_gets_short_answer():
    a = ask("When did Japan and Germany sign the ACSA?")
    assert not a.abstained and a.short_answer == "2024"
    assert a.answer.startswith("Short answer: 2024 [1]")


def test_who_said_finds_the_speaker():
    a = ask("Who said the deal was a win-win?")
    assert a.short_answer and "Le Drian" in a.short_answer


def test_low_support_abstains():
    a = ask("What colour are the uniforms?", threshold=0.95)
    assert a.abstained


@pytest.mark.parametrize("q,kinds", [
    ("How many countries signed?", ["number"]),
    ("Who said it and when?", ["person", "date"]),
    ("Why did Japan change?", []),
    ("What is the name of the liaison officer Japan designated?", ["person"]),
    ("Which Japanese foreign minister took part in the meeting?", ["person"]),
    ("Who was NATO's Secretary General when Japan attended the summit?", ["person"]),  # "when" sets the time
    ("Who said it, and when was it reported?", ["person", "date"]),
    ("Since when has Russia worried Japan?", ["date"]),
    ("tell me when japan signed the acsa", ["date"]),
    ("What did Kishida say when he visited India?", []),
    ("How long did it take to conclude the ACSA?", ["number"]),
    ("What does the abbreviation RAA stand for?", ["expansion"]),
    ("What does Japan stand for in the talks?", []),  # a name, not an abbreviation
    ("whats the point of the acsa when their militaries train together?", []),  # "when" sets the time
    ("According to the Gazette, what is Japan after when it courts allies?", []),
    ("Who are Japan's partners in the fighter programme?", []),  # countries, not a person's name
    ("What is the flight range of the P-1?", ["number"]),
    ("What range will the new missiles have?", ["number"]),  # a distance
    ("How far can the P-1 fly?", ["number"]),
    ("What range of activities does the pact cover?", []),  # a scope, not a distance
    ("Who holds the islets now, Japan or South Korea?", []),  # a state, not a person's name
    ("Who did not take part in the 1951 talks?", []),
    ("Who was the prime minister who took part in the summit?", ["person"]),  # a role: a person
    ("Who holds the view that the pact is a trap?", ["person"]),  # whoever says it
    ("With whose backing has Japan been seeking partners?", []),  # a state; and "backing" holds no "king"
    ("Which king took part in the talks?", ["person"]),
    ("Who foots the bill for the troops, the US or the Japanese?", []),  # the choices are states and peoples
    ("Who met Kishida, Biden or Xi?", ["person"]),
    ("Who has been running peace-support operations there, and since when?", ["date"]),  # a body, often
    ("Who leads the research team?", ["person"]),
    ("did japan stop treating taiwan as a state when tanaka went to beijing?", []),  # yes or no, at that time
    ("When Magnani calls it a bridge to Africa, how does he label the strategy?", []),  # the when-clause sets the time
    ("Which Yonhap journalist wrote the report?", ["person"]),
    ("On what day and month did Abe speak in 2007?", ["date"]),
    ("On what day of the week was the deal signed?", []),  # "Friday" is no date
    ("Who talked up the kit, and on what date did Reuters run the story?", ["person", "date"]),  # Reuters runs it, not who
    ("What is the distance between the islands and the mainland?", ["number"]),
    ("Who prepares the white paper each year?", []),  # a ministry, as often as a person
    ("who was really behind the push for the deal?", []),  # a state or a body
    ("Who wrote the white paper's foreword?", ["person"]),
    ("Who belongs to the grouping it calls the Quad?", []),  # states
    ("How far had Tokyo and Berlin got on selling arms?", []),  # how much progress, not a distance
    ("What budget was allotted to the programme?", ["number"]),
    ("Who else is Tokyo chasing closer defence ties with?", []),  # states
    ("Who is the West casting as its new enemies?", []),
    ("Who gets hit worst by the rivalry?", []),
    ("Who was the equipment sent to?", []),
    ("Who was the face of the India-Japan partnership?", ["person"]),
    ("For a reader who has never heard of it, what is an ACSA?", []),  # a relative "who" asks for no one
    ("What did the people who signed it agree to?", []),
    ("Who was the official who briefed reporters?", ["person"]),
    ("What is the date of the Reuters report?", ["date"]),
    ("What slice of its budget went to defence?", ["number"]),
    ("What unit price was Germany quoted for the P-1?", ["number"]),
    ("Over what span had Japan struck such deals?", ["number"]),  # a duration
])
def test_answer_types(q, kinds):
    assert answer_types(q) == kinds


def test_short_answer_skips_years_for_amounts_and_needs_the_counted_thing():
    s = "At the end of 2021, spending of 5.4 trillion yen was approved for 13 countries."
    assert short_answer("number", s, "How big was the budget?") == "5.4 trillion yen"
    assert short_answer("number", s, "How many countries?") == "13 countries"
    assert short_answer("number", s, "How many submarines?") is None


def test_of_several_dates_the_short_answer_is_the_one_nearest_the_question_words():
    s = ("In 1954, the Forces Law set up the forces, under the policy adopted in 1957, "
         "which tied security to the United Nations (Japan joined the organization in 1955).")
    assert short_answer("date", s, "In what year did Japan join the United Nations?") == "1955"
    assert short_answer("date", s, "When was the policy adopted?") == "1957"
    assert short_answer("date", s, "When was the Forces Law passed?") == "1954"
    summit = "In June 2022, the Prime Minister attended the 2022 NATO Summit in Madrid."
    assert short_answer("date", summit, "When did the prime minister attend a NATO summit?") == "June 2022"


def test_what_an_abbreviation_stands_for_is_read_from_either_way_of_writing_it():
    q = "What does RAA stand for?"
    assert short_answer("expansion", "It is one step from the Reciprocal Access Agreement (RAA), signed later.", q) == "Reciprocal Access Agreement"
    assert short_answer("expansion", "They set up a new C3 (command, control and communication) system.",
                        "What does C3 stand for?") == "command, control and communication"
    assert short_answer("expansion", "The RAA was signed in 2023.", q) is None
    assert short_answer("expansion", "It finds explosive chemical, biological, radiological and nuclear (CBRN) materials.",
                        "What does CBRN mean?") == "chemical, biological, radiological and nuclear"
    assert short_answer("expansion", "They signed the Acquisition and Cross-Servicing Agreements (ACSA) in 2024.",
                        "What does ACSA stand for?") == "Acquisition and Cross-Servicing Agreements"
    assert short_answer("expansion", "It is the National Security Strategy (hereinafter NSS).",
                        "What does NSS stand for?") == "National Security Strategy"
    a = _compose(q, ["The RAA was signed in 2023 by both sides.", "Talks led to the Reciprocal Access Agreement (RAA) in Tokyo."])
    assert a.short_answer == "Reciprocal Access Agreement"
    # "What does ANKASAM mean by the TSCF?" asks about the TSCF, not about the source that uses it.
    assert short_answer("expansion", "The Trilateral Security Cooperation Framework (TSCF) was formalised.",
                        "What does ANKASAM mean by the TSCF?") == "Trilateral Security Cooperation Framework"


def test_two_documents_expanding_one_abbreviation_differently_disagree():
    q = "What does RAA stand for?"
    a = _two_sources(q, "Talks led to the Reciprocal Access Agreement (RAA) in Tokyo.",
                     "Japan keeps signing jet deals and Mutual Access Agreements (RAA) with many states.")
    assert a.conflict and [c.quote for c in a.citations] == [
        "Talks led to the Reciprocal Access Agreement (RAA) in Tokyo.",
        "Japan keeps signing jet deals and Mutual Access Agreements (RAA) with many states."]


def test_absent_names_ignores_the_opening_word():
    _, lexical = _setup()
    assert absent_names("Roughly how many Patriot missiles?", lexical) == []
    assert absent_names("What is the capital of Brazil in 1990?", lexical) == ["Brazil", "1990"]
    # a capitalised opening word is no part of the name after it: "Gulf", not "Which Gulf"
    assert absent_names("Which Gulf state signed the ACSA?", lexical) == ["Gulf"]
    assert absent_names("Which Patriot missiles went to the US?", lexical) == []
    # a word capitalised because it opens a later sentence of the question is no name either
    assert absent_names("How many Patriot missiles? Combine both.", lexical) == []
    assert absent_names("How many Patriot missiles? Brazil wants some.", lexical) == []


def test_a_name_whose_everyday_word_the_corpus_lacks_is_absent_but_a_slip_of_the_keys_is_not():
    lexical = LexicalIndex.build([("c0", "In Berlin the ministers met. Ships sail the South China Sea."),
                                  ("c1", "Prime Minister Kishida spoke.")])
    texts = ["In Berlin the ministers met. Ships sail the South China Sea.", "Prime Minister Kishida spoke."]
    assert absent_names("When did the Berlin Wall come down?", lexical, texts) == ["Berlin Wall"]
    assert absent_names("Which ships sail the South China See?", lexical, texts) == []  # "Sea" one slip away
    assert absent_names("What did Fumio Kishida say?", lexical, texts) == []  # a rare first name may go unsaid
    assert absent_names("Besides Berlin, which ships sail?", lexical, texts) == []  # capitalised for opening the question
    assert absent_names("Which Latin Ministers met?", lexical, texts) == []  # only the name's noun counts


def test_a_capital_is_known_when_the_corpus_names_its_state():
    texts = ["France and Japan signed a deal in Tokyo.", "Ships sail the seas."]
    lexical = LexicalIndex.build([(f"c{i}", t) for i, t in enumerate(texts)])
    assert absent_names("What dealings between Tokyo and Paris do the documents report?", lexical, texts) == []
    assert absent_names("What did Brasilia sign?", lexical, texts) == ["Brasilia"]  # Brazil is not in the corpus
    assert absent_names("When did France's Senate approve the deal?", lexical, texts) == ["Senate"]  # France is there, its Senate not


def test_an_edition_is_absent_when_its_year_stands_near_its_name_nowhere():
    texts = ["In the 2021 Defense White Paper, Russia gets a brief section. " + "Ships sail the seas. " * 5 + "In 2023 the navy grew."]
    lexical = LexicalIndex.build([("c0", texts[0])])
    assert absent_names("What did the 2023 Defense White Paper say?", lexical, texts) == ["the 2023 Defense White Paper"]
    assert absent_names("What did the 2021 Defense White Paper say?", lexical, texts) == []


def test_who_holds_a_view_is_answered_by_the_words_opening_the_sentence():
    q = "Who holds the view that the agreement provides for deployment abroad?"
    s = "Some commentators believe that the agreement provides for the deployment of the forces abroad."
    assert short_answer("person", s, q) == "Some commentators"
    assert short_answer("person", "In 2020 Japan said that the agreement provides for it.", q) is None
    assert short_answer("person", "They think that the agreement provides for it.", q) is None
    assert short_answer("person", s, "Who signed the agreement?") is None  # not a question about a view
    assert short_answer("person", "Analysts point out that Japan may build an alliance.",
                        "Who suggests Japan could build an alliance?") == "Analysts"
    assert short_answer("person", "As with the Five Eyes, some media speculate about an invitation to Japan.",
                        "Who has been speculating that Japan might be invited?") == "some media"
    doc = "Japan meets NATO Allies in Brussels. The allies and the four partners talk."
    assert short_answer("person", "Japan meets NATO Allies in Brussels.", "Who is Japan's envoy to NATO?", doc) is None


def test_a_person_the_question_names_or_an_era_is_not_the_answer():
    q = "Who was India's prime minister when Abe addressed the Indian Parliament?"
    assert short_answer("person", "It was the late Prime Minister Shinzo Abe who addressed the Parliament.", q) is None
    assert short_answer("person", "The NSS is another legacy of the Shinzo Abe era.", "Who headed the council?") is None
    assert short_answer("person", "Shinzo Abe headed the council.", "Who headed the council?") == "Shinzo Abe"


def test_the_words_asking_for_a_full_form_are_not_what_the_answer_must_say():
    texts = ["The framework is the Trilateral Security Cooperation Framework (TSCF) of three states.", "Japan met NATO."]
    passages = [Passage(f"p{i}", "n.md", i, 0, len(t), t) for i, t in enumerate(texts)]
    lexical = LexicalIndex.build([(p.chunk_id, p.text) for p in passages])
    emb = WordHashEmbedder()
    q = "What does the abbreviation TSCF mean?"
    c = Composer(q, [Hit(p, 1.0) for p in passages], {}, lexical, emb.embed_many, emb.embed_query(q), lambda *_: None)
    assert "tscf" in c.weights and not {"abbrevi", "mean"} & set(c.weights)


def test_nobody_is_in_or_on_someone_a_name_after_in_is_a_place_or_a_thing():
    q = "Who was prime minister when the Diet passed the peacekeeping law?"
    law = "In June 1992, the Diet approved the Law on Cooperation in United Nations Peacekeeping Missions."
    assert short_answer("person", law, q) is None
    assert short_answer("person", "Japan leads the countries in East Asia.", q) is None
    assert short_answer("person", "Prime Minister Kiichi Miyazawa signed the law in June 1992.", q) == "Prime Minister Kiichi Miyazawa"


@pytest.mark.parametrize("question, several", [
    ("Which countries does Japan have agreements with?", True),
    ("Who first announced the strategy, and when and where?", True),
    ("What do both sources say Japan wants to escape?", True),
    ("What happens during the 'enhanced' stage?", False),  # a verb, not a plural noun
    ("What makes Tokyo think Russia could act in Asia?", False),
    ("By what means does Japan build ties?", True),
    ("What are the main threats?", True),
    ("What is AUKUS?", False),
    ("What did Japan say it would send to the US?", False),
    ("which country was number seven to sign the deal?", False),
])
def test_questions_asking_for_several_things(question, several):
    assert wants_several(question) is several


@pytest.mark.parametrize("sentence, name", [
    ("Minister Jean-Yves Le Drian said the deal was a win-win.", "Minister Jean-Yves Le Drian"),
    ("(From L) French Defense Minister Jean-Yves Le Drian and Foreign Minister Laurent Fabius met.",
     "French Defense Minister Jean-Yves Le Drian"),
    ("Germany became the third country after the UK and France to do so.", None),
    ("The EU plans defence partnerships with Japan and South Korea.", None),  # a country is no one's name
    ("Following Abe views, the minister travelled to India.", None),  # "Following" opens no name
    ("The so-called “Three New Conditions for the Use of Force” were introduced.", None),
])
def test_person_answers_look_like_names(sentence, name):
    assert short_answer("person", sentence, "Who is the defence minister?") == name


def test_money_questions_need_an_amount_of_money_or_a_share():
    q = "What was the monetary value of the deal?"
    assert short_answer("number", "Japan has reached similar deals over the past two years.", q) is None
    assert short_answer("number", "The deal was worth 3 billion dollars.", q) == "3 billion dollars"
    assert short_answer("number", "Spending was held at 1 percent for decades.", "How much did Japan spend?") == "1 percent"


def test_how_much_of_something_asks_for_a_share():
    s = "Japan will spend 43 trillion yen, reaching 2% of GDP in 2027."
    assert short_answer("number", s, "How much of its economy will Japan spend on defence?") == "2%"
    assert short_answer("number", s, "How much will Japan spend on defence?") == "43 trillion yen"


def test_single_fact_answer_quotes_one_sentence_and_lists_the_rest_as_related():
    a = ask("What deal did Japan make?")  # the win-win deal, and Japan's other passages come close
    assert len(a.citations) == 1
    quoted = {(c.doc_id, c.passage_start) for c in a.citations}
    assert a.related, "nearby passages are offered"
    assert all((r.doc_id, r.passage_start) not in quoted for r in a.related)
    assert [r.n for r in a.related] == list(range(len(a.citations) + 1, len(a.citations) + len(a.related) + 1))
    assert not re.search(rf"\[{a.related[0].n}\]", a.answer), "related passages carry no claim of the answer"


def test_when_was_it_reported_gives_the_sources_own_date():
    a = ask("Who said the deal was a win-win, and when was it reported?")
    assert a.short_answer == "Minister Jean-Yves Le Drian; reported 2024-02-08 by Pub"
    assert a.answer.startswith("Short answer: Minister Jean-Yves Le Drian; reported 2024-02-08 by Pub [1]")


def test_sources_named_in_a_question_are_found_by_publisher_author_title_or_year():
    docs = [
        Document("a.md", "a.md", "Japan, Germany sign new agreement", "x", "s1", "China Military Online", "Zi Ge", "2024-02-08"),
        Document("b.md", "b.md", "The Indo-Pacific Mega-Basin: Japanese Security and Defence", "x", "s2", None, "Enrico Magnani", None),
        Document("c.md", "c.md", "Japan Continues to Expand Aperture on Global Defense Cooperation", "x", "s3", None, None, "2015-05-02"),
    ]
    index = SourceIndex(docs)
    assert index.named("What do Magnani and China Military Online say?") == ["b.md", "a.md"]
    assert index.named("What does Magnani’s essay say?") == ["b.md"]
    assert index.named("How does the 2015 article describe it?") == ["c.md"]
    assert index.named("What does the piece on the Indo-Pacific mega-basin, Japanese security and defence say?") == ["b.md"]
    assert index.named("What did Japan and Germany sign?") == []
    # The words that only point at the sources are not what a sentence must contain.
    assert index.naming_terms("How do the 2015 article and China Military Online describe an ACSA?") == {
        "2015", "articl", "china", "militari", "onlin", "describ"}
    assert index.naming_terms("What did Japan and Germany sign in the report?") == set()
    # Title words name a source only in the words after "article", "report", "piece" ...
    assert index.named("Is Japan's security and defence in the Indo-Pacific mega-basin changing?") == []
    assert index.named("According to the 2015 article, with how many countries did Japan sign a new defense agreement?") == ["c.md"]
    assert index.named("What does the 2015 post say about the ACSA?") == ["c.md"]  # a blog's post is its article
    assert index.named("Which countries did Japan sign a new agreement with, according to the 2015 article?") == ["c.md"]
    assert index.named("Which strait does the April 2015 Reuters text name?") == ["c.md"]
    # after "the piece on", half the title's terms, three at least, name it
    assert index.named("What does the piece on Japanese security in the mega-basin say?") == ["b.md"]
    assert index.named("What does the piece on Japanese security say?") == []
    assert index.named("What does the report say of Japanese security in the mega-basin?") == []  # not what it is on


def test_a_name_shared_by_many_documents_names_no_source():
    docs = [Document(f"{i}.txt", f"{i}.txt", f"Story {i}", "x", str(i), "Reuters", None, "1987-03-01") for i in range(6)]
    index = SourceIndex(docs)
    assert index.named("What did Reuters report about oil?") == []
    assert index.named("What does the 1987 article say about oil?") == []
    assert SourceIndex(docs[:2]).named("What did Reuters report about oil?") == ["0.txt", "1.txt"]


def test_a_question_naming_two_sources_gets_each_ones_sentence():
    texts = {"a.md": "Japan wants to shed the limits of its pacifist constitution, analysts said.",
             "b.md": "Tokyo seeks partners to escape the pacifist constitution's restrictions."}
    docs = {d: Document(d, d, f"Report {d}", t, d, pub, None, "2024-01-01")
            for (d, t), pub in zip(texts.items(), ("Harbour Gazette", "Coastal Times"))}
    passages = [Passage(f"c-{d}", d, 0, 0, len(t), t) for d, t in texts.items()]
    lexical = LexicalIndex.build([(p.chunk_id, lexical_text(docs[p.doc_id], p)) for p in passages])  # as indexed
    emb = WordHashEmbedder()
    q = "What constraint do the Coastal Times and the Harbour Gazette say Japan wants to escape?"
    a = compose(q, [Hit(p, 1.0) for p in passages], docs, lexical, emb.embed_many, emb.embed_query(q),
                passage_at=lambda *_: None, abstain_below=0.0, max_sentences=3)
    lines = a.answer.splitlines()
    assert lines[0] == "What each source says [1] [2]:" and not a.conflict
    assert "Coastal Times" in lines[1] and "Harbour Gazette" in lines[2]  # in the order the question names them
    assert [c.doc_id for c in a.citations] == ["b.md", "a.md"]


@pytest.mark.parametrize("sentence, name", [
    ("Washington, in its Strategic Internal National Security Guide, calls Japan a partner.", None),
    ("The decision was welcomed by the White House on Friday.", "White House"),
])
def test_a_titled_thing_after_its_or_the_is_no_ones_name(sentence, name):
    assert short_answer("person", sentence, "Who welcomed the decision?") == name


@pytest.mark.parametrize("question, name", [
    ("Who is the current Japanese defence minister?", None),  # another country's, and another office
    ("Who is the French defence minister?", "French Defense Minister Jean-Yves Le Drian"),
    ("Who said the talks went well?", "French Defense Minister Jean-Yves Le Drian"),  # no role asked for
    ("Which Japanese premier said the talks went well?", "Japanese Prime Minister Shinzo Abe"),  # one office, two names
    ("Which French premier said the talks went well?", None),
    ("Who was France's prime minister?", None),  # a French defence minister and a Japanese prime minister
])
def test_who_holds_a_role_needs_a_name_titled_with_that_role(question, name):
    s = "French Defense Minister Jean-Yves Le Drian and Japanese Prime Minister Shinzo Abe said the talks went well."
    assert short_answer("person", s, question) == name


@pytest.mark.parametrize("question, name", [
    ("Which Japanese foreign minister took part in the meeting?", None),  # Fabius is French, as his title reads
    ("Which French foreign minister took part in the meeting?", "Foreign Minister Laurent Fabius"),
])
def test_a_peoples_word_opening_a_title_carries_over_to_the_next_name_of_a_pair(question, name):
    s = ("French Defense Minister Jean-Yves Le Drian and Foreign Minister Laurent Fabius and Japanese Prime Minister "
         "Shinzo Abe hold talks.")
    assert short_answer("person", s, question) == name


def test_a_phrase_whose_every_word_the_document_writes_in_lower_case_is_no_name():
    doc = ("The national defence outlook and defence program were published. On December 16, 2022, the Ministry published the NSS, "
           "National Defence Outlook and Defence Program, said Fumio Kishida.")
    s = doc.split(". ", 1)[1]
    assert short_answer("person", s, "Who published it?", doc) == "Fumio Kishida"
    assert short_answer("person", s, "Who published it?") == "National Defence Outlook"  # without the document, no way to tell


def _compose(question, texts):
    """Compose over one document whose paragraphs are `texts`, each one passage, in that rank order."""
    text = "\n\n".join(texts)
    doc = Document("n.md", "n.md", "Notes", text, "sha", None, None, None)
    passages, at = [], 0
    for i, t in enumerate(texts):
        passages.append(Passage(f"p{i}", "n.md", i, at, at + len(t), t))
        at += len(t) + 2
    lexical = LexicalIndex.build([(p.chunk_id, p.text) for p in passages])
    emb = WordHashEmbedder()
    return compose(question, [Hit(p, 1.0) for p in passages], {"n.md": doc}, lexical, emb.embed_many,
                   emb.embed_query(question), passage_at=lambda d, s, e: next((p for p in passages if p.start <= s and e <= p.end), None),
                   abstain_below=0.0, max_sentences=4)


def test_a_which_countries_answer_quotes_only_sentences_naming_countries():
    a = _compose("Which countries signed the naval pact with Japan?", [
        "Japan signed the naval pact with Australia.",
        "Several countries signed the naval pact with Japan in the Pacific.",  # closest, names no country
        "Canada also signed the naval pact with Japan.",
    ])
    quotes = [c.quote for c in a.citations]
    assert "Japan signed the naval pact with Australia." in quotes and "Canada also signed the naval pact with Japan." in quotes
    assert not any("Several" in q for q in quotes)


def test_a_sentence_opening_with_it_is_read_with_the_sentence_before():
    # "It" is the strategy named only in the sentence before: embedding the sentence alone loses it.
    first, second = "The open seas strategy was announced in Nairobi.", "It was the work of Prime Minister Taro Yamada in 2016."
    text = f"{first} {second}\n\nPrime Minister Hanako Sato visited Nairobi in 2019."
    doc = Document("n.md", "n.md", "Notes", text, "sha", None, None, None)
    passages = [Passage("p0", "n.md", 0, 0, len(first) + 1 + len(second), f"{first} {second}")]
    lexical = LexicalIndex.build([(p.chunk_id, p.text) for p in passages])
    emb, embedded = WordHashEmbedder(), []

    def spy(texts):
        embedded.extend(texts)
        return emb.embed_many(texts)

    q = "Who announced the open seas strategy in Nairobi?"
    compose(q, [Hit(passages[0], 1.0)], {"n.md": doc}, lexical, spy, emb.embed_query(q),
            passage_at=lambda *_: None, abstain_below=0.0, max_sentences=1)
    assert f"{first} {second}" in embedded and first in embedded  # "It ..." with its antecedent; the first alone
    assert second not in embedded


def _two_sources(question, first, second):
    docs = {d: Document(d, d, f"Report {d}", t, d, pub, None, "2024-01-01")
            for d, t, pub in (("a.md", first, "Harbour Gazette"), ("b.md", second, "Coastal Times"))}
    passages = [Passage(f"c-{d}", d, 0, 0, len(doc.text), doc.text) for d, doc in docs.items()]
    lexical = LexicalIndex.build([(p.chunk_id, lexical_text(docs[p.doc_id], p)) for p in passages])  # as indexed
    emb = WordHashEmbedder()
    return compose(question, [Hit(p, 1.0) for p in passages], docs, lexical, emb.embed_many, emb.embed_query(question),
                   passage_at=lambda *_: None, abstain_below=0.0, max_sentences=3)


@pytest.mark.parametrize("question, first, second, values", [
    ("When did the Quad dialogue between Japan and India begin?", "The Quad dialogue between Japan and India began in 2007.",
     "The Quad dialogue between Japan and India began in 2017.", ("2007", "2017")),
    ("What is the group of the four partners of the alliance called?", "The four partners form the so-called AP4 group of the alliance.",
     "The four partners are known as the IP4 group of the alliance.", ("AP4", "IP4")),
])
def test_sources_giving_different_values_for_the_same_thing_are_shown_side_by_side(question, first, second, values):
    a = _two_sources(question, first, second)
    assert a.conflict and a.answer.startswith("The sources give different accounts [1] [2]:")
    assert {c.doc_id for c in a.citations} == {"a.md", "b.md"} and all(v in a.answer for v in values)


@pytest.mark.parametrize("question, first, second", [
    # a share and an amount of money measure different things
    ("How much does Japan spend on its defence budget?",
     "Japan will spend 5.4 trillion yen on its defence budget.", "Japan will spend 2% of GDP on its defence budget."),
])
def test_unlike_values_or_other_matters_are_no_disagreement(question, first, second):
    a = _two_sources(question, first, second)
    assert not a.conflict and len(a.citations) == 1


def test_a_different_date_in_a_sentence_about_another_matter_is_no_disagreement():
    # Same words, but the embedder says the second sentence speaks of something else (cosine 0.39
    # with the first): a date in it is no rival account.
    q = "When did the Quad dialogue between Japan and India begin?"
    first, second = "The Quad dialogue between Japan and India began in 2007.", "The Quad dialogue between Japan and India began to falter in 2017."
    e = np.eye(3, dtype=np.float32)
    table = {q: e[0], first: (e[0] + e[1]) / np.sqrt(2), second: (e[0] + 1.5 * e[2]) / np.sqrt(3.25)}
    docs = {d: Document(d, d, f"Report {d}", t, d, None, None, None) for d, t in (("a.md", first), ("b.md", second))}
    passages = [Passage(f"c-{d}", d, 0, 0, len(doc.text), doc.text) for d, doc in docs.items()]
    lexical = LexicalIndex.build([(p.chunk_id, p.text) for p in passages])
    a = compose(q, [Hit(p, 1.0) for p in passages], docs, lexical, lambda texts: np.stack([table[t] for t in texts]),
                table[q], passage_at=lambda *_: None, abstain_below=0.0, max_sentences=3)
    assert not a.conflict and [c.quote for c in a.citations] == [first]


def test_countries_counted_as_states_or_nations_are_still_countries():
    s = "Tokyo signed the pact with 7 countries and held 3 meetings."
    assert short_answer("number", s, "With how many states has Tokyo signed the pact?") == "7 countries"
    assert short_answer("number", s, "How many nations signed the pact with Tokyo?") == "7 countries"
    assert short_answer("number", s, "How many meetings did Tokyo hold?") == "3"


def test_a_span_of_time_is_a_duration_and_a_share_is_a_percentage():
    assert short_answer("number", "It reached 3 deals over the past two years.", "Over what span did it reach the deals?") == "two years"
    assert short_answer("number", "Spending of 0.9% and 1.1% over 2 decades.", "What slice of its budget went to defence?") == "0.9%"


def test_an_ordinal_matches_the_number_a_question_asks_with():
    weights = {"number": 1.0, "seven": 1.0}
    assert coverage(weights, "Germany became the seventh country to sign.") == 0.5
    assert coverage({"seven": 1.0}, "Germany became the sixth country to sign.") == 0.0


def test_a_next_sentence_going_on_about_the_lead_is_quoted_with_it_when_it_answers_nearly_as_well():
    q = "What has the aid programme for defence equipment supplied?"
    lead = "In 2023 the aid programme for defence equipment was set up by the government."
    on, off = "It has supplied radar to the Philippines.", "It rained in Tokyo that week."
    assert [c.quote for c in _compose(q, [f"{lead} {on}"]).citations] == [lead, on]
    assert [c.quote for c in _compose(q, [f"{lead} {off}"]).citations] == [lead]


def test_a_question_in_parts_stops_once_its_sentences_give_every_part():
    lead = "Prime Minister Taro Yamada announced the open seas strategy in Nairobi in 2016."
    other = "In Lagos, the open seas strategy was announced once more by Hanako Sato."  # scores higher, adds no part
    a = _compose("Who announced the open seas strategy, and when?", [lead, other])
    assert [c.quote for c in a.citations] == [lead]


def test_sources_are_judged_over_every_document_not_only_the_hits():
    # Two hits name "Harbour Gazette", but the collection holds six of its stories: naming it
    # points at no source in particular, so the answer is not split by source.
    q = "What does the Harbour Gazette say Japan wants to escape?"
    texts = {"a.md": "Japan wants to escape the limits of its pacifist constitution.",
             "b.md": "Tokyo wants partners to escape the pacifist constitution's restrictions."}
    docs = {d: Document(d, d, f"Report {d}", t, d, "Harbour Gazette", None, None) for d, t in texts.items()}
    passages = [Passage(f"c-{d}", d, 0, 0, len(t), t) for d, t in texts.items()]
    lexical = LexicalIndex.build([(p.chunk_id, lexical_text(docs[p.doc_id], p)) for p in passages])  # as indexed
    emb = WordHashEmbedder()
    many = SourceIndex([*docs.values(), *(Document(f"{i}.md", f"{i}.md", "Other", "x", str(i), "Harbour Gazette", None, None) for i in range(4))])

    def answer(sources):
        return compose(q, [Hit(p, 1.0) for p in passages], docs, lexical, emb.embed_many, emb.embed_query(q),
                       passage_at=lambda *_: None, abstain_below=0.0, max_sentences=3, sources=sources)

    assert answer(None).answer.startswith("What each source says")  # judged on the two hits alone
    assert not answer(many).answer.startswith("What each source says")


def test_a_question_naming_one_source_is_answered_from_that_source():
    q = "According to the Coastal Times, what does Japan want to escape?"
    a = _two_sources(q, "Japan wants to escape the limits of its pacifist constitution.",  # Harbour Gazette, closer
                     "Tokyo seeks partners abroad to leave behind old restrictions.")  # Coastal Times
    assert [c.doc_id for c in a.citations] == ["b.md"]


@pytest.mark.parametrize("question, lead, other", [
    ("What kinds of data does the agreement let both sides share?",
     "The agreement lets both sides share tactical data, cybersecurity findings, cryptographic keys and counterterrorism reports.",
     "Both sides share data under the agreement, Japan and Germany said in Berlin."),  # close, lists nothing
    # a noun asked for ("which areas") that names no things still gets the lead's list as the whole answer
    ("In which areas are NATO and Japan developing practical cooperation?",
     "NATO and Japan are developing practical cooperation in many areas, including cyber defence, "
     "maritime security, disaster relief and science.",
     "NATO and Japan agreed at the 2021 Summit in Brussels to develop practical cooperation."),  # close, new names
    # three things are a list too
    ("Which cutting-edge technologies can Japan bring?",
     "Japan can bring cutting-edge technologies such as aerospace, autonomous systems and artificial intelligence.",
     "Japan can bring cutting-edge technologies to the Global Combat Air Program with Italy."),
])
def test_a_lead_that_lists_the_things_asked_for_is_the_whole_list(question, lead, other):
    a = _compose(question, [lead, other])
    assert [c.quote for c in a.citations] == [lead]


def test_a_lower_case_question_names_what_the_documents_write_as_names():
    # "nato" is the subject, as NATO would be: a date from a sentence not naming it is no answer.
    a = _compose("when did japan first attend a nato meeting of ministers?", [
        "Japan first attended a NATO meeting of ministers in December 2020, officials said.",
        "Japan first attended a meeting of ministers with France on March 13, 2015 in Tokyo, officials said.",
        "NATO welcomed Japan again.",
    ])
    assert a.short_answer == "December 2020"


def test_a_heading_never_leads_nor_joins_an_answer():
    a = _compose("What do the defense guidelines cover?", [
        "What the defense guidelines cover",  # a heading: matches every word, states nothing
        "The defense guidelines cover missile defense, cyber and space cooperation.",
    ])
    assert [c.quote for c in a.citations] == ["The defense guidelines cover missile defense, cyber and space cooperation."]


@pytest.mark.parametrize("sentence, refers", [
    ("It was the work of Prime Minister Taro Yamada.", True),
    ("In reality, these exercises were read as a warning.", True),
    ("Since then, Germany has repeatedly sent frigates.", True),  # "then" is the time the sentence before names
    ("In 2021, they held the first meeting.", False),  # a later pronoun refers back less surely
    ("Japan signed the agreement.", False),
])
def test_which_sentences_are_read_with_the_one_before(sentence, refers):
    assert bool(antecedent(sentence, "The sentence before.")) is refers


def test_a_sentence_is_read_with_the_line_introducing_it():
    intro = "According to a Reuters story published on March 13, 2015:"
    assert antecedent("Japan and France signed a deal on Friday.", intro) == intro
    assert antecedent("Japan and France signed a deal on Friday.", "Talks ended on Friday.") == ""


def test_a_question_for_a_named_kind_is_refused_when_no_close_sentence_names_one():
    a = _compose("Which company manufactures the patrol aircraft for Japan?", [
        "Germany excluded the patrol aircraft for Japan from its shortlist.",
        "[i] “Patrol aircraft for Japan”, Defence News Agency, https://example.org/p1, accessed 2024.",
    ])
    assert a.abstained and "do not name the company asked for" in a.answer


def test_a_reference_answers_only_a_question_about_what_a_source_cites():
    ref = "[i] “Patrol aircraft for Japan”, Defence News Agency, https://example.org/p1, (Access Date: 29.07.2024)."
    fact = "Japan bought new patrol aircraft for its navy in 2024."
    assert [c.quote for c in _compose("What did Japan buy for its navy in 2024?", [ref, fact]).citations] == [fact]
    cited = _compose("Which news agency does the report on patrol aircraft for Japan cite?", [ref, fact])
    assert cited.citations[0].quote == ref


def test_money_questions_take_a_scaled_number_and_prefer_the_sentence_naming_the_subject():
    q = "how much did trump want japan to pay every year?"
    first, nine = "Trump wanted to review the alliance.", "Since 1978 Japan paid nine billion dollars for 2016-2020."
    eight = "The Trump Administration asked Japan to pay eight billion annually."
    assert short_answer("number", eight, q) == "eight billion"  # "pay eight billion" is money without a currency
    # The embedder puts the nine-billion sentence (whose neighbour names Trump) closest; the one
    # naming Trump itself is preferred.
    e = np.eye(4, dtype=np.float32)
    table = {q: e[0], first: e[3], nine: (e[0] + 0.2 * e[1]) / np.sqrt(1.04), eight: (e[0] + 0.9 * e[2]) / np.sqrt(1.81)}
    text = f"{first} {nine}\n\n{eight}"
    doc = Document("n.md", "n.md", "Notes", text, "sha", None, None, None)
    p0 = Passage("p0", "n.md", 0, 0, len(first) + 1 + len(nine), f"{first} {nine}")
    p1 = Passage("p1", "n.md", 1, p0.end + 2, len(text), eight)
    others = [(f"f{i}", f"Japan and ports, note {i}.") for i in range(10)]  # so that Japan is common, Trump not
    lexical = LexicalIndex.build([(p.chunk_id, p.text) for p in (p0, p1)] + others)
    a = compose(q, [Hit(p0, 1.0), Hit(p1, 0.9)], {"n.md": doc}, lexical, lambda ts: np.stack([table[t] for t in ts]), table[q],
                passage_at=lambda d, s, e_: next((p for p in (p0, p1) if p.start <= s and e_ <= p.end), None),
                abstain_below=0.0, max_sentences=1)
    assert a.short_answer == "eight billion" and a.citations[0].quote == eight

def test_a_peoples_word_names_its_country_and_an_initial_names_nothing():
    lexical = LexicalIndex.build([("p0", "In the case of Spain, ships have taken part since 2016. U.S. forces joined.")])
    assert absent_names("Since when have Spanish ships taken part?", lexical) == []  # Spanish: Spain is there
    assert absent_names("Since when have Portuguese ships taken part?", lexical) == ["Portuguese"]  # Portugal is not
    assert absent_names("When did U.S. forces join?", lexical) == []  # "U" of "U.S." is no missing name


def test_a_compound_of_two_peoples_is_known_when_both_countries_are():
    lexical = LexicalIndex.build([("p0", "Japan and France signed a deal in March."), ("p1", "Frigates patrol.")])
    assert absent_names("When was the Franco-Japanese deal signed?", lexical) == []  # France and Japan are there
    assert absent_names("When was the Sino-Japanese deal signed?", lexical) == ["Sino-Japanese"]  # China is not


def test_an_ordinal_counts_and_a_count_of_years_is_no_amount_of_money():
    s = "Spending will be 5.4 trillion yen, for the eighth consecutive year the largest figure."
    q = "The record budget was the largest figure for how many consecutive years?"
    assert short_answer("number", s, q) == "eighth"
    assert short_answer("number", "It was the first budget of its kind.", "How many budgets were there?") is None


def test_a_participle_opens_no_name():
    s = "Regarding Australia, Japan shares objectives within the framework of the QUAD."
    assert short_answer("person", s, "Who is the prime minister?") is None


def test_a_question_about_what_a_source_cites_gets_the_footnote_its_sentence_carries():
    claim = "According to Beijing, the partnership makes Tokyo an open target in a possible war.[ii]"
    refs = ["[i] “Trade talks resume”, Harbour Gazette, https://example.org/a, accessed 2024.",
            "[ii] “Alliance puts Tokyo at the front line”, Global Times, https://example.org/b, accessed 2024."]
    a = _compose("Which outlet is cited for Beijing's view that the partnership makes Tokyo an open target?", [claim, *refs])
    assert [c.quote for c in a.citations] == [claim, refs[1]]
    plain = _compose("What does Beijing say the partnership makes Tokyo?", [claim, *refs])
    assert [c.quote for c in plain.citations] == [claim]  # no question about sources: no reference line


def test_a_sentence_announcing_a_count_of_things_is_completed_by_its_items():
    lead = "Japan's military cooperation also shows three new trends."
    items = ["One is to be more proactive in providing support. It has supplied radars.",
             "The second is to define bilateral cooperation more broadly.",
             "The third, finally, is to join multilateral mechanisms."]
    a = _compose("What three new trends does Japan's military cooperation show?", [lead, *items, "Japan also met NATO."])
    assert [c.quote for c in a.citations] == [lead, "One is to be more proactive in providing support.", *items[1:]]


def test_an_item_the_question_names_is_quoted_without_the_rest_of_its_list():
    lead = "The cooperation usually follows the following four stages."
    items = ["First, “ice-breaking” occurs through summit talks.", "Second, binding mechanisms are agreed.",
             "Third, joint exercises are held.", "Finally, alliances are formed."]
    a = _compose("What does the 'ice-breaking' stage of the cooperation consist of?", [lead, *items])
    assert [c.quote for c in a.citations][-1] == items[0] and len(a.citations) <= 2


def test_an_item_the_question_names_is_quoted_with_the_rest_of_its_line():
    lead = "The cooperation usually follows the following four stages."
    items = ["First, talks are held.", "Second, binding mechanisms are agreed.",
             "Third, through “enhanced” exercises. Once mechanisms exist, partners organize joint training. Ties deepen.",
             "Finally, alliances are formed."]
    a = _compose("What happens during the 'enhanced' stage of the cooperation?", [lead, *items])
    quotes = [c.quote for c in a.citations]
    assert quotes[-3:] == ["Third, through “enhanced” exercises.", "Once mechanisms exist, partners organize joint training.",
                           "Ties deepen."]
    assert "Finally, alliances are formed." not in quotes
    # A question asking for several things still gets only the item its quoted term picks.
    listed = _compose("In the 'enhanced' stage, what are the exercises with partners meant to organize?", [lead, *items])
    quotes = [c.quote for c in listed.citations]
    assert quotes[0] == "Third, through “enhanced” exercises." and "Finally, alliances are formed." not in quotes


def test_a_sentence_using_a_term_the_question_quotes_is_weighed_and_preferred():
    q = 'What do the mechanisms of the "binding" stage of the cooperation make easier?'
    a = _compose(q, ["The stage of the cooperation makes things easier.",
                     "Second, “binding” mechanisms make sharing intelligence easier."])
    assert a.citations[0].quote == "Second, “binding” mechanisms make sharing intelligence easier."


def test_a_question_counting_what_it_asks_for_prefers_a_sentence_listing_things():
    q = "By what three means does Japan grow its network of partners?"
    listing = "Japan grows its network of partners by holding talks, signing pacts, and joining drills."
    a = _compose(q, ["Japan grows its network of partners in the region as the years go by in Asia.", listing])
    assert a.citations[0].quote == listing


def test_a_lead_that_is_one_item_of_the_list_asked_for_brings_the_whole_list_in_order():
    items = ["First, under the pretext of signing a pact, limits were shed. Talks followed.",
             "Second, arms exports grew under the pretext of interoperability.",
             "Third, under the justification of common threats, the strategy was manifested."]
    a = _compose("Japan acts under three justifications. What are they?", ["Japan has a plan.", *items, "Japan met NATO."])
    assert [c.quote for c in a.citations] == ["First, under the pretext of signing a pact, limits were shed.", *items[1:]]
    assert a.answer.splitlines()[0].startswith("First, under the pretext")
    one = _compose("Why was the strategy manifested?", ["Japan has a plan.", *items])
    assert len(one.citations) == 1  # not a question for a list: the item alone


def test_a_question_for_the_name_of_a_thing_is_refused_when_no_close_sentence_names_one():
    a = _compose("What is the name of the agreement the UK and Japan signed in 2020?", [
        "The signing of an agreement in 2020 gave the UK more benefits than the EU had.",
        "Japan and the UK have been close since the 20th Century.",
    ])
    assert a.abstained and "do not name the agreement asked for" in a.answer
    named = _compose("What is the name of the agreement the UK and Japan signed in 2020?", [
        "In 2020 the UK and Japan signed the Comprehensive Economic Partnership Agreement.",
    ])
    assert not named.abstained
    others = _compose("What is the name of the agreement the UK and Japan signed in 2020?", [
        "In 2019 the EU and Japan signed the Strategic Partnership Agreement.",  # an agreement, not the UK's
        "The UK and Japan have grown close since 2020.",
        *(f"Japan held talks number {n} in Tokyo." for n in range(4)),  # so that "UK" is a rare word
    ])
    assert others.abstained and "do not name the agreement asked for" in others.answer


def test_a_measure_needs_its_unit_and_no_count_hides_in_a_name_or_in_one_of():
    q = "What is the range of the missiles Russia deployed?"
    assert answer_types(q) == ["number"]
    assert short_answer("number", "Japan, one of the G7 countries, protested against the missiles.", q) is None
    assert short_answer("number", "The missiles reach 2,000 km from the islands.", q) == "2,000 km"
    assert short_answer("number", "Japan, as member of the G7, sent aid.", "How many members sent aid?") is None
    assert short_answer("number", "After the war of 1904-1905, Japan grew.", "What is the population of Japan?") is None


def test_an_everyday_word_the_corpus_lacks_weighs_less_than_a_rare_one():
    _, lexical = _setup()
    w = question_weights("Will Japan lend money to Zanzibar?", lexical)
    assert w["money"] < w["zanzibar"]  # both absent: "money" is everyday English, "Zanzibar" a name
    assert w["zanzibar"] >= max(v for t, v in w.items() if t != "zanzibar")


def test_who_says_is_answered_by_whoever_the_sentence_says_it():
    s = "The reinterpretation will let Japan support U.S. forces far away, Japanese lawmakers and government sources say."
    q = "Who says the reinterpretation will let Japan support U.S. forces far away?"
    assert short_answer("person", s, q) == "Japanese lawmakers and government sources"
    assert short_answer("person", "“We can do it globally,” he said.", q) is None  # a pronoun names no one
    assert short_answer("person", s, "Who is the defence minister?") is None  # not a question about who says it
    a = _compose(q, [s, "Japan and the U.S. met in Tokyo."])  # "U" and "S" of "U.S." are no subject to look for
    assert a.short_answer == "Japanese lawmakers and government sources"


def test_each_named_source_is_represented_by_a_sentence_naming_what_is_asked_not_by_a_heading():
    q = "Which countries do the Harbour Gazette and the Coastal Times name as buyers of Japanese equipment?"
    a = _two_sources(q, "Countries named as buyers of Japanese equipment\n\nThe Philippines buys some.",
                     "Countries are named as buyers of Japanese equipment.\n\nMalaysia is named as a buyer of Japanese equipment.")
    assert [c.quote for c in a.citations] == ["The Philippines buys some.", "Malaysia is named as a buyer of Japanese equipment."]


def test_to_a_why_question_the_sentence_going_on_from_a_lead_without_a_reason_is_quoted():
    lead = "In April 2023 the Russian fleet held manoeuvres around the Kuril Islands at the highest battle level."
    after = "However, the Russian fleet manoeuvres around the Kuril Islands were read as a warning signal."
    a = _compose("Why were the Russian fleet's April 2023 manoeuvres around the Kuril Islands significant?", [f"{lead} {after}"])
    assert [c.quote for c in a.citations] == [lead, after]
    b = _compose("When did the Russian fleet hold manoeuvres around the Kuril Islands?", [f"{lead} {after}"])
    assert [c.quote for c in b.citations] == [lead]  # not a why question: the lead alone
    lead2 = "Japan and the ASEAN countries have common ground."
    after2 = "The first is that both share security interests against the Chinese threat."
    c = _compose("Why do Japan and the ASEAN countries share security interests?", [f"{lead2} {after2}"])
    assert [x.quote for x in c.citations] == [lead2, after2]  # "The first is ..." gives the reason


def test_tens_in_words_count_as_numbers():
    s = "For Russia, there are still cases with Japan that have not been closed for more than eighty years."
    assert short_answer("number", s, "For how long have the cases stayed open?") == "eighty years"


def test_durations_numeric_dates_and_the_figure_asked_for():
    q = "How long did it take the ACSA to go from negotiation to formal conclusion?"
    assert short_answer("number", "The ACSA went from negotiation to a formal conclusion in a matter of months.", q) == "a matter of months"
    assert short_answer("number", "The ACSA cost 3 billion yen.", q) is None  # an amount is no duration
    assert short_answer("date", "“Europe’s warplanes fly to Japan”, Politico, (Access Date: 29.07.2024).", "When was it accessed?") == "29.07.2024"
    s = "Spending will be 5.4 trillion yen (42 billion euros/46 billion dollars) this year."
    assert short_answer("number", s, "Roughly how many euros is the spending worth?") == "42 billion euros"


def test_a_figure_the_question_quotes_names_its_subject_and_an_opening_word_does_not():
    a = _compose("Roughly how many euros is Japan's 43 trillion yen plan worth?", [
        "Spending will be 5.4 trillion yen (42 billion euros) in 2022, the largest figure for Japan's plan.",
        "A total of 43 trillion yen, almost 304 billion euros, is planned over five years for Japan.",
    ])
    assert a.short_answer == "304 billion euros"


def test_what_was_the_name_asks_for_a_name():
    a = _compose("What was the name of the joint military exercise that Germany held with Japan in 2024?", [
        "Germany, France and Italy agreed to join joint military exercises with Japan in the summer of 2024.",
    ])
    assert a.abstained and "do not name the exercise asked for" in a.answer


def test_when_a_source_was_accessed_is_read_from_the_reference_its_footnote_points_to():
    claim = "Germany, France and Italy agreed to hold joint exercises with Japan in summer 2024.[ii] Japan welcomed it."
    refs = ["[i] “Trade talks resume”, Harbour Gazette, https://example.org/a, (Access Date: 28.07.2024).",
            "[ii] “Europe’s warplanes fly to Japan”, Politico, https://example.org/b, (Access Date: 29.07.2024)."]
    a = _compose("Which publication is cited for Germany, France and Italy agreeing to hold joint exercises with Japan "
                 "in summer 2024, and when was that source accessed?", [claim, *refs])
    assert a.citations[0].quote == "Germany, France and Italy agreed to hold joint exercises with Japan in summer 2024.[ii]"
    assert a.short_answer == "29.07.2024" and "Short answer: 29.07.2024 [2]" in a.answer
    assert a.citations[1].quote == refs[1]


def test_a_country_is_known_by_any_of_its_names_but_only_by_a_whole_one():
    lexical = LexicalIndex.build([("p0", "Japan, the United States and the Republic of Korea signed. The US agreed.")])
    assert absent_names("Why does Japan win America's backing?", lexical) == []  # America: the US
    assert absent_names("When did Japan sign with Brazil?", lexical) == ["Brazil"]  # "Republic" is not Brazil


def test_a_reference_line_never_gives_a_name_date_or_number():
    ref = "[ii] “EU eyes security partnerships with Japan and South Korea”, Aisa Nikkei, https://example.org, 2024."
    claim = "The framework with South Korea was signed in 2024, officials said."
    a = _compose("Who signed the framework on behalf of South Korea?", [ref, claim])
    assert a.abstained or "Aisa Nikkei" not in (a.short_answer or "")


def test_a_lead_opening_with_this_is_quoted_with_the_sentence_it_refers_to():
    before = "The Russian invasion of Ukraine in February 2022 changed the scenario."
    lead = "This pushed Japan further in its search for a security network."
    a = _compose("What pushed Japan further in its search for a security network?", [f"{before} {lead}"])
    assert [c.quote for c in a.citations] == [lead, before]


def test_a_year_the_question_sets_for_an_amount_must_be_the_answers_year():
    q = "What is Japan's defence budget for 2024?"
    assert answer_types(q) == ["number"]
    other_year = "Japan's defence budget for 2022 was 5.4 trillion yen, a record."
    assert _compose(q, [other_year]).abstained
    assert _compose(q, [other_year, "Japan's defence budget for 2024 is 7.9 trillion yen."]).short_answer == "7.9 trillion yen"


def test_a_year_in_a_who_question_must_stand_with_the_name_that_answers_it():
    q = "who was japan's prime minister in 2023?"
    in_2022 = "In March 2022, Japan's prime minister, Prime Minister Kishida, travelled to India to meet Modi."
    g7 = "In April 2023, Japan hosted the G7 foreign ministers in Karuizawa."
    assert _compose(q, [in_2022, g7]).abstained  # a name from 2022 does not say who held the office in 2023
    a = _compose(q, [in_2022, g7, "Japan sent Prime Minister Kishida to meet President Biden in January 2023."])
    assert a.short_answer == "Prime Minister Kishida" and "2023" in a.citations[0].quote


def test_initials_name_a_body_or_a_plan_not_a_person_unless_a_title_goes_with_them():
    q = "who was the face of the partnership"
    assert short_answer("person", "Of the meeting, it is enough to remember that Kishida announced the new FOIP Vision plan.", q) is None
    assert short_answer("person", "Thereafter, then-PM Kaukei Tanaka became the first to visit Beijing.", q) == "PM Kaukei Tanaka"
    assert short_answer("person", "The talks were led by US Ambassador Rahm Emanuel.", q) == "US Ambassador Rahm Emanuel"


def _one_document_each(texts):
    """Each text a document of one passage: (hits, docs, lexical index)."""
    docs = {f"n{i}.md": Document(f"n{i}.md", f"n{i}.md", "Notes", t, "sha") for i, t in enumerate(texts)}
    passages = [Passage(f"p{i}", f"n{i}.md", 0, 0, len(t), t) for i, t in enumerate(texts)]
    return [Hit(p, 1.0) for p in passages], docs, LexicalIndex.build([(p.chunk_id, p.text) for p in passages])


def test_a_sentence_quoting_the_questions_quoted_term_leads_over_one_merely_using_the_word():
    # The same words, so only the quotation marks differ; without them the first document would lead.
    texts = ["Partners sign binding mechanisms and receive preferential treatment.",
             'Partners sign "binding" mechanisms and receive preferential treatment.']
    hits, docs, lexical = _one_document_each(texts)
    emb = WordHashEmbedder()
    q = 'What does the "binding" phase involve?'
    c = Composer(q, hits, docs, lexical, emb.embed_many, emb.embed_query(q), lambda *_: None)
    assert [c.quotes(s, marked=True) for s in candidates(hits, docs)] == [False, True]
    assert all(c.quotes(s) for s in candidates(hits, docs))
    a = compose(q, hits, docs, lexical, emb.embed_many, emb.embed_query(q),
                passage_at=lambda *_: None, abstain_below=0.0, max_sentences=1)
    assert a.citations[0].doc_id == "n1.md"


def test_a_view_is_attributed_whatever_the_verbs_tense():
    q = "Who argued that the pact is a trap?"
    assert short_answer("person", "Several analysts argued that the pact is a trap.", q) == "Several analysts"
    assert short_answer("person", "Some officials stated that the pact is a trap.", "Who says the pact is a trap?") == "Some officials"
    assert answer_types("Who holds the islets?") == [] and answer_types("Who held that the pact was a trap?") == ["person"]


def test_who_has_been_saying_is_answered_by_the_sentences_according_to():
    q = "Who has been saying that Tokyo has given up its pacifism, and since when?"
    assert answer_types(q) == ["person", "date"]
    s = "According to the comments frequently voiced in recent years, Tokyo has abandoned its pacifist structure."
    assert short_answer("person", s, q) == "the comments frequently voiced in recent years"
    assert short_answer("person", s, "Who abandoned its pacifist structure?") is None  # not a question about a view


def test_a_word_typed_in_lower_case_that_the_documents_capitalise_names_the_subject_only_half():
    texts = ["Later, at the San Francisco Conference of 1951, the fate of the territories was decided.",
             "The Tokyo International Conference for African Development (TICAD) first met in 1993.",
             *(f"Filler passage number {i} about fisheries and trade." for i in range(10))]  # terms in every passage name nothing
    hits, docs, lexical = _one_document_each(texts)
    emb = WordHashEmbedder()
    c = Composer("In what year was the first TICAD conference held?", hits, docs, lexical, emb.embed_many,
                 emb.embed_query("x"), lambda *_: None)
    san_francisco, ticad = sorted(candidates(hits[:2], docs), key=lambda s: s.doc.doc_id)
    assert {"ticad", "conferens"} <= c.subject and c.half_named == {"conferens"}
    assert not c.names_the_subject(san_francisco) and c.names_the_subject(ticad)
    c = Composer("In what year was the first TICAD Conference held?", hits, docs, lexical, emb.embed_many,
                 emb.embed_query("x"), lambda *_: None)
    assert c.half_named == set() and c.names_the_subject(san_francisco)  # typed as a name: it counts whole


def test_to_a_why_question_a_lead_saying_what_it_follows_from_brings_the_sentence_before():
    texts = ["The strategies treat China, North Korea and Russia as common threats. For this reason, the government "
             "considers it essential to renew the traditional alliance with the US.", "Japan also met NATO."]
    a = _compose("Why does the government consider it vital to renew the traditional alliance with the US?", texts)
    assert [c.quote for c in a.citations][:2] == [
        "For this reason, the government considers it essential to renew the traditional alliance with the US.",
        "The strategies treat China, North Korea and Russia as common threats."]
    a = _compose("On what basis does the government consider it vital to renew the traditional alliance with the US?", texts)
    assert len(a.citations) >= 2  # "on what basis" asks why
    a = _compose("What does the government consider essential about the traditional alliance with the US?", texts)
    assert len(a.citations) == 1  # not a why-question: the lead alone


def test_each_named_source_is_quoted_by_its_close_sentence_about_the_question_s_subject():
    texts = {"a.md": "Japan exchanges views in 2+2 talks on military ties, analysts said.",
             "b.md": "Military cooperation ties describe how cooperation deepens. "
                     "Japan holds military cooperation drills with Canada.",
             **{f"f{i}.md": f"Filler story {i} about fishing and weather in the port." for i in range(4)}}  # Canada is rare
    docs = {d: Document(d, d, f"Report {d}", t, d, pub, None, "2024-01-01")
            for (d, t), pub in zip(texts.items(), ("Harbour Gazette", "Coastal Times", "w", "x", "y", "z"))}
    passages = [Passage(f"c-{d}", d, 0, 0, len(t), t) for d, t in texts.items()]
    lexical = LexicalIndex.build([(p.chunk_id, lexical_text(docs[p.doc_id], p)) for p in passages])
    emb = WordHashEmbedder()
    q = "What military cooperation ties with Canada do the Coastal Times and the Harbour Gazette describe?"
    a = compose(q, [Hit(p, 1.0) for p in passages[:2]], docs, lexical, emb.embed_many, emb.embed_query(q),
                passage_at=lambda *_: None, abstain_below=0.0, max_sentences=3)
    # The Coastal Times' closest sentence says nothing of Canada; its next, nearly as close, does.
    assert a.citations[0].quote == "Japan holds military cooperation drills with Canada."


def test_a_question_about_the_future_is_not_dated_by_a_sentence_about_the_past():
    past = _compose("When is NATO going to open its liaison office in Tokyo?",
                    ["This followed Japan's first NATO meeting on its liaison office in Tokyo, in December 2020."])
    assert past.abstained
    planned = _compose("When is NATO going to open its liaison office in Tokyo?",
                       ["NATO plans to open its liaison office in Tokyo in 2025."])
    assert not planned.abstained and planned.short_answer == "2025"


def test_a_question_for_the_date_of_a_day_is_not_answered_by_a_bare_year():
    s = "Since 2022 the two leaders have talked, and on 16 March 2023 they met in Tokyo."
    assert short_answer("date", s, "On what date did the two leaders first meet?") == "16 March 2023"
    assert short_answer("date", "Since 2022 the two leaders have talked.", "On what date did they first meet?") is None
    assert short_answer("date", "Since 2022 the two leaders have talked.", "When did they first talk?") == "2022"
    assert short_answer("date", "In September 2023, Tokyo announced it.", "On exactly which day did they sign?") is None
    assert short_answer("date", "In September 2023, Tokyo announced it.", "In which month did they sign?") == "September 2023"


def test_a_list_question_led_by_a_sentence_naming_no_list_gets_the_next_one_listing_things():
    a = _compose("What topics have the meetings Japan attends at the headquarters focused on?",
                 ["Japan regularly attends meetings at the headquarters with the partners of the region. "
                  "Recent talks have turned to climate change, arms control, and maritime security.",
                  "Japan also met NATO in 2020."])
    assert [c.quote for c in a.citations] == [
        "Japan regularly attends meetings at the headquarters with the partners of the region.",
        "Recent talks have turned to climate change, arms control, and maritime security."]


def test_decades_are_dates_and_a_price_is_money_not_a_share():
    s = "In the 1990s, Japan helped the Balkans, where NATO led operations since the mid-1990s."
    assert short_answer("date", s, "Since when has NATO led operations in the Balkans?") in ("1990s", "mid-1990s")
    debt = "Japan, creditor of 9% of the debt, paid 2 billion dollars for the terminal."
    assert short_answer("number", debt, "How much did the terminal cost?") == "2 billion dollars"
    assert short_answer("number", "Japan is creditor of 9% of the debt.", "How much did the terminal cost?") is None


def test_a_question_for_the_news_agency_gets_the_line_introducing_the_quoted_story():
    texts = ["According to a Reuters story published on April 27, 2015:",
             "The reinterpretation lets Japan give logistical support to U.S. forces, lawmakers say.",
             "Japan also met NATO in 2020."]
    a = _compose("Who says the reinterpretation lets Japan give logistical support, and which news agency's story "
                 "reported it?", texts)
    assert [c.quote for c in a.citations][:2] == [texts[1], texts[0]]
    ran = _compose("Who says the reinterpretation lets Japan give logistical support, and on what date did Reuters "
                   "run that story?", texts)
    assert texts[0] in [c.quote for c in ran.citations] and "April 27, 2015" in ran.answer
    plain = _compose("Who says the reinterpretation lets Japan give logistical support?", texts)
    assert texts[0] not in [c.quote for c in plain.citations]


def test_a_question_for_the_day_of_a_year_it_names_needs_a_day_of_that_year():
    q = "On what day and month did Abe give his 2007 speech?"
    assert short_answer("date", "Following Abe, in March 2022, Kishida travelled to India.", q) is None
    assert short_answer("date", "Abe spoke on 22 August 2007 in Delhi; in March 2022 Kishida went.", q) == "22 August 2007"


def test_the_line_introducing_a_quoted_story_leads_only_a_question_about_whose_story_it_is():
    texts = ["According to a Reuters story published on April 27, 2015:",
             "The cabinet decision lets Japan exercise collective self-defense."]
    a = _compose("Which right does the cabinet decision in the Reuters story published on April 27, 2015 let Japan "
                 "exercise?", texts)
    assert a.citations[0].quote == texts[1]  # the closer line says nothing itself


def test_a_time_given_relative_to_the_writing_answers_when_no_date_does():
    s = "Recently, Japan has said it is considering joining AUKUS."
    assert short_answer("date", s, "When did Japan signal interest in AUKUS?", relative=True) == "Recently"
    assert short_answer("date", s, "When did Japan signal interest in AUKUS?") is None
    assert short_answer("date", "In 2021 and recently, Japan met them.", "When did Japan meet them?", relative=True) == "2021"
    assert short_answer("date", s, "On what date did Japan signal interest in AUKUS?", relative=True) is None
    # A close sentence giving a date answers before one giving "recently".
    a = _compose("When did Japan sign the pact with Germany?",
                 ["Japan and Germany recently signed the pact on supplies.", "Japan signed the pact with Germany in 2024."])
    assert a.short_answer == "2024"
    only = _compose("When did Japan sign the pact with Germany?", ["Japan and Germany recently signed the pact on supplies."])
    assert only.short_answer == "recently"


def test_a_label_of_a_reference_line_is_no_one_s_name():
    ref = "[i] “Allies ink document”, Yonhap News Agency, https://example.org/x, (Access Date: 29.07.2024)."
    assert short_answer("person", ref, "Which Yonhap journalist wrote the report?") is None
    assert short_answer("person", "Theresa May met Abe in 2017.", "Who met Abe in 2017?") == "Theresa May"


def test_an_amount_for_another_year_does_not_answer_for_the_year_asked():
    s = "Since 1978 Japan paid for part of it, reaching nine billion dollars for the period 2016-2020."
    assert short_answer("number", s, "How much did Japan pay toward it in 1978?") is None
    assert short_answer("number", s, "How much did Japan pay toward it?") == "nine billion dollars"
    assert short_answer("number", "Spending will be 7.9 trillion yen in 2024.", "How much will Japan spend in 2024?") == "7.9 trillion yen"
    five = "A total of 43 trillion yen, almost 304 billion euros over the five planned fiscal years from April 2023."
    assert short_answer("number", five, "How many yen did Tokyo set aside in fiscal 2023 alone?") is None
    assert short_answer("number", five, "How many yen will Tokyo spend in all?") == "43 trillion yen"


def test_a_question_for_a_given_name_needs_what_the_text_says_something_is_called():
    q = "What code name was given to the trilateral drills?"
    assert _compose(q, ["The trilateral drills were held in the East China Sea in 2024."]).abstained
    named = _compose(q, ["The trilateral drills, code-named Freedom Edge, were held in 2024."])
    assert not named.abstained and "Freedom Edge" in named.answer


def test_a_question_asking_when_twice_gets_a_date_for_each_part():
    texts = ["In March 2023 the German minister came back to Japan for talks.",
             "In 2021 Japan and Germany held their first talks.", "Japan met NATO."]
    q = "When did Japan and Germany hold their first talks, and when did the German minister come back to Japan for talks?"
    a = _compose(q, texts)
    assert "2021" in a.answer and "March 2023" in a.answer
    one = _compose("When did the German minister come back to Japan?", texts)
    assert len(one.citations) == 1


def test_a_question_the_document_asks_never_leads_an_answer():
    texts = ["Why are the Japanese people still not keen on the military?",
             "The stigma of the lost war still makes the Japanese wary."]
    a = _compose("why are japanese people still not keen on the military?", texts)
    assert a.citations[0].quote == texts[1]


def test_a_share_may_be_a_fraction_and_a_meeting_is_no_one_s_name():
    s = "The Indo-Pacific is home to more than half the world’s population."
    assert short_answer("number", s, "What share of humanity lives in the Indo-Pacific?") == "more than half the world’s population"
    assert short_answer("number", "In the second half of 2023 Japan met them.", "How many times did Japan meet them?") is None
    tie = "Japan began the TICAD, the Tokyo International Conference, in 1993."
    assert short_answer("person", tie, "Who was Japan's defence minister in 2016?") is None


def test_what_someone_said_includes_the_quotation_after_the_sentence_naming_them():
    texts = ["Potential items of cooperation include unmanned gear for mine removal, the French minister said.",
             "“Both countries have high-tech companies in this field. Together we can find a win-win solution,” he said.",
             "Japan met NATO in 2020."]
    a = _compose("What did the French minister say about unmanned gear for mine removal?", texts)
    quotes = [c.quote for c in a.citations]
    assert quotes[:3] == [texts[0], "“Both countries have high-tech companies in this field.",
                          "Together we can find a win-win solution,” he said."]
    plain = _compose("What items of cooperation include unmanned gear for mine removal?", texts)
    assert len(plain.citations) == 1


@pytest.mark.parametrize("question, alternatives", [
    ("Japan will spend 2% — is that 2% of GDP or 2% of the budget?", ({"gdp"}, {"budget"})),
    ("Was Korea annexed in 1910 or made a protectorate?", ({"korea", "annex", "1910"}, {"made", "protector"})),
    ("Does article 9 mean Japan may not have an army, navy or air force?", None),  # the last items of a list
    ("What do they say about clearing or removing mines?", None),  # not a yes-no question
])
def test_a_yes_no_question_offering_two_alternatives_is_read_as_such(question, alternatives):
    assert either_or(question) == alternatives


def test_each_alternative_a_question_offers_is_quoted_where_the_text_speaks_of_it():
    a = _compose("Japan plans to spend 2% on defence: is that 2% of GDP or 2% of the budget?", [
        "Japan plans to spend 2% of GDP on defence by 2027.",
        "Japan plans to raise the defence share of the budget to 2% in five years.",
        "Japan plans to spend more on coast guards.",
    ])
    assert [c.quote for c in a.citations] == ["Japan plans to spend 2% of GDP on defence by 2027.",
                                              "Japan plans to raise the defence share of the budget to 2% in five years."]
    one = _compose("Japan plans to spend 2% on defence: is that 2% of GDP or 2% of the budget?", [
        "Japan plans to spend 2% of GDP on defence by 2027.", "Japan plans to spend more on coast guards."])
    assert len(one.citations) == 1  # no sentence speaks of the other: the lead alone


@pytest.mark.parametrize("question, why", [
    ("Why did Japan sign it?", True),
    ("Beyond aid to Ukraine, why was the trip significant?", True),
    ("The drills are nothing new, so why did these stand out?", True),
    ("On what grounds does he conclude that?", True),
    ("What makes Tokyo and ASEAN find common ground?", True),
    ("Who asked why Japan signed it?", False),
])
def test_a_why_question_is_read_wherever_its_why_stands(question, why):
    assert bool(ASKS_WHY.search(question)) is why


def test_a_pact_named_in_the_plural_is_no_one_s_name():
    s = "Japan keeps signing Mutual Access Agreements with states such as the Philippines."
    assert short_answer("person", s, "Which Philippine official signed the access pact?") is None


def test_a_paragraph_s_closing_credit_names_the_subject_of_its_sentences():
    q = "According to the Kyodo caption, on what date did the ministers hold talks?"
    caption = "The ministers hold talks at the office in Tokyo on March 13, 2015. The same day, they met again. (Kyodo)"
    a = _compose(q, [caption])
    assert not a.abstained and a.short_answer == "March 13, 2015"
    assert _compose(q, ["The ministers hold talks at the office in Tokyo on March 13, 2015. The same day, they met."]).abstained
