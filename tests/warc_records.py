"""Build small WARC files for tests: response records around HTML pages."""

from __future__ import annotations


def warc_bytes(
    records: list[tuple[str, bytes]], corrupt: set[int] | None = None, overrun: int = 700
) -> bytes:
    """WARC response records, one per ``(url, html)``; the records whose index is in
    ``corrupt`` claim ``overrun`` bytes more than they have."""
    corrupt = corrupt or set()
    out = bytearray()
    for i, (url, body) in enumerate(records):
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
        length = len(http) + (overrun if i in corrupt else 0)
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\n"
            f"WARC-Record-ID: <urn:uuid:0000000{i}-0000-0000-0000-000000000000>\r\n"
            "WARC-Date: 2025-05-12T09:00:00Z\r\n"
            f"WARC-Target-URI: {url}\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()
        out += head + http + b"\r\n\r\n"
    return bytes(out)
