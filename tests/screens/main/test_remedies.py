"""An error's remedy on screen names the key its binding has now, after a [keymap] change."""

from __future__ import annotations

from tests.screens.helpers import answered, groq_config, make_app, send


async def test_missing_key_hint_names_the_rebound_keys_binding(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch, extra='\n[keymap]\n"app.keys" = "f11"\n')
    monkeypatch.delenv("GROQ_API_KEY")
    app = make_app(model="groq/ok")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        notice = str(app.main.views[screen.session.turns[-1].lanes[0]].query_one(".notice").render())
        assert "no key for groq" in notice
        assert "press f11 to add or replace the key" in notice and "^k" not in notice


async def test_budget_refusal_gives_its_advice_once(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch, extra="\n[budget]\ndaily_usd = 0\n")
    app = make_app(model="groq/ok")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        notice = str(app.main.views[screen.session.turns[-1].lanes[0]].query_one(".notice").render())
        assert "daily spending limit $0 reached" in notice
        assert notice.count("[budget] daily_usd") == 1 and notice.count("raise") == 1
        # A request that was never sent costs nothing, on screen as in the store (M14).
        assert screen.session.turns[-1].lanes[0].stats.cost_now().display() == "$0"  # type: ignore[union-attr]
