"""Coreference metrics on a tiny example computed by hand."""

from __future__ import annotations

import pytest

from storyline.bench.coref_metrics import b_cubed, ceaf_e, conll_scores, muc

# Key: {0,1,2} {3,4,5,6}; response: {0,1} {2,3,4} {5,6}.
KEY = ["k1", "k1", "k1", "k2", "k2", "k2", "k2"]
RESPONSE = ["r1", "r1", "r2", "r2", "r2", "r3", "r3"]


def test_muc_by_hand() -> None:
    # Recall: (3-2) + (4-2) links kept of 2 + 3 needed; precision: 1 + 1 + 1 of 1 + 2 + 1.
    s = muc(KEY, RESPONSE)
    assert s.r == pytest.approx(3 / 5)
    assert s.p == pytest.approx(3 / 4)


def test_b_cubed_by_hand() -> None:
    s = b_cubed(KEY, RESPONSE)
    assert s.p == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3 + 1 + 1) / 7)
    assert s.r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 0.5 + 0.5 + 0.5 + 0.5) / 7)


def test_ceaf_e_by_hand() -> None:
    # Best alignment k1-r1 (phi4 = 0.8) and k2-r3 (phi4 = 2/3).
    s = ceaf_e(KEY, RESPONSE)
    assert s.r == pytest.approx((0.8 + 2 / 3) / 2)
    assert s.p == pytest.approx((0.8 + 2 / 3) / 3)


def test_perfect_and_conll_mean() -> None:
    perfect = conll_scores(KEY, KEY)
    assert perfect["conll"] == pytest.approx(1.0)
    scores = conll_scores(KEY, RESPONSE)
    f1s = [scores[m].f1 for m in ("muc", "b3", "ceafe")]  # type: ignore[union-attr]
    assert scores["conll"] == pytest.approx(sum(f1s) / 3)
    assert float(scores["conll"]) < 1.0  # type: ignore[arg-type]


def test_all_singletons_response_has_zero_muc() -> None:
    s = muc(KEY, list(range(len(KEY))))
    assert s.r == 0.0 and s.f1 == 0.0
    with pytest.raises(ValueError):
        conll_scores(KEY, RESPONSE[:-1])
