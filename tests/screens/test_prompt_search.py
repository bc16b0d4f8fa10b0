"""alt+r searches the prompts you sent in every conversation (a real store file, the real FTS
index): Enter puts the prompt in the box without sending it, Esc leaves the draft as it was."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from textual.widgets import OptionList

from llmtui.core.store import Store
from llmtui.core.store.search import PREVIEW_CHARS, PROMPT_HITS
from llmtui.screens.help import HelpScreen
from llmtui.screens.main import MainScreen
from llmtui.screens.prompt_search import PromptSearchScreen
from llmtui.widgets.prompt_input import PromptInput
from tests.screens.helpers import booted, make_app, until

LONG = "python " + "x" * 5000


def seed() -> None:
    store = Store()
    first = store.new_conversation(["demo/simulated"])
    store.add_message(first, "user", "how do I reverse a list in python")
    store.add_message(first, "assistant", "In python use reversed(); pythonic and short.")
    store.add_message(first, "user", "write a haiku about rust")
    second = store.new_conversation(["demo/simulated"], title="Decorators")
    store.add_message(second, "user", "python decorators explained")
    store.add_message(second, "user", "how do I reverse a list in python")  # sent again: one hit
    store.close()


def test_search_finds_user_prompts_by_word_prefix_across_conversations() -> None:
    seed()
    store = Store()
    hits = store.search_prompts("pyth")
    assert [h.preview for h in hits] == ["how do I reverse a list in python", "python decorators explained"]
    assert hits[0].conversation == "Decorators"  # where it was sent last
    assert [h.preview for h in store.search_prompts("")] == [
        "how do I reverse a list in python", "python decorators explained", "write a haiku about rust"]
    assert store.search_prompts("pythonic") == []  # only in an answer: not a prompt
    assert store.search_prompts('"*) OR (') == []  # FTS syntax from the user is just words


def test_search_is_bounded_and_previews_long_prompts() -> None:
    store = Store()
    conversation = store.new_conversation(["demo/simulated"])
    for i in range(PROMPT_HITS + 5):
        store.add_message(conversation, "user", f"python question {i}")
    long_id = store.add_message(conversation, "user", LONG)
    hits = store.search_prompts("python")
    assert len(hits) == PROMPT_HITS
    assert hits[0].message_id == long_id and len(hits[0].preview) == PREVIEW_CHARS
    assert store.prompt_text(long_id) == LONG


async def open_search(pilot: Pilot[object], draft: str) -> tuple[MainScreen, PromptInput]:
    """Boot, type a draft, press alt+r and wait for the first (empty) search to show."""
    screen = await booted(pilot)
    box = screen.query_one(PromptInput)
    box.insert(draft)
    # As a terminal sends it: alt+r carries the character "r" (pilot.press("alt+r") does not),
    # which the prompt box would type unless the binding comes first.
    pilot.app.post_message(events.Key("alt+r", "r"))
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, PromptSearchScreen) and app.screen.searched == "")
    return screen, box


async def test_alt_r_enter_puts_the_prompt_in_the_box_without_sending() -> None:
    seed()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen, box = await open_search(pilot, "my draft")
        await pilot.press(*"pyth")
        search = app.screen
        assert isinstance(search, PromptSearchScreen)
        await until(pilot, lambda: search.searched == "pyth")
        assert search.query_one(OptionList).option_count == 2
        app.post_message(events.Key("alt+r", "r"))  # again: the next older one, as in a shell
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, PromptSearchScreen))
        assert box.text == "python decorators explained"  # the draft replaced, no stray "r"
        assert box.has_focus
        assert screen.session.turns == []  # in the box, not sent


async def test_esc_keeps_the_draft() -> None:
    seed()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        _, box = await open_search(pilot, "half a thought")
        await pilot.press(*"haiku", "escape")
        await until(pilot, lambda: not isinstance(app.screen, PromptSearchScreen))
        assert box.text == "half a thought"  # exactly as typed: no "r" from the key


async def test_help_and_palette_name_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await booted(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert any(key == "alt+r" and "prompts you sent" in text for _, key, text in help_screen.rows)
        await pilot.press("escape")
        commands = [c.title for c in app.get_system_commands(app.main)]
        assert "Search your prompts" in commands
