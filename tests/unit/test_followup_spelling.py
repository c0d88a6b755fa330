from assistant.followup import standalone
from assistant.spelling import correct

PREV = ["Which agreement did Japan sign with France?"]


def test_follow_up_swaps_the_last_name():
    assert standalone("and what about Germany?", PREV) == "Which agreement did Japan sign with Germany?"


def test_pronoun_follow_up_carries_previous_words():
    q = standalone("When was it signed?", PREV)
    assert "When was it signed?" in q and "France" in q


def test_standalone_questions_are_untouched():
    assert standalone("What is the capital of Brazil?", PREV) == "What is the capital of Brazil?"
    assert standalone("and what about Germany?", []) == "and what about Germany?"


def test_spelling_fixes_typos_but_not_real_words():
    vocab = {"japan": 50, "germany": 10, "missiles": 3, "capita": 4}
    assert correct("Did Japn send missles to Germny?", vocab) == "Did Japan send missiles to Germany?"
    assert correct("the capital", vocab) == "the capital"  # a real English word the corpus lacks
    assert correct("Xyzzy", vocab) == "Xyzzy"


def test_swapped_letters_are_one_slip_and_a_rare_corpus_word_must_be_english():
    vocab = {"japan": 50, "join": 1, "joint": 28, "kishidda": 1}
    assert correct("When did Japan jion the UN?", vocab) == "When did Japan join the UN?"  # transposition
    assert correct("Did Kishida go?", vocab) == "Did Kishida go?"  # a one-off token is no target


def test_a_capitalised_typo_inside_a_question_prefers_a_word_the_corpus_writes_as_a_name():
    vocab = {"being": 40, "beijing": 6}
    capitalised = {"being": 3, "beijing": 6}  # "Being" opens a few sentences; "Beijing" always has its capital
    assert correct("Why does Bejing object?", vocab, capitalised) == "Why does Beijing object?"
    assert correct("why does bejing object?", vocab, capitalised) == "why does being object?"  # no sign of a name
    assert correct("Bejing objects", vocab, capitalised) == "Being objects"  # a capital opening the question says nothing
    assert correct("Why does Bejing object?", vocab) == "Why does Being object?"  # no case counts: the most frequent


def test_a_long_name_the_corpus_writes_once_is_a_target_for_a_name_typed_one_slip_away():
    vocab = {"bundeswehr": 1, "kishidda": 1, "forces": 20}
    capitalised = {"bundeswehr": 1}
    assert correct("What is the Bundeswher?", vocab, capitalised) == "What is the Bundeswehr?"
    assert correct("what is the bundeswher?", vocab, capitalised) == "what is the bundeswher?"  # not typed as a name
    assert correct("Did Kishida go?", vocab, {"kishidda": 1}) == "Did Kishida go?"  # too short to be sure


def test_a_slip_near_a_question_word_is_the_question_word():
    vocab = {"which": 50, "with": 400, "country": 9}
    assert correct("Apart from China, wich country is it?", vocab) == "Apart from China, which country is it?"


def test_a_name_the_corpus_spells_the_older_way_is_written_its_way():
    vocab = {"kiev": 1, "ukraine": 12}
    assert correct("What went to Kyiv?", vocab) == "What went to Kiev?"  # two edits apart, seen once: still the same city
    assert correct("What went to Kyiv?", {"ukraine": 12}) == "What went to Kyiv?"  # no spelling of it at all: left as typed
