"""A hostile-input corpus, generated at test time (nothing of it is committed).

Every case is a file a crawler could bring back: empty, binary, in a legacy or mixed encoding,
broken HTML, a 50 MB page, bad JSON lines, an empty feed, a WARC with a corrupt record, a cut
gzip, odd dates and numbers, invisible characters, one word or 200,000 words. Each case says
which per-document messages (stage and a piece of the reason) it must produce and how many
articles it must still yield. The articles are fiction written for these tests.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..warc_records import warc_bytes

PARAS = [
    "The water main under Harbour Row in the town of Vellmore burst early on Tuesday, flooding "
    "eleven shops and cutting supply to about 3,200 homes, the municipal utility said.",
    "Crews closed the street to traffic and began pumping water out of basements, while the "
    "utility sent tanker trucks to the two schools in the district.",
    "\u201cWe expect to restore supply to most homes by Wednesday evening,\u201d said utility "
    "engineer Maren Toft, adding that the pipe was laid in 1962 and was due for replacement.",
    "Shop owners said the damage would run to several thousand euros each and asked the council "
    "for emergency grants to cover the cleanup.",
]
TEXT = "\n\n".join(PARAS)
OTHER = [
    "A freight train derailed near the village of Oskam on Sunday night, spilling grain across "
    "the tracks and halting passenger services on the line for a day, the rail operator said.",
    "No one was hurt, and the operator said two cranes would lift the wagons back onto the rails "
    "once investigators had finished photographing the site on Monday morning.",
    "Commuters were offered buses between Oskam and the regional capital, a trip that takes "
    "about forty minutes longer than the train, according to the timetable.",
]
OTHER_TEXT = "\n\n".join(OTHER)


def html_page(paras: list[str], title: str = "Water main bursts under Harbour Row") -> str:
    """A small news page with navigation around an article."""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        '<meta property="article:published_time" content="2025-03-04T07:30:00Z"></head>'
        '<body><nav><a href="/">Home</a> <a href="/local">Local</a></nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )


@dataclass
class Case:
    """One hostile input file and what ingesting it must give.

    Attributes:
        name: the case's name (also the test id).
        path: the generated file.
        messages: ``(stage, piece of the reason)`` pairs that must each appear as a failure of
            this file (an empty list: the file must ingest without any failure).
        articles: how many articles the file must still yield.
        must_contain: words that must survive into the stored articles' text.
        slow: a big case (marked slow in the tests).
    """

    name: str
    path: Path
    messages: list[tuple[str, str]] = field(default_factory=list)
    articles: int = 0
    must_contain: list[str] = field(default_factory=list)
    slow: bool = False


def _jsonl(records: list[object]) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def build_cases(d: Path) -> list[Case]:
    """Write every hostile case into ``d`` and describe what each must give."""
    cases: list[Case] = []

    def add(name: str, filename: str, data: bytes | str, **kw: object) -> None:
        path = d / filename
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        cases.append(Case(name, path, **kw))  # type: ignore[arg-type]

    add("empty", "empty.txt", b"", messages=[("read", "the file is empty")])
    add("whitespace", "blank.txt", " \n\t\n\r\n   \n", messages=[("read", "only whitespace")])
    rng = random.Random(8)
    add("binary", "photo.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(20_000),
        messages=[("read", "binary file")])
    add("binary-html", "page.html", b"\x00\x01\x02" + rng.randbytes(5_000),
        messages=[("read", "binary file")])
    add("utf16-bom", "utf16_bom.txt", ("Vellmore water main bursts\n\n" + TEXT).encode("utf-16"),
        articles=1, must_contain=["Harbour Row", "\u201cWe expect"])
    add("utf16-nobom", "utf16_nobom.txt", ("Vellmore water main bursts\n\n" + TEXT).encode("utf-16-le"),
        articles=1, must_contain=["Harbour Row"])
    latin = "Caf\u00e9 owners on Harbour Row said the flood reached the counters of their shops.\n\n"
    add("latin-1", "latin1.txt", (latin + OTHER_TEXT).encode("latin-1"),
        articles=1, must_contain=["Caf\u00e9 owners"])
    add("cp1252", "cp1252.txt", (latin + TEXT).encode("cp1252"),
        articles=1, must_contain=["Caf\u00e9 owners", "\u201cWe expect"])
    mixed = (TEXT + "\n\n").encode("utf-8") + (
        "Caf\u00e9 owners on Harbour Row said the flood reached the counters of their shops.\n\n"
    ).encode("latin-1") + (OTHER[0] + "\n").encode("utf-8")
    add("mixed-encodings", "mixed.txt", mixed, articles=1,
        must_contain=["Caf\u00e9 owners on Harbour Row", "\u201cWe expect", "freight train"])
    page = html_page(PARAS)
    add("truncated-html", "cut.html", page[: page.index("Shop owners") + 40] + "<a hre",
        articles=1, must_contain=["tanker trucks"])
    add("deep-html", "deep.html",
        "<html><body>" + "<div>" * 100_000 + "".join(f"<p>{p}</p>" for p in PARAS)
        + "</div>" * 100_000 + "</body></html>",
        articles=1, must_contain=["tanker trucks"])
    nav = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(200))
    add("all-navigation", "nav.html",
        f"<html><head><title>Home</title></head><body><nav><ul>{nav}</ul></nav></body></html>",
        messages=[("extract", "")])
    add("not-json", "broken.json", '{"title": "Water main", "text": "cut off',
        messages=[("read", "not valid JSON")])
    add("jsonl-only-bad-line", "one_bad.jsonl", "{this is not json}\n",
        messages=[("read", "line 1 is not valid JSON")])
    add("jsonl-one-bad-line", "mixed.jsonl",
        _jsonl([
            {"id": "w1", "title": "Water main bursts", "text": TEXT, "published": "2025-03-04"},
            '{"id": "w2", "title": "broken", "text": "no closing quote}',
            {"id": "w3", "title": "Freight train derails", "text": OTHER_TEXT},
            [1, 2, 3],
            {"id": "w5", "title": "no body"},
        ]),
        messages=[("read", "line 2 is not valid JSON"), ("read", "line 4: record is a JSON list"),
                  ("read", "line 5: record has neither")],
        articles=2, must_contain=["tanker trucks", "freight train"])
    add("feed-no-items", "empty_feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Vellmore Daily</title>'
        "<link>https://vellmore.example/</link><description>News</description></channel></rss>",
        messages=[("read", "feed has no items")])
    add("warc-corrupt-record", "crawl.warc",
        warc_bytes([("https://vellmore.example/a", html_page(PARAS).encode()),
                    ("https://vellmore.example/b", html_page(PARAS[:2]).encode()),
                    ("https://vellmore.example/c",
                     html_page(OTHER, "Freight train derails near Oskam").encode())],
                   corrupt={1}),
        messages=[("read", "record 2 (https://vellmore.example/b) is corrupt")],
        articles=2, must_contain=["tanker trucks", "freight train"])
    members = [gzip.compress(warc_bytes([r])) for r in [
        ("https://vellmore.example/d", html_page(PARAS).encode()),
        ("https://vellmore.example/e", html_page(PARAS[:2]).encode()),
        ("https://vellmore.example/f", html_page(OTHER, "Freight train derails near Oskam").encode()),
    ]]
    damaged = bytearray(members[1])
    damaged[30:60] = bytes(30)  # scribble over the compressed data of the middle record
    add("warc-gz-corrupt-member", "crawl.warc.gz", members[0] + bytes(damaged) + members[2],
        messages=[("read", "is corrupt (")], articles=2,
        must_contain=["tanker trucks", "freight train"])
    full = gzip.compress(_jsonl([
        {"id": f"g{i}", "title": f"Report {i}", "text": TEXT.replace("eleven", str(i + 11))}
        for i in range(40)
    ]).encode())
    cut = full[: len(full) * 2 // 3]
    complete_lines = zlib.decompressobj(wbits=31).decompress(cut).count(b"\n")
    add("gzip-truncated", "cut.jsonl.gz", cut,
        messages=[("read", "gzip data is truncated")], articles=complete_lines,
        must_contain=["tanker trucks"])
    dates: list[object] = [
        {"id": "d1", "title": "Future", "text": TEXT, "published": "2999-12-31T23:59:59Z"},
        {"id": "d2", "title": "Old", "text": OTHER_TEXT.replace("Sunday", "Sunday, 1 January 1900"),
         "published": "1900-01-01"},
        {"id": "d3", "title": "Nonsense date", "text": TEXT.replace("Tuesday", "Thursday"),
         "published": "0000-00-00"},
        {"id": "d4", "title": "Impossible date", "text": TEXT.replace("Tuesday", "Friday"),
         "published": "31/02/2024 25:61"},
    ]
    add("odd-dates", "dates.jsonl", _jsonl(dates), articles=4, must_contain=["1 January 1900"])
    numbers = (
        "Vellmore council counts its flood costs\n\n"
        "The council said the flood cost 1.000 euros per shop on average, or 1,000.5 euros "
        "when the cleanup of the pavements is counted, according to a statement on Tuesday.\n\n"
        "Figures such as 1.000.000, 1,000,000.25, 12.5.2025, 3,5 and -0.0 appeared in the "
        "draft budget, which also listed 1e9 litres of water and 10^6 cubic metres of mud.\n\n"
        + TEXT
    )
    add("odd-numbers", "numbers.txt", numbers, articles=1, must_contain=["1,000.5 euros"])
    invisible = (
        "Water\u200b main bursts under Harbour\u200d Row\n\n"
        + PARAS[0].replace("Harbour", "Har\u200bbour").replace("town", "\u202etown\u202c")
        + "\n\n\u200f\u0645\u0627\u0621 \u0641\u064a \u0627\u0644\u0634\u0627\u0631\u0639 "
        "\u05de\u05d9\u05dd \u05d1\u05e8\u05d7\u05d5\u05d1 \u200e and the residents said "
        "the water rose quickly in the night.\n\n\ufeff" + "\n\n".join(PARAS[1:])
    )
    add("zero-width-rtl", "invisible.txt", invisible, articles=1, must_contain=["\u200b", "\u05de"])
    add("one-word", "word.txt", "Breaking\n", messages=[("extract", "")])
    words = (OTHER_TEXT + "\n\n").split(" ")
    long_text = "A very long report\n\n" + " ".join(words[i % len(words)] for i in range(200_000))
    add("200k-words", "long.txt", long_text, articles=1, slow=True,
        must_contain=["freight train"])
    cases.append(_big_page(d))
    return cases


def _big_page(d: Path) -> Case:
    """A 50 MB HTML page: one article buried in endless markup and comment sections."""
    path = d / "huge.html"
    filler = "".join(f'<div class="c"><span>Comment {i}</span><p>Nice.</p></div>' for i in range(100))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(html_page(PARAS).replace("</article>", "</article><section>"))
        size = path.stat().st_size
        while size < 50_000_000:
            fh.write(filler)
            size += len(filler)
        fh.write("</section></body></html>")
    return Case("50mb-page", path, articles=1, slow=True, must_contain=["tanker trucks"])


@pytest.fixture(scope="session")
def hostile_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Every hostile case by name, generated once per test session into one folder."""
    d = tmp_path_factory.mktemp("hostile")
    return {c.name: c for c in build_cases(d)}


