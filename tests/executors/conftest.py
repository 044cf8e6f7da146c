"""Small hand-written sharded inputs for the batch executors (fiction written for these tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

_FLOOD = [
    "Heavy rain pushed the Marrow River over its banks in Eastfold on Monday, and the town "
    "council opened two shelters for residents of the lower quarter.",
    "Mayor Irene Calloway said about 400 homes were without power and that pumps from the "
    "regional water board would arrive overnight.",
    "The river gauge at Eastfold bridge read 5.2 metres at noon, the highest level recorded "
    "since the station opened, according to the water board.",
    "Volunteers filled sandbags outside the library while the fire service moved elderly "
    "residents from the riverside care home to a school gym.",
]
_MINE = [
    "Miners at the Coldspur copper mine walked out on Tuesday after talks over night-shift pay "
    "broke down, the union said.",
    "Union organiser Tomas Reyhill said 1,200 workers had joined the strike and that pickets "
    "would stay at the gates until the owners returned to the table.",
    "Coldspur Mining said output had fallen by half and called the stoppage unlawful, adding "
    "that it had asked the labour tribunal for an urgent hearing.",
    "Shops in the mining town reported fewer customers as the strike entered its second day.",
]


def _record(i: int, story: list[str], day: str, outlet: str, extra: str = "") -> dict[str, str]:
    body = "\n\n".join(story[i % 2:] + story[: i % 2])
    return {
        "url": f"https://{outlet}.example/{i}",
        "title": story[0][:60],
        "text": body + (f"\n\n{extra}" if extra else ""),
        "published": day,
        "outlet": outlet,
    }


def write_jsonl(path: Path, records: list[dict[str, str] | str]) -> Path:
    """Write records (dicts, or raw lines for broken input) as one JSONL shard."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_shards(folder: Path) -> Path:
    """Two JSONL shards: a flood story and a strike story, a reprint, and one broken line."""
    a = [
        _record(0, _FLOOD, "2025-05-05", "riverpost"),
        _record(1, _MINE, "2025-05-06", "orewire"),
        _record(2, _FLOOD, "2025-05-05T14:00:00", "valleytimes", "Officials urged drivers to avoid the bridge."),
    ]
    b: list[dict[str, str] | str] = [
        dict(_record(0, _FLOOD, "2025-05-06", "riverpost"), url="https://copycat.example/x"),
        _record(3, _MINE, "2025-05-07", "minersdaily", "The tribunal will sit on Thursday."),
        "{not json",
        _record(5, _MINE, "2025-05-06", "capitalnews"),
    ]
    write_jsonl(folder / "part-0.jsonl", a)  # type: ignore[arg-type]
    write_jsonl(folder / "part-1.jsonl", b)
    return folder


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """:func:`make_shards` in a fresh folder."""
    return make_shards(tmp_path / "in")
