"""Hand-written articles for clustering tests: two events of the same kind, each reported in
several wordings, plus an unrelated story. All text here is invented for the tests."""

from __future__ import annotations

import pytest

from storyline.models import Article

# Event A: an earthquake in a fictional valley, March 2031.
QUAKE_A = [
    "A magnitude 6.4 earthquake struck the Varden Valley on Tuesday, collapsing the old bridge at "
    "Kessel and killing at least 12 people, the Varden civil protection agency said. Rescue teams "
    "from Ostrava Province searched the rubble through the night. Governor Ilse Marten declared an "
    "emergency across the valley in March 2031.",
    "At least 12 people died when a 6.4-magnitude quake hit Varden Valley, officials said. The "
    "bridge at Kessel collapsed and Governor Ilse Marten declared a state of emergency. Teams from "
    "Ostrava Province joined the search in Kessel, the Varden civil protection agency reported.",
    "Governor Ilse Marten visited Kessel on Wednesday after the magnitude 6.4 tremor in the Varden "
    "Valley left 12 dead. The Varden civil protection agency said the Kessel bridge would be "
    "rebuilt. Ostrava Province sent more rescuers and tents in March 2031.",
]
# Event B: another earthquake, elsewhere, years later: same kind, different event.
QUAKE_B = [
    "A magnitude 5.9 earthquake shook the port city of Lumira on Sunday, damaging the Harbor "
    "Mosque and injuring 40 people, Mayor Tomas Brek said. The Lumira fire brigade evacuated the "
    "harbor district. Seismologists at Corvan University recorded 30 aftershocks in June 2036.",
    "Mayor Tomas Brek said 40 people were hurt when a 5.9 quake hit Lumira. The Harbor Mosque was "
    "damaged and the Lumira fire brigade cleared the harbor district. Corvan University counted 30 "
    "aftershocks, its seismologists said in June 2036.",
    "Aftershocks kept Lumira awake after the magnitude 5.9 earthquake, Corvan University said, and "
    "Mayor Tomas Brek asked residents of the harbor district to stay outside. The Harbor Mosque "
    "remains closed and 40 injured were treated in Lumira hospitals.",
]
# Event C: an unrelated business story.
MERGER = [
    "Faldor Motors agreed to buy the battery maker Quillon Cells for 2.3 billion euros, chief "
    "executive Anja Roos said on Monday. Regulators in Brenna must approve the deal by 2033.",
    "Quillon Cells will be sold to Faldor Motors for 2.3 billion euros in a deal that regulators "
    "in Brenna still need to approve, Anja Roos, Faldor's chief executive, told reporters.",
]


def _articles(prefix: str, texts: list[str], dates: list[str | None]) -> list[Article]:
    return [
        Article(id=f"{prefix}{i}", source=f"{prefix}{i}.txt", text=t, published=d, ingest_order=i)
        for i, (t, d) in enumerate(zip(texts, dates, strict=True))
    ]


@pytest.fixture
def events() -> dict[str, list[Article]]:
    """Three events: two earthquakes (same kind, different events) and a merger."""
    return {
        "quake_a": _articles("qa", QUAKE_A, ["2031-03-04", "2031-03-04", "2031-03-05"]),
        "quake_b": _articles("qb", QUAKE_B, ["2036-06-01", "2036-06-01", "2036-06-02"]),
        "merger": _articles("mg", MERGER, ["2033-01-10", "2033-01-10"]),
    }


# Two votes of one council on one tax, six weeks apart: same people, places and words, two events.
VOTE_MARCH = [
    "The Brenna city council postponed its vote on the harbour tax on Tuesday after Mayor Lotte "
    "Hauke asked for a new traffic study. Councillor Piet Varga said the harbour tax would raise "
    "12 million euros a year for the Brenna ferry terminal.",
    "Brenna's council delayed the harbour tax vote, Mayor Lotte Hauke said, pending a traffic "
    "study. The tax, backed by councillor Piet Varga, would bring the ferry terminal 12 million "
    "euros a year.",
    "A decision on the Brenna harbour tax was put off on Tuesday. Mayor Lotte Hauke wants a "
    "traffic study first; councillor Piet Varga said the ferry terminal needs the 12 million euros.",
]
VOTE_APRIL = [
    "The Brenna city council passed the harbour tax on Thursday by 21 votes to 9, Mayor Lotte "
    "Hauke said. Councillor Piet Varga said the 12 million euros a year would go to the Brenna "
    "ferry terminal from July.",
    "Brenna's council approved the harbour tax, 21 to 9. Mayor Lotte Hauke called the vote a "
    "fair deal; councillor Piet Varga said the ferry terminal gets 12 million euros a year.",
    "The harbour tax is law in Brenna after a 21-9 council vote on Thursday. Mayor Lotte Hauke and "
    "councillor Piet Varga said the 12 million euros will fund the ferry terminal.",
]


@pytest.fixture
def council_votes() -> dict[str, list[Article]]:
    """Two votes on one tax six weeks apart: one pair of events only the dates keep apart."""
    return {
        "march": _articles("vm", VOTE_MARCH, ["2034-03-07", "2034-03-07", "2034-03-08"]),
        "april": _articles("va", VOTE_APRIL, ["2034-04-20", "2034-04-20", "2034-04-21"]),
    }


# One strike reported every other day for three weeks: the same union, port and demand.
STRIKE_DAYS = [
    "Dock workers at the port of Halvik stayed on strike on {day}, the Halvik Dockers Union said. "
    "Union leader Mira Sandell repeated the demand for a 9 percent pay rise; the Halvik Port "
    "Authority said ships were waiting outside the harbour.",
    "The strike at Halvik port went on on {day}. Mira Sandell of the Halvik Dockers Union said "
    "members would not return without the 9 percent raise, and the port authority said cargo "
    "was piling up on the quays.",
    "Ships queued outside Halvik on {day} as the dockers' strike continued. The Halvik Port "
    "Authority and union leader Mira Sandell met without agreement on the 9 percent pay demand.",
    "No cranes moved in Halvik on {day}: the Halvik Dockers Union kept its strike going, Mira "
    "Sandell said, until the port authority meets the 9 percent pay claim.",
]
STRIKE_WEEKDAYS = ["Monday", "Wednesday", "Friday", "Sunday", "Tuesday", "Thursday", "Saturday"]


@pytest.fixture
def strike_weeks() -> list[Article]:
    """One event reported every other day for three weeks (2034-05-01 to 2034-05-21)."""
    texts = [STRIKE_DAYS[i % 4].format(day=STRIKE_WEEKDAYS[i % 7]) for i in range(11)]
    return _articles("sk", texts, [f"2034-05-{2 * i + 1:02d}" for i in range(11)])
