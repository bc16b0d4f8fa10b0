"""The store repair (core/store/salvage.py) on real damaged files: the rows before and after a
damaged page come back; a store from an older llmtui comes back in today's schema; a file
from a newer llmtui is refused untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmtui.core.store import SCHEMA_VERSION, NewerStore, Store
from llmtui.core.store.salvage import repair, salvage
from tests.core.store.test_upgrade import make_v1_store
from tests.fakes.damaged_stores import damaged_page, newer_schema


def test_the_rows_around_a_damaged_page_come_back(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    damaged_page(path)
    report = repair(path)
    assert report.damaged == ["messages"] and report.aside is not None and report.aside.exists()
    store = Store(path)
    prompts = [m.content.split(" x")[0] for m in store.messages(1)]
    assert prompts[:5] == [f"prompt {i}" for i in range(5)] and prompts[-1] == "prompt 39"
    assert 30 <= len(prompts) < 40  # only the rows on the damaged page are gone
    assert [c.id for c in store.search("prompt")] == [1]
    assert store.version() == SCHEMA_VERSION


def test_an_older_store_comes_back_in_todays_schema(tmp_path: Path) -> None:
    old, new = tmp_path / "old.sqlite3", tmp_path / "new.sqlite3"
    make_v1_store(old)
    report = salvage(old, new)
    assert report.damaged == [] and report.kept["messages"] == 2
    store = Store(new)
    assert [m.content for m in store.messages(1)][0] == "an old question about zebras"
    assert [c.id for c in store.search("zebras")] == [1]


def test_a_newer_store_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    newer_schema(path)
    before = path.read_bytes()
    with pytest.raises(NewerStore):
        repair(path)
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir() if "salvaged" in p.name) == []


def test_without_history_spending_limits_still_count_what_the_file_shows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No-history mode copies the readable spend ledger into the store in memory: a daily
    limit is not reset by a store llmtui cannot use (here: one from a newer llmtui)."""
    import time
    from decimal import Decimal

    from llmtui.core.config import parse_config
    from llmtui.core.ledger import CostSource, NewCharge, Settlement
    from llmtui.core.runtime import Runtime

    path = tmp_path / "s.sqlite3"
    monkeypatch.setenv("LLMTUI_DB", str(path))
    store = Store(path)
    (charge,) = store.reserve_charges(lambda view: [NewCharge("groq", "groq/x", Decimal("0.9"))])
    store.settle_charge(charge, Settlement(Decimal("0.9"), CostSource.COMPUTED))
    store._rows(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store.close()
    before = path.read_bytes()
    runtime = Runtime(parse_config("[budget]\ndaily_usd = 1\n", tmp_path / "c.toml"))
    memory = runtime.store
    assert runtime.history_off is not None and memory.path != path
    assert memory.ledger_spent(time.time() - 3600).amount == Decimal("0.9")
    assert path.read_bytes() == before


def test_a_store_another_process_has_open_is_not_moved(tmp_path: Path) -> None:
    from llmtui.core.store.salvage import InUse
    from tests.fakes.damaged_stores import locked_by_another_process

    path = tmp_path / "s.sqlite3"
    with locked_by_another_process(path):
        before = path.read_bytes()
        with pytest.raises(InUse, match="another program has s.sqlite3 open"):
            repair(path)
        assert path.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir() if "salvaged" in p.name or "damaged" in p.name] == []


def test_a_salvaged_store_never_gives_out_a_deleted_id_again(tmp_path: Path) -> None:
    """Ids are AUTOINCREMENT (schema v11): the newest conversation, its messages and its compare
    run, deleted before the salvage, keep their ids; the new store's counters start past them."""
    old, new = tmp_path / "old.sqlite3", tmp_path / "new.sqlite3"
    store = Store(old)
    kept = store.new_conversation(["groq/x"])
    store.add_message(kept, "user", "kept")
    run = store.new_run(["groq/x", "openai/y"])
    gone = store.add_message(run.conversation_id, "user", "deleted")
    assert store.delete_conversation(run.conversation_id)
    store.close()
    salvage(old, new)
    store = Store(new)
    fresh = store.new_run(["groq/x", "openai/y"])
    assert fresh.conversation_id > run.conversation_id and fresh.id > run.id
    assert store.add_message(fresh.conversation_id, "user", "new") > gone
    store.close()


def test_without_the_old_counters_a_salvage_starts_past_the_ids_the_ledger_names(tmp_path: Path) -> None:
    """An old file whose counters cannot be read (from before v11, or lost to the damage): the
    spend ledger outlives a deleted conversation, and its id is still not given out again."""
    from decimal import Decimal

    from llmtui.core.ledger import NewCharge

    old, new = tmp_path / "old.sqlite3", tmp_path / "new.sqlite3"
    store = Store(old)
    store.new_conversation(["groq/x"])
    spent = store.new_conversation(["groq/x"])
    store.reserve_charges(lambda view: [NewCharge("groq", "groq/x", Decimal("0.1"), conversation_id=spent)])
    assert store.delete_conversation(spent)
    store._rows("DELETE FROM sqlite_sequence")
    store.close()
    salvage(old, new)
    store = Store(new)
    assert store.new_conversation(["groq/x"]) > spent
    store.close()
