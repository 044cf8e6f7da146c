"""The Ray engine: the same stage classes, run by Ray Data's ``map_batches`` on an actor pool.

This is the only module of Storyline that imports Ray. Tasks travel as one JSON string column
(``task``) so no schema inference touches them; each actor builds the stage once (the spaCy
model loads once per worker) and handles one task per call (``batch_size=1``). Locally Ray
starts with ``num_cpus=workers`` and a modest object store; ``address`` joins a running
cluster instead (``ray start --head`` / ``ray://host:10001``).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from ..errors import UsageError

#: Object store size for a local Ray instance (bytes); tasks and results are tiny.
OBJECT_STORE_BYTES = 256 * 1024 * 1024


class _Actor:
    """Ray Data callable class: builds the stage once, runs it on a batch of JSON tasks."""

    def __init__(self, stage: type, kwargs: dict[str, Any]) -> None:
        self.stage = stage(**kwargs)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        result: dict[str, list[str]] = self.stage(batch)
        return result


class RayEngine:
    """Runs stages on Ray (a local instance, or the cluster at ``address``).

    Args:
        workers: number of actors per stage (each takes one CPU).
        address: a Ray cluster address to join; None starts Ray locally.
    """

    def __init__(self, workers: int, address: str | None = None) -> None:
        try:
            import ray
        except ModuleNotFoundError as exc:
            raise UsageError(
                "the Ray engine needs Ray: pip install 'storyline[ray]' (or 'ray[data]')"
            ) from exc
        self.workers = workers
        self._started = False
        if not ray.is_initialized():
            os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")
            if address:
                ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
            else:
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                         object_store_memory=OBJECT_STORE_BYTES, logging_level=logging.WARNING)
            self._started = True
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.verbose_stats_logs = False

    def map(self, stage: type, kwargs: dict[str, Any], tasks: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
        """Run ``stage(**kwargs).run(task)`` for every task; results in task order."""
        import ray

        if not tasks:
            return []
        items = [{"task": json.dumps(t)} for t in tasks]
        source = ray.data.from_items(items, override_num_blocks=len(items))
        ds = source.map_batches(
            _Actor,
            fn_constructor_kwargs={"stage": stage, "kwargs": kwargs},
            batch_size=1,
            batch_format="numpy",
            # one task at a time per actor: a queue of tasks behind one busy actor would leave
            # the others idle at the end of a stage (each task is a whole shard or bucket)
            compute=ray.data.ActorPoolStrategy(
                size=min(self.workers, len(tasks)), max_tasks_in_flight_per_actor=1
            ),
            num_cpus=1,
        )
        results = [json.loads(str(row["result"])) for row in ds.take_all()]
        order = {t["key"]: i for i, t in enumerate(tasks)}
        return sorted(results, key=lambda r: order.get(r.get("key"), 0))

    def close(self) -> None:
        """Shut down the local Ray instance this engine started (a joined cluster stays up)."""
        import ray

        if self._started and ray.is_initialized():
            ray.shutdown()
        self._started = False


def make_engine(workers: int, address: str | None = None) -> RayEngine:
    """The Ray engine with ``workers`` actors per stage."""
    return RayEngine(workers, address)
