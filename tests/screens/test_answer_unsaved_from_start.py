"""M4 in the TUI: the store fails as an answer's row is first created (disk full). The
answer still streams onto the screen, and its notice says where the recovery file is."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.screens.helpers import answered, booted, make_app, record_notices, send


async def test_the_answer_shows_and_its_notice_names_the_recovery_file(
        isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notices = record_notices(monkeypatch)
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        store = app.runtime.store
        add = store.add_message

        def full_at_the_answer(conversation_id: int, role: str, content: str, **kw: Any) -> int:
            if role == "assistant":
                raise sqlite3.OperationalError("database or disk is full")
            return add(conversation_id, role, content, **kw)

        monkeypatch.setattr(store, "add_message", full_at_the_answer)
        await send(pilot, "an answer the store cannot take")
        screen = await answered(pilot)
        lane = screen.session.turns[-1].lanes[0]
        assert lane.state.value == "done" and "simulated answer" in lane.text
        view = screen.views[lane]
        assert view.full_text == lane.text  # on the screen, whole
        final = notices[-1]
        assert final.startswith("⚠ could not save this answer to the history (database or disk is full)")
        recovered = Path(final.rsplit("it was written to ", 1)[1])
        assert stat.S_IMODE(recovered.stat().st_mode) == 0o600
        assert lane.text.strip() in recovered.read_text()
        assert app.runtime.history_off is None  # the prompt was saved: history stays on
