"""A notice in a blind round must not name the model (issue 14): a notice that would (here:
"groq/alpha: whether it takes images is not known") shows the side's label instead, and the
full text after the vote is not needed to judge. Unit: present.arena.unnamed."""

from __future__ import annotations

from pathlib import Path

from llmtui.present.arena import unnamed
from tests.cli.test_attach import png
from tests.screens.helpers import answered, booted, groq_config, make_app, record_notices, until

ALPHA, BETA = "groq/alpha", "groq/beta"


def test_unnamed_replaces_every_name_any_case() -> None:
    text = "groq/alpha: whether it takes images is not known; Groq says ALPHA is fine"
    assert unnamed(text, [ALPHA, "alpha", "groq", "Groq"], "Model A") == (
        "Model A: whether it takes images is not known; Model A says Model A is fine")


async def test_a_blind_rounds_notice_says_a_or_b(write_config, fake_url: str, monkeypatch,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    notices = record_notices(monkeypatch)
    shot = tmp_path / "shot.png"
    shot.write_bytes(png(32, 32))
    app = make_app(compare=(ALPHA, BETA), blind=True)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        prompt.text = str(shot)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.session.turns) or bool(
            screen.query("AttachmentChip")))
        prompt.text = "what is in this picture?"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await answered(pilot)
    about_images = {n for n in notices if "takes images" in n}  # shown live, again at the end
    assert len(about_images) == 2, notices
    for notice in about_images:
        assert "alpha" not in notice.lower() and "beta" not in notice.lower()
        assert "groq" not in notice.lower()
    assert sorted(n.split(":")[0] for n in about_images) == ["⚠ Model A", "⚠ Model B"]
