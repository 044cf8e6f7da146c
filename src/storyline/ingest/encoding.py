"""Turning file bytes into text: BOMs, UTF-8, detected legacy encodings, and binary refusal."""

from __future__ import annotations

import codecs

from ..errors import DocumentError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NULs or many control bytes)."""
    sample = data[:8192]
    if not sample:
        return False
    if _utf16_without_bom(sample):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / len(sample) > 0.05


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess BOM-less UTF-16 from the pattern of zero bytes in ASCII-heavy text."""
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    zeros_even = even.count(0) / len(even)
    zeros_odd = odd.count(0) / len(odd)
    if zeros_odd > 0.4 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _decode_mixed(data: bytes) -> str | None:
    """Text that is mostly UTF-8 with some lines in a legacy encoding (pasted or concatenated
    from another source): each line in UTF-8 where it is valid, else Windows-1252.

    None when the data does not look like such a mix (then the whole file has one encoding).
    """
    lines = data.split(b"\n")
    utf8_nonascii = 0
    invalid = 0
    for ln in lines:
        if ln.isascii():
            continue
        try:
            ln.decode("utf-8")
            utf8_nonascii += 1
        except UnicodeDecodeError:
            invalid += 1
    if not utf8_nonascii or utf8_nonascii < invalid:
        return None
    out = []
    for ln in lines:
        try:
            out.append(ln.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(ln.decode("cp1252", errors="replace"))
    return "\n".join(out)


def decode_bytes(data: bytes, source: str = "<bytes>") -> tuple[str, str]:
    """Decode file bytes to text and name the encoding used.

    Order: a byte-order mark; BOM-less UTF-16; strict UTF-8; UTF-8 with some lines in
    Windows-1252 (mixed sources in one file); then charset detection (charset-normalizer) for
    legacy encodings such as Latin-1 or Windows-1252.

    Raises:
        DocumentError: the data is binary or in no recognisable text encoding.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace"), enc
    guess16 = _utf16_without_bom(data[:8192])
    if guess16:
        return data.decode(guess16, errors="replace"), guess16
    if looks_binary(data):
        raise DocumentError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None or best.encoding is None:
        # Windows-1252 decodes nearly anything; accept it only when the result is mostly text.
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > len(text) * 0.01:
            raise DocumentError(f"{source}: could not detect the text encoding")
        return text, "cp1252"
    return data.decode(best.encoding, errors="replace"), best.encoding
