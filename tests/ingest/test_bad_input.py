"""Bad input: one clear message per document, and the good documents still read."""

from __future__ import annotations

from pathlib import Path

from storyline.errors import DocumentFailure
from storyline.ingest import RawDocument, read_paths
from storyline.ingest.build import build_article
from storyline.settings import Settings

from ..warc_records import warc_bytes
from .conftest import HTML, TEXT


def _fails(path: Path, settings: Settings | None = None) -> list[DocumentFailure]:
    return [i for i in read_paths([path], settings) if isinstance(i, DocumentFailure)]


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n \t\n")
    assert _fails(tmp_path / "empty.txt")[0].reason == "the file is empty"
    assert "whitespace" in _fails(tmp_path / "blank.txt")[0].reason


def test_binary_file_with_text_extension(tmp_path: Path) -> None:
    p = tmp_path / "photo.txt"
    p.write_bytes(bytes(range(256)) * 40)
    (fail,) = _fails(p)
    assert fail.stage == "read" and "binary" in fail.reason and fail.source == str(p)


def test_legacy_encodings_decoded(tmp_path: Path) -> None:
    text = "Café owners in Málaga said the ferry “délai” cost them dearly — about €2,000 each.\n\n" + TEXT
    for enc in ("latin-1", "cp1252", "utf-16", "utf-16-le"):
        p = tmp_path / f"{enc}.txt"
        data = text.encode(enc, errors="replace") if enc != "latin-1" else text.replace("“", '"').replace("”", '"').replace("—", "-").replace("€", "EUR ").encode(enc)
        p.write_bytes(data)
        (doc,) = [i for i in read_paths([p]) if isinstance(i, RawDocument)]
        assert "Málaga" in (doc.text or ""), enc


def test_truncated_html_still_read_or_reported(tmp_path: Path) -> None:
    p = tmp_path / "cut.html"
    p.write_text(HTML[: HTML.index("Local councillors") - 20], encoding="utf-8")
    (doc,) = [i for i in read_paths([p]) if isinstance(i, RawDocument)]
    a = build_article(doc)
    assert "hull crack" in a.text


def test_oversized_file_is_cut_with_a_message(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    para = TEXT + "\n\n"
    p.write_text(para * (60_000 // len(para) + 2), encoding="utf-8")
    items = list(read_paths([p], Settings(max_file_bytes=50_000)))
    fails = [i for i in items if isinstance(i, DocumentFailure)]
    assert fails and "larger than 50,000 bytes" in fails[0].reason
    assert any(isinstance(i, RawDocument) for i in items)


def test_corrupt_warc_record_keeps_good_ones(tmp_path: Path) -> None:
    p = tmp_path / "bad.warc"
    p.write_bytes(warc_bytes([("https://x.example/1", HTML.encode()), ("https://x.example/2", HTML.encode()),
                              ("https://x.example/3", HTML.encode())], corrupt={1}, overrun=500))
    items = list(read_paths([p]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert docs and docs[0].url == "https://x.example/1"


def test_feed_without_items(tmp_path: Path) -> None:
    p = tmp_path / "empty.xml"
    p.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    (fail,) = _fails(p)
    assert fail.reason == "feed has no items"


def test_truncated_gzip(tmp_path: Path) -> None:
    import gzip

    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(gzip.compress(b'{"text": "x"}\n' * 1000)[:40])
    (fail,) = _fails(p)
    assert "gzip" in fail.reason


def test_large_html_uses_linear_extractor(tmp_path: Path) -> None:
    p = tmp_path / "big.html"
    p.write_text(HTML.replace("</article>", "<p>" + "More text about the ferry repairs. " * 2000 + "</p></article>"))
    (doc,) = [i for i in read_paths([p]) if isinstance(i, RawDocument)]
    a = build_article(doc, settings=Settings(trafilatura_max_chars=10_000))
    assert a.title == "Ferry crossing suspended after hull crack"
    assert "hull crack" in a.text
