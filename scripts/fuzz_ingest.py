#!/usr/bin/env python
"""Fuzz the ingest path (format detection, decoding, every reader, HTML extraction, cleaning,
article building) with atheris, for a bounded time, next to a random-bytes baseline.

Each input is one file: its first byte picks the file name (and so the reader), the rest is the
file's content. The harness accepts a per-document failure (``DocumentFailure``/``DocumentError``)
as the right answer to bad input; any other exception is a crash. Crashing inputs are written to
``--artifacts``; keep them as regression inputs in ``tests/robustness/crashers/`` (named
``<ext>-<what>.bin``, same layout: first byte = name index).

Usage:
    python scripts/fuzz_ingest.py --seconds 120            # atheris, then the baseline
    python scripts/fuzz_ingest.py --replay tests/robustness/crashers

Needs ``pip install atheris`` (the replay mode does not).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: File names the first byte chooses from (extension decides the reader).
NAMES = [
    "doc.txt", "page.html", "rec.json", "recs.jsonl", "feed.xml", "crawl.warc", "recs.jsonl.gz",
    "doc.txt.gz", "noext", "page.htm", "feed.atom", "crawl.warc.gz",
]

_TMP = Path(tempfile.mkdtemp(prefix="storyline-fuzz-"))


def split_input(data: bytes) -> tuple[str, bytes]:
    """The file name and content an input stands for."""
    if not data:
        return NAMES[0], b""
    return NAMES[data[0] % len(NAMES)], data[1:]


def run_one(data: bytes) -> str:
    """Ingest one fuzz input; returns a short outcome class. Raises on a crash (a bug)."""
    from storyline.errors import DocumentError, DocumentFailure
    from storyline.ingest import LinkOnly, RawDocument, read_path
    from storyline.ingest.build import build_article
    from storyline.settings import Settings

    name, content = split_input(data)
    path = _TMP / name
    path.write_bytes(content)
    settings = Settings(trafilatura_max_chars=200_000)
    outcomes = []
    for item in read_path(path, settings):
        if isinstance(item, DocumentFailure):
            assert item.source.startswith(str(path)) and item.stage and item.reason, item
            # read_path turns any exception into a failure so a run goes on; for the fuzzer an
            # exception that was not a deliberate DocumentError is still a bug.
            if item.reason.startswith("unexpected "):
                raise RuntimeError(item.reason)
            outcomes.append(f"fail:{item.reason[:24]}")
        elif isinstance(item, LinkOnly):
            outcomes.append("link")
        else:
            assert isinstance(item, RawDocument)
            try:
                article = build_article(item, settings=settings)
            except DocumentError as exc:
                outcomes.append(f"skip:{exc.message[:24]}")
                continue
            assert article.text.strip()
            outcomes.append("article")
    return f"{name}|" + ",".join(sorted(set(outcomes)))


def _worker(seconds: int, artifacts: Path, outcomes_file: Path, corpus: Path) -> None:
    import atheris

    with atheris.instrument_imports(include=["storyline"]):
        import storyline.clean  # noqa: F401
        import storyline.ingest  # noqa: F401
        import storyline.ingest.build  # noqa: F401
        import storyline.ingest.encoding  # noqa: F401
        import storyline.ingest.feed  # noqa: F401
        import storyline.ingest.html  # noqa: F401
        import storyline.ingest.jsonrec  # noqa: F401
        import storyline.ingest.text  # noqa: F401
        import storyline.ingest.warc  # noqa: F401

    seen: set[str] = set()

    def one(data: bytes) -> None:
        outcome = run_one(data)
        if outcome not in seen:
            seen.add(outcome)
            with outcomes_file.open("a", encoding="utf-8") as fh:
                fh.write(outcome + "\n")

    artifacts.mkdir(parents=True, exist_ok=True)
    tokens = _write_dict(corpus.parent / "ingest.dict")
    atheris.Setup(
        [sys.argv[0], f"-max_total_time={seconds}", f"-artifact_prefix={artifacts}/",
         "-rss_limit_mb=3000", "-timeout=60", "-max_len=20000", f"-dict={tokens}", str(corpus)],
        one,
    )
    atheris.Fuzz()


def _seed_corpus(d: Path) -> Path:
    """Small valid and broken files of every format, written here (nothing third-party)."""
    d.mkdir(parents=True, exist_ok=True)
    para = ("The ferry to the island left late on Monday because of high winds, the harbour "
            "master said, and about 1,200 passengers waited for 3.5 hours.")
    html = f"<html><head><title>Ferry late</title></head><body><article><p>{para}</p>" \
           f"<p>{para}</p></article></body></html>"
    seeds = {
        "doc.txt": f"Ferry late\n\nby Ana Pell\n\n{para}\n\n{para}\n",
        "page.html": html,
        "rec.json": json.dumps({"title": "Ferry", "text": para, "published": "2025-01-02"}),
        "recs.jsonl": json.dumps({"text": para}) + "\n{bad\n" + json.dumps({"html": html}) + "\n",
        "feed.xml": '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
                    f"<title>Ferry</title><link>https://x.example/f</link><description>{para}"
                    "</description></item></channel></rss>",
        "crawl.warc": "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/\r\n"
                      f"Content-Length: {len(html) + 45}\r\n\r\nHTTP/1.1 200 OK\r\n"
                      f"Content-Type: text/html\r\n\r\n{html}\r\n\r\n",
    }
    # Structure for the mutator to copy and grow: nesting, escapes, broken lengths.
    seeds["noext"] = "[" * 60 + json.dumps({"text": para}) + "]" * 60
    seeds["page.htm"] = "<html><body>" + "<div>" * 60 + f"<p>{para}</p>" + "</div>" * 60
    seeds["feed.atom"] = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>F</title>'
                          f"<content type=\"html\">{'&lt;' * 40}{para}</content></entry></feed>")
    for i, (name, text) in enumerate(seeds.items()):
        (d / f"seed{i}").write_bytes(bytes([NAMES.index(name)]) + text.encode("utf-8"))
    return d


#: libFuzzer dictionary: tokens the mutator inserts whole.
DICTIONARY = [
    "[", "]", "{", "}", '"text": "', '"html": "', "<div>", "</div>", "<p>", "<script>", "&lt;",
    "&#", "<![CDATA[", "<item>", "<entry>", "WARC/1.0\r\n", "Content-Length: ",
    "WARC-Type: response\r\n", "\r\n\r\n", "\x1f\x8b\x08", "\xef\xbb\xbf", "\xff\xfe",
    "\xe2\x80\x8b", "\xe2\x80\xae", "1,000.5", "1.000", "2999-12-31", "1900",
]


def _write_dict(path: Path) -> Path:
    lines = []
    for i, tok in enumerate(DICTIONARY):
        raw = tok.encode("latin-1").decode("unicode_escape").encode("latin-1")
        esc = "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\x{b:02x}"
                      for b in raw)
        lines.append(f'kw{i}="{esc}"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def _baseline(seconds: float) -> tuple[int, set[str], list[str]]:
    """Random inputs (seed files with random byte edits) for the same time, no coverage."""
    rng = random.Random(0)
    seeds = [p.read_bytes() for p in sorted(_seed_corpus(_TMP / "seeds").iterdir())]
    end = time.monotonic() + seconds
    runs, seen, crashes = 0, set(), []
    while time.monotonic() < end:
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 8)):
            op = rng.random()
            pos = rng.randrange(len(data) + 1)
            if op < 0.4 and data:
                data[min(pos, len(data) - 1)] = rng.randrange(256)
            elif op < 0.7:
                data[pos:pos] = rng.randbytes(rng.randint(1, 16))
            else:
                del data[pos : pos + rng.randint(1, 64)]
        try:
            seen.add(run_one(bytes(data)))
        except Exception as exc:
            crashes.append(f"{type(exc).__name__}: {exc}"[:200])
        runs += 1
    return runs, seen, crashes


def replay(folder: Path) -> int:
    """Run every input in ``folder``; returns the number that crash."""
    bad = 0
    for p in sorted(folder.iterdir()):
        if p.is_file() and not p.name.startswith((".", "README")):
            try:
                print(f"{p.name}: {run_one(p.read_bytes())}")
            except Exception as exc:
                bad += 1
                print(f"{p.name}: CRASH {type(exc).__name__}: {exc}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=int, default=60, help="fuzzing time for each of the two runs")
    ap.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"),
                    help="where atheris writes crashing inputs")
    ap.add_argument("--replay", type=Path, help="run the inputs in this folder and exit")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--outcomes", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.replay:
        return 1 if replay(args.replay) else 0
    if args.worker:
        _worker(args.seconds, args.artifacts, args.outcomes, args.corpus)
        return 0
    work = Path(tempfile.mkdtemp(prefix="storyline-fuzz-run-"))
    corpus = _seed_corpus(work / "corpus")
    outcomes = work / "outcomes.txt"
    outcomes.touch()
    t0 = time.monotonic()
    res = subprocess.run(
        [sys.executable, __file__, "--worker", "--seconds", str(args.seconds), "--artifacts",
         str(args.artifacts.resolve()), "--outcomes", str(outcomes), "--corpus", str(corpus)],
        capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    took = time.monotonic() - t0
    log = res.stderr.splitlines()
    done = [ln for ln in log if ln.startswith("Done ") and " runs in " in ln]
    execs = int(done[-1].split()[1]) if done else 0
    cov = next((ln.split("cov: ")[1].split()[0] for ln in reversed(log) if "cov: " in ln), "?")
    a_outcomes = set(outcomes.read_text(encoding="utf-8").split("\n")) - {""}
    crashes = sorted(p.name for p in args.artifacts.glob("crash-*")) if args.artifacts.exists() else []
    b_runs, b_outcomes, b_crashes = _baseline(args.seconds)
    print(f"fuzzing the ingest path, {args.seconds} s each "
          f"(atheris {'finished' if done else 'stopped'}, exit {res.returncode}, {took:.0f} s)")
    print(f"{'':28}{'atheris':>12}{'random edits':>14}")
    print(f"{'inputs run':28}{execs:>12,}{b_runs:>14,}")
    print(f"{'code edges covered':28}{cov:>12}{'not measured':>14}")
    print(f"{'distinct outcomes':28}{len(a_outcomes):>12}{len(b_outcomes):>14}")
    print(f"{'crashing inputs':28}{len(crashes):>12}{len(b_crashes):>14}")
    for c in crashes:
        print(f"  atheris crash input: {args.artifacts / c}")
    for c in b_crashes[:5]:
        print(f"  baseline crash: {c}")
    if res.returncode not in (0,) and not crashes:
        print("\n".join(log[-30:]))
    return 1 if crashes or b_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
