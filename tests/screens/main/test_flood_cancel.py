"""Esc during a flood (issue 14): a server sends a 20 MB paragraph at once; the answer shows as
interrupted at once, and what arrived is stored whole, marked interrupted."""

from __future__ import annotations

import asyncio

from textual import events

from llmtui.core.store import Store
from llmtui.widgets.stream_tail import MAX_CHUNKS
from tests.screens.helpers import answered, groq_config, make_app, send, until


async def test_esc_during_a_flood_marks_the_answer_interrupted_at_once(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    # 25 KB every 10 ms (2.5 MB/s, ~170 KB a frame): at once, the whole 20 MB could arrive
    # before the test's Esc on a fast machine, and there would be nothing left to stop
    app = make_app(model="groq/flood-800-10")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = app.main
        await until(pilot, lambda: bool(screen.views))
        lane = screen.session.turns[-1].lanes[0]
        view = screen.views[lane]
        await until(pilot, lambda: len(view.full_text) > 1_000_000, timeout=60)
        # Nothing on screen grows with the answer: the open paragraph is a few widgets.
        assert len(view.query(".tail > *")) <= MAX_CHUNKS + 1
        app.post_message(events.Key("escape", None))  # (pilot.press would wait for the save)
        # Counted in turns of the event loop (each a frame at most): saving a megabyte or more
        # of answer takes hundreds of them; the lane says it is interrupted before that.
        turns = 0
        while not any("interrupted" in str(notice.render()) for notice in view.query(".notice")):
            turns += 1
            assert turns <= 20, "the answer was not shown as interrupted at once"
            await asyncio.sleep(0)
        await answered(pilot, timeout=60)
        assert lane.state == "interrupted"
        shown = view.full_text
        conversation = screen.session.conversation_id
    stored = [m for m in Store().messages(conversation) if m.role == "assistant"]  # type: ignore[arg-type]
    assert stored[0].status == "interrupted"
    assert len(shown) > 1_000_000 and stored[0].content.startswith(shown)
    assert len(stored[0].content) < 20_000_000  # Esc stopped it
