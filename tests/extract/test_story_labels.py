"""Story-wide label rules, on hand-made mentions (no parse needed)."""

from __future__ import annotations

from storyline.extract.entities import Mention
from storyline.extract.story_labels import apply_story_rules
from storyline.models import Article


def _mention(article: Article, word: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(word, start + 1)
    return Mention(article, start, start + len(word), label)


def test_story_rules_relabel_drop_and_keep() -> None:
    text = ("Harbour pilots were called, the harbour office told Kystavisen Daily. Acme said "
            "Acme Ferries would pay. British officials met Nordic Airways staff. Rose said so.")
    art = Article(id="a1", source="a1.txt", text=text, outlet="kystavisendaily")
    mentions = [
        _mention(art, "Harbour", "ORG"),  # capitalised only at a sentence start
        _mention(art, "Kystavisen Daily", "PERSON"),  # the story's own outlet
        _mention(art, "Acme", "GPE"),  # the company's name without its kind
        _mention(art, "Acme Ferries", "ORG"),
        _mention(art, "British", "NORP"),
        _mention(art, "Nordic Airways", "ORG"),
        _mention(art, "Rose", "PERSON"),
    ]
    kept = {m.text: m.label for m in apply_story_rules(mentions, [art])}
    assert kept == {"Kystavisen Daily": "ORG", "Acme": "ORG", "Acme Ferries": "ORG",
                    "British": "NORP", "Nordic Airways": "ORG", "Rose": "PERSON"}


def test_a_person_swallowed_by_a_neighbouring_name_is_split_out() -> None:
    t1 = ("Officials met the Ambassador to Norway Jana Velk on Monday. Envoy to Velland Ivo "
          "Sarn came too, with Harbour Chief Ruth Olsen.")
    t2 = "Jana Velk said the talks went well. Ivo Sarn and Ruth Olsen agreed. Velland is calm."
    a1 = Article(id="a1", source="a1.txt", text=t1)
    a2 = Article(id="a2", source="a2.txt", text=t2)
    mentions = [
        _mention(a1, "Norway Jana Velk", "ORG"),  # a gazetteer place before the person
        _mention(a1, "Velland Ivo Sarn", "ORG"),  # a story entity before the person
        _mention(a1, "Harbour Chief Ruth Olsen", "ORG"),  # neither: the head is dropped
        _mention(a2, "Jana Velk", "PERSON"),
        _mention(a2, "Ivo Sarn", "PERSON"),
        _mention(a2, "Ruth Olsen", "PERSON"),
        _mention(a2, "Velland", "GPE"),
    ]
    kept = apply_story_rules(mentions, [a1, a2])
    assert all(m.article.text[m.start : m.end] == m.text for m in kept)
    in_a1 = [(m.text, m.label) for m in kept if m.article is a1]
    assert in_a1 == [("Norway", "GPE"), ("Jana Velk", "PERSON"), ("Velland", "GPE"),
                     ("Ivo Sarn", "PERSON"), ("Ruth Olsen", "PERSON")]
    velk = next(m for m in kept if m.article is a1 and m.text == "Jana Velk")
    assert velk.roles == ["Ambassador to Norway"]  # the title before the split name
    assert velk.titled == "Ambassador to Norway Jana Velk"
    olsen = next(m for m in kept if m.article is a1 and m.text == "Ruth Olsen")
    assert olsen.roles == []  # "Harbour Chief" was no place: nothing to read a role from


def test_names_that_only_contain_a_person_are_not_split() -> None:
    text = ("The Jana Velk Foundation paid. Chad Ellis Moore spoke; Jana Velk and Ellis Moore "
            "listened. Chad Ellis Moore left.")
    art = Article(id="a1", source="a1.txt", text=text)
    mentions = [
        _mention(art, "Jana Velk Foundation", "ORG"),  # the person is not the tail
        _mention(art, "Chad Ellis Moore", "GPE"),  # a person of the story, starting with a place
        _mention(art, "Jana Velk", "PERSON"),
        _mention(art, "Ellis Moore", "PERSON"),
        _mention(art, "Chad Ellis Moore", "PERSON", nth=1),
    ]
    kept = [(m.text, m.label) for m in apply_story_rules(mentions, [art])]
    assert kept == [("Jana Velk Foundation", "ORG"), ("Chad Ellis Moore", "GPE"),
                    ("Jana Velk", "PERSON"), ("Ellis Moore", "PERSON"),
                    ("Chad Ellis Moore", "PERSON")]
    # A person named once, after no title: "a letter to Chad Ellis Moore" is not split.
    once = Article(id="a2", source="a2.txt", text="A letter to Chad Ellis Moore came. Ellis Moore "
                   "read it. The Envoy to Norway Jana Velk and Jana Velk met.")
    mentions = [_mention(once, "Chad Ellis Moore", "PERSON"), _mention(once, "Ellis Moore", "PERSON", 1),
                _mention(once, "Norway Jana Velk", "PERSON"), _mention(once, "Jana Velk", "PERSON", 1)]
    kept = [(m.text, m.label) for m in apply_story_rules(mentions, [once])]
    assert kept == [("Chad Ellis Moore", "PERSON"), ("Ellis Moore", "PERSON"), ("Norway", "GPE"),
                    ("Jana Velk", "PERSON"), ("Jana Velk", "PERSON")]


def test_a_listed_person_among_organisations_is_one_unless_named_as_a_person() -> None:
    text = ("Troops fought militias including Dawit Lema and the Red Dawn Front. Groups such as "
            "Kestrel Brigade and the Red Dawn Front fled. Tomas Berg said Kestrel Brigade lost.")
    art = Article(id="a1", source="a1.txt", text=text)
    lema = _mention(art, "Dawit Lema", "PERSON")
    kestrel = _mention(art, "Kestrel Brigade", "PERSON")
    berg = _mention(art, "Tomas Berg", "PERSON")
    lema.listed = kestrel.listed = True
    later = _mention(art, "Kestrel Brigade", "ORG", nth=1)
    apply_story_rules([lema, kestrel, berg, later], [art])
    assert (lema.label, kestrel.label, berg.label) == ("ORG", "ORG", "PERSON")

    named = Article(id="a2", source="a2.txt", text=text + " Dawit Lema denied it.")
    listed = _mention(named, "Dawit Lema", "PERSON")
    listed.listed = True
    apply_story_rules([listed, _mention(named, "Dawit Lema", "PERSON", nth=1)], [named])
    assert listed.label == "PERSON"  # a person elsewhere in the story


def _split_velk(text: str, label: str = "ORG") -> Mention:
    """The person part of "<place> Jana Velk" split out of ``text`` (named again at its end)."""
    art = Article(id="a1", source="a1.txt", text=text + " Jana Velk left.")
    swallowed = _mention(art, "Norway Jana Velk", label)
    kept = apply_story_rules([swallowed, _mention(art, "Jana Velk", "PERSON", nth=1)], [art])
    assert [(m.text, m.label) for m in kept] == [("Norway", "GPE"), ("Jana Velk", "PERSON"),
                                                 ("Jana Velk", "PERSON")]
    assert all(m.article.text[m.start : m.end] == m.text for m in kept)
    return kept[1]


def test_the_role_before_a_split_name_holds_no_words_opening_the_sentence() -> None:
    cases = {
        "On Monday Ambassador to Norway Jana Velk said so.": "Ambassador to Norway",
        "In March Ambassador to Norway Jana Velk said so.": "Ambassador to Norway",
        "Then UK Ambassador to Norway Jana Velk said so.": "UK Ambassador to Norway",
        "The Ambassador to Norway Jana Velk said so.": "Ambassador to Norway",
        "MONDAY Envoy to Norway Jana Velk said so.": "Envoy to Norway",
        "However, Former United States Deputy Ambassador to Norway Jana Velk said so.":
            "Former United States Deputy Ambassador to Norway",
        "Meanwhile Peru's Acting Ambassador to Norway Jana Velk said so.":
            "Peru's Acting Ambassador to Norway",
        "Talks with Senior Norwegian Envoy to Norway Jana Velk went on.":
            "Senior Norwegian Envoy to Norway",
    }
    for text, role in cases.items():
        velk = _split_velk(text)
        assert velk.roles == [role], text
        assert velk.titled == role + " Jana Velk", text


def test_the_person_part_of_a_split_keeps_the_original_roles_and_vote() -> None:
    art = Article(id="a1", source="a1.txt",
                  text="He met Envoy to Norway Jana Velk, a career diplomat. Jana Velk left.")
    swallowed = _mention(art, "Norway Jana Velk", "PERSON")
    swallowed.roles = ["Envoy", "career diplomat"]  # as read from the parse
    swallowed.titled = "Envoy to Norway Jana Velk"
    swallowed.weak = True
    kept = apply_story_rules([swallowed, _mention(art, "Jana Velk", "PERSON", nth=1)], [art])
    velk = kept[1]
    assert (velk.text, velk.label) == ("Jana Velk", "PERSON")
    assert velk.roles == ["Envoy to Norway", "career diplomat"]  # "Envoy" is inside the new role
    assert velk.titled == "Envoy to Norway Jana Velk" and velk.weak


def test_a_titled_place_and_person_read_as_a_person_does_not_keep_another_one_whole() -> None:
    # The model read the first "Norway Jana Velk" as a person and the second as an organisation:
    # both are a place and a person after a title, and both are split.
    art = Article(id="a1", source="a1.txt",
                  text="The Envoy to Norway Jana Velk spoke. Later Envoy to Norway Jana Velk left. "
                  "Jana Velk came back.")
    first = _mention(art, "Norway Jana Velk", "PERSON")
    second = _mention(art, "Norway Jana Velk", "ORG", nth=1)
    kept = apply_story_rules([first, second, _mention(art, "Jana Velk", "PERSON", nth=2)], [art])
    assert [(m.text, m.label) for m in kept] == [("Norway", "GPE"), ("Jana Velk", "PERSON"),
                                                 ("Norway", "GPE"), ("Jana Velk", "PERSON"),
                                                 ("Jana Velk", "PERSON")]
    assert [m.roles for m in kept if m.label == "PERSON"] == [["Envoy to Norway"]] * 2 + [[]]
