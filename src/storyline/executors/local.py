"""The local engine: a ``concurrent.futures`` process pool running the same stage classes.

Each worker process builds the stage once (so the spaCy model loads once per worker) in the
pool initializer and then runs one task at a time. Processes start with ``spawn`` so no worker
inherits the driver's threads or open Parquet handles.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_stage: Any = None


def _init(stage: type, kwargs: dict[str, Any]) -> None:
    global _stage
    _stage = stage(**kwargs)


def _run(task: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = _stage.run(task)
    return result


class LocalEngine:
    """Runs stages on a pool of ``workers`` local processes.

    Args:
        workers: number of worker processes (use the number of cores).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map(self, stage: type, kwargs: dict[str, Any], tasks: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
        """Run ``stage(**kwargs).run(task)`` for every task; results in task order."""
        if not tasks:
            return []
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(self.workers, len(tasks)), mp_context=ctx,
            initializer=_init, initargs=(stage, kwargs),
        ) as pool:
            return list(pool.map(_run, tasks, chunksize=1))

    def close(self) -> None:
        """Nothing to release: each ``map`` call owns its pool."""


def make_engine(workers: int, address: str | None = None) -> LocalEngine:
    """The local engine (``address`` is for Ray and is rejected here).

    Raises:
        UsageError: an address was given.
    """
    if address:
        from ..errors import UsageError

        raise UsageError("--address joins a Ray cluster; use it with --engine ray")
    return LocalEngine(workers)
