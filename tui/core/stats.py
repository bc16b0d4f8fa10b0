"""Percentiles, one method everywhere (compare summaries, rating intervals).

Linear interpolation between closest ranks (Hyndman & Fan type 7, numpy's default):
for sorted values x[0..n-1] and q in [0, 1], position h = (n - 1) * q, and the result is
x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). So p50 of 1, 2, 3, 4 is 2.5,
and p95 of five values lies 4/5 of the way from the 4th to the 5th.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-quantile (0 <= q <= 1) of the values; None when there are none."""
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile {q} is outside 0..1")
    ordered = sorted(values)
    if not ordered:
        return None
    h = (len(ordered) - 1) * q
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])
