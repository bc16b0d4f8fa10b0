"""Rating maths against hand-computed examples: Bradley-Terry, the prior, the interval, percentiles."""

from __future__ import annotations

import math

import pytest

from llmtui.core.arena_store import Choice, Vote
from llmtui.core.leaderboard import leaderboard_from, tallies
from llmtui.core.rating import Game, fit, interval
from llmtui.core.stats import percentile


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
    assert first == again  # a fixed seed: the same votes give the same interval
    for data, spans in ((few, interval(few)), (many, interval(many))):
        rated = fit(data)
        for model, (low, high) in spans.items():
            assert low <= rated[model] <= high
    assert (interval(many)["A"][1] - interval(many)["A"][0]
            < interval(few)["A"][1] - interval(few)["A"][0])


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
