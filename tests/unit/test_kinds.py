"""The kind of named thing a "which/what <noun>" question asks for, and the things of that kind a sentence names."""

import pytest

from assistant.kinds import capital_names, asked_kind, countries, is_country, things_of_kind


@pytest.mark.parametrize("question, kind", [
    ("Which countries signed the agreement with Tokyo?", "country"),
    ("With which partners did Japan sign transfer agreements?", "country"),
    ("Which EU countries agreed to take part in the exercises?", "country"),
    ("what little islands do japan and south korea argue about?", "islands"),
    ("Which agreement did Japan and Germany sign in 2021?", "agreement"),
    ("What did Japan say it would send to the US?", None),  # "what did": no noun asked for
    ("What is the group of NATO's four partners called?", None),
    ("In which year was it reported?", None),  # a year is a date, not a named thing
    ("How do the two articles describe what an ACSA is for?", None),  # what it is, not things of a kind
    ("Which former Japanese prime minister was assassinated?", None),  # a person, not a kind of thing
    ("What kinds of information can the two sides share?", None),  # a description, not named things
    ("What is the name of the agreement the UK and Japan signed in 2020?", "agreement"),
    ("What is the name of the supplies agreement Japan has with Germany?", "agreement"),  # a name after the noun
    ("What was the name of the NATO exercise in the Baltic Sea?", "exercise"),  # a name before the noun
    ("What is the name of the liaison officer Japan sent?", None),  # a person's name: answer_types says so
    ("Which Japanese destroyer took part in the training?", "destroyer"),  # a named kind after a word or two
    ("What Japanese company builds it?", "company"),
    ("What type of aircraft did Japan buy?", None),  # a description, not a model's name
])
def test_asked_kind(question, kind):
    assert asked_kind(question) == kind


def test_countries_are_one_code_whatever_the_name():
    assert countries("the US, the UK, Britain and the United States") == {"USA", "GBR"}
    assert countries("Viet Nam and Vietnam, the Philippines") == {"VNM", "PHL"}
    assert countries("the German Armed Forces and a US-led pattern") == {"USA"}  # an adjective names no country
    assert countries("USAID and Bulgarian wine") == set()  # inside a longer word is not a name


def test_things_of_a_kind_leave_out_what_the_question_names():
    q = "Which countries has Japan signed the agreement with?"
    assert things_of_kind("country", "Japan signed it with Australia and France.", q) == {"AUS", "FRA"}
    s = "Japan, with its own open conflict with China around the Senkaku Islands, looks for guarantees."
    assert things_of_kind("islands", s, "what islands are japan and china fighting over?") == {"senkaku islands"}
    assert things_of_kind("islands", "Any intervention on the island could trigger a crisis.", "what islands?") == set()
    quoted = 'In 2021, they signed the "Agreement on the Security of Information" to share information.'
    assert "agreement on the security of information" in things_of_kind("agreement", quoted, "Which agreement did they sign?")


def test_a_country_the_question_names_in_lower_case_is_not_new():
    q = "which country was number seven to sign that deal with japan?"
    assert things_of_kind("country", "Germany became the seventh country to sign it with Japan.", q) == {"DEU"}
    assert countries("the talks with us") == set() and countries("talks with japan", any_case=True) == {"JPN"}


def test_a_country_name_alone_is_a_country_a_title_containing_one_is_not():
    assert is_country("South Korea") and is_country("the UK".removeprefix("the "))
    assert not is_country("U.S. Defense Secretary Ash Carter") and not is_country("Korean")


def test_a_question_for_a_named_kind_wants_a_name_that_could_be_one():
    assert asked_kind("Which company manufactures the P-1 patrol aircraft?") == "company"
    s = "Germany excluded Japan's P-1 patrol aircraft from the shortlist in March, officials said."
    assert things_of_kind("company", s, "Which company manufactures Japan's P-1 patrol aircraft?") == set()
    s2 = "The P-1 is built by Kawasaki Heavy Industries in Gifu."
    assert things_of_kind("company", s2, "Which company builds the P-1?") == {"kawasaki heavy industries", "gifu"}


def test_a_public_body_asked_for_is_named_with_its_own_word():
    q = "Which Japanese ministry runs the assistance system?"
    assert asked_kind(q) == "ministry"
    assert things_of_kind("ministry", "The Japanese government established the \"Security Support\" system.", q) == set()
    assert things_of_kind("ministry", "It is prepared by the Ministry of Defence each year.", q) == {"ministry of defence"}


