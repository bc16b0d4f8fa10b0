"""Saving an answer while it streams and when it ends (issue 14 M6, M4, L12, L13), with a real
Store and a loopback provider.

M6: each save writes only the text that is new (the store sees every character once while
the answer streams), never the whole answer again. M4: a store that cannot take the finish
(SQLite's own "database or disk is full", forced with `PRAGMA max_page_count`) loses nothing:
the text stays in memory, the answer goes to a recovery file and one Notice says where.
L12: `[network] max_answer_s` ends an answer that drips forever. L13: usage that cannot be
right is ignored with a notice.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from llmtui.core.answer_log import AnswerLog
from llmtui.core.config import parse_config
from llmtui.core.exchange import Exchange
from llmtui.core.pricing.cost import Cost
from llmtui.core.runtime import Runtime
from llmtui.core.store import AnswerRecord, AnswerStatus, Store
from llmtui.providers.base import ChatMessage, Notice, StreamDone, StreamError, TextDelta
from tests.core.test_reasoning_exchange import answer as run_answer
from tests.fakes.hostile_wire import FAMILIES
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer, Response


@pytest.fixture
def server() -> Any:
    s = FakeServer(OpenAIFake()).start()
    yield s
    s.stop()


def runtime_for(url: str, tmp_path: Path, network: str = "") -> Runtime:
    text = f'[providers.groq]\nbase_url = "{url}/v1"\n[network]\nmax_retries = 0\n{network}'
    return Runtime(parse_config(text, tmp_path / "c.toml"), Store(tmp_path / "s.sqlite3"))


async def answer(runtime: Runtime, model: str) -> tuple[Exchange, list[object], int]:
    return await run_answer(runtime, f"groq/{model}")


async def test_each_save_writes_only_the_new_text(server: FakeServer, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    store = runtime.store
    written: list[int] = []
    rewrites: list[int] = []
    append, update = store.append_text, store.update_text
    monkeypatch.setattr(store, "append_text", lambda mid, seq, text, reasoning="", progress=None: (
        written.append(len(text)), append(mid, seq, text, reasoning, progress))[1])
    monkeypatch.setattr(store, "update_text", lambda mid, text, reasoning=None: (
        rewrites.append(len(text)), update(mid, text, reasoning))[1])
    ex, events, cid = await answer(runtime, "drip-60")  # 60 tokens, 20 ms apart: several saves
    await runtime.aclose()
    assert isinstance(events[-1], StreamDone)
    assert len(written) >= 2, written  # it did save while streaming...
    assert sum(written) <= len(ex.stats.text) and rewrites == []  # ...each character once
    stored = [m for m in store.messages(cid) if m.role == "assistant"]
    assert stored[0].content == ex.stats.text and [c.id for c in store.search("w59")] == [cid]


async def test_a_full_disk_at_the_finish_keeps_the_answer_in_a_recovery_file(
        server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("llmtui.core.answer_log.FINISH_RETRY_S", 0.01)
    runtime = runtime_for(server.url, tmp_path)
    store = runtime.store
    full = store.add_message
    def add_then_fill_the_disk(*args: Any, **kwargs: Any) -> int:
        message_id = full(*args, **kwargs)
        if args[1] == "assistant":  # from here on the file may not grow: SQLITE_FULL
            pages = store._rows("PRAGMA page_count")[0][0]
            store._rows(f"PRAGMA max_page_count = {pages}")
        return message_id
    monkeypatch.setattr(store, "add_message", add_then_fill_the_disk)
    ex, events, _ = await answer(runtime, "long-3000")
    await runtime.aclose()
    assert isinstance(events[-1], StreamDone), events[-1]  # the answer itself is fine
    (notice,) = [e for e in events if isinstance(e, Notice)]
    assert "could not save this answer to the history (database or disk is full)" in notice.text
    path = Path(notice.text.rsplit("it was written to ", 1)[1])
    assert path.stat().st_mode & 0o777 == 0o600
    assert ex.stats.text.strip() in path.read_text() and ex.stats.text.count("w") == 3000
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == ex.stats.text


async def test_a_drip_that_never_ends_stops_at_max_answer_s(server: FakeServer, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path, "max_answer_s = 0.5\nidle_timeout = 5\n")
    ex, events, cid = await answer(runtime, "drip-200")  # 4 s of tokens 20 ms apart
    await runtime.aclose()
    error = events[-1]
    assert isinstance(error, StreamError) and "the answer took longer than 0.5s" in error.message
    assert error.setting == "[network] max_answer_s"
    kept = [m for m in runtime.store.messages(cid) if m.role == "assistant"][0]
    assert kept.status == "interrupted" and kept.content == ex.stats.text and kept.content


async def test_absurd_usage_is_ignored_and_the_cost_estimated(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    body = FAMILIES["openai"].answer("Hello there", 10**20, 5)
    absurd = FakeServer(lambda r: Response(200, {"content-type": "text/event-stream"}, [(body, 0)])).start()
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(absurd.url, tmp_path)
    try:
        ex, events, cid = await answer(runtime, "m")
    finally:
        await runtime.aclose()
        absurd.stop()
    assert isinstance(events[-1], StreamDone)
    assert any(isinstance(e, Notice) and "input_tokens = 100000000000000000000" in e.text
               for e in events)
    stored = [m for m in runtime.store.messages(cid) if m.role == "assistant"][0]
    assert stored.usage_estimated and stored.input_tokens is not None and stored.input_tokens < 10**6


async def test_a_save_runs_beside_the_stream_never_in_its_way(server: FakeServer, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19: the stream went on only once each save had ended (a stalled disk stalled it)."""
    monkeypatch.setenv("GROQ_API_KEY", "k")
    runtime = runtime_for(server.url, tmp_path)
    store = runtime.store
    stalled, release = threading.Event(), threading.Event()
    waited_out: list[bool] = []
    append = store.append_text

    def stalling_append(*args: Any, **kwargs: Any) -> None:
        if not release.is_set():
            stalled.set()
            # A disk that stalls until the stream has gone on without it (or gives up waiting).
            waited_out.append(not release.wait(10))
        append(*args, **kwargs)

    monkeypatch.setattr(store, "append_text", stalling_append)
    cid = store.new_conversation(["groq/drip-60"])
    ex = Exchange(runtime, "groq/drip-60", [ChatMessage("user", "hi")], conversation_id=cid)
    during = 0
    async for event in ex.run():
        if isinstance(event, TextDelta) and stalled.is_set() and not release.is_set():
            during += 1
            if during == 20:
                release.set()
    await runtime.aclose()
    assert waited_out == [False]  # tokens went on arriving while the save was stuck...
    assert during == 20  # ...and the stream released it
    [stored] = [m for m in store.messages(cid) if m.role == "assistant"]
    assert stored.status == "done" and stored.content == ex.stats.text and "w59" in stored.content


async def test_a_saved_part_ends_where_a_word_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part is indexed on its own: a word cut between two would be found by neither half."""
    monkeypatch.setattr("llmtui.core.answer_log.FLUSH_EVERY_S", 0)  # every piece starts a save
    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["a/b"])
    log = await AnswerLog.add(store, cid, lane=0, model="a/b", parent_id=None)
    saved: list[str] = []
    append = store.append_text
    monkeypatch.setattr(store, "append_text", lambda mid, seq, text, reasoning="", progress=None: (
        saved.append(text), append(mid, seq, text, reasoning, progress))[1])
    for piece in ("Hel", "lo wor", "ld, and ", "more"):
        await log.note(piece)
        await log.saved()
    # The first save comes at once (its figures), without "Hel": it waited for the rest of its
    # word, as "wor" did.
    assert saved == ["", "Hello ", "world, and "]
    whole = "Hello world, and more"
    record = AnswerRecord(whole, AnswerStatus.DONE, None, False, Cost(None), 0.1, 0.2)
    assert await log.finish(record, model="a/b") is None
    assert store.message(log.message_id).content == whole  # type: ignore[arg-type, union-attr]
