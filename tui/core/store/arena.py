"""The arena's rows: compare runs with their items, and votes with their sides.

A compare run is a compare conversation (so History, export and `--resume` show it) with an id
of its own: `llmtui compare` prints it and `llmtui vote RUN_ID` judges it later. Each item is
one prompt of the set, sent once per repeat (`--runs N`): a user message whose answers are the
lanes, one per model.

A vote stores the model drawn for side A and for side B, the choice (a, b, tie, both bad),
whether the names were hidden, and which two answers were judged. Votes from before schema v3
have no sides: A was always the first model named, so they count as compare votes, not blind.
What the votes add up to is llmtui.core.leaderboard's business.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence

from llmtui.core.store.messages import MessageQueries
from llmtui.core.store.records import Choice, CompareRun, RunItem, Vote
from llmtui.providers.parts import Part

_VOTE_SELECT = (
    "SELECT v.conversation_id, v.prompt_id, v.winner, v.models, v.side_a, v.side_b, v.choice, "
    "v.blind, v.run_id, v.answer_a, v.answer_b, r.prompt_set "
    "FROM votes v LEFT JOIN compare_runs r ON r.id = v.run_id"
)

# The newest prompt of conversation `c` (a blind conversation's newest round).
_NEWEST = ("(SELECT MAX(m.id) FROM messages m WHERE m.conversation_id = c.id "
           "AND m.role = 'user')")


class ArenaQueries(MessageQueries):
    def record_vote(self, vote: Vote) -> int:
        """Store a vote; `winner`, `loser` and `models` are filled too for older readers."""
        with self._tx() as db:
            return _insert_vote(db, vote)

    def record_run_vote(self, vote: Vote) -> int | None:
        """Store a vote on a run's pair unless that pair is judged already; None if it was.

        Two `llmtui vote RUN_ID` sessions on one run each load the open pairs, so both may show
        the same pair. The check and the insert share one write transaction (BEGIN IMMEDIATE),
        so the second voter sees the first one's row and stores nothing: one vote per pair.
        """
        assert vote.run_id is not None
        with self._tx() as db:
            taken = db.execute(
                "SELECT 1 FROM votes WHERE run_id = ? AND ((answer_a = ? AND answer_b = ?) "
                "OR (answer_a = ? AND answer_b = ?)) LIMIT 1",
                (vote.run_id, vote.answer_a, vote.answer_b, vote.answer_b, vote.answer_a),
            ).fetchone()
            return None if taken else _insert_vote(db, vote)

    def votes(self) -> list[Vote]:
        """Every vote, oldest first."""
        return [_vote(r) for r in self._rows(_VOTE_SELECT + " ORDER BY v.id")]

    def conversation_votes(self, conversation_id: int) -> list[Vote]:
        rows = self._rows(_VOTE_SELECT + " WHERE v.conversation_id = ? ORDER BY v.id",
                          (conversation_id,))
        return [_vote(r) for r in rows]

    def unvoted_blind(self, conversation_ids: Sequence[int], closed: Sequence[str]) -> set[int]:
        """The blind conversations among `conversation_ids` whose newest round has no vote
        and no answer whose status is in `closed` (llmtui.core.blind_rounds says which)."""
        if not conversation_ids:
            return set()
        # Every blind conversation, not `IN (ids)`: a page holds up to 2000 ids (SQLite's
        # variable limit), and blind ones are few.
        rows = self._rows(
            "SELECT c.id FROM conversations c WHERE c.blind = 1 "
            "AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.conversation_id = c.id AND v.prompt_id = "
            f"{_NEWEST}) AND NOT EXISTS (SELECT 1 FROM messages a WHERE a.parent_id = {_NEWEST} "
            f"AND a.status IN ({','.join('?' * len(closed))}))",
            tuple(closed),
        )
        return {int(r[0]) for r in rows} & set(conversation_ids)

    # ------------------------------------------------------------ compare runs

    def new_run(self, models: Sequence[str], *, repeats: int = 1, prompt_set: str | None = None,
                system: str | None = None, title: str = "") -> CompareRun:
        """A compare conversation and its run row, in one transaction."""
        now = time.time()
        with self._tx() as db:
            conversation_id = self.new_conversation(models, title=title, mode="compare",
                                                    system=system)
            cur = db.execute(
                "INSERT INTO compare_runs (conversation_id, models, repeats, prompt_set, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (conversation_id, json.dumps(list(models)), repeats, prompt_set, now),
            )
            run_id = int(cur.lastrowid or 0)
        return CompareRun(run_id, conversation_id, tuple(models), repeats, prompt_set, now)

    def add_run_item(self, run: CompareRun, prompt: str, *, item: str, repeat: int,
                     system: str | None = None, parts: Sequence[Part] = ()) -> int:
        """The prompt as a user message of the run's conversation (its attachments linked),
        in one transaction; returns its message id."""
        with self._tx() as db:
            prompt_id = self.add_message(run.conversation_id, "user", prompt)
            if parts:
                self.save_parts(prompt_id, parts)
            db.execute(
                "INSERT INTO compare_items (run_id, prompt_id, item, repeat, system) "
                "VALUES (?, ?, ?, ?, ?)",
                (run.id, prompt_id, item, repeat, system),
            )
        return prompt_id

    def load_run(self, run_id: int) -> CompareRun | None:
        found = self._rows(
            "SELECT id, conversation_id, models, repeats, prompt_set, created_at FROM compare_runs "
            "WHERE id = ?", (run_id,),
        )
        if not found:
            return None
        row = found[0]
        return CompareRun(int(row[0]), int(row[1]), tuple(json.loads(row[2])), int(row[3]), row[4],
                          float(row[5]))

    def run_items(self, run_id: int) -> list[RunItem]:
        rows = self._rows(
            "SELECT i.prompt_id, i.item, i.repeat, i.system, m.content FROM compare_items i "
            "JOIN messages m ON m.id = i.prompt_id WHERE i.run_id = ? ORDER BY i.id", (run_id,),
        )
        return [RunItem(int(r[0]), str(r[1]), int(r[2]), r[3], str(r[4])) for r in rows]


def _insert_vote(db: sqlite3.Connection, vote: Vote) -> int:
    cur = db.execute(
        "INSERT INTO votes (conversation_id, prompt_id, winner, loser, models, created_at, "
        "side_a, side_b, choice, blind, run_id, answer_a, answer_b) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (vote.conversation_id, vote.prompt_id, vote.winner, vote.loser,
         json.dumps([vote.side_a, vote.side_b]), time.time(), vote.side_a, vote.side_b,
         str(vote.choice), int(vote.blind), vote.run_id, vote.answer_a, vote.answer_b),
    )
    return int(cur.lastrowid or 0)


def _vote(row: Sequence[object]) -> Vote:
    conv, prompt, winner, models, side_a, side_b, choice, blind, run, ans_a, ans_b, pset = row
    if side_a is None or side_b is None or choice is None:
        # Before schema v3: A was the first model named; no winner was a tie.
        named = list(json.loads(str(models)))
        side_a, side_b = str(named[0]), str(named[-1])
        choice = Choice.TIE if winner is None else (Choice.A if winner == side_a else Choice.B)
    return Vote(str(side_a), str(side_b), Choice(str(choice)), bool(blind), int(str(conv)),
                _int(prompt), _int(run), _int(ans_a), _int(ans_b),
                None if pset is None else str(pset))


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))
