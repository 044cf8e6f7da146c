"""Direct quotes: marks, spans, broken quotes, and speakers resolved to entities or left null."""

from __future__ import annotations

from collections.abc import Callable

from storyline.brief import StoryContext
from storyline.extract.entities import extract_entities
from storyline.extract.quotes import extract_quotes, find_quotes
from storyline.models import Article, Quote

from .conftest import ExampleStory, assert_spans_exact

TEXT = (
    "Harbour master Dana Whitlock spoke after the fire on the ferry Marisol.\n"
    "\u201cThe crew did everything right,\u201d Whitlock said. \u201cNobody was hurt, and the ship "
    "will sail again.\u201d\n"
    'Fire chief Omar Haddad told reporters "the blaze started in the galley and spread fast."\n'
    'According to Haddad, "the alarms worked exactly as designed."\n'
    '"We will review every ferry in the fleet this month," said Transport Minister Ines '
    'Carvalho. "Safety comes first."\n'
    'Passengers called the evacuation "calm".\n'
    '"Someone should have checked the wiring years ago," a passenger wrote online.\n'
)


def quotes_for(
    make_article: Callable[..., Article],
    make_ctx: Callable[[list[Article]], StoryContext],
    text: str = TEXT,
) -> tuple[Article, list[Quote], dict[str, str]]:
    article = make_article(text, id="q1")
    ctx = make_ctx([article])
    ctx.story.entities = extract_entities(ctx)
    quotes = extract_quotes(ctx)
    names = {e.id: e.name for e in ctx.story.entities}
    return article, quotes, names


def by_start(quotes: list[Quote], words: str) -> Quote:
    hits = [q for q in quotes if q.span.text.startswith(words)]
    assert len(hits) == 1, [q.span.text for q in quotes]
    return hits[0]


def test_quote_spans_are_exact_and_exclude_marks(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    article, quotes, _ = quotes_for(make_article, make_ctx)
    assert_spans_exact([article], [q.span for q in quotes])
    for q in quotes:
        assert q.span.text[0] not in '"\u201c' and q.span.text[-1] not in '"\u201d'


def test_speaker_after_the_quote_and_broken_quote(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    _, quotes, names = quotes_for(make_article, make_ctx)
    first = by_start(quotes, "The crew did everything right")
    second = by_start(quotes, "Nobody was hurt")
    assert first.speaker is not None and names[first.speaker] == "Dana Whitlock"
    assert second.speaker == first.speaker  # the quote broken by its attribution
    assert first.speaker_name == "Dana Whitlock"


def test_told_and_according_to(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    _, quotes, names = quotes_for(make_article, make_ctx)
    told = by_start(quotes, "the blaze started")
    according = by_start(quotes, "the alarms worked")
    assert told.speaker is not None and names[told.speaker] == "Omar Haddad"
    assert according.speaker == told.speaker


def test_said_before_name_with_title(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    _, quotes, names = quotes_for(make_article, make_ctx)
    q = by_start(quotes, "We will review every ferry")
    assert q.speaker is not None and names[q.speaker] == "Ines Carvalho"
    assert by_start(quotes, "Safety comes first").speaker == q.speaker


def test_scare_quotes_skipped_and_unknown_speaker_stays_null(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    _, quotes, _ = quotes_for(make_article, make_ctx)
    assert all(q.span.text != "calm" for q in quotes)
    anonymous = by_start(quotes, "Someone should have checked")
    assert anonymous.speaker is None


def test_pronoun_speaker_resolves_to_the_person_named_before(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    text = (
        "Captain Rui Osei brought the ferry back to port. "
        '"I have never seen smoke that thick," he said.\n'
    )
    _, quotes, names = quotes_for(make_article, make_ctx, text)
    q = by_start(quotes, "I have never seen")
    assert q.speaker is not None and names[q.speaker] == "Rui Osei"


def test_find_quotes_handles_curly_straight_and_run_on_paragraphs() -> None:
    text = (
        'He said \u201cone two three four\u201d and "five six seven".\n"Open quote runs on\nNext.'
    )
    found = [text[s:e] for s, e, _, _ in find_quotes(text)]
    assert found == ["one two three four", "five six seven", "Open quote runs on"]


def test_example_corpus_quotes(example_story: ExampleStory) -> None:
    """Quotes of the example corpus carry the speakers its ground truth names."""
    ctx = example_story.ctx
    assert_spans_exact(ctx.articles, [q.span for q in ctx.story.quotes])
    names = {e.id: e.name for e in ctx.story.entities}
    truth = [q for q in example_story.truth["quotes"] if q["article"] in example_story.by_key]
    truth = [q for q in truth if q["article"].startswith("A")]
    right = 0
    for t in truth:
        article = example_story.by_key[t["article"]]
        hits = [
            q
            for q in ctx.story.quotes
            if q.span.article == article.id and q.span.text.strip(" ,") == t["text"].strip(" ,")
        ]
        assert hits, t  # every quote is found
        speaker = names.get(hits[0].speaker) if hits[0].speaker else None
        right += speaker == t["speaker"]
        if t["speaker"] is None:
            assert hits[0].speaker is None, t  # an unnamed speaker is never guessed
    assert right >= 0.8 * len(truth), (right, len(truth))


def test_who_after_an_apposition_speaks_for_the_person_not_the_agency(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    text = (
        "The talks were held in the presence of Laura Benton, director of the Velland Relief "
        "Agency (VRA) in Port Aster, who expressed her hope that the agency will keep working "
        'with the islands and announced "a new agreement that will replace the old one."\n'
        'Later, officials met the Velland Relief Agency, which announced "a second agreement '
        'for the northern islands next year."\n'
    )
    article, quotes, names = quotes_for(make_article, make_ctx, text)
    assert_spans_exact([article], [q.span for q in quotes])
    assert by_start(quotes, "a new agreement").speaker_name == "Laura Benton"
    agency = by_start(quotes, "a second agreement")
    assert agency.speaker_name == "Velland Relief Agency"  # "which" keeps the agency
    assert agency.speaker is not None and names[agency.speaker] == "Velland Relief Agency"


def test_a_nationality_before_the_speaker_noun_is_not_the_speaker(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    text = ("Norway's prime minister, Anna Keller, visited the port on Monday.\n"
            '"We will rebuild the harbour this year," the Norwegian prime minister said.\n')
    _article, quotes, _names = quotes_for(make_article, make_ctx, text)
    assert by_start(quotes, "We will rebuild").speaker_name == "Anna Keller"


def test_a_coordinated_speech_verb_shares_its_subject_within_the_sentence_only(
    make_article: Callable[..., Article], make_ctx: Callable[[list[Article]], StoryContext]
) -> None:
    text = ('Mark Fenwick expressed concern about the "breaking point" of the crews and told '
            "officials the port needed help.\n"
            "Prime Minister Anna Keller's office said the cabinet had approved a \"full and "
            'lasting" truce brokered by Norway. The Red Dawn Front followed suit and said it '
            "would comply.\n")
    _article, quotes, _names = quotes_for(make_article, make_ctx, text)
    assert by_start(quotes, "breaking point").speaker_name == "Mark Fenwick"  # "and told"
    assert by_start(quotes, "full and lasting").speaker_name != "Red Dawn Front"
