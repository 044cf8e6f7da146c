"""WARC archives with fastwarc: HTML responses become articles; a corrupt record is reported
and the following records are still read.

In an uncompressed WARC a record whose length is wrong (it runs into the next record) or whose
header is broken is skipped, and reading resumes at the next ``WARC/1.x`` header line. A gzipped
WARC is read one gzip member (one record) at a time: a corrupt member is skipped and reading
resumes at the next gzip header; a file gzipped as one member is streamed (reading stops at the
damage, the records before it are kept).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
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
        yield from _read_gzipped(path, source, state)
    else:
        offset: int | None = 0
        while offset is not None:
            resume: list[int] = []
            yield from _read_from(path, source, offset, state, resync=True, resume=resume)
            offset = resume[0] if resume and resume[0] > offset else None
    if state["n"] == 0:
        yield DocumentError("no HTML response records found in the WARC file")


#: A gzip member (normally one record) larger than this is streamed instead of read whole.
MEMBER_MAX_BYTES = 64_000_000
_GZIP_MAGIC = b"\x1f\x8b\x08"


def _members(path: Path) -> Iterator[tuple[int, bytes | None, str | None]]:
    """``(offset, data, problem)`` for each gzip member of the file.

    A corrupt member gives ``data=None`` and reading goes on at the next gzip header; a member
    larger than :data:`MEMBER_MAX_BYTES` gives ``data=None, problem="large"`` and stops.
    """
    size = path.stat().st_size
    offset: int | None = 0
    with path.open("rb") as fh:
        while offset is not None and offset < size:
            fh.seek(offset)
            dec = zlib.decompressobj(wbits=31)
            out = bytearray()
            fed = 0
            try:
                while not dec.eof:
                    block = fh.read(1 << 16)
                    if not block:
                        break
                    fed += len(block)
                    out += dec.decompress(block)
                    if len(out) > MEMBER_MAX_BYTES:
                        break
            except zlib.error as exc:
                yield offset, None, f"corrupt ({exc})"
                offset = _next_magic(path, offset)
                continue
            if len(out) > MEMBER_MAX_BYTES:
                yield offset, None, "large"
                if offset == 0:
                    return  # the whole file is one member: the caller streams it
                offset = _next_magic(path, offset)
                continue
            if not dec.eof:
                yield offset, bytes(out), "truncated"
                return
            yield offset, bytes(out), None
            end = offset + fed - len(dec.unused_data)
            fh.seek(end)
            pad = fh.read(512)  # some writers pad with zero bytes between members
            offset = end + (len(pad) - len(pad.lstrip(b"\x00")))


def _next_magic(path: Path, after: int) -> int | None:
    with path.open("rb") as fh:
        fh.seek(after + 1)
        pos = after + 1
        tail = b""
        while True:
            block = fh.read(1 << 20)
            if not block:
                return None
            data = tail + block
            at = data.find(_GZIP_MAGIC)
            if at >= 0:
                return pos - len(tail) + at
            tail = data[-2:]
            pos += len(block)


def _read_gzipped(
    path: Path, source: str, state: dict[str, int]
) -> Iterator[RawDocument | DocumentError]:
    """A gzipped WARC, one member (record) at a time, so a corrupt member costs one record."""
    import io

    from fastwarc.warc import ArchiveIterator, WarcRecordType

    for offset, data, problem in _members(path):
        if problem == "large" and offset == 0:  # the whole file gzipped at once: stream it
            yield from _read_from(path, source, offset, state, resync=False)
            return
        if problem == "large":
            yield DocumentError(f"gzip member at byte {offset:,} is larger than "
                                f"{MEMBER_MAX_BYTES:,} bytes unpacked; skipped")
            continue
        if data is None:
            yield DocumentError(f"gzip member at byte {offset:,} is {problem}; reading resumed "
                                "at the next member")
            continue
        try:
            for record in ArchiveIterator(io.BytesIO(data), record_types=WarcRecordType.response,
                                          parse_http=True):
                out = _record(record, source, state)
                if isinstance(out, (RawDocument, DocumentError)):
                    yield out
        except Exception as exc:  # a member whose WARC content fastwarc cannot read
            yield DocumentError(f"WARC record at byte {offset:,} is corrupt "
                                f"({type(exc).__name__}: {exc})")
        if problem == "truncated":
            yield DocumentError(f"gzip data is truncated at the member at byte {offset:,}")


@dataclass
class _Overrun:
    """A record whose stated length ran into the next record's header."""

    n: int
    url: str | None


def _record(
    record: Any, source: str, state: dict[str, int], check_overrun: bool = False
) -> RawDocument | DocumentError | _Overrun | None:
    """One response record: an HTML document, why not, or None for a record that is not HTML.

    With ``check_overrun``, a body that contains another record's header is an :class:`_Overrun`.
    """
    state["n"] += 1
    n = state["n"]
    url = record.headers.get("WARC-Target-URI") or None
    where = f"{source}#{url or n}"
    try:
        http = record.http_headers
        ctype = (http.get("Content-Type") or "") if http else ""
        if ctype and "html" not in ctype.lower():
            return None
        body = record.reader.read()
        if check_overrun and _OVERRUN.search(body):
            return _Overrun(n, url)
        html, _enc = decode_bytes(body, where)
    except DocumentError as exc:
        return DocumentError(f"record {n}: {exc.message}")
    except Exception as exc:  # a record fastwarc cannot read
        return DocumentError(f"record {n} is corrupt ({type(exc).__name__}: {exc})")
    return RawDocument(source=where, format="warc", html=html, url=url)


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
                # The first record starts at ``offset``; positions may count from the seek or not.
                base = int(record.stream_pos) if base is None else base
                last_start = offset + int(record.stream_pos) - base
                out = _record(record, source, state, check_overrun=resync)
                if isinstance(out, _Overrun):
                    yield DocumentError(
                        f"record {out.n} ({out.url or 'no URL'}) is corrupt: its stated length "
                        "runs into the next record; reading resumed at the next record"
                    )
                    if resume is not None:
                        nxt = _next_header(path, last_start)
                        if nxt is not None:
                            resume.append(nxt)
                    return
                if out is not None:
                    yield out
    except Exception as exc:
        nxt = _next_header(path, last_start) if resync else None
        then = "; reading resumed at the next record" if nxt is not None else ""
        yield DocumentError(
            f"WARC stream broken after {state['n']} records ({type(exc).__name__}: {exc}){then}"
        )
        if nxt is not None and resume is not None:
            resume.append(nxt)
