"""Reading input: files, folders and globs of plain text, HTML, JSON/JSONL, RSS/Atom and WARC.

``read_paths`` yields, for every document found, either a :class:`RawDocument`, a
:class:`LinkOnly` feed item, or a :class:`~storyline.errors.DocumentFailure` saying which file,
which stage and why — one bad document never stops the run.
"""

from __future__ import annotations

import glob
import io
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import DocumentError, DocumentFailure, UsageError
from ..settings import Settings, get_settings
from .records import LinkOnly, RawDocument

__all__ = ["LinkOnly", "RawDocument", "discover", "read_path", "read_paths", "detect_format"]

_EXT_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".warc": "warc",
}

Item = RawDocument | LinkOnly | DocumentFailure


def detect_format(path: Path, head: bytes) -> str:
    """The input format of a file, from its extension, else from its first bytes."""
    name = path.name.lower()
    if name.endswith(".warc.gz") or name.endswith(".warc"):
        return "warc"
    stem = name[:-3] if name.endswith(".gz") else name
    ext = Path(stem).suffix
    if ext in _EXT_FORMATS:
        fmt = _EXT_FORMATS[ext]
        if fmt == "feed" and b"<rss" not in head[:4096].lower() and b"<feed" not in head[:4096].lower():
            return "html" if b"<html" in head[:4096].lower() else "feed"
        return fmt
    sniff = head[:4096].lstrip().lower()
    if sniff.startswith(b"warc/"):
        return "warc"
    if sniff.startswith(b"{") or sniff.startswith(b"["):
        return "jsonl" if sniff.startswith(b"{") and b"\n{" in head else "json"
    if b"<rss" in sniff or b"<feed" in sniff:
        return "feed"
    if b"<html" in sniff or b"<!doctype html" in sniff or b"<body" in sniff:
        return "html"
    return "text"


def discover(paths: Iterable[str | Path]) -> Iterator[Path | DocumentFailure]:
    """Expand files, folders (recursively, hidden files skipped) and globs into files.

    A path that matches nothing yields a failure rather than stopping the run.
    """
    seen: set[Path] = set()
    for p in paths:
        ps = str(p)
        if any(ch in ps for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(ps, recursive=True))
            if not matches:
                yield DocumentFailure(ps, "discover", "the glob matches no file")
            candidates = matches
        else:
            candidates = [Path(ps)]
        for c in candidates:
            if c.is_dir():
                files = sorted(
                    f
                    for f in c.rglob("*")
                    if f.is_file() and not any(part.startswith(".") for part in f.relative_to(c).parts)
                )
                if not files:
                    yield DocumentFailure(str(c), "discover", "the folder holds no files")
                for f in files:
                    if f.resolve() not in seen:
                        seen.add(f.resolve())
                        yield f
            elif c.is_file():
                if c.resolve() not in seen:
                    seen.add(c.resolve())
                    yield c
            elif not c.exists():
                yield DocumentFailure(str(c), "discover", "no such file or folder")
            else:
                yield DocumentFailure(str(c), "discover", "not a regular file")


def _read_bytes(path: Path, settings: Settings) -> tuple[bytes, str | None]:
    """Read a file (gunzipping ``.gz``), capped at ``max_file_bytes``; note truncation."""
    limit = settings.max_file_bytes
    note = None
    if path.name.lower().endswith(".gz") and not path.name.lower().endswith(".warc.gz"):
        data, note = _read_gzip(path, limit)
        if note:
            return data, note
    else:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        data = data[:limit]
        note = f"file is larger than {limit:,} bytes; only the first {limit:,} bytes were read"
    return data, note


def _read_gzip(path: Path, limit: int) -> tuple[bytes, str | None]:
    """Gunzip up to ``limit + 1`` bytes; on truncated or corrupt data keep what came before.

    Raises:
        DocumentError: not even the start of the data could be decompressed.
    """
    out = bytearray()
    dec = zlib.decompressobj(wbits=31)
    fed = False
    problem = None
    with path.open("rb") as fh:
        pending = b""
        while len(out) <= limit:
            if not pending:
                pending = fh.read(1 << 16)
                if not pending:
                    break
            try:
                out += dec.decompress(pending, limit + 1 - len(out))
            except zlib.error as exc:
                problem = f"corrupt ({exc})"
                break
            fed = True
            pending = dec.unconsumed_tail
            if dec.eof:  # a member ended; another may follow (concatenated gzip)
                pending = dec.unused_data + pending
                dec = zlib.decompressobj(wbits=31)
                fed = False
                if not pending.strip(b"\x00"):
                    pending = b""
    if problem is None and fed and not dec.eof and len(out) <= limit:
        problem = "truncated (the data ends before the end-of-stream marker)"
    if problem is None:
        return bytes(out), None
    # Keep whole lines only: the last one was cut by the damage.
    kept = bytes(out[: out.rfind(b"\n") + 1])
    if not kept.strip():
        raise DocumentError(f"gzip data is {problem}; no complete line could be read")
    return kept, f"gzip data is {problem}; the {len(kept):,} bytes before the damage were read"


def read_path(path: Path, settings: Settings | None = None) -> Iterator[Item]:
    """Read every document of one file. Never raises for bad content: yields failures."""
    from .encoding import decode_bytes

    settings = settings or get_settings()
    source = str(path)
    try:
        if path.stat().st_size == 0:
            yield DocumentFailure(source, "read", "the file is empty")
            return
        with path.open("rb") as fh:
            head = fh.read(8192)
        fmt = detect_format(path, head)
        if fmt == "warc":
            from .warc import read_warc

            for item in read_warc(path, source):
                yield _as_item(item, source, "read")
            return
        data, note = _read_bytes(path, settings)
        if note:
            yield DocumentFailure(source, "read", note)
        if fmt == "feed":
            from .feed import read_feed

            for feed_item in read_feed(data, source):
                yield _as_item(feed_item, source, "read")
            return
        text, _enc = decode_bytes(data, source)
        if not text.strip():
            yield DocumentFailure(source, "read", "the file holds only whitespace")
            return
        if fmt == "json":
            from .jsonrec import read_json

            for item in read_json(text, source):
                yield _as_item(item, source, "read")
        elif fmt == "jsonl":
            from .jsonrec import read_jsonl

            for item in read_jsonl(iter(io.StringIO(text)), source):
                yield _as_item(item, source, "read")
        elif fmt == "html":
            yield RawDocument(source=source, format="html", html=text)
        else:
            from .text import read_text

            yield read_text(text, source)
    except DocumentError as exc:
        yield DocumentFailure(source, "read", _strip_source(exc.message, source))
    except OSError as exc:
        yield DocumentFailure(source, "read", f"cannot read the file ({exc.strerror or exc})")
    except Exception as exc:  # a bug or a library failure: lose this file, not the run
        yield DocumentFailure(source, "read", f"unexpected {type(exc).__name__}: {exc}")


def _strip_source(message: str, source: str) -> str:
    prefix = f"{source}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _as_item(item: RawDocument | LinkOnly | DocumentError, source: str, stage: str) -> Item:
    if isinstance(item, DocumentError):
        return DocumentFailure(source, stage, _strip_source(item.message, source))
    return item


def read_paths(paths: Iterable[str | Path], settings: Settings | None = None) -> Iterator[Item]:
    """Read every document under the given files, folders and globs.

    Raises:
        UsageError: no path was given.
    """
    paths = list(paths)
    if not paths:
        raise UsageError("no input path given")
    for p in discover(paths):
        if isinstance(p, DocumentFailure):
            yield p
        else:
            yield from read_path(p, settings)