_SYL = ["vel", "mor", "os", "kam", "tar", "lin", "bre", "dun", "sa", "rik", "hal", "po", "ne", "gra"]
_EVENTS = [
    ("a fire broke out in a warehouse", "firefighters", "the fire service"),
    ("a bridge was closed after cracks were found", "engineers", "the roads agency"),
    ("a water main burst under the main street", "utility crews", "the water company"),
    ("a bus left the road in heavy rain", "paramedics", "the regional police"),
    ("a factory roof collapsed under snow", "rescue teams", "the labour inspectorate"),
]


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()


def make_corpus(d: Path, n: int, seed: int = 1) -> list[Path]:
    """Write ``n`` distinct fictional news reports (a few per event) as text and JSONL files."""
    rng = random.Random(seed)
    d.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    records = []
    for i in range(n):
        event = i // 4  # four reports of each event
        erng = random.Random(seed * 100_003 + event)
        town = _place(erng)
        what, who, agency = erng.choice(_EVENTS)
        hurt = erng.randint(2, 40)
        day = erng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
        paras = [
            f"In the town of {town}, {what} on {day}, and {who} worked through the night, "
            f"{agency} said in a statement.",
            f"At least {hurt + rng.randint(0, 3)} people were treated for minor injuries, and "
            f"{rng.randint(10, 900)} residents were told to stay away from the area.",
            f"Officials in {town} said an inquiry would start within {rng.randint(2, 9)} days, "
            f"and that report number {i} of the series would be published online.",
        ]
        title = f"{town}: {what.split(' ', 1)[1].capitalize()}"
        if i % 5 == 4:
            records.append({"id": f"r{i}", "title": title, "text": "\n\n".join(paras),
                            "published": f"2025-04-{1 + event % 28:02d}"})
        else:
            p = d / f"report_{i:04d}.txt"
            p.write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
            files.append(p)
    p = d / "wire.jsonl"
    p.write_text(_jsonl(records), encoding="utf-8")  # type: ignore[arg-type]
    files.append(p)
    return files
