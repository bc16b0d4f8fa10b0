"""Bradley-Terry ratings from pairwise votes, with a bootstrap confidence interval.

The model: P(i beats j) = p_i / (p_i + p_j). Strengths are fitted by maximum likelihood with
Hunter's MM (minorize-maximize) iterations (Hunter 2004, "MM algorithms for generalized
Bradley-Terry models", eq. 3), one model at a time:

    p_i <- W_i / sum_j n_ij / (p_i + p_j)

where W_i is i's score (a win 1, a tie 1/2 for each side) and n_ij the games between i and j.
Ratings are shown on the Elo scale: 1000 + 400 * log10(p_i).

A prior keeps ratings finite and honest with few votes: every model also plays `prior`
virtual games against a fixed reference of strength 1 (rating 1000) and draws them. Without
it a model that won every vote would be rated infinitely high after one vote; with it, a
few votes move a model a little way from 1000 and many votes decide. With prior 0 the
plain maximum-likelihood fit is returned, normalised so the ratings average 1000 (it exists
only when every model has both won and lost something).

The interval: votes are resampled with replacement (`resamples` times, a fixed seed, so the
same votes always give the same interval) and refitted; the interval holds the middle
`level` share of a model's refitted ratings (percentiles as llmtui.core.stats).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from llmtui.core.stats import percentile

BASE = 1000.0
SCALE = 400.0
PRIOR_GAMES = 1.0
RESAMPLES = 200
LEVEL = 0.95
SEED = 20261202


@dataclass(frozen=True, slots=True)
class Game:
    """One vote between two models: score_a is 1 (a won), 0 (b won) or 0.5 (no winner)."""

    a: str
    b: str
    score_a: float


def fit(games: Sequence[Game], *, prior: float = PRIOR_GAMES, tol: float = 1e-10,
        max_iter: int = 10_000) -> dict[str, float]:
    """Rating per model that played (Elo scale)."""
    score: dict[str, float] = defaultdict(float)
    played: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in games:
        if g.a == g.b:
            continue  # a model against itself says nothing
        score[g.a] += g.score_a
        score[g.b] += 1.0 - g.score_a
        played[g.a][g.b] += 1
        played[g.b][g.a] += 1
    models = sorted(played)
    if prior <= 0:
        for m in models:
            if score[m] <= 0 or score[m] >= sum(played[m].values()):
                raise ValueError(f"{m} won or lost every game: no finite rating without a prior")
    p = dict.fromkeys(models, 1.0)
    for _ in range(max_iter):
        change = 0.0
        for m in models:
            denominator = sum(n / (p[m] + p[o]) for o, n in played[m].items())
            denominator += prior / (p[m] + 1.0)
            new = (score[m] + prior / 2) / denominator
            change = max(change, abs(math.log(new / p[m])))
            p[m] = new
        if prior <= 0 and models:
            # Without the reference only ratios are fixed: pin the geometric mean to 1.
            mean_log = sum(math.log(v) for v in p.values()) / len(p)
            p = {m: v / math.exp(mean_log) for m, v in p.items()}
        elif models:
            # MM crawls along the one direction only the few reference games pin (all
            # strengths times a common factor); take that step exactly instead.
            factor = _best_common_factor(list(p.values()))
            change = max(change, abs(math.log(factor)))
            p = {m: v * factor for m, v in p.items()}
        if change < tol:
            break
    return {m: BASE + SCALE * math.log10(v) for m, v in p.items()}


def _best_common_factor(strengths: list[float]) -> float:
    """The f that maximises the likelihood of the reference draws for strengths * f.

    Games between models do not change when every strength is scaled alike; the reference
    draws do, and they are most likely when sum_i f*p_i / (f*p_i + 1) = k/2, solved here
    by Newton's method in log f (the left side increases with f).
    """
    log_f = 0.0
    half = len(strengths) / 2
    for _ in range(50):
        shares = [v * math.exp(log_f) / (v * math.exp(log_f) + 1.0) for v in strengths]
        excess = sum(shares) - half
        slope = sum(s * (1.0 - s) for s in shares)
        if abs(excess) < 1e-12 or slope <= 0:
            break
        log_f -= excess / slope
    return math.exp(log_f)


def interval(games: Sequence[Game], *, prior: float = PRIOR_GAMES, resamples: int = RESAMPLES,
             level: float = LEVEL, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """(low, high) rating per model from refits on resampled votes."""
    if not games:
        return {}
    rng = random.Random(seed)
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(resamples):
        for model, rating in fit(rng.choices(games, k=len(games)), prior=prior).items():
            samples[model].append(rating)
    tail = (1.0 - level) / 2
    out: dict[str, tuple[float, float]] = {}
    for model, values in samples.items():
        low, high = percentile(values, tail), percentile(values, 1.0 - tail)
        assert low is not None and high is not None
        out[model] = (low, high)
    return out
