"""Rating maths against hand-computed examples: Bradley-Terry, the prior, the interval, percentiles."""

from __future__ import annotations

import math

import pytest

from llmtui.core.leaderboard import leaderboard_from, tallies
from llmtui.core.rating import Game, fit, interval
from llmtui.core.stats import percentile
from llmtui.core.store import Choice, Vote


def games(a: str, b: str, a_wins: int, b_wins: int, ties: int = 0) -> list[Game]:
    return ([Game(a, b, 1.0)] * a_wins + [Game(a, b, 0.0)] * b_wins
            + [Game(a, b, 0.5)] * ties)


def test_maximum_likelihood_fit_matches_a_hand_solved_example() -> None:
    # Strengths 4 : 2 : 1 make the observed scores exactly the expected ones:
    # A-B: A scores 2 of 3 (1 win + 2 ties = 4/(4+2) * 3), B-C: 2 of 3, A-C: 4 of 5.
    # So the MLE is p = (4, 2, 1); with the geometric mean pinned to 1, p = (2, 1, 1/2),
    # and ratings 1000 +- 400 * log10(2) = 1000 +- 120.412.
    data = games("A", "B", 1, 0, ties=2) + games("B", "C", 2, 1) + games("A", "C", 4, 1)
    ratings = fit(data, prior=0)
    assert ratings["A"] == pytest.approx(1120.412, abs=1e-3)
    assert ratings["B"] == pytest.approx(1000.0, abs=1e-3)
    assert ratings["C"] == pytest.approx(879.588, abs=1e-3)


def test_a_tie_is_half_a_win() -> None:
    # A 1 win + 2 ties over B scores like 2 wins to 1: ratio 2, 120.4 points apart.
    with_ties = fit(games("A", "B", 1, 0, ties=2), prior=0)
    with_wins = fit(games("A", "B", 2, 1), prior=0)
    assert with_ties["A"] == pytest.approx(with_wins["A"])
    assert with_ties["A"] - with_ties["B"] == pytest.approx(400 * math.log10(2))


def test_the_prior_keeps_one_vote_finite_at_the_hand_solved_value() -> None:
    # A beat B once; each also draws one game against the 1000 reference. By symmetry
    # p_B = 1/p_A = 1/x, and B's equation 1/2 = 1/(x^2+1) + 1/(x+1) gives x^3 - x^2 - x - 3 = 0,
    # whose real root is x = 2.130395...; A = 1000 + 400*log10(x) = 1131.384.
    ratings = fit([Game("A", "B", 1.0)])
    assert ratings["A"] == pytest.approx(1131.384, abs=1e-3)
    assert ratings["B"] == pytest.approx(868.616, abs=1e-3)
    x = 10 ** ((ratings["A"] - 1000) / 400)
    assert x**3 - x**2 - x - 3 == pytest.approx(0, abs=1e-6)


def test_without_a_prior_an_unbeaten_model_has_no_finite_rating() -> None:
    with pytest.raises(ValueError, match="no finite rating"):
        fit([Game("A", "B", 1.0)], prior=0)


def test_interval_is_reproducible_holds_the_fit_and_narrows_with_votes() -> None:
    few = games("A", "B", 3, 1)
    many = few * 25
    first, again = interval(few), interval(few)
    assert first == again  # the same votes give the same interval
    for data, spans in ((few, interval(few)), (many, interval(many))):
        rated = fit(data)
        for model, (low, high) in spans.items():
            assert low <= rated[model] <= high
    assert (interval(many)["A"][1] - interval(many)["A"][0]
            < interval(few)["A"][1] - interval(few)["A"][0])


def test_two_ties_give_the_hand_computed_wide_interval() -> None:
    # A and B tie twice: by symmetry both sit at the reference, theta = ln p = 0, so every
    # game has s = 1/2 and each prior draw q = 1/2. Minus the log-posterior's Hessian in theta:
    #   ties  2 * s(1-s) = 0.5 on [[1, -1], [-1, 1]];  prior 1 * q(1-q) = 0.25 on the diagonal
    #   H = [[0.75, -0.5], [-0.5, 0.75]], det = 0.3125, (H^-1)_AA = 0.75 / 0.3125 = 2.4
    # SE = sqrt(2.4) = 1.549193 in ln strength; on the Elo scale * 400/ln 10 = 269.127;
    # 95%: * 1.959964 = 527.48. So 1000 +- 527.48 = 472.52 .. 1527.48 (it was 1000-1000).
    spans = interval(games("A", "B", 0, 0, ties=2))
    for model in ("A", "B"):
        low, high = spans[model]
        assert low == pytest.approx(472.52, abs=0.01)
        assert high == pytest.approx(1527.48, abs=0.01)


