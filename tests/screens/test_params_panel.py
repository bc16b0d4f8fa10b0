"""The parameters panel (alt+p, F12): per-lane sampling, checked in one line, shown on the lane, sent,
stored, exported and restored; a blind compare's panel tells the lanes' providers apart in no way."""

from __future__ import annotations

import json

from textual.widgets import Input, RadioButton, Static

from llmtui.core.export import conversation_markdown
from llmtui.core.sampling import Sampling
from llmtui.core.store import Store
from llmtui.screens.params import ParamsScreen
from tests.screens.harness import screen_text
from tests.screens.helpers import answered, booted, groq_config, make_app, send, until


async def _open_panel(pilot, app, key: str = "alt+p") -> ParamsScreen:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, ParamsScreen))
    return app.screen  # type: ignore[no-any-return]


async def test_a_lanes_own_parameters_are_checked_shown_sent_stored_and_exported(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch, openai_server) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=("groq/lane-a", "demo/simulated-fast"))
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await booted(pilot)
        panel = await _open_panel(pilot, app)
        assert "Lane A: groq/lane-a" in screen_text(app)
        temperature = panel.query_one("#param-temperature", Input)
        temperature.value = "3"
        panel.query_one("#param-seed", Input).value = "5"
        await pilot.press("enter")
        await pilot.pause()
        # one line, the panel stays open, nothing typed is lost, the bad field has the focus
        error = str(panel.query_one("#params-error", Static).render())
        assert error == "⚠ temperature must be a number from 0 to 2, got '3'"
        assert app.screen is panel and temperature.value == "3" and temperature.has_focus
        assert panel.query_one("#param-seed", Input).value == "5"
        temperature.value = "0.4"
        panel.query_one("#param-top_p", Input).value = "0.8"
        panel.query_one("#param-stop", Input).value = 'END | "\\n\\n"'
        panel.query_one("#scope-lane", RadioButton).value = True  # this lane only
        await pilot.pause()
        panel.query_one("#param-top_p", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        wanted = Sampling(temperature=0.4, top_p=0.8, seed=5, stop=("END", "\n\n"))
        assert screen.session.lane_sampling == {"groq/lane-a": wanted}
        assert "groq/lane-a · t0.4 p0.8 seed 5 2 stops" in screen_text(app)  # the lane's title
        await send(pilot, "hi")
        await answered(pilot)
        assert "groq/lane-a · t0.4 p0.8 seed 5 2 stops" in screen_text(app)  # still, after a turn
        conversation_id = screen.session.conversation_id
    bodies = [r.json() for r in openai_server[0].requests
              if r.path.endswith("/chat/completions") and r.json().get("model") == "lane-a"]
    sent = bodies[-1]
    assert (sent["temperature"], sent["top_p"], sent["seed"], sent["stop"]) == (0.4, 0.8, 5, ["END", "\n\n"])
    store = Store()
    answers = {m.model: m for m in store.messages(conversation_id) if m.role == "assistant"}  # type: ignore[arg-type]
    assert json.loads(answers["groq/lane-a"].params or "") == {
        "temperature": 0.4, "top_p": 0.8, "seed": 5, "stop": ["END", "\n\n"]}
    assert answers["demo/simulated-fast"].params is None  # the other lane was not given any
    assert "sent with t0.4 p0.8 seed 5 2 stops" in conversation_markdown(store, conversation_id)  # type: ignore[arg-type]

    # Reopened, the conversation goes on with the parameters its answers were sent with.
    reopened = make_app(resume=conversation_id)
    async with reopened.run_test(size=(160, 48)) as pilot:
        screen = await booted(pilot)
        assert screen.session.sampling_for("groq/lane-a") == wanted
        assert screen.session.sampling_for("demo/simulated-fast") == Sampling()


async def test_every_lane_and_the_chat_model_bar(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/lane-a")
    async with app.run_test(size=(80, 30)) as pilot:
        screen = await booted(pilot)
        panel = await _open_panel(pilot, app)
        assert not panel.query("#params-scope")  # one model: nothing to choose
        panel.query_one("#param-max_tokens", Input).value = "300"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        assert screen.session.sampling == Sampling(max_tokens=300)
        assert "max 300" in str(screen.query_one("#model-bar", Static).render())
        await pilot.press("escape")  # nothing streaming: a no-op, the panel is gone for good
        panel = await _open_panel(pilot, app, "f12")
        assert panel.query_one("#param-max_tokens", Input).value == "300"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.session.sampling == Sampling(max_tokens=300)  # Esc saved nothing


async def test_a_blind_compares_panel_does_not_tell_the_lanes_apart() -> None:
    app = make_app(compare=("anthropic/claude-sonnet-4-5", "groq/llama-3.3-70b-versatile"), blind=True)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await booted(pilot)
        panel = await _open_panel(pilot, app)
        # Everything the panel says (the catalog behind it lists providers, as it always does).
        shown = " ".join([str(w.render()) for w in panel.query(Static)] +
                         [f"{i.value} {i.placeholder}" for i in panel.query(Input)])
        assert "Both lanes" in shown
        for leak in ("anthropic", "Anthropic", "Claude", "groq", "Groq", "takes", "not sent"):
            assert leak not in shown
        assert not panel.query("#params-scope")  # no "this lane": A and B are sent the same
        panel.query_one("#param-seed", Input).value = "11"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        assert screen.session.lane_sampling == {}
        assert {screen.session.sampling_for(ref) for ref in screen.session.models} == {Sampling(seed=11)}
