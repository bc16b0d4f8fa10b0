"""The spend ledger over real SQLite files: it never forgets, never crashes on a bad row."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.core import spend
from llmtui.core.ledger import CostSource, NewCharge, Settlement
from llmtui.core.store import Store
from llmtui.core.store.schema import MIGRATIONS
from tests.conftest import run_cli
from tests.fakes.money_fake import KEYS, config


def _reserve(store: Store, model: str, worst: str | None, conv: int | None = None) -> int:
    (charge,) = store.reserve_charges(lambda view: [NewCharge(
        model.split("/", 1)[0], model, None if worst is None else Decimal(worst),
        conversation_id=conv)])
    return charge


def test_deleting_a_conversation_keeps_its_spend(write_config, money) -> None:  # type: ignore[no-untyped-def]
    # ux-walkthrough H6: deleting history cascaded to the spend, and the limits forgot it.
    server, _ = money
    write_config(config(server.url, '[prices."groq/usage-4"]\ninput = 1\noutput = 1000\n'))
    for _ in range(3):
        assert run_cli("ask", "-m", "groq/usage-4", "hi", env=KEYS).returncode == 0
    before = json.loads(run_cli("spend", "--json").stdout)
    conv = json.loads(run_cli("history", "--json").stdout)[0]["id"]
    assert run_cli("history", "delete", str(conv)).returncode == 0
    after = json.loads(run_cli("spend", "--json").stdout)
    # each: 10 prompt tokens x $1/1M + 4 output tokens x $1000/1M = $0.00401
    assert (after["total_usd"], after["requests"]) == (before["total_usd"], before["requests"]) \
        == (0.01203, 3)


def test_spend_before_the_ledger_moves_in_and_a_nan_row_poisons_nothing(tmp_path: Path) -> None:
    # reliability-run H2: a NaN cost in the store crashed `spend` and every priced request.
    path = tmp_path / "old.sqlite3"
    store = Store(path)
    conv = store.new_conversation(["groq/a"])
    store.close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE ledger")
    # as an llmtui from before the ledger left it (later migrations must add nothing twice)
    before = next(v for v, sql in MIGRATIONS.items() if "TABLE IF NOT EXISTS ledger" in sql) - 1
    # v9, v10, v13 and v14, after the ledger: undone (v11 and v12 rebuild tables, add no column)
    for column in ("reasoning_effort", "thinking_budget", "params", "reasoning_redacted", "writer"):
        db.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    assert before == max(MIGRATIONS) - 7, "move the columns added after the ledger back too"
    db.execute(f"PRAGMA user_version = {before}")
    rows = [("groq/a", "0.25", "done", "answer"), ("together/ok", "NaN", "done", "x"),
            ("groq/a", "-300", "done", "y"), ("groq/a", "0.01", "error", ""),
            ("groq/a", None, "interrupted", "partial")]
    for model, cost, status, content in rows:
        db.execute("INSERT INTO messages (conversation_id, role, content, model, status, "
                   "created_at, cost_usd) VALUES (?, 'assistant', ?, ?, ?, ?, ?)",
                   (conv, content, model, status, time.time(), cost))
    db.commit()
    db.close()
    store = Store(path)
    assert store.version() >= 4
    total = spend.total(store)
    # 0.25 counts; NaN, -300 and the unknown are unknown; the failure with no output never billed
    assert (total.amount, total.requests, total.unknown) == (Decimal("0.25"), 4, 3)
    store.delete_conversation(conv)
    assert spend.total(store).amount == Decimal("0.25")
    with store._tx() as db:
        db.execute("UPDATE ledger SET cost_usd = 'sNaN' WHERE cost_usd = '0.25'")
    assert spend.total(store).unknown == 4  # a row damaged later: still no crash
    store.close()


def test_a_dead_process_keeps_its_worst_case(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    live = _reserve(store, "groq/a", "0.30")
    dead = _reserve(store, "groq/b", "0.70")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with store._tx() as db:
        db.execute("UPDATE ledger SET pid = ? WHERE id = ?", (child.pid, dead))
    store.close()
    store = Store(path)  # the next start reconciles
    by_id = {c.id: c for c in store.charges()}
    assert by_id[dead].state == "lost" and by_id[dead].amount == Decimal("0.70")
    assert by_id[live].state == "reserved"  # this process is alive: left alone
    total = spend.total(store)
    assert (total.amount, total.in_flight, total.lost) == (Decimal("1.00"), 1, 1)
    store.close()


def test_kill_9_mid_answer_leaves_the_reserved_worst_case(write_config, money) -> None:  # type: ignore[no-untyped-def]
    # reliability-run L9: kill -9 mid-answer left the cost unknown and spend undercounted.
    server, fake = money
    write_config(config(server.url, "[budget]\ndaily_usd = 5\n"))
    exe = Path(sys.executable).with_name("llmtui")
    proc = subprocess.Popen([str(exe), "ask", "--max-tokens", "1000", "-m", "groq/endless", "hi"],
                            env={**os.environ, **KEYS}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.read(10)  # the answer is streaming
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    data = json.loads(run_cli("spend", "--json").stdout)
    # worst case: 10 prompt tokens x $1/1M + 1000 output tokens x $10/1M
    assert data["total_usd"] == 0.01001 and data["requests"] == 1
    assert data["lost"] == 1 and "cut off before usage arrived" in run_cli("spend").stdout


def test_sigterm_mid_answer_settles_the_cost(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, _ = money
    write_config(config(server.url))
    exe = Path(sys.executable).with_name("llmtui")
    proc = subprocess.Popen([str(exe), "ask", "--max-tokens", "1000", "-m", "groq/endless", "hi"],
                            env={**os.environ, **KEYS}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.read(10)
    proc.terminate()
    proc.wait(timeout=30)
    data = json.loads(run_cli("spend", "--json").stdout)
    # settled to the estimate from the text received, far under the worst case
    assert data["lost"] == 0 and data["in_flight"] == 0
    assert 0 < data["total_usd"] < 0.01001


ops = st.lists(st.tuples(
    st.sampled_from(["settle", "unknown", "crash", "delete", "fail"]),
    st.decimals(min_value=0, max_value=5, places=6, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=5, places=6, allow_nan=False, allow_infinity=False),
), max_size=15)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_totals_are_the_sum_of_what_each_request_settled_to(steps) -> None:  # type: ignore[no-untyped-def]
    """Whatever mix of settled, unknown, failed and crashed requests and deleted conversations:
    the ledger's total is each settled cost, or the worst case of those whose cost is unknown
    or whose process died; nothing deleted from history changes it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.sqlite3"
        store = Store(path)
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        expected = Decimal(0)
        for action, worst, cost in steps:
            conv = store.new_conversation(["groq/a"])
            charge = _reserve(store, "groq/a", str(worst), conv)
            if action == "settle":
                store.settle_charge(charge, Settlement(cost, CostSource.COMPUTED))
                expected += cost
            elif action == "unknown":  # usage never came: the worst case stands
                store.settle_charge(charge, Settlement(None, CostSource.ESTIMATE))
                expected += worst
            elif action == "fail":  # refused by the provider before any output
                store.settle_charge(charge, Settlement(Decimal(0), CostSource.COMPUTED))
            elif action == "crash":
                with store._tx() as db:
                    db.execute("UPDATE ledger SET pid = ? WHERE id = ?", (dead.pid, charge))
                expected += worst
            elif action == "delete":
                store.settle_charge(charge, Settlement(cost, CostSource.PROVIDER))
                store.delete_conversation(conv)
                expected += cost
        store.close()
        store = Store(path)
        total = spend.total(store)
        assert total.amount == expected and total.requests == len(steps)
        assert total.in_flight == 0 and total.lost == sum(a == "crash" for a, _, _ in steps)
        for by in spend.GROUPS:
            assert sum((t.amount for t in spend.totals_by(store, by)), Decimal(0)) == expected
        store.close()
