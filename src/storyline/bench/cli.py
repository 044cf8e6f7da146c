"""``storyline bench …``: the benchmark commands. Each benchmark lives in its own module and
exposes a click command named ``command``; this group loads them lazily."""

from __future__ import annotations

import importlib

import click

#: subcommand name → module that defines ``command``.
BENCHMARKS = {
    "entities": "storyline.bench.entities",
    "cluster": "storyline.bench.cluster",
    "summary": "storyline.bench.summary",
    "conflicts": "storyline.bench.conflicts",
    "speed": "storyline.bench.speed",
    "link": "storyline.bench.link",
    "make-corpus": "storyline.bench.make_corpus",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = []
        for name, module in BENCHMARKS.items():
            try:
                importlib.import_module(module)
            except ModuleNotFoundError:
                continue
            names.append(name)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = BENCHMARKS.get(cmd_name)
        if module is None:
            return None
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            return None
        cmd: click.Command = mod.command
        return cmd


@click.group(cls=_LazyGroup)
def bench() -> None:
    """Run a benchmark: each prints its figures beside a baseline run on the same data.

    Example: storyline bench cluster --data ../shared/datasets/ecbplus
    """
