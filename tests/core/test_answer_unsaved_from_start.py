"""M4 at the START of an answer: the store fails as the answer's row is created (disk full).
The answer still streams, every token is kept, a recovery file (0600) gets it when it ends,
and two Notices say so: one at once, one naming the file. The charge is still settled."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from llmtui.core.config import parse_config
from llmtui.core.exchange import Exchange
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import ChatMessage, Notice, StreamDone, TextDelta
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer


class FullAtTheAnswer(Store):
    """A real store whose disk fills just as an answer's row is first written."""

    def add_message(self, conversation_id: int, role: str, content: str, **kw: Any) -> int:
        if role == "assistant":
            raise sqlite3.OperationalError("database or disk is full")
        return super().add_message(conversation_id, role, content, **kw)


@pytest.fixture
def server() -> Any:
    s = FakeServer(OpenAIFake()).start()
    yield s
    s.stop()


async def test_the_answer_streams_and_goes_to_a_recovery_file(server: FakeServer, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "k")
    config = parse_config(f'[providers.groq]\nbase_url = "{server.url}/v1"\n[network]\nmax_retries = 0\n',
                          tmp_path / "c.toml")
    store = FullAtTheAnswer(tmp_path / "s.sqlite3")
    runtime = Runtime(config, store)
    cid = store.new_conversation(["groq/long-3000"])
    prompt_id = store.add_message(cid, "user", "hi, tell me a long one")
    history = [ChatMessage("user", "earlier"), ChatMessage("assistant", "sure"),
               ChatMessage("user", "hi, tell me a long one")]
    ex = Exchange(runtime, "groq/long-3000", history, conversation_id=cid, parent_id=prompt_id)
    events = [e async for e in ex.run()]
    await runtime.aclose()
    assert isinstance(events[-1], StreamDone), events[-1]
    shown = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert shown == ex.stats.text and ex.stats.text.count("w") == 3000  # every token streamed
    first, last = [e.text for e in events if isinstance(e, Notice)]
    assert events.index(next(e for e in events if isinstance(e, Notice))) < events.index(
        next(e for e in events if isinstance(e, TextDelta)))  # said before the text
    assert first.startswith("cannot save this answer to the history (database or disk is full)")
    assert "could not save this answer to the history (database or disk is full)" in last
    recovered = Path(last.rsplit("it was written to ", 1)[1])
    assert stat.S_IMODE(recovered.stat().st_mode) == 0o600
    assert ex.stats.text.strip() in recovered.read_text()
    assert "## Prompt\n\nhi, tell me a long one\n\n## Answer\n\n" in recovered.read_text()  # the one asked
    (charge,) = store.charges()
    assert charge.state == "settled"  # the ledger still knows what it cost
    assert [m.role for m in store.messages(cid)] == ["user"]  # no half-made row
