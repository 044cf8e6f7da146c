"""WARC archives with fastwarc: HTML responses become articles; a corrupt record is reported
and the following records are still read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import DocumentError
from .encoding import decode_bytes
from .records import RawDocument


def read_warc(path: Path, source: str) -> Iterator[RawDocument | DocumentError]:
    """Read the HTML ``response`` records of a WARC (optionally gzipped) file."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = 0
    try:
        # stream_detect handles .warc.gz; fsspec is off so no path is treated as a URL.
        for record in ArchiveIterator(
            str(path),
            record_types=WarcRecordType.response,
            parse_http=True,
            stream_detect=True,
            fsspec_args=False,
        ):
            n += 1
            url = record.headers.get("WARC-Target-URI") or None
            where = f"{source}#{url or n}"
            try:
                ctype = (record.http_headers.get("Content-Type") or "") if record.http_headers else ""
                if ctype and "html" not in ctype.lower():
                    continue
                body = record.reader.read()
                html, _enc = decode_bytes(body, where)
            except DocumentError as exc:
                yield DocumentError(f"record {n}: {exc.message}")
                continue
            except Exception as exc:  # a record fastwarc cannot read
                yield DocumentError(f"record {n} is corrupt ({type(exc).__name__}: {exc})")
                continue
            yield RawDocument(source=where, format="warc", html=html, url=url)
    except Exception as exc:
        yield DocumentError(f"WARC stream broken after {n} records ({type(exc).__name__}: {exc})")
    if n == 0:
        yield DocumentError("no HTML response records found in the WARC file")
