"""A blind round before its vote names no model in history or export; after the vote it does.

The tester's repro: `llmtui history` listed "zeta/fast vs acme/pricey" while A was zeta/fast
(the first round's draw), 8 sessions of 8.
"""

from __future__ import annotations

from tests.conftest import run_cli
from tests.screens.harness import screen_text
from tests.screens.helpers import answered, groq_config, make_app, send, until

ALPHA, BETA = "groq/alpha", "groq/beta"
PRICES = ('\n[prices."groq/alpha"]\ninput = 0.59\noutput = 0.79\n'
          '[prices."groq/beta"]\ninput = 15\noutput = 75\n')
TELLS = ("alpha", "beta", "groq", "0.59", "0.79", "served by")


def outside_views(conversation_id: int) -> dict[str, str]:
    """What another shell sees meanwhile: the history list, JSON, show, and the export."""
    listed = run_cli("history")
    as_json = run_cli("history", "--json")
    shown = run_cli("history", "show", str(conversation_id))
    exported = run_cli("export", str(conversation_id), "-o", "-")
    for result in (listed, as_json, shown, exported):
        assert result.returncode == 0, result.stderr
    return {"history": listed.stdout, "json": as_json.stdout, "show": shown.stdout,
            "export": exported.stdout}


async def test_history_and_export_name_no_model_until_the_vote(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch, PRICES)
    app = make_app(compare=(ALPHA, BETA), blind=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "which is kinder")
        screen = await answered(pilot)
        conversation_id = screen.session.conversation_id
        assert conversation_id is not None
        before = outside_views(conversation_id)
        for where, text in before.items():
            for tell in TELLS:
                assert tell not in text, (where, tell)
        assert "blind: 2 models" in before["history"] and "blind: 2 models" in before["show"]
        assert '"models_hidden_until_vote": true' in before["json"]
        assert "Model A" in before["show"] and "Model B" in before["show"]
        assert "not voted yet" in before["export"]

        await pilot.press("ctrl+o")  # the History screen, as the user opens it
        # its list loads in a worker that may not have started yet: wait for the row itself
        await until(pilot, lambda: "blind: 2 models" in screen_text(app))
        listed = screen_text(app)
        for tell in ("alpha", "beta", "groq"):
            assert tell not in listed, tell
        await pilot.press("escape")
        await pilot.pause()

        turn = screen.session.turns[-1]
        await pilot.press("f5")
        await until(pilot, lambda: turn.voted)
        await pilot.pause()
    after = outside_views(conversation_id)
    assert ALPHA in after["history"] and BETA in after["history"]
    assert "blind: 2 models" not in after["history"]
    a, b = turn.refs
    assert f"A was {a}, B was {b}" in after["show"] and f"A was {a}" in after["export"]
    assert "not voted yet" not in after["export"]
