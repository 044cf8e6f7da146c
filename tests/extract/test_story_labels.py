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
