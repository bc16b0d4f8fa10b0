"""A parameter a provider does not take is said once a run, and a blind compare holds the line
(it tells which provider a lane is) until the vote."""

from __future__ import annotations

from llmtui.core.config import load_config
from llmtui.core.runtime import Runtime
from llmtui.core.sampling import Sampling
from llmtui.core.session import ChatSession, Turn
from llmtui.providers.base import Notice

NOTE = "o3-mini (a reasoning model) refuses temperature: not sent"


async def _notices(session: ChatSession, turn: Turn) -> list[list[str]]:
    return [[e.text async for e in session.stream(turn, i) if isinstance(e, Notice)]
            for i in range(len(turn.lanes))]


async def test_said_once_a_run_and_held_in_a_blind_round(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.openai]\nbase_url = "{fake_url}/v1"\n\n[network]\nmax_retries = 0\n')
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123")
    runtime = Runtime(load_config())
    try:
        session = ChatSession(runtime, ["openai/o3-mini"], sampling=Sampling(temperature=0.2))
        assert await _notices(session, await session.send("one")) == [[NOTE]]
        assert await _notices(session, await session.send("two")) == [[]]  # not again

        blind = ChatSession(Runtime(runtime.config), ["openai/o3-mini", "demo/simulated-fast"],
                            blind=True, sampling=Sampling(temperature=0.2))
        turn = await blind.send("which")
        assert await _notices(blind, turn) == [[], []]  # nothing on screen names a side
        lane = next(lane for lane in turn.lanes if lane.ref == "openai/o3-mini")
        assert lane.held == [NOTE]
        assert lane.after_vote() == (f"⚠ {NOTE}", False)  # shown with the names, not as a failure
        await blind.runtime.aclose()
    finally:
        await runtime.aclose()
