"""Online clustering: assignment on arrival, equality with batch on an easy stream, the time
window, bounded open stories, and state that survives serialisation."""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import replace

import pytest

from storyline.brief import story_id_for
from storyline.cluster import OnlineClusterer, arrival_order, cluster_articles
from storyline.models import Article
from storyline.settings import Settings, get_settings


def _partition(articles: list[Article], stories: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a in articles:
        out.setdefault(stories[a.id], set()).add(a.id)
    return {frozenset(g) for g in out.values()}


def test_online_equals_batch_on_an_easy_stream(events: dict[str, list[Article]]) -> None:
    articles = [a for group in events.values() for a in group]
    online = cluster_articles(articles, "online")
    batch = cluster_articles(articles, "batch")
    assert _partition(articles, online) == _partition(articles, batch)
    assert len(set(online.values())) == 3


def test_story_id_is_fixed_by_the_founding_article(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer()
    first, *rest = events["quake_a"]
    sid = clusterer.add(first)
    assert all(clusterer.add(a) == sid for a in rest)
    assert clusterer.open_stories()[sid].size == 3


def test_arrival_order_sorts_by_date_and_keeps_undated_in_place(make_article) -> None:  # type: ignore[no-untyped-def]
    a = make_article("x", id="a", published="2030-05-03")
    b = make_article("x", id="b", published=None)
    c = make_article("x", id="c", published="2030-05-01")
    d = make_article("x", id="d", published="2030-05-02T10:00:00")
    assert [x.id for x in arrival_order([a, b, c, d])] == ["c", "d", "a", "b"]


def test_quiet_stories_close_after_the_window(events: dict[str, list[Article]]) -> None:
    settings = replace(get_settings(), cluster_window_days=3.0)
    clusterer = OnlineClusterer(settings)
    early, *_ = events["quake_a"]
    sid = clusterer.add(early)
    late = replace(events["quake_a"][1], id="late", published="2031-04-30")
    assert clusterer.add(late) != sid  # the first story closed: the same event cannot join it
    assert sid not in clusterer.open_stories()


def test_open_stories_are_bounded(events: dict[str, list[Article]]) -> None:
    settings = Settings(cluster_max_open=2)
    clusterer = OnlineClusterer(settings)
    for group in events.values():
        clusterer.add(group[0])
    assert len(clusterer.open_stories()) <= 2


def test_state_round_trips_through_bytes(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer()
    a0, a1, a2 = events["quake_a"]
    # the same day as event A, so the window keeps both stories open
    b0, b1 = (replace(b, published=a0.published) for b in events["quake_b"][:2])
    sid_a = clusterer.add(a0)
    clusterer.add(a1)
    sid_b = clusterer.add(b0)
    restored = OnlineClusterer.from_bytes(clusterer.to_bytes())
    assert set(restored.open_stories()) == {sid_a, sid_b}
    assert restored.add(a2) == sid_a
    assert restored.add(b1) == sid_b


def test_warm_counts_history_without_assigning(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer()
    clusterer.warm(events["merger"])
    assert clusterer.vectorizer.n_docs == 2
    assert clusterer.open_stories() == {}
    sid = clusterer.add(events["quake_a"][0])
    assert clusterer.add(events["quake_a"][1]) == sid
    assert clusterer.add(events["quake_b"][0]) != sid


def test_recomputed_centroid_is_the_sum_of_member_vectors(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer()
    sid = ""
    for article in events["quake_a"]:
        sid = clusterer.add(article)
    story = clusterer.open_stories()[sid]
    clusterer._recompute(story)
    expected: dict[object, float] = {}
    for member in story.members:
        vector = clusterer.vectorizer.transform_packed(member, clusterer.settings.cluster_min_df)
        for key, value in vector.items():
            expected[key] = expected.get(key, 0.0) + value
    assert story.total.keys() == expected.keys()
    assert all(abs(story.total[k] - expected[k]) < 1e-9 for k in expected)


def _stream(events: dict[str, list[Article]]) -> list[Article]:
    a, b, m = events["quake_a"], events["quake_b"], events["merger"]
    day = a[0].published
    return [replace(x, published=day) for x in (a[0], b[0], m[0], a[1], b[1], m[1], a[2], b[2])]


def test_push_decides_each_article_once_after_the_delay(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer(replace(get_settings(), cluster_online_delay=3))
    stream = _stream(events)
    decided: list[tuple[str, str]] = []
    for i, article in enumerate(stream):
        out = clusterer.push(article)
        assert [aid for aid, _ in out] == ([stream[i - 3].id] if i >= 3 else [])
        decided += out
    assert clusterer.pending == [a.id for a in stream[-3:]]
    decided += clusterer.flush()
    assert clusterer.pending == []
    assert [aid for aid, _ in decided] == [a.id for a in stream]
    stories = dict(decided)
    assert _partition(stream, stories) == {
        frozenset({"qa0", "qa1", "qa2"}), frozenset({"qb0", "qb1", "qb2"}), frozenset({"mg0", "mg1"})
    }
    assert stories["qa0"] == story_id_for(["qa0"])  # the founding article names the story


def test_a_waiting_article_can_still_join_a_story_a_later_arrival_would_close(
    events: dict[str, list[Article]],
) -> None:
    # The events lie years apart: the arrival of the next event's first report must not close
    # the story that the articles still waiting for their decision belong to.
    stream = arrival_order([a for group in events.values() for a in group])
    for delay in (1, 2, 5):
        clusterer = OnlineClusterer(replace(get_settings(), cluster_online_delay=delay))
        decided = [pair for a in stream for pair in clusterer.push(a)] + clusterer.flush()
        assert _partition(stream, dict(decided)) == {
            frozenset({"qa0", "qa1", "qa2"}), frozenset({"qb0", "qb1", "qb2"}),
            frozenset({"mg0", "mg1"}),
        }, delay
        assert len(clusterer.open_stories()) == 1  # once all are placed, the old ones close


def test_an_undated_waiting_article_holds_the_clock_too(events: dict[str, list[Article]]) -> None:
    # Undated reports wait between dated ones; a report dated eight days on must not close the
    # story an undated one belongs to before that one is placed.
    text = events["quake_a"][0].text
    days = ["2031-03-01", None, "2031-03-09", "2031-03-01", None]
    stream = [Article(id=f"r{i}", source=f"r{i}", text=text, published=d, ingest_order=i)
              for i, d in enumerate(days)]
    settings = replace(get_settings(), cluster_window_days=3)
    for delay in (0, 1, 2, 10):
        stories = cluster_articles(stream, "online", replace(settings, cluster_online_delay=delay))
        assert _partition(stream, stories) == {
            frozenset({"r0", "r1", "r3", "r4"}), frozenset({"r2"})
        }, delay


def test_assign_pushes_then_flushes_and_reports_progress(events: dict[str, list[Article]]) -> None:
    stream = _stream(events)
    settings = replace(get_settings(), cluster_online_delay=3)
    by_hand = OnlineClusterer(settings)
    expected = dict([p for a in stream for p in by_hand.push(a)] + by_hand.flush())
    seen: list[int] = []
    clusterer = OnlineClusterer(settings)
    assert clusterer.assign(stream, seen.append) == expected
    assert seen == list(range(1, len(stream) + 1)) and clusterer.pending == []


def test_push_with_no_delay_equals_add(events: dict[str, list[Article]]) -> None:
    settings = replace(get_settings(), cluster_online_delay=0)
    now, pushed = OnlineClusterer(settings), OnlineClusterer(settings)
    for article in _stream(events):
        (pair,) = pushed.push(article)
        assert pair == (article.id, now.add(article))


def test_waiting_articles_survive_serialisation(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer(replace(get_settings(), cluster_online_delay=4))
    stream = _stream(events)
    for article in stream[:6]:
        clusterer.push(article)
    restored = OnlineClusterer.from_bytes(clusterer.to_bytes(), clusterer.settings)
    assert restored.pending == clusterer.pending
    for article in stream[6:]:
        assert restored.push(article) == clusterer.push(article)
    assert restored.flush() == clusterer.flush()


def test_state_of_version_1_is_still_read(events: dict[str, list[Article]]) -> None:
    clusterer = OnlineClusterer()
    sid = clusterer.add(events["quake_a"][0])
    state = clusterer.state()
    del state["pending"]
    state["version"] = 1
    restored = OnlineClusterer.from_bytes(zlib.compress(json.dumps(state).encode()))
    assert restored.pending == [] and restored.add(events["quake_a"][1]) == sid


def test_young_stream_normalises_over_all_features_then_ramps_to_mature(
    events: dict[str, list[Article]],
) -> None:
    settings = replace(get_settings(), cluster_online_young_docs=2)
    clusterer = OnlineClusterer(settings)
    assert clusterer.vectorizer.rare_share == 1.0
    assert clusterer._thresholds() == (settings.cluster_online_young_threshold, settings.cluster_online_young_extra)
    clusterer.warm(events["merger"][:1])
    clusterer.warm(events["merger"][1:])
    assert clusterer.vectorizer.rare_share == 1.0  # 2 seen: still young
    clusterer.warm(events["quake_b"][:1])
    assert clusterer.vectorizer.rare_share == 0.5  # 3 seen: half way to 4
    clusterer.warm(events["quake_b"][1:2])
    assert clusterer.vectorizer.rare_share == 0.0
    assert clusterer._thresholds() == (settings.cluster_online_threshold, 0.0)
    mature = OnlineClusterer(replace(settings, cluster_online_young_docs=0))
    assert mature.vectorizer.rare_share == 0.0


def test_binary_state_round_trips_exactly_and_json_states_still_load(
    events: dict[str, list[Article]],
) -> None:
    clusterer = OnlineClusterer(replace(get_settings(), cluster_online_delay=2))
    stream = _stream(events)
    for article in stream[:6]:
        clusterer.push(article)
    data = clusterer.to_bytes()
    assert data.startswith(b"SLOC")
    restored = OnlineClusterer.from_bytes(data, clusterer.settings)
    assert restored.to_bytes() == data  # centroids, members, waiting articles, clock, counts
    state = clusterer.state()
    state["version"] = 2  # what version 2 wrote: the same data, as one JSON document
    old = OnlineClusterer.from_bytes(zlib.compress(json.dumps(state).encode()), clusterer.settings)
    assert old.to_bytes() == data
    for article in stream[6:]:
        assert restored.push(article) == old.push(article) == clusterer.push(article)


def test_time_decay_keeps_a_later_event_of_the_same_kind_apart(
    council_votes: dict[str, list[Article]],
) -> None:
    stream = council_votes["march"] + council_votes["april"]
    expected = {frozenset(a.id for a in v) for v in council_votes.values()}
    # a window long enough to keep the March story open: only the decay tells the votes apart
    settings = replace(get_settings(), cluster_window_days=60.0)
    assert _partition(stream, cluster_articles(stream, "online", settings)) == expected
    undecayed = replace(settings, cluster_time_scale_days=0.0)
    assert len(_partition(stream, cluster_articles(stream, "online", undecayed))) == 1
    clusterer = OnlineClusterer(settings)
    for article in stream[:3]:
        clusterer.add(article)
    (story,) = clusterer.open_stories().values()
    days = _days(council_votes)
    assert story.member_days == days and story.mean_day == pytest.approx(sum(days) / 3)


def test_a_story_told_over_three_weeks_stays_one_story(strike_weeks: list[Article]) -> None:
    settings = replace(get_settings(), cluster_window_days=30.0)
    assert len(_partition(strike_weeks, cluster_articles(strike_weeks, "online", settings))) == 1
    clusterer = OnlineClusterer(settings)
    for article in strike_weeks:
        clusterer.add(article)
    (story,) = clusterer.open_stories().values()
    newest = [d for d in story.member_days if d is not None][-3:]
    assert story.mean_day == pytest.approx(sum(newest) / 3)  # dated by where it is now


def test_a_next_day_report_counts_less_than_a_same_day_one() -> None:
    from storyline.cluster.batch import decay_of

    settings = get_settings()
    grace, scale = settings.cluster_time_grace_days, settings.cluster_time_scale_days
    assert decay_of(0.0, grace, scale) == decay_of(0.4, grace, scale) == 1.0  # the story's day
    # a day-old story no longer takes the next day's report at full strength (AllSides: the
    # next event of a subject came in that way); a report two days on counts half
    assert decay_of(1.0, grace, scale) == pytest.approx(0.8)
    assert decay_of(2.5, grace, scale) == pytest.approx(0.5)


LIBRARY = ("A new library opened in Brenna on Wednesday. It has 40,000 books and a reading "
           "garden.")


def test_a_next_day_event_that_shares_little_stays_apart_from_a_day_old_story(
    council_votes: dict[str, list[Article]],
) -> None:
    # three reports of the council's vote on one day, then a library opening in the same city:
    # close enough to join on the story's own day, not on the next
    def story_count(day: str, settings: Settings) -> int:
        clusterer = OnlineClusterer(settings)
        for article in council_votes["march"]:
            clusterer.add(replace(article, published="2034-03-07"))
        clusterer.add(Article(id="lib", source="lib.txt", text=LIBRARY, published=day))
        return len(clusterer.open_stories())

    assert story_count("2034-03-08", get_settings()) == 2
    assert story_count("2034-03-07", get_settings()) == 1
    # with the fourth round's full day of grace the next day's report joined too
    assert story_count("2034-03-08", replace(get_settings(), cluster_time_grace_days=1.0)) == 1


def test_version_3_state_dates_each_member_by_the_newest_one(
    council_votes: dict[str, list[Article]],
) -> None:
    clusterer = OnlineClusterer(get_settings())
    for article in council_votes["march"]:
        clusterer.add(article)
    data = clusterer.to_bytes()
    magic, lengths = data[:4], struct.Struct("<III")
    n_head, n_df, n_body = lengths.unpack_from(data, 4)
    at = 4 + lengths.size
    header = json.loads(data[at : at + n_head])
    assert header["version"] == 4
    header["version"] = 3
    header["stories"] = [row[:7] for row in header["stories"]]  # what version 3 wrote
    head = json.dumps(header).encode()
    old = magic + lengths.pack(len(head), n_df, n_body) + head + data[at + n_head :]
    (story,) = OnlineClusterer.from_bytes(old, clusterer.settings).open_stories().values()
    assert story.member_days == [story.last_day] * 3 and story.mean_day == story.last_day
    (now,) = OnlineClusterer.from_bytes(data, clusterer.settings).open_stories().values()
    assert now.member_days == _days(council_votes)


def _days(council_votes: dict[str, list[Article]]) -> list[int]:
    from storyline.cluster.batch import day_of

    return [d for a in council_votes["march"] if (d := day_of(a.published)) is not None]


def test_delayed_decisions_use_the_time_decay_too(council_votes: dict[str, list[Article]]) -> None:
    stream = council_votes["march"] + council_votes["april"]
    expected = {frozenset(a.id for a in v) for v in council_votes.values()}
    for scale, groups in ((2.0, 2), (0.0, 1)):
        settings = replace(get_settings(), cluster_window_days=60.0, cluster_online_delay=4,
                           cluster_time_scale_days=scale)
        clusterer = OnlineClusterer(settings)
        stories: dict[str, str] = {}
        for article in stream:
            stories.update(clusterer.push(article))
        stories.update(clusterer.flush())
        assert len(_partition(stream, stories)) == groups
        if groups == 2:
            assert _partition(stream, stories) == expected
