"""Pilot tests of attachments on the main screen, against the loopback OpenAI-compatible fake:
attach with the picker and with @path, remove a chip, send (the image reaches the server),
reopen (the image is resent with its prompt), a compare gives every lane the same files,
and a text-only model is refused before anything is sent."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from llmtui.screens.attach_file import AttachFileScreen
from llmtui.widgets.attachment_chips import AttachmentChip, AttachmentChips
from llmtui.widgets.transcript import Transcript
from tests.cli.test_attach import png
from tests.screens.helpers import answered, booted, groq_config, make_app, until

VISION = "groq/meta-llama/llama-4-scout-17b-16e-instruct"
TEXT_ONLY = "groq/llama-3.3-70b-versatile"


def chats(server) -> list:  # type: ignore[no-untyped-def]
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


def files(tmp_path: Path) -> tuple[Path, Path]:
    shot, notes = tmp_path / "shot.png", tmp_path / "notes.txt"
    shot.write_bytes(png(64, 64))
    notes.write_text("some notes")
    return shot, notes


async def test_attach_remove_send_reopen(write_config, fake_url: str, openai_server, monkeypatch,  # type: ignore[no-untyped-def]
                                         tmp_path: Path) -> None:
    server, _ = openai_server
    groq_config(write_config, fake_url, monkeypatch)
    shot, notes = files(tmp_path)
    app = make_app(model=VISION)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await booted(pilot)
        chips = screen.query_one(AttachmentChips)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, AttachFileScreen))
        app.screen.query_one(Input).value = str(shot)
        await pilot.press("enter")
        await until(pilot, lambda: len(chips.parts) == 1)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        monkeypatch.chdir(tmp_path)  # @path names files inside the working folder
        prompt.text = f"@{notes.name}"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: len(chips.parts) == 2)
        assert [p.name for p in chips.parts] == ["shot.png", "notes.txt"]
        assert [str(c.label).split(" · ")[0] for c in chips.query(AttachmentChip)] == ["shot.png", "notes.txt"]
        await pilot.click(chips.query(AttachmentChip).last())  # ✕: removes notes.txt
        await until(pilot, lambda: [p.name for p in chips.parts] == ["shot.png"])
        # Removing a chip hands focus back to the prompt (on its Changed message: wait for it).
        await until(pilot, lambda: app.focused is prompt)
        before = len(chats(server))
        prompt.text = "what is in this picture?"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await answered(pilot)
        sent = chats(server)[before:]
        assert len(sent) == 1
        content = sent[0].json()["messages"][-1]["content"]
        assert [p["type"] for p in content] == ["text", "image_url"]
        assert chips.parts == [] and not chips.has_class("-has-files")
        shown = screen.query_one(Transcript).turns[-1].prompt
        assert "[attached: shot.png · " in shown
        conversation = screen.session.conversation_id
        assert app.runtime.store.attachment_count() == 1

    reopened = make_app(model=VISION, resume=conversation)
    async with reopened.run_test(size=(120, 40)) as pilot:
        screen = await booted(pilot)
        await until(pilot, lambda: bool(screen.session.turns))
        assert screen.session.turns[0].parts[0].name == "shot.png"
        before = len(chats(server))
        prompt = screen.query_one("#prompt")
        prompt.focus()
        prompt.text = "and its colour?"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await answered(pilot)
        messages = chats(server)[before].json()["messages"]
        assert messages[0]["content"][1]["type"] == "image_url"  # resent with its prompt
        assert messages[-1]["content"] == "and its colour?"


async def test_text_only_model_refused_and_compare_shares_files(  # type: ignore[no-untyped-def]
        write_config, fake_url: str, openai_server, monkeypatch, tmp_path: Path) -> None:
    server, _ = openai_server
    groq_config(write_config, fake_url, monkeypatch)
    shot, _ = files(tmp_path)
    app = make_app(compare=[VISION, TEXT_ONLY])
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await booted(pilot)
        prompt = screen.query_one("#prompt")
        prompt.focus()
        prompt.text = str(shot)  # a pasted path attaches instead of sending
        await pilot.press("enter")
        await until(pilot, lambda: len(screen.query_one(AttachmentChips).parts) == 1)
        before = len(chats(server))
        prompt.text = "what is in this picture?"  # type: ignore[attr-defined]
        await pilot.press("enter")
        # One lane cannot see: the whole compare is refused before anything is sent or stored
        # (as the budget does); the draft and the chip stay.
        await until(pilot, lambda: any("takes no images" in n.message for n in app._notifications))
        said = next(n.message for n in app._notifications if "takes no images" in n.message)
        assert said.startswith(f"{TEXT_ONLY} takes no images")
        assert f"models that can: {VISION}" in said  # the lane in play that can, first
        assert "nothing was sent to any of the models" in said
        assert len(chats(server)) == before and not screen.session.turns
        assert prompt.text == "what is in this picture?"  # type: ignore[attr-defined]
        assert len(screen.query_one(AttachmentChips).parts) == 1
