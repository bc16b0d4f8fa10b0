"""The spend ledger's rows (llmtui.core.ledger says what a charge is): reserve before a
request leaves, settle when its usage comes, release one never sent, and at open mark the
charges of a process that died as lost (counted at their worst case).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from decimal import Decimal

from llmtui.core.ledger import Charge, LedgerSum, NewCharge, Settlement, charge_from_row, sum_charges
from llmtui.core.store.database import Database
from llmtui.providers.money import usd


class ChargeQueries(Database):
    def reserve_charges(self, plan: Callable[[LedgerView], Sequence[NewCharge]]) -> list[int]:
        """Check and reserve in one write transaction (BEGIN IMMEDIATE), so no other process
        can reserve between the check and the write. `plan` reads the totals through the
        view and returns the charges to write, or raises to write nothing."""
        with self._tx() as db:
            charges = plan(LedgerView(db))
            now, pid = time.time(), os.getpid()
            ids = []
            for c in charges:
                cur = db.execute(
                    "INSERT INTO ledger (created_at, provider, model, conversation_id, state, "
                    "reserved_usd, input_tokens, max_output_tokens, pid, note) "
                    "VALUES (?, ?, ?, ?, 'reserved', ?, ?, ?, ?, ?)",
                    (now, c.provider, c.model, c.conversation_id,
                     _usd_text(c.reserved), c.prompt_tokens, c.max_output_tokens, pid,
                     c.note or None),
                )
                ids.append(int(cur.lastrowid or 0))
            return ids

    def settle_charge(self, charge_id: int, s: Settlement) -> None:
        """The real cost of a reserved charge (an unknown cost keeps its worst case)."""
        with self._tx() as db:
            db.execute(
                "UPDATE ledger SET state = 'settled', cost_usd = ?, cost_source = ?, "
                "input_tokens = COALESCE(?, input_tokens), output_tokens = ?, "
                "cached_input_tokens = ?, cache_write_tokens = ?, reasoning_tokens = ?, "
                "served_by = ?, conversation_id = COALESCE(?, conversation_id), "
                "message_id = COALESCE(?, message_id), settled_at = ?, "
                "note = COALESCE(?, note), cache_saving_usd = ? WHERE id = ?",
                (_usd_text(s.cost), str(s.source), _sql_int(s.input_tokens),
                 _sql_int(s.output_tokens), _sql_int(s.cached_input_tokens),
                 _sql_int(s.cache_write_tokens), _sql_int(s.reasoning_tokens), s.served_by,
                 s.conversation_id, s.message_id, time.time(), s.note or None,
                 _usd_text(s.cache_saving), charge_id),
            )

    def charges(
        self, *, since: float | None = None, until: float | None = None,
        provider: str | None = None, conversation_id: int | None = None,
    ) -> list[Charge]:
        """Ledger rows in a window, oldest first."""
        with self._lock:
            return LedgerView(self._db).charges(since=since, until=until, provider=provider,
                                                conversation_id=conversation_id)

    def release_charges(self, charge_ids: Sequence[int]) -> None:
        """Reservations of requests that never left the machine: gone, as if never made."""
        with self._tx() as db:
            db.executemany("DELETE FROM ledger WHERE id = ? AND state = 'reserved'",
                           [(i,) for i in charge_ids])

    def ledger_spent(self, since: float, provider: str | None = None) -> LedgerSum:
        with self._lock:
            return LedgerView(self._db).spent(since, provider)

    def _reconcile_charges(self) -> None:
        """Charges reserved by a process that is gone are lost: they keep their worst case."""
        pids = [int(r[0]) for r in self._rows(
            "SELECT DISTINCT pid FROM ledger WHERE state = 'reserved' AND pid IS NOT NULL")]
        dead = [pid for pid in pids if not _alive(pid)]
        if not dead:
            return
        with self._tx() as db:
            db.executemany(
                "UPDATE ledger SET state = 'lost', settled_at = ?, note = 'llmtui stopped before "
                "the provider reported usage; counted at the reserved worst case' "
                "WHERE state = 'reserved' AND pid = ?",
                [(time.time(), pid) for pid in dead],
            )


class LedgerView:
    """Ledger reads on a connection (inside a reservation's transaction, or not)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def charges(
        self, *, since: float | None = None, until: float | None = None,
        provider: str | None = None, conversation_id: int | None = None,
    ) -> list[Charge]:
        sql = (
            "SELECT id, created_at, provider, model, conversation_id, message_id, state, "
            "reserved_usd, cost_usd, cost_source, input_tokens, output_tokens, "
            "cached_input_tokens, served_by, note, cache_saving_usd FROM ledger WHERE 1"
        )
        args: list[object] = []
        for clause, value in (("created_at >= ?", since), ("created_at < ?", until),
                              ("provider = ?", provider), ("conversation_id = ?", conversation_id)):
            if value is not None:
                sql += f" AND {clause}"
                args.append(value)
        return [charge_from_row(tuple(r)) for r in self.db.execute(sql + " ORDER BY created_at, id", args)]

    def spent(self, since: float, provider: str | None = None) -> LedgerSum:
        return sum_charges(provider or "total", self.charges(since=since, provider=provider))


def _usd_text(amount: Decimal | None) -> str | None:
    """Only a plausible amount is ever written."""
    checked = usd(amount)
    return None if checked is None else str(checked)


def _sql_int(value: int | None) -> int | None:
    """Token counts SQLite can hold (a hostile 10**20 must not fail the write)."""
    return value if isinstance(value, int) and 0 <= value < 2**63 else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: leave its charges alone
    return True
