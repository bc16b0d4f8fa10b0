"""Spend totals over a real SQLite file: across restarts, and as sums of their parts."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtui.core import spend
from llmtui.core.ledger import CostSource, NewCharge, Settlement
from llmtui.core.store import Store
from tests.conftest import run_cli


def _answer(store: Store, conv: int, model: str, cost: str | None, when: float,
            status: str = "done", content: str = "answer") -> None:
    """One request through the ledger: reserved, then settled (a failure before any
    output settles at $0, as the Exchange settles it)."""
    (charge,) = store.reserve_charges(
        lambda view: [NewCharge(model.split("/", 1)[0], model, None, conversation_id=conv)])
    if status == "error" and not content:
        cost = "0"
    store.settle_charge(charge, Settlement(None if cost is None else Decimal(cost),
                                           CostSource.COMPUTED))
    with store._tx() as db:
        db.execute("UPDATE ledger SET created_at = ? WHERE id = ?", (when, charge))


def test_totals_survive_restarts(tmp_path: Path) -> None:
    path = tmp_path / "spend.sqlite3"
    now = datetime.now()
    store = Store(path)
    conv = store.new_conversation(["groq/a"])
    _answer(store, conv, "groq/a", "0.00000375", now.timestamp())
    _answer(store, conv, "openai/gpt-4o-mini", "0.0012", now.timestamp())
    store.close()

    store = Store(path)  # a new process, the same file
    conv2 = store.new_conversation(["groq/a"])
    _answer(store, conv2, "groq/a", "0.5", now.timestamp())
    _answer(store, conv2, "groq/b", None, now.timestamp())  # unknown price: counted, not summed
    _answer(store, conv2, "groq/a", "0.01", now.timestamp(), status="error", content="")  # not billed
    yesterday = (now - timedelta(days=1)).timestamp()
    _answer(store, conv2, "hf/x:cheapest", "1.25", yesterday)
    store.close()

    store = Store(path)
    everything = spend.total(store)
    # 0.00000375 + 0.0012 + 0.5 + 1.25 = 1.75120375
    assert everything.amount == Decimal("1.75120375")
    assert (everything.requests, everything.unknown) == (6, 1)  # the failed one counts, at $0
    by_provider = {t.key: t.amount for t in spend.totals_by(store, "provider")}
    assert by_provider == {"groq": Decimal("0.50000375"), "openai": Decimal("0.0012"),
                           "hf": Decimal("1.25")}
    assert spend.total(store, provider="groq").amount == Decimal("0.50000375")
    assert spend.total(store, conversation_id=conv).amount == Decimal("0.00120375")
    today = spend.total(store, since=spend.day_start(now))
    assert today.amount == Decimal("0.50120375")
    days = spend.totals_by(store, "day")
    assert [t.key for t in days] == [(now - timedelta(days=1)).date().isoformat(), now.date().isoformat()]
    store.close()


def test_spend_command_after_two_ask_processes(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    server, _ = serve()
    write_config(f"""
[providers.groq]
base_url = "{server.url}/openai/v1"
[prices."groq/llama-3.3-70b-versatile"]
input = 0.59
output = 0.79
""")
    env = {"GROQ_API_KEY": "sk-test-123"}
    for _ in range(2):
        assert run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi", env=env).returncode == 0
    assert run_cli("ask", "-m", "demo/simulated-fast", "hi").returncode == 0
    data = json.loads(run_cli("spend", "--json", "--by", "model").stdout)
    # 2 x (1 x 0.59 + 4 x 0.79) per 1M = 2 x 0.00000375
    assert data["rows"][0] == {"key": "groq/llama-3.3-70b-versatile", "cost_usd": 7.5e-06,
                               "cost_usd_exact": "0.00000750", "requests": 2,
                               "unknown_cost": 0, "estimated": False, "in_flight": 0,
                               "lost": 0}
    assert data["requests"] == 3 and data["today_usd"] == data["total_usd"] == 7.5e-06
    text = run_cli("spend").stdout
    assert "groq" in text and "demo" in text and "3 requests" in text


costs = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=8,
                                         allow_nan=False, allow_infinity=False))
rows_strategy = st.lists(
    st.tuples(st.sampled_from(["groq/a", "groq/b", "openai/c", "hf/d:cheapest", "demo/simulated"]),
              costs, st.integers(min_value=0, max_value=40)),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy)
def test_totals_equal_the_sum_of_their_parts(items: list[tuple[str, Decimal | None, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "s.sqlite3")
        conv = store.new_conversation(["x/y"])
        base = datetime(2026, 3, 1, 12).timestamp()
        for model, cost, day in items:
            _answer(store, conv, model, None if cost is None else str(cost), base + day * 86400)
        whole = spend.total(store)
        expected = sum((c for _, c, _ in items if c is not None), Decimal(0))
        assert whole.amount == expected and whole.requests == len(items)
        for by in spend.GROUPS:
            parts = spend.totals_by(store, by)
            assert sum((p.amount for p in parts), Decimal(0)) == whole.amount
            assert sum(p.requests for p in parts) == whole.requests
            assert sum(p.unknown for p in parts) == whole.unknown
        store.close()


def test_conversations_with_equal_spend_are_in_number_order() -> None:
    """Issue 18: `spend --by conversation` listed 1, 10, 11, 2 (ids sorted as text)."""
    from decimal import Decimal

    from llmtui.core.ledger import Charge, ChargeState, CostSource
    from llmtui.core.spend import group

    def charge(n: int, conversation: int | None) -> Charge:
        return Charge(id=n, created_at=1_700_000_000.0, provider="demo", model="demo/simulated",
                      conversation_id=conversation, message_id=None, state=ChargeState.SETTLED,
                      reserved=Decimal(0), cost=Decimal(0), source=CostSource.COMPUTED)

    items = [charge(n, c) for n, c in enumerate([11, 2, None, 10, 1, 3])]
    assert [t.key for t in group(items, "conversation")] == ["1", "2", "3", "10", "11", "-"]
