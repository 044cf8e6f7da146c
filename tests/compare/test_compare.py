"""Facts aligned across sources: every status, hedges that must not conflict, labels, spans."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.brief import StoryContext
from storyline.compare import align_facts, independent_sources
from storyline.extract.nlp import DocCache
from storyline.extract.quantities import Quantity
from storyline.models import Article, Fact, Relation, Story
from storyline.settings import Settings

MakeArticle = Callable[..., Article]

A = (
    "Officials opened a new hangar near Brookfield on Tuesday. The city owns a large cargo hangar "
    "near Brookfield, which cost about $40 million to build. More than 300 firefighters in Portugal "
    "were sent to the coast. The ferry carried 450 passengers. Portugal's Foreign Minister Maria "
    "Santos visited the site."
)
B = (
    "The opening raises questions about the $48 million hangar. Approximately 320 firefighters in "
    "Portugal were deployed. The ferry was carrying 450 passengers when it docked. Portugal's "
    "Foreign Minister Pedro Alves praised the crews."
)
C = (
    "About 40 French soldiers and 700 German soldiers joined the drill in Portugal. Rescuers said "
    "hundreds of volunteers helped."
)


@pytest.fixture
def docs() -> DocCache:
    # the cache is keyed by article id, and ids repeat between tests: one cache per test
    return DocCache()


def _facts(articles: list[Article], docs: DocCache, **settings: object) -> list[Fact]:
    story = Story(id="s-test", title="t", articles=[a.id for a in articles])
    ctx = StoryContext(story, articles, docs, replace(Settings(), **settings))  # type: ignore[arg-type]
    return align_facts(ctx)


def _by_label(facts: list[Fact], word: str) -> Fact:
    found = [f for f in facts if word in f.label]
    assert len(found) == 1, [(f.label, f.status) for f in facts]
    return found[0]


def _check_spans(facts: list[Fact], articles: list[Article]) -> None:
    texts = {a.id: a.text for a in articles}
    for f in facts:
        for v in f.values:
            assert texts[v.span.article][v.span.start : v.span.end] == v.span.text


def test_statuses(make_article: MakeArticle, docs: DocCache) -> None:
    arts = [make_article(A, outlet="Ledger"), make_article(B, outlet="Courier")]
    facts = _facts(arts, docs)
    _check_spans(facts, arts)
    cost = _by_label(facts, "hangar")
    assert cost.status == "conflict"
    assert cost.kind == "money"
    assert {v.span.text for v in cost.values} == {"about $40 million", "$48 million"}
    assert "Ledger" in cost.explanation and "Courier" in cost.explanation
    crews = _by_label(facts, "firefighters")
    assert crews.status == "compatible"  # hedged figures that can both be true
    assert {v.qualifier for v in crews.values} == {"more than", "about"}
    ferry = _by_label(facts, "passengers")
    assert ferry.status == "agreed"
    assert len(ferry.values) == 2  # grouped once, not repeated
    minister = _by_label(facts, "foreign minister")
    assert minister.kind == "name" and minister.status == "conflict"
    assert {v.value for v in minister.values} == {"Maria Santos", "Pedro Alves"}
    # conflicts come first
    assert facts[0].status == "conflict"
    assert [f.id for f in facts] == [f"s-test-f{i + 1}" for i in range(len(facts))]


def test_labels(make_article: MakeArticle, docs: DocCache) -> None:
    arts = [make_article(A), make_article(B)]
    facts = _facts(arts, docs)
    assert _by_label(facts, "hangar").label == "cost of the cargo hangar"
    assert _by_label(facts, "firefighters").label == "firefighters in Portugal"


def test_tolerance_setting_decides_hedged_conflicts(
    make_article: MakeArticle, docs: DocCache
) -> None:
    arts = [make_article(A), make_article(B)]
    wide = _facts(arts, docs, about_tolerance=0.25)
    assert _by_label(wide, "hangar").status == "compatible"


def test_single_source_and_copies_count_once(make_article: MakeArticle, docs: DocCache) -> None:
    a = make_article(A, outlet="Ledger")
    copy = make_article(
        A.replace("about $40 million", "$48 million"),
        outlet="Reprint",
        relations=[Relation("near_duplicate_of", a.id, 0.95)],
    )
    facts = _facts([a, copy], docs)
    _check_spans(facts, [a, copy])
    assert {f.status for f in facts} == {"single-source"}
    assert "copies count once" in _by_label(facts, "passengers").explanation


def test_copies_found_without_relations(make_article: MakeArticle) -> None:
    a = make_article(A)
    b = make_article(A + " Share this story.")
    c = make_article(B)
    groups = independent_sources([a, b, c])
    assert groups[a.id] == groups[b.id] != groups[c.id]


def test_modifiers_keep_different_things_apart(make_article: MakeArticle, docs: DocCache) -> None:
    arts = [make_article(C)]
    facts = _facts(arts, docs)
    labels = sorted(f.label for f in facts)
    assert "French soldiers in Portugal" in labels
    assert "German soldiers in Portugal" in labels


LONE_A = (
    "The Harbor Authority said the Brookfield terminal stayed closed for 20 days after the storm."
)
LONE_B = (
    "Crews with cranes and divers needed 27 days to finish welding repairs on the damaged pier at "
    "Brookfield, a Harbor Authority spokesman confirmed."
)


def test_lone_figures_align_beyond_the_near_ratio(
    make_article: MakeArticle, docs: DocCache
) -> None:
    # the only durations of two related sentences (two common entities, different wording) are
    # one thing even 35 % apart: a changed figure is a conflict, not a new row
    arts = [make_article(LONE_A), make_article(LONE_B)]
    rows = [f for f in _facts(arts, docs) if f.label.startswith("duration")]
    assert len(rows) == 1 and rows[0].status == "conflict"
    _check_spans(rows, arts)
    # a second duration of like size in one article makes the pairing uncertain: magnitude rules
    arts = [make_article(LONE_A + " The storm had lasted 24 days."), make_article(LONE_B)]
    rows = [f for f in _facts(arts, docs) if f.label.startswith("duration")]
    assert {f.status for f in rows} == {"single-source"}
    # ... but one of another size could not be the figure the other article gives
    arts = [make_article(LONE_A + " The storm had lasted 3 days."), make_article(LONE_B)]
    rows = [f for f in _facts(arts, docs) if f.label.startswith("duration")]
    assert "conflict" in {f.status for f in rows}


def test_small_counts_of_unlike_sentences_are_different_groups(
    make_article: MakeArticle, docs: DocCache
) -> None:
    injured = (
        "Officials said 2 people were injured when the roof of the Brookfield market collapsed."
    )
    rescued = "Rescuers later pulled 3 people from the burning warehouse across the river."
    rows = [f for f in _facts([make_article(injured), make_article(rescued)], docs)]
    assert all(f.status != "conflict" for f in rows), [(f.label, f.status) for f in rows]
    # alike sentences giving different small counts still conflict
    other = "The collapse of the Brookfield market roof on Monday left 3 people injured, officials said."
    rows = _facts([make_article(injured), make_article(other)], docs)
    assert _by_label(rows, "people").status == "conflict"


def test_name_variants_agree(make_article: MakeArticle, docs: DocCache) -> None:
    arts = [
        make_article("Prime Minister Anna Kowalska met the crew on Monday."),
        make_article("The crew later met Prime Minister Anna Kowalski in the capital."),
    ]
    facts = _facts(arts, docs)
    pm = _by_label(facts, "prime minister")
    assert pm.status == "agreed"
    assert "spelled" in pm.explanation


def test_former_holders_are_not_a_conflict(make_article: MakeArticle, docs: DocCache) -> None:
    arts = [
        make_article("Portugal's Foreign Minister Maria Santos spoke on Monday."),
        make_article("Portugal's former Foreign Minister Pedro Alves also spoke."),
    ]
    assert not [f for f in _facts(arts, docs) if f.status == "conflict"]


def test_dates_of_one_event_are_grouped(make_article: MakeArticle, docs: DocCache) -> None:
    arts = [
        make_article("The dockers walked out in a strike last July.", published="2031-04-20"),
        make_article(
            "Since a July 2030 strike, the dockers have worked to rule.", published="2031-04-21"
        ),
        make_article("The strike in August 2030 surprised the port.", published="2031-04-22"),
    ]
    facts = [f for f in _facts(arts, docs) if f.kind == "date"]
    _check_spans(facts, arts)
    assert len(facts) == 1
    assert facts[0].label == "date of the strike"
    assert facts[0].status == "conflict"
    assert sorted(str(v.value) for v in facts[0].values) == ["2030-07", "2030-07", "2030-08"]


def test_example_corpus_facts(example_dir: Path) -> None:
    """The bundled fiction: the insured value conflicts, passenger counts are only hedged apart."""
    from storyline.ingest import RawDocument, read_paths
    from storyline.ingest.build import build_article

    arts = [build_article(r) for r in read_paths([example_dir]) if isinstance(r, RawDocument)]
    story_a = [a for a in arts if "Selini Star" in a.text]
    assert len(story_a) >= 5
    facts = _facts(story_a, DocCache())
    _check_spans(facts, story_a)
    conflicts = [f for f in facts if f.status == "conflict"]
    assert len(conflicts) == 1, [(f.label, [v.span.text for v in f.values]) for f in conflicts]
    texts = {v.span.text for v in conflicts[0].values}
    assert "€55 million" in texts and "about €40 million" in texts
    assert conflicts[0].kind == "money"
    passengers = [f for f in facts if any(v.span.text == "312" for v in f.values)]
    assert len(passengers) == 1 and passengers[0].status == "compatible"
    assert {"about 300", "More than 300"} <= {v.span.text for v in passengers[0].values}
    crew = [f for f in facts if any(v.span.text == "41" for v in f.values)]
    assert len(crew) == 1 and crew[0].status == "agreed"


@pytest.mark.parametrize(
    ("a", "b", "both"),
    [
        ("more than 1,000", "approximately 1,100", True),
        ("about $100 million", "$110 million", False),
        ("about $100 million", "$104 million", True),
        ("nearly 50", "49", True),
        ("nearly 50", "51", False),
        ("at least 20", "up to 15", False),
        ("hundreds of", "about 300", True),
        ("between 10 and 20", "25", False),
    ],
)
def test_hedged_intervals(a: str, b: str, both: bool) -> None:
    from storyline.compare.figures import can_both_hold
    from storyline.extract.quantities import extract_quantities

    (qa,), (qb,) = extract_quantities(a), extract_quantities(b)
    assert can_both_hold(qa, qb) is both
    assert can_both_hold(qb, qa) is both


@given(
    value=st.floats(min_value=1, max_value=1e9),
    shift=st.floats(min_value=-0.049, max_value=0.049),
    hedge=st.sampled_from(["about", "approximately", "around", "roughly", "some"]),
)
def test_about_never_conflicts_within_the_tolerance(value: float, shift: float, hedge: str) -> None:
    from storyline.compare.figures import can_both_hold
    from storyline.extract.quantities import interval

    low, high = interval(value, "about", 0.05)
    other = value * (1 + shift)
    hedged = Quantity(0, 1, hedge, value, None, "about", low, high, "count")
    bare = Quantity(0, 1, "x", other, None, None, other, other, "count")
    assert can_both_hold(hedged, bare)


def test_a_title_word_tagged_as_a_nationality_stays_in_the_title(
    make_article: MakeArticle, docs: DocCache
) -> None:
    arts = [
        make_article("Harbour Master Lena Brandt said so. Thai Prime Minister Anan Chai agreed."),
        make_article("Harbour Master Lena Brandt closed the quay. Thai Prime Minister Anan Chai came."),
    ]
    labels = {f.label for f in _facts(arts, docs) if f.kind == "name"}
    assert "harbour master" in labels  # not "master (harbour)"
    assert any(label.startswith("prime minister (") for label in labels), labels  # Thai: an owner


def test_durations_before_and_after_one_event_are_two_rows(
    make_article: MakeArticle, docs: DocCache
) -> None:
    arts = [make_article("The ferry was inspected three days after the fire, the operator said."),
            make_article("The ferry was inspected two days before the fire by the port authority.")]
    rows = sorted(f.label for f in _facts(arts, docs) if f.label.startswith("time "))
    assert rows == ["time after the fire", "time before the fire"]
