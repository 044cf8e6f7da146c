"""Persisting the online clusterer between ingests: its state as bytes, and back.

:func:`dump` writes the binary format (:data:`STATE_VERSION` 4): the bytes ``SLOC``, three
lengths, a JSON header (clock, number of articles seen, the waiting articles' ids and days, each
open story's id, size, dates, member lengths and member dates), the compressed document-frequency table, then
one zlib block of packed numbers (every centroid's keys and values, every remembered member's and
waiting article's feature keys, counts and block codes). :func:`load` reads it, and the JSON
documents of versions 1 and 2 and binary version 3. This module reaches into the clusterer's private fields: it is
the clusterer's own persistence, kept apart only to keep the clustering module short.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import TYPE_CHECKING, Any

import numpy as np

from .features import BLOCK_CODES, Packed, Vectorizer, triple_arrays
from .online import OnlineClusterer
from .stories import StoryState

if TYPE_CHECKING:
    from ..settings import Settings

#: Format of :meth:`OnlineClusterer.to_bytes`: 2 adds the articles still waiting for their story
#: (``pending``); 3 stores the arrays in binary (a JSON header, the compressed document
#: frequencies, then the centroids and members as packed numbers); 4 adds each remembered
#: member's date (for the time decay). Versions 1–3 are still read (their members are all dated
#: by the story's newest one).
STATE_VERSION = 4
#: First bytes of a binary (version 3+) state.
_MAGIC = b"SLOC"
_LENGTHS = struct.Struct("<III")


def _concat(packs: list[Packed]) -> list[np.ndarray]:
    """Packed features of several documents as three flat arrays (keys, tfs, block codes)."""
    if not packs:
        return [np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int8)]
    return [
        np.concatenate([p[0] for p in packs]).astype(np.int64),
        np.concatenate([p[1] for p in packs]).astype(np.int32),  # counts: whole numbers
        np.concatenate([p[2] for p in packs]).astype(np.int8),
    ]


def _split(body: bytes, n_total: int, lengths: list[int]) -> tuple[np.ndarray, np.ndarray, list[Packed]]:
    """Read back what :meth:`OnlineClusterer.to_bytes` packed: centroid keys and values, and
    one :data:`Packed` per document of the given lengths."""
    n = sum(lengths)
    sizes = [(np.int64, n_total), (np.float64, n_total), (np.int64, n), (np.int32, n), (np.int8, n)]
    arrays, at = [], 0
    for dtype, count in sizes:
        arrays.append(np.frombuffer(body, dtype=dtype, count=count, offset=at))
        at += np.dtype(dtype).itemsize * count
    keys, tfs, codes = arrays[2], arrays[3].astype(np.float64), arrays[4].astype(np.int64)
    bounds = np.cumsum([0, *lengths])
    packs = [(keys[a:b].copy(), tfs[a:b], codes[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return arrays[0], arrays[1], packs


def _triples(packed: Packed) -> list[list[Any]]:
    """Packed member features as JSON-able ``[block, key, tf]`` rows (the stored format)."""
    keys, tfs, codes = packed
    return [
        [BLOCK_CODES[c], k, int(tf)]
        for k, tf, c in zip(keys.tolist(), tfs.tolist(), codes.tolist(), strict=True)
    ]


def _set_days(story: StoryState, member_days: list[int | None] | None) -> None:
    """The members' dates; states before version 4 date every member by the newest one."""
    if member_days is not None and len(member_days) == len(story.members):
        story.member_days = [None if d is None else int(d) for d in member_days]
    else:
        story.member_days = [story.last_day] * len(story.members)


def state_of(c: OnlineClusterer) -> dict[str, Any]:
    """The whole state as JSON-able data (closed stories are not kept)."""
    vec = c.vectorizer.state()
    vec["df"] = base64.b64encode(vec["df"]).decode("ascii")
    return {
        "version": STATE_VERSION,
        "seq": c._seq,
        "today": c._today,
        "pending": [[aid, _triples(p), day] for aid, p, day in c._pending],
        "vectorizer": vec,
        "stories": [
            {
                "id": s.id,
                "size": s.size,
                "last_day": s.last_day,
                "last_seq": s.last_seq,
                "total": [[k, v] for k, v in s.total.items()],
                "members": [_triples(m) for m in s.members],
                "computed_at": s.computed_at,
                "member_days": s.member_days,
            }
            for s in c._open.values()
        ],
    }


