"""A parsed spaCy ``Doc`` as bytes, and back: the shard step stores it, the brief step reads it.

The content is exactly what ``spacy.tokens.DocBin`` (all its default attributes, no user data)
keeps for one doc: the token attribute array (``ORTH`` first, then ``NORM``, ``TAG``, ``HEAD``,
``DEP``, the entity columns, ``LEMMA``, ``MORPH``, ``POS``, ``SENT_START``), the spaces, the
``has_unknown_spaces`` flag and the strings behind the hashed columns; reading it rebuilds the
doc the same way ``DocBin.get_docs`` does. Two things differ, both for speed (DocBin's
round trip costs ~8 ms of CPU for a 700-token article, this one ~1.5 ms):

* the strings are collected from the distinct hashes of the array's string columns (numpy)
  instead of a Python loop over every token;
* nothing is zlib-compressed: the bytes go into a Parquet column that is compressed anyway.

A doc with categories or span groups (the pinned pipeline sets neither) is stored as a
``DocBin`` instead, and :func:`unpack` reads both forms, so older outputs stay readable.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

#: The first bytes of a packed doc (a DocBin starts with a zlib header, 0x78).
MAGIC = b"SLDOC1\n"
#: Columns whose values are string hashes (their strings travel with the doc).
_HEAD = struct.Struct("<IIIB")
_STRING_COLUMNS = ("ORTH", "NORM", "TAG", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA",
                   "MORPH")


def _attrs() -> list[int | str]:
    """DocBin's attribute order: ``ORTH`` first, then the others sorted by id."""
    from spacy.attrs import ORTH, SPACY, intify_attr
    from spacy.tokens.doc import DOCBIN_ALL_ATTRS

    ids = sorted(int(intify_attr(a)) for a in DOCBIN_ALL_ATTRS)
    out: list[int | str] = [int(ORTH)]
    out.extend(a for a in ids if a not in (ORTH, SPACY))
    return out


def pack(doc: Doc) -> bytes:
    """The bytes of one parsed doc (see the module docstring for what they hold).

    Layout: :data:`MAGIC`, a header (tokens, attributes, bytes of strings, unknown-spaces
    flag), the attribute ids and the token array (``uint64``), one byte of space per token,
    then the strings (UTF-8, NUL-separated).
    """
    import numpy as np
    from spacy.attrs import SPACY, intify_attr

    if doc.cats or len(doc.spans):
        return _docbin(doc)
    attrs = _attrs()
    array = np.ascontiguousarray(doc.to_array(attrs), dtype="<u8").reshape((len(doc), len(attrs)))
    cols = [attrs.index(int(intify_attr(name))) for name in _STRING_COLUMNS]
    store = doc.vocab.strings
    try:
        strings = [store[int(h)] for h in np.unique(array[:, cols])]
    except KeyError:  # a hash without its string: let DocBin do it the slow way
        return _docbin(doc)
    if any("\0" in x for x in strings):
        return _docbin(doc)
    blob = "\0".join(strings).encode("utf-8")
    spaces = np.asarray(doc.to_array(SPACY), dtype=np.uint8).tobytes()
    head = _HEAD.pack(len(doc), len(attrs), len(blob), bool(doc.has_unknown_spaces))
    ids = np.asarray(attrs, dtype="<u8").tobytes()
    return b"".join((MAGIC, head, ids, array.tobytes(), spaces, blob))


def unpack(data: bytes, vocab: Vocab) -> Doc:
    """The doc stored by :func:`pack` (or as a one-doc ``DocBin``), on the given vocab."""
    import numpy as np
    from spacy.tokens import Doc, DocBin

    if not data.startswith(MAGIC):
        return next(iter(DocBin().from_bytes(data).get_docs(vocab)))
    pos = len(MAGIC)
    n, k, size, unknown = _HEAD.unpack_from(data, pos)
    pos += _HEAD.size
    attrs = [int(a) for a in np.frombuffer(data, dtype="<u8", count=k, offset=pos)]
    pos += 8 * k
    tokens = np.frombuffer(data, dtype="<u8", count=n * k, offset=pos).reshape((n, k))
    pos += 8 * n * k
    spaces = np.frombuffer(data, dtype=np.uint8, count=n, offset=pos).astype(bool)
    pos += n
    add = vocab.strings.add
    if size:
        for string in data[pos : pos + size].decode("utf-8").split("\0"):
            add(string)  # the words' lexemes are made by ``Doc``; other strings need no lexeme
    doc = Doc(vocab, words=tokens[:, 0], spaces=None if unknown else spaces)  # type: ignore[arg-type]
    return doc.from_array(attrs, tokens)  # type: ignore[arg-type]


def _docbin(doc: Doc) -> bytes:
    from spacy.tokens import DocBin

    bin_ = DocBin(store_user_data=False)
    bin_.add(doc)
    return bytes(bin_.to_bytes())