def test_a_city_is_named_where_something_happens_there_not_where_it_stands_for_a_government():
    q = "In which city was the framework signed?"
    assert things_of_kind("city", "The Kishida government says Tokyo plans more spending.", q) == set()
    assert things_of_kind("city", "The framework was signed at Camp David in August.", q) == {"camp david"}
    # "in the Trump presidency" says whose presidency, not where: no city is named.
    assert things_of_kind("city", "Costs were reviewed, as in the Trump presidency.", q) == set()
    assert things_of_kind("city", "It was signed in the Hague, as in Tallinn.", q) == {"hague", "tallinn"}
    # "in which Indian city" asks for a place too: not the prime minister who travelled there
    q = "In which Indian city did Kishida and Modi meet?"
    assert things_of_kind("city", "In March 2022, Prime Minister Kishida travelled to India to meet with Modi.", q) == set()
    assert things_of_kind("city", "Kishida met Modi in New Delhi in March 2022.", q) == {"new delhi"}
    # "at which sites" asks for places too: the country the question names is none
    q = "At which Japanese sites will British units hold drills?"
    assert asked_kind(q) == "sites"
    assert things_of_kind("sites", "British forces will deploy in Japan for large-scale exercises.", q) == set()
    assert things_of_kind("sites", "British units will train at Camp Fuji in Japan.", q) == {"camp fuji"}


def test_things_of_a_plain_kind_are_those_the_sentence_gives_as_examples_of_it():
    q = "What security moves does Japan keep making?"
    s = "Japan, on the other hand, continues its security moves, such as a fighter jet plan with the UK, and drills."
    assert things_of_kind("moves", s, q) == {"a fighter jet plan with the uk"}
    assert things_of_kind("moves", "Japan holds talks, such as summit talks, with the UK.", q) == set()  # talks are no moves


def test_a_capital_asked_of_as_an_actor_is_named_without_being_a_place():
    s = "Wellington will be more coordinated with Canberra in security and defence policies."
    assert things_of_kind("capital", s, "Which capital will New Zealand coordinate its policies with?") == {"canberra"}
    assert things_of_kind("capital", s, "In which capital were the policies signed?") == set()  # "in" asks for a place


def test_a_machine_is_named_by_its_designation_or_by_a_name_beside_its_kind():
    q = "Which fighter jets will Japan buy?"
    s = "Japan will buy F-35 jets and Eurofighter Typhoon jets; French and Italian combat aircraft took part."
    assert things_of_kind("jets", s, q) == {"f-35", "eurofighter typhoon"}  # not "French", a people's word
    assert things_of_kind("destroyer", "The destroyer Ise sailed with the frigate Bayern.", "Which destroyer sailed?") == {"ise"}
    s2 = "Germany excluded Japan's P-1 patrol aircraft from its Indo-Pacific shortlist."
    assert things_of_kind("aircraft", s2, "Which aircraft did Germany pick instead of the P-1?") == set()


def test_a_peoples_word_is_no_companys_name():
    s = "Japan will send its Patriot missiles to the US to be dispatched to Ukrainian forces."
    assert things_of_kind("company", s, "Which company makes the Patriot missiles?") == set()


def test_a_company_is_no_public_body_programme_or_list_of_countries():
    q = "Which company builds the jets?"
    assert things_of_kind("company", "The jets are built by Mitsubishi Heavy Industries, the White House said.", q) == {
        "mitsubishi heavy industries"}
    s = "The main example is the Global Combat Air Program which, together with Italy and the United Kingdom, helps."
    assert things_of_kind("company", s, q) == set()


def test_a_capital_and_its_state_name_each_other_as_governments():
    assert capital_names("Since 2022 the South Korean government has worked with Tokyo") == {
        "Seoul", "Japan", "Japanese"}
    assert "South Korea" in capital_names("Seoul and Tokyo agree") and "Seoul" not in capital_names("Seoul and Tokyo agree")


def test_a_person_holding_an_office_is_no_company():
    s = "Potential items include unmanned gear for mine removal, French Defence Minister Jean-Yves Le Drian said."
    assert things_of_kind("firm", s, "Which French firm would build the unmanned mine-removal gear?") == set()


def test_a_warship_asked_for_is_named_not_just_its_country():
    q = "Which Spanish warship first exercised with Japan?"
    assert asked_kind(q) == "warship"
    assert things_of_kind("warship", "In the case of Spain, ships have exercised with Japan since 2016.", q) == set()
    assert things_of_kind("warship", "The Spanish warship Cantabria exercised with Japan.", q) == {"cantabria"}
