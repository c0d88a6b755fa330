from hypothesis import given, strategies as st

from assistant.cleaning import clean
from assistant.text import sentence_spans, terms, word_cases


def test_sentences_are_exact_slices_and_respect_abbreviations():
    text = "Dr. Smith met U.S. officials on Jan. 5. They agreed!  Then “it worked,” he said.\n\nNew para"
    spans = sentence_spans(text)
    got = [text[s:e] for s, e in spans]
    assert got == ["Dr. Smith met U.S. officials on Jan. 5.", "They agreed!", "Then “it worked,” he said.", "New para"]


def test_list_items_and_headings_are_their_own_sentences():
    text = "Objectives are:\n  1. Promotion of rules;\n  2. Prosperity.\n# Heading\nBody text here."
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got[0] == "Objectives are:"
    assert "1. Promotion of rules;" in got and "# Heading" in got


def test_sentence_spans_within_a_window_use_document_offsets():
    text = "First one. Second one. Third one."
    spans = sentence_spans(text, 11, 22)
    assert [text[s:e] for s, e in spans] == ["Second one."]


def test_terms_unify_british_and_american_spelling_and_drop_stop_words():
    assert terms("the defence was recognised") == terms("defense recognized")
    assert terms("a programme, two programmes") == terms("a program, two programs")
    assert "the" not in terms("the defence")


def test_a_roman_numeral_is_its_number_but_a_one_letter_word_or_a_name_is_not():
    assert terms("Article IX of the constitution") == terms("article 9 of the constitution")
    assert terms("World War II") == terms("World War 2")
    assert terms("Xi Jinping met them; I saw V") == ["xi", "jinp", "met", "saw", "v"]


def test_an_everyday_word_is_the_term_of_the_formal_one():
    assert terms("the deal Japan signed") == terms("the agreement Japan signed") == terms("the pact Japan signed")
    assert terms("joint drills") == terms("joint exercises")
    assert terms("arms exports") == terms("weapons exports") and terms("armed forces") != terms("weapons forces")
    assert terms("is Tokyo worried") == terms("is Tokyo concerned")
    assert terms("the ideal result") != terms("the agreement result")  # a whole word, not a part
    assert "agreement" not in terms("it acted of its own accord")  # an idiom, not a pact


def test_a_world_war_is_one_term_by_any_of_its_names():
    assert terms("after WWII") == terms("after ww2") == terms("after World War II") == terms("after the Second World War")
    assert terms("World War I") == terms("the First World War") != terms("World War II")
    assert terms("a war of words") == ["war", "word"]


def test_cleaning_drops_furniture_lines_and_keeps_sentences():
    raw = "top of page\nTitle\r\n\n\n\nA sentence\xa0here.  \nPaylaş\nThis post is also available in: Türkçe\n8 visualizzazioni0 commenti\nbottom of page"
    assert clean(raw) == "Title\n\nA sentence here."


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_sentence_spans_never_leave_the_text_or_overlap(text):
    spans = sentence_spans(text)
    last = 0
    for s, e in spans:
        assert 0 <= last <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        last = e


def test_word_cases_count_how_a_text_writes_each_word():
    text = "NATO met. The NATO-led force and nato staff met Self-Defense Forces; self-defense is allowed."
    cases = word_cases(text)
    assert cases["nato"] == (3, 2, 1)  # "NATO", "NATO" of "NATO-led", "nato"
    assert cases["self"] == (2, 1, 1)  # hyphens split words by default
    joined = word_cases(text, hyphenated=True)
    assert joined["self-defense"] == (2, 1, 1) and "self" not in joined
    assert word_cases(text) is cases  # counted once per text


def test_a_footnote_marker_after_a_stop_ends_a_sentence_only_when_asked():
    t = "Japan and South Korea.[ii] Presently, the EU countries agreed.[iii] The U.S.[1] said so."
    assert [t[a:b] for a, b in sentence_spans(t, footnotes=True)] == [
        "Japan and South Korea.[ii]", "Presently, the EU countries agreed.[iii]", "The U.S.[1] said so."]
    assert len(sentence_spans(t)) == 1  # chunking's rule, which the indexes on disk were cut with


def test_word_cases_is_safe_to_call_from_many_threads():
    import threading

    texts = [f"Text {i} names NATO and Japan {i}." for i in range(300)]  # more texts than are kept
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(600):
                assert word_cases(texts[(i * 7 + offset) % len(texts)])["nato"] == (1, 1, 0)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    import sys

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to meet any race
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[:3]
