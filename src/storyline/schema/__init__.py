"""The ``storyline/brief-v1`` JSON Schema shipped with the package, and validation helpers."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "brief-v1.json"


@lru_cache(maxsize=1)
def brief_schema() -> dict[str, Any]:
    """The JSON Schema of ``storyline/brief-v1``."""
    data: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    )
    return data


def span_errors(brief: dict[str, Any]) -> list[str]:
    """Every span whose text is not ``article.text[start:end]`` (the evidence invariant)."""
    texts = {a["id"]: a["text"] for a in brief.get("articles", [])}
    errors: list[str] = []

    def check(span: dict[str, Any], where: str) -> None:
        text = texts.get(span.get("article", ""))
        if text is None:
            errors.append(f"{where}: unknown article {span.get('article')!r}")
        elif text[span["start"] : span["end"]] != span["text"]:
            errors.append(
                f"{where}: text[{span['start']}:{span['end']}] is "
                f"{text[span['start']:span['end']]!r}, span says {span['text']!r}"
            )

    for a in brief.get("articles", []):
        for f in a.get("flags", []):
            for s in f.get("evidence", []):
                check(s, f"article {a['id']} flag {f['code']}")
    for st in brief.get("stories", []):
        for e in st.get("entities", []):
            for s in e.get("mentions", []):
                check(s, f"entity {e['id']}")
        for f in st.get("facts", []):
            for s in f.get("values", []):
                check(s, f"fact {f['id']}")
        for t in st.get("timeline", []):
            for s in t.get("evidence", []):
                check(s, f"timeline {t['date']}")
        for u in st.get("undated", []):
            for s in u.get("evidence", []):
                check(s, f"undated {u['expression']}")
        for q in st.get("quotes", []):
            check(q, "quote")
        for sm in st.get("summary", []):
            for s in sm.get("evidence", []):
                check(s, "summary")
    return errors


def validate_brief(brief: dict[str, Any]) -> None:
    """Validate a brief against the schema and the span invariant.

    Raises:
        jsonschema.ValidationError: the brief breaks the schema.
        ValueError: a span does not match its article text.
    """
    import jsonschema

    jsonschema.validate(brief, brief_schema())
    errors = span_errors(brief)
    if errors:
        raise ValueError("span invariant broken:\n" + "\n".join(errors[:20]))
