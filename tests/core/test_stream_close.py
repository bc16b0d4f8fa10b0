"""A reader that stops reading an answer (`llmtui ask | head`) closes the whole stream at once.

Nothing may be left for the event loop's shutdown to close: it closes every async generator
still open side by side, so an outer one closing its inner one races that inner one's own close
("aclose(): asynchronous generator is already running"), and the Exchange's record of the
answer ran after the thread pool was gone ("Executor shutdown has been called").
"""

from __future__ import annotations

import sys
from collections.abc import AsyncGenerator
from pathlib import Path

import pytest

from llmtui.core.config import parse_config
from llmtui.core.runtime import Runtime
from llmtui.core.session import ChatSession
from llmtui.core.store import Store
from llmtui.core.turns import LaneState
from llmtui.providers.base import TextDelta
from tests.fakes.router_fake import KEY as FAKE_KEY


async def test_closing_the_session_stream_closes_every_generator_under_it(
        fake_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", FAKE_KEY)
    runtime = Runtime(parse_config(f'[providers.groq]\nbase_url = "{fake_url}/v1"\n', tmp_path / "c.toml"),
                      Store(tmp_path / "s.sqlite3"))
    # Held strongly: a weak reference dies as the generator is collected, before asyncio's
    # finalizer hook revives it to close it later (the very thing this test is about).
    opened: list[AsyncGenerator[object, None]] = []
    firstiter, finalizer = sys.get_asyncgen_hooks()

    def track(agen: AsyncGenerator[object, None]) -> None:
        opened.append(agen)
        if firstiter is not None:
            firstiter(agen)

    session = ChatSession(runtime, ["groq/drip-3000"])
    turn = await session.send("hi")
    sys.set_asyncgen_hooks(firstiter=track, finalizer=finalizer)
    try:
        events = session.stream(turn, 0)
        seen = 0
        async for event in events:
            seen += isinstance(event, TextDelta)
            if seen == 3:
                break  # what a BrokenPipeError out of the reader's loop does
        await events.aclose()
    finally:
        sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=finalizer)
    try:
        # The ones that close another as they close; a decoder such as sse_batches, or httpx's
        # byte iterators under a closed response, holds nothing that could race.
        chain = {"ChatSession.stream", "Exchange.run", "with_retries", "BoundaryProvider.stream",
                 "guarded", "OpenAICompatProvider._stream", "AsyncClient.stream"}
        assert chain <= {g.__qualname__ for g in opened}
        assert [g.__qualname__ for g in opened if g.__qualname__ in chain and g.ag_frame is not None] == []
        assert turn.lanes[0].state is LaneState.INTERRUPTED
        cid = session.conversation_id
        assert cid is not None
        stored = runtime.store.messages(cid)[-1]
        assert stored.status == "interrupted" and stored.content.startswith("w0 w1 w2")
    finally:
        for agen in opened:  # outermost first, so a failure here leaves no noise behind
            await agen.aclose()
        await runtime.aclose()