def test_one_vote_gives_a_wide_interval_around_the_hand_solved_fit() -> None:
    # A beat B once: the fit is x = 2.130395 (above), theta_A = ln x = 0.756307 = -theta_B.
    # s = x^2/(x^2+1) = 0.819410, s(1-s) = 0.147977; q = x/(x+1) = 0.680552, q(1-q) = 0.217403
    # H = [[0.365380, -0.147977], [-0.147977, 0.365380]], det = 0.111603,
    # (H^-1)_AA = 3.273929, SE = 1.809400, * 173.7178 * 1.959964 = 616.06.
    # So A: 1131.38 +- 616.06 (it was 1131-1131: a bootstrap of one vote is that vote).
    spans = interval([Game("A", "B", 1.0)])
    low, high = spans["A"]
    assert low == pytest.approx(1131.384 - 616.06, abs=0.05)
    assert high == pytest.approx(1131.384 + 616.06, abs=0.05)
    assert spans["B"][0] < 1000 < spans["B"][1] and low < 1000 < high


def test_one_win_in_nine_votes_does_not_put_the_interval_above_the_reference() -> None:
    # Like the tester's case: C won 1 of 9 votes and tied the rest; the bootstrap put its low
    # end at exactly 1000 (no resample could show C losing), as if one win proved C no worse.
    data = games("C", "D", 1, 0) + games("C", "E", 0, 0, ties=4) + games("C", "F", 0, 0, ties=4)
    low, high = interval(data)["C"]
    assert low < fit(data)["C"] < high and low < 1000


def test_percentile_is_linear_interpolation_between_closest_ranks() -> None:
    # sorted 1, 2, 4, 8, 10: p50 at position 4*0.5 = 2 -> 4; p95 at 3.8 -> 8 + 0.8*(10-8) = 9.6
    values = [8, 1, 10, 4, 2]
    assert percentile(values, 0.5) == 4
    assert percentile(values, 0.95) == pytest.approx(9.6)
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) is None


def vote(a: str, b: str, choice: Choice, *, blind: bool = True, prompt_set: str | None = None) -> Vote:
    return Vote(a, b, choice, blind, conversation_id=1, prompt_set=prompt_set)


def test_tallies_count_both_bad_apart_and_win_rate_takes_half_of_no_winner() -> None:
    rows = {t.model: t for t in tallies([
        vote("A", "B", Choice.A), vote("B", "A", Choice.A), vote("A", "B", Choice.TIE),
        vote("A", "B", Choice.BOTH_BAD),
    ])}
    a = rows["A"]
    assert (a.votes, a.wins, a.losses, a.ties, a.both_bad) == (4, 1, 1, 1, 1)
    assert a.win_rate == pytest.approx((1 + 2 / 2) / 4)


def test_only_blind_votes_are_rated_and_both_bad_rates_as_a_tie() -> None:
    votes = [vote("A", "B", Choice.A), vote("B", "A", Choice.BOTH_BAD),
             vote("A", "B", Choice.B, prompt_set="evals.jsonl"),
             vote("A", "C", Choice.A, blind=False)]
    board = leaderboard_from(votes)
    assert board.overall.votes == 3 and [s.model for s in board.overall.standings] == ["A", "B"]
    assert "C" not in {s.model for s in board.overall.standings}
    # A won one, lost one, and one had no winner: level with B, exactly at the reference.
    a, b = board.overall.standings
    assert a.rating == pytest.approx(1000.0) and b.rating == pytest.approx(1000.0)
    assert list(board.prompt_sets) == ["evals.jsonl"] and board.prompt_sets["evals.jsonl"].votes == 1
    assert board.compare_votes == 1 and {t.model for t in board.compare_tallies} == {"A", "C"}
