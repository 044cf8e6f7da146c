"""Incremental linking: ingests reuse the persisted near-duplicate index and online clusterer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline import linker
from storyline.pipeline import ingest, relink
from storyline.settings import Settings
from storyline.store import Store

# Two fictional events, each told by several outlets (written for these tests).
HARBOUR = (
    "A cargo crane collapsed at the port of Varnholm on {day}, injuring four dock workers, "
    "harbour master Elise Brandvik said. The crane, operated by Nordkai Logistics, fell across "
    "berth 7 during the unloading of the freighter Morning Tern. Brandvik said about 60 "
    "containers were damaged and the berth would stay closed for two weeks. Nordkai Logistics "
    "said it was cooperating with inspectors from the maritime safety board. {extra}"
)
VOTE = (
    "The town council of Eskervale voted 9 to 4 on {day} to close the Millbrook library branch, "
    "mayor Tobias Renner announced. Renner said the branch cost the town about 310,000 dollars "
    "a year and drew fewer than 40 visitors a day. Residents protested outside the council "
    "chamber before the vote. The library will shut at the end of June. {extra}"
)


def _record(rid: str, text: str, published: str, outlet: str, title: str) -> dict[str, str]:
    return {"id": rid, "url": f"https://{outlet}.example/{rid}", "title": title, "text": text,
            "published": published, "outlet": outlet}


def _records() -> list[dict[str, str]]:
    return [
        _record("h1", HARBOUR.format(day="Monday", extra="No ships were delayed."), "2025-05-05",
                "varnholmpost", "Crane collapse injures four at Varnholm port"),
        _record("v1", VOTE.format(day="Tuesday", extra="The vote followed a budget review."),
                "2025-05-06", "eskerherald", "Eskervale council votes to close library branch"),
        _record("h2", HARBOUR.format(day="Monday", extra="Unions called for a safety review."),
                "2025-05-06", "coastwire", "Four hurt as crane falls at Varnholm"),
        _record("v2", VOTE.format(day="Tuesday", extra="Opponents plan a petition."),
                "2025-05-07", "valleytimes", "Millbrook library to close after council vote"),
        _record("h3", HARBOUR.format(day="Monday", extra="Unions called for a safety review."),
                "2025-05-07", "dockdaily", "Varnholm crane collapse: berth 7 closed"),
    ]


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a in store.articles():
        assert a.story, f"{a.source} has no story"
        groups.setdefault(a.story, set()).add(a.title or a.id)
    return {frozenset(g) for g in groups.values()}


def _relations(store: Store) -> dict[str, set[tuple[str, str]]]:
    ids = {a.id: a.title or a.id for a in store.articles()}
    return {
        ids[a.id]: {(r.type, ids[r.article]) for r in a.relations} for a in store.articles()
    }


def test_one_at_a_time_equals_all_at_once(tmp_path: Path) -> None:
    records = _records()
    with Store(tmp_path / "all.db") as whole:
        ingest([_write(tmp_path / "all.jsonl", records)], whole)
        want_stories, want_rel = _partition(whole), _relations(whole)
    with Store(tmp_path / "steps.db") as steps:
        for i, r in enumerate(records):
            ingest([_write(tmp_path / f"part{i}.jsonl", [r])], steps)
        assert _partition(steps) == want_stories
        assert _relations(steps) == want_rel
    assert len(want_stories) == 2
    # the later exact copy points at the earlier one
    assert ("duplicate_of", "Four hurt as crane falls at Varnholm") in want_rel[
        "Varnholm crane collapse: berth 7 closed"
    ]


def test_later_ingests_do_not_recompute_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    records = _records()
    with Store(tmp_path / "s.db") as store:
        ingest([_write(tmp_path / "a.jsonl", records[:3])], store)
        assert store.get_state(linker.STATE_CLUSTERER)
        stories_before = {a.id: a.story for a in store.articles()}

        def no_full(*args: object, **kw: object) -> set[str]:
            raise AssertionError("the whole corpus was recomputed")

        monkeypatch.setattr(linker, "_full", no_full)
        ingest([_write(tmp_path / "b.jsonl", records[3:])], store)
        after = {a.id: a.story for a in store.articles()}
        assert all(after[aid] == sid for aid, sid in stories_before.items())
        assert len(set(after.values())) == 2
        n_rows = store.conn.execute("SELECT COUNT(*) FROM dedup_rows").fetchone()[0]
        assert n_rows == len(records)


def test_an_earlier_copy_arriving_later_moves_the_relation(tmp_path: Path) -> None:
    late, early = _records()[2], dict(_records()[2])
    late["published"] = "2025-05-09"
    early.update(id="h0", url="https://first.example/h0", outlet="first", published="2025-05-05")
    with Store(tmp_path / "s.db") as store:
        ingest([_write(tmp_path / "late.jsonl", [late])], store)
        ingest([_write(tmp_path / "early.jsonl", [early])], store)
        by_outlet = {a.outlet: a for a in store.articles()}
        assert by_outlet["first"].relations == []
        rel = by_outlet["coastwire"].relations
        assert [(r.type, r.article) for r in rel] == [("duplicate_of", by_outlet["first"].id)]
        assert by_outlet["first"].story == by_outlet["coastwire"].story


def test_unusable_state_falls_back_to_a_full_pass(tmp_path: Path) -> None:
    records = _records()
    with Store(tmp_path / "s.db") as store:
        ingest([_write(tmp_path / "a.jsonl", records)], store)
        want = _partition(store)
        ids_before = {a.id: a.story for a in store.articles()}
        # damaged clusterer state
        store.set_state(linker.STATE_CLUSTERER, b"not a clusterer")
        with store.transaction() as c:
            c.execute("UPDATE articles SET story = '' WHERE title LIKE 'Millbrook%'")
        touched = relink(store)
        assert _partition(store) == want
        assert {a.id: a.story for a in store.articles()} == ids_before  # ids kept stable
        vote_story = {a.story for a in store.articles() if (a.title or "").startswith("Millbrook")}
        assert touched == vote_story  # the story that got its article back


def test_changed_settings_invalidate_the_state() -> None:
    base = Settings()
    assert linker.state_fingerprint(base) == linker.state_fingerprint(Settings())
    changed = Settings(cluster_online_threshold=base.cluster_online_threshold + 0.05)
    assert linker.state_fingerprint(changed) != linker.state_fingerprint(base)


def test_full_relink_on_request_keeps_story_ids(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([_write(tmp_path / "a.jsonl", _records())], store)
        before = {a.id: a.story for a in store.articles()}
        assert relink(store, full=True) == set()
        assert {a.id: a.story for a in store.articles()} == before
        meta = json.loads(store.get_state(linker.STATE_META) or b"{}")
        assert meta["linked"] == len(before)


def test_an_ingest_reads_back_only_the_rows_its_articles_can_relate_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyline.dedup import DedupIndex

    records = _records()
    for r in records:
        r["author"] = "By Mara Quill" if r["id"] == "v1" else ""
    copy = dict(records[0], id="h9", url="https://late.example/h9", outlet="late",
                published="2025-05-09", author="Mara Quill")
    read: list[set[str]] = []
    original = DedupIndex.from_rows.__func__  # type: ignore[attr-defined]

    def spy(cls: type, rows: list[dict[str, object]], config: object = None) -> DedupIndex:
        read.append({str(r["id"]) for r in rows})
        return original(cls, rows, config)

    with Store(tmp_path / "steps.db") as steps:
        ingest([_write(tmp_path / "a.jsonl", records)], steps)
        monkeypatch.setattr(DedupIndex, "from_rows", classmethod(spy))
        ingest([_write(tmp_path / "b.jsonl", [copy])], steps)
        titles = {a.id: a.title for a in steps.articles()}
        got_rel, got_stories = _relations(steps), _partition(steps)
    monkeypatch.undo()
    t = {r["id"]: r["title"] for r in records}
    restored = [{titles[i] for i in ids} for ids in read]
    # the copy's original and the byline's earlier piece are read back, the other vote report not
    assert len(restored) == 1 and restored[0] >= {t["h1"], t["v1"]} and t["v2"] not in restored[0]
    with Store(tmp_path / "whole.db") as whole:
        ingest([_write(tmp_path / "all.jsonl", [*records, copy])], whole)
        assert _relations(whole) == got_rel
        assert _partition(whole) == got_stories
    # the late copy carries both relations: exact copy of the first report, same byline as v1
    late = [rels for rels in got_rel.values() if ("same_author", t["v1"]) in rels]
    assert len(late) == 1 and ("duplicate_of", t["h1"]) in late[0]


def test_missing_lookup_keys_force_a_full_pass(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        ingest([_write(tmp_path / "a.jsonl", _records())], store)
        assert linker.state_problem(store.conn, Settings()) is None
        with store.transaction() as c:
            c.execute("DELETE FROM dedup_keys WHERE id = (SELECT id FROM dedup_rows LIMIT 1)")
        problem = linker.state_problem(store.conn, Settings())
        assert problem and "look-up keys" in problem


def test_a_copy_in_a_later_ingest_joins_its_original_story_even_once_closed(tmp_path: Path) -> None:
    original = _records()[0]
    copy = dict(original, id="h9", url="https://latewire.example/h9", outlet="latewire",
                published="2025-06-20")  # six weeks on: the story has closed in the clusterer
    with Store(tmp_path / "s.db") as store:
        ingest([_write(tmp_path / "a.jsonl", _records())], store)
        ingest([_write(tmp_path / "b.jsonl", [copy])], store)
        by_outlet = {a.outlet: a for a in store.articles()}
        assert ("duplicate_of", by_outlet["varnholmpost"].id) in {
            (r.type, r.article) for r in by_outlet["latewire"].relations}
        assert by_outlet["latewire"].story == by_outlet["varnholmpost"].story
