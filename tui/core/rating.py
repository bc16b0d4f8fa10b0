"""Bradley-Terry ratings from pairwise votes, with a confidence interval from the posterior.

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

The interval is the Laplace (normal) approximation of the same prior-regularised posterior:
the fit is the posterior's mode, and its curvature there (the Fisher information of the votes
plus that of the prior games) gives each model's standard error in log-strength; the interval
is the mode +- z * SE, z for `level` (1.96 for 95%), on the Elo scale.

Why not a bootstrap over votes: resampling can only ever show the votes that exist. With one
vote every resample is that vote and the interval had zero width (1131-1131), and a model whose
one win fell out of a resample dropped out of it, so its interval sat above 1000 after 1 win in
9 votes. The posterior's curvature is small when there are few votes (the prior's one draw adds
at most 1/4 per model), so one vote gives an interval hundreds of points wide, and it narrows
as 1/sqrt(votes). It is deterministic and costs one small matrix inverse, not 200 refits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

BASE = 1000.0
SCALE = 400.0
PRIOR_GAMES = 1.0
LEVEL = 0.95


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


def interval(games: Sequence[Game], *, prior: float = PRIOR_GAMES,
             level: float = LEVEL) -> dict[str, tuple[float, float]]:
    """(low, high) rating per model: the posterior mode +- z standard errors (Laplace)."""
    if prior <= 0:
        raise ValueError("the interval needs the prior: without it one vote has no finite rating")
    ratings = fit(games, prior=prior)
    if not ratings:
        return {}
    models = sorted(ratings)
    index = {m: k for k, m in enumerate(models)}
    theta = [(ratings[m] - BASE) / SCALE * math.log(10) for m in models]  # ln strength
    info = _information(games, theta, index, prior)
    covariance = _inverse(info)
    z = NormalDist().inv_cdf(0.5 + level / 2)
    to_elo = SCALE / math.log(10)
    out: dict[str, tuple[float, float]] = {}
    for m in models:
        half = z * math.sqrt(covariance[index[m]][index[m]]) * to_elo
        out[m] = (ratings[m] - half, ratings[m] + half)
    return out


def _information(games: Sequence[Game], theta: list[float], index: dict[str, int],
                 prior: float) -> list[list[float]]:
    """Minus the log-posterior's second derivatives in ln strength, at theta.

    A game between i and j adds s(1-s) (s = P(i beats j)) to i,i and j,j and takes it from
    i,j and j,i, whatever its result; a prior draw against the reference adds q(1-q)
    (q = P(i beats the reference)) to i,i.
    """
    k = len(theta)
    h = [[0.0] * k for _ in range(k)]
    for g in games:
        if g.a == g.b:
            continue
        i, j = index[g.a], index[g.b]
        s = 1.0 / (1.0 + math.exp(theta[j] - theta[i]))
        w = s * (1.0 - s)
        h[i][i] += w
        h[j][j] += w
        h[i][j] -= w
        h[j][i] -= w
    for i, t in enumerate(theta):
        q = 1.0 / (1.0 + math.exp(-t))
        h[i][i] += prior * q * (1.0 - q)
    return h


def _inverse(matrix: list[list[float]]) -> list[list[float]]:
    """Gauss-Jordan with partial pivoting; the prior makes the matrix positive definite."""
    k = len(matrix)
    a = [row[:] + [1.0 if r == c else 0.0 for c in range(k)] for r, row in enumerate(matrix)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        lead = a[col][col]
        a[col] = [v / lead for v in a[col]]
        for r in range(k):
            if r != col and a[r][col]:
                factor = a[r][col]
                a[r] = [v - factor * p for v, p in zip(a[r], a[col], strict=True)]
    return [row[k:] for row in a]