def dump(c: OnlineClusterer) -> bytes:
    """The state, compressed, for the store (binary: see :data:`STATE_VERSION`)."""
    stories = list(c._open.values())
    packs = [p for _, p, _ in c._pending] + [m for s in stories for m in s.members]
    header = {
        "version": STATE_VERSION,
        "seq": c._seq,
        "today": c._today,
        "n_docs": c.vectorizer.n_docs,
        "hash_bits": c.vectorizer.hash_bits,
        "pending": [[aid, day, len(p[0])] for aid, p, day in c._pending],
        "stories": [
            [s.id, s.size, s.last_day, s.last_seq, s.computed_at, len(s.total),
             [len(m[0]) for m in s.members], s.member_days]
            for s in stories
        ],
    }
    totals = [s.total for s in stories]
    arrays = [
        np.fromiter((k for t in totals for k in t), dtype=np.int64),  # type: ignore[misc]
        np.fromiter((v for t in totals for v in t.values()), dtype=np.float64),
        *_concat(packs),
    ]
    head = json.dumps(header).encode("utf-8")
    df = c.vectorizer.state()["df"]
    body = zlib.compress(b"".join(a.tobytes() for a in arrays), 1)
    return _MAGIC + _LENGTHS.pack(len(head), len(df), len(body)) + head + df + body


def load(cls: type[OnlineClusterer], data: bytes, settings: Settings | None) -> OnlineClusterer:
    """Restore a clusterer of class ``cls`` saved by :func:`dump` (or as JSON, versions 1–2)."""
    if data[: len(_MAGIC)] == _MAGIC:
        return _load_binary(cls, data, settings)
    state = json.loads(zlib.decompress(data))
    if int(state.get("version", 1)) > STATE_VERSION:
        raise ValueError(f"clusterer state version {state['version']} is newer than {STATE_VERSION}")
    vec_state = dict(state["vectorizer"])
    vec_state["df"] = base64.b64decode(vec_state["df"])
    clusterer = cls(settings, hash_bits=int(vec_state["hash_bits"]))
    clusterer.vectorizer = Vectorizer.from_state(vec_state, clusterer.vectorizer.weights)
    clusterer._set_regime()
    clusterer._seq = int(state["seq"])
    clusterer._today = state["today"]
    clusterer.restore_pending([
        (str(aid), triple_arrays((str(b), int(k), int(tf)) for b, k, tf in rows), day)
        for aid, rows, day in state.get("pending", [])
    ])
    for row in state["stories"]:
        story = StoryState(
            row["id"],
            int(row["size"]),
            {int(k): float(v) for k, v in row["total"]},
            row["last_day"],
            int(row["last_seq"]),
            [triple_arrays((str(b), int(k), int(tf)) for b, k, tf in m) for m in row["members"]],
            int(row["computed_at"]),
        )
        _set_days(story, row.get("member_days"))
        clusterer._open[story.id] = story
        clusterer._prune_and_post(story)
    return clusterer


def _load_binary(cls: type[OnlineClusterer], data: bytes, settings: Settings | None) -> OnlineClusterer:
    """:func:`load` for the binary format (version 3)."""
    n_head, n_df, n_body = _LENGTHS.unpack_from(data, len(_MAGIC))
    at = len(_MAGIC) + _LENGTHS.size
    header = json.loads(data[at : at + n_head])
    if int(header["version"]) > STATE_VERSION:
        raise ValueError(f"clusterer state version {header['version']} is newer than {STATE_VERSION}")
    df = data[at + n_head : at + n_head + n_df]
    body = zlib.decompress(data[at + n_head + n_df : at + n_head + n_df + n_body])
    clusterer = cls(settings, hash_bits=int(header["hash_bits"]))
    clusterer.vectorizer = Vectorizer.from_state(
        {"n_docs": header["n_docs"], "hash_bits": header["hash_bits"], "df": df},
        clusterer.vectorizer.weights,
    )
    clusterer._set_regime()
    clusterer._seq = int(header["seq"])
    clusterer._today = header["today"]
    n_total = sum(int(row[5]) for row in header["stories"])
    lengths = [int(n) for _, _, n in header["pending"]]
    lengths += [int(n) for row in header["stories"] for n in row[6]]
    total_keys, total_values, packs = _split(body, n_total, lengths)
    clusterer.restore_pending(
        [(str(aid), packs[i], day) for i, (aid, day, _) in enumerate(header["pending"])]
    )
    i, t = len(header["pending"]), 0
    for row in header["stories"]:
        sid, size, last_day, last_seq, computed_at, n, member_lengths = row[:7]
        total = dict(zip(total_keys[t : t + n].tolist(), total_values[t : t + n].tolist(),
                         strict=True))
        story = StoryState(sid, int(size), total, last_day, int(last_seq),
                           packs[i : i + len(member_lengths)], int(computed_at))
        i, t = i + len(member_lengths), t + n
        _set_days(story, row[7] if len(row) > 7 else None)
        clusterer._open[story.id] = story
        clusterer._prune_and_post(story)
    return clusterer
