"""Every JSON output validates against the shipped schema, and every span is true."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

import storyline
from storyline.schema import brief_schema, span_errors, validate_brief


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(brief_schema())


def test_seeds_brief_valid(seeds_dir: Path) -> None:
    data = storyline.analyze([str(seeds_dir)]).to_dict()
    validate_brief(data)
    assert len(data["articles"]) == 5
    for a in data["articles"]:
        assert a["text"] and a["story"]
        assert a["language"] == "en"


def test_example_brief_valid(example_dir: Path) -> None:
    data = storyline.analyze([str(example_dir)]).to_dict()
    validate_brief(data)
    assert len(data["articles"]) >= 8


def test_span_errors_catch_a_wrong_span() -> None:
    brief = {"articles": [{"id": "a", "text": "hello world"}], "stories": [{"entities": [
        {"id": "e1", "mentions": [{"article": "a", "start": 0, "end": 5, "text": "world"}]}]}]}
    assert span_errors(brief)
    with pytest.raises(jsonschema.ValidationError):
        validate_brief({"schema": "storyline/brief-v0", "articles": [], "stories": []})


def test_span_errors_check_every_kind_of_evidence() -> None:
    bad = {"article": "a", "start": 0, "end": 5, "text": "world"}
    for key, item in [
        ("timeline", {"date": "2031", "evidence": [bad]}),
        ("undated", {"expression": "Friday", "evidence": [bad]}),
        ("summary", {"evidence": [bad]}),
        ("facts", {"id": "f1", "values": [bad]}),
    ]:
        brief = {"articles": [{"id": "a", "text": "hello world"}], "stories": [{key: [item]}]}
        assert span_errors(brief), key
