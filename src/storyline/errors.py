"""Storyline's exceptions. The library raises; only the CLI and the web layer turn these into
messages, exit codes and HTTP errors.

Every error carries a stable code (``[E001]``) so users can search for it.
"""

from __future__ import annotations

from dataclasses import dataclass


class StorylineError(Exception):
    """Base class of every error Storyline raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class UsageError(StorylineError):
    """The caller asked for something that cannot be done (bad path, bad option)."""

    code = "E001"


class NoArticlesError(StorylineError):
    """No input document yielded an article."""

    code = "E002"


class ModelNotFoundError(StorylineError):
    """The configured spaCy model is not installed."""

    code = "E003"


class StoreError(StorylineError):
    """The store could not be opened, migrated or written."""

    code = "E004"


class StoryNotFoundError(StorylineError):
    """A story id that the store does not hold."""

    code = "E005"


class DocumentError(StorylineError):
    """One input document could not be read; the run goes on without it."""

    code = "E010"


@dataclass
class DocumentFailure:
    """A per-document failure recorded during a run: which file, which stage, why."""

    source: str
    stage: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: [{self.stage}] {self.reason}"
