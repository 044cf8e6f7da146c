"""WARC archives with fastwarc: HTML responses become articles; a corrupt record is reported
and the following records are still read.

In an uncompressed WARC a record whose length is wrong (it runs into the next record) or whose
header is broken is skipped, and reading resumes at the next ``WARC/1.x`` header line. In a
gzipped WARC reading stops at the damage (the records before it are kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from .encoding import decode_bytes
from .records import RawDocument

_HEADER = re.compile(rb"\nWARC/1\.[01]\r?\n")
# A record body that contains the start of another record has swallowed its neighbour.
_OVERRUN = re.compile(rb"\r?\n\r?\nWARC/1\.[01]\r\nWARC-Type: ")


def read_warc(path: Path, source: str) -> Iterator[RawDocument | DocumentError]:
    """Read the HTML ``response`` records of a WARC (optionally gzipped) file."""
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    state = {"n": 0}
    if gzipped:
        yield from _read_from(path, source, 0, state, resync=False)
    else:
        offset: int | None = 0
        while offset is not None:
            resume: list[int] = []
            yield from _read_from(path, source, offset, state, resync=True, resume=resume)
            offset = resume[0] if resume and resume[0] > offset else None
    if state["n"] == 0:
        yield DocumentError("no HTML response records found in the WARC file")


def _next_header(path: Path, after: int) -> int | None:
    """Offset of the first WARC header line that starts a line strictly after ``after``."""
    with path.open("rb") as fh:
        fh.seek(after)
        pos = after  # file offset of data[0]
        data = b""
        while True:
            block = fh.read(1 << 20)
            if not block:
                return None
            data += block
            m = _HEADER.search(data)
            if m:
                return pos + m.start() + 1
            keep = data[-16:]
            pos += len(data) - len(keep)
            data = keep


def _read_from(
    path: Path,
    source: str,
    offset: int,
    state: dict[str, int],
    resync: bool,
    resume: list[int] | None = None,
) -> Iterator[RawDocument | DocumentError]:
    """Read records from ``offset``; on damage, put the offset to resume from in ``resume``."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    last_start = offset
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            stream: Any = fh
            # stream_detect handles .warc.gz; fsspec is off so no path is treated as a URL.
            records = ArchiveIterator(
                stream if resync else str(path),
                record_types=WarcRecordType.response,
                parse_http=True,
                stream_detect=not resync,
                fsspec_args=False,
            )
            base: int | None = None
            for record in records:
                state["n"] += 1
                n = state["n"]
                # The first record starts at ``offset``; positions may count from the seek or not.
                base = int(record.stream_pos) if base is None else base
                last_start = offset + int(record.stream_pos) - base
                url = record.headers.get("WARC-Target-URI") or None
                where = f"{source}#{url or n}"
                try:
                    http = record.http_headers
                    ctype = (http.get("Content-Type") or "") if http else ""
                    if ctype and "html" not in ctype.lower():
                        continue
                    body = record.reader.read()
                    if resync and _OVERRUN.search(body):
                        yield DocumentError(
                            f"record {n} ({url or 'no URL'}) is corrupt: its stated length runs "
                            "into the next record; reading resumed at the next record"
                        )
                        if resume is not None:
                            nxt = _next_header(path, last_start)
                            if nxt is not None:
                                resume.append(nxt)
                        return
                    html, _enc = decode_bytes(body, where)
                except DocumentError as exc:
                    yield DocumentError(f"record {n}: {exc.message}")
                    continue
                except Exception as exc:  # a record fastwarc cannot read
                    yield DocumentError(f"record {n} is corrupt ({type(exc).__name__}: {exc})")
                    continue
                yield RawDocument(source=where, format="warc", html=html, url=url)
    except Exception as exc:
        nxt = _next_header(path, last_start) if resync else None
        then = "; reading resumed at the next record" if nxt is not None else ""
        yield DocumentError(
            f"WARC stream broken after {state['n']} records ({type(exc).__name__}: {exc}){then}"
        )
        if nxt is not None and resume is not None:
            resume.append(nxt)
