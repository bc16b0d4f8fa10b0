"""The history screen over a real SQLite store file: list, search (FTS5), reopen, rename, delete."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable

from llmtui.core.store import Store
from llmtui.screens.history import HistoryScreen
from tests.screens.harness import ScreenApp, screen_text


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "history.sqlite3")
    yield s
    s.close()


def seed(store: Store) -> dict[str, int]:
    """Three conversations with fixed update times: compare newest, then rust, then soup."""
    soup = store.new_conversation(["groq/llama-3.3-70b-versatile"])
    store.add_message(soup, "user", "How do I make tomato soup?")
    store.add_message(soup, "assistant", "Roast the tomatoes with a zebra of garlic.", model="groq/x")
    rust = store.new_conversation(["openai/gpt-4o-mini"])
    store.add_message(rust, "user", "Explain borrow checking")
    store.add_message(rust, "assistant", "Ownership rules...", model="openai/gpt-4o-mini")
    store.add_message(rust, "user", "And lifetimes?")
    duel = store.new_conversation(["openai/gpt-4o-mini", "anthropic/claude-haiku"], title="Haiku duel")
    prompt = store.add_message(duel, "user", "Write a haiku about autumn")
    store.add_message(duel, "assistant", "Leaves fall", lane=0, model="openai/gpt-4o-mini",
                      parent_id=prompt)
    store.add_message(duel, "assistant", "Red maple", lane=1, model="anthropic/claude-haiku",
                      parent_id=prompt)
    for n, cid in enumerate((soup, rust, duel)):
        with store._tx() as db:
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (1_700_000_000 + n, cid))
    return {"soup": soup, "rust": rust, "duel": duel}


async def settle(app: ScreenApp, pilot, delay: float = 0.0) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(delay)
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def table(app: ScreenApp) -> DataTable:  # type: ignore[type-arg]
    return app.screen.query_one("#history-table", DataTable)


def row_ids(app: ScreenApp) -> list[int]:
    t = table(app)
    return [int(str(t.coordinate_to_cell_key((i, 0))[0].value)) for i in range(t.row_count)]


async def test_lists_newest_first_with_compare_sessions(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert row_ids(app) == [ids["duel"], ids["rust"], ids["soup"]]
        t = table(app)
        duel = [str(cell) for cell in t.get_row(str(ids["duel"]))]
        assert duel[0] == "Haiku duel" and duel[1] == "compare"
        assert duel[2] == "openai/gpt-4o-mini vs anthropic/claude-haiku" and duel[3] == "3"
        assert [str(c) for c in t.get_row(str(ids["rust"]))[:2]] == ["Explain borrow checking", "chat"]
        assert "Haiku duel" in screen_text(app)


async def test_search_as_you_type_finds_message_text(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"zebra")
        await settle(app, pilot, delay=0.5)
        assert row_ids(app) == [ids["soup"]]  # only in an answer's body, found by FTS5
        await pilot.press(*["backspace"] * 5, *"maple")
        await settle(app, pilot, delay=0.5)
        assert row_ids(app) == [ids["duel"]]
        await pilot.press(*["backspace"] * 5, *"nothing-like-this")
        await settle(app, pilot, delay=0.5)
        assert row_ids(app) == []
        assert "No matches." in screen_text(app)


async def test_a_search_of_only_quotes_shows_no_rows(store: Store) -> None:
    seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *'""')
        await settle(app, pilot, delay=0.5)
        assert row_ids(app) == []
        assert "No matches." in screen_text(app)


async def test_at_80_columns_every_column_shows_and_the_title_takes_the_rest(store: Store) -> None:
    """The title column was 60 wide whatever the terminal: at 80 columns Msgs and Updated were
    off screen and Models cut to a few letters. Now each column fits, a long title ends in "…",
    and a wider terminal gives the title (and models) the room."""
    ids = seed(store)
    store.rename(ids["soup"], "How do I make a really good tomato soup with roasted garlic for twenty")
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        t = table(app)
        widths = {key.value: column.get_render_width(t) for key, column in t.columns.items()}
        assert sum(widths.values()) <= t.size.width - t.styles.scrollbar_size_vertical
        shown = screen_text(app)
        assert "Updated" in shown and "Msgs" in shown and "How do I make a really go" in shown
        duel = shown[shown.index("Haiku duel"):].split("\n")[0]
        assert re.search(r"compare +openai/gpt-4o… +3 +\d{4}-\d\d-\d\d \d\d:\d\d", duel), duel
        assert "twenty" not in shown  # the title is cut to its column, not the other columns
        narrow = widths["title"]
        await pilot.press("down")
        chosen = app.screen.selected_id  # type: ignore[attr-defined]
        await pilot.resize_terminal(160, 24)
        await settle(app, pilot)
        assert app.screen.selected_id == chosen == ids["rust"]  # type: ignore[attr-defined]
        assert table(app).columns[t.columns["title"].key].get_render_width(t) > narrow
        assert "for twenty" in screen_text(app)


async def test_enter_reopens_with_the_id(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == [ids["rust"]]


async def test_escape_dismisses_with_none(store: Store) -> None:
    seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_rename(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "f2")
        await pilot.pause()
        await pilot.press("ctrl+u", *"Rust notes", "enter")
        await settle(app, pilot)
        assert store.conversation(ids["rust"]).title == "Rust notes"  # type: ignore[union-attr]
        assert str(table(app).get_row(str(ids["rust"]))[0]) == "Rust notes"


async def test_delete_asks_first(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")
        await settle(app, pilot)
        assert store.conversation(ids["duel"]) is not None
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert store.conversation(ids["duel"]) is None
        assert store.messages(ids["duel"]) == []
        assert "2 conversations ·" in screen_text(app)  # the count follows the delete
        assert row_ids(app) == [ids["rust"], ids["soup"]]
        assert store.search("maple") == []


async def test_thousands_of_conversations_load_fast(store: Store) -> None:
    now = time.time()
    with store._tx() as db:
        db.executemany(
            "INSERT INTO conversations (title, mode, models, created_at, updated_at) "
            "VALUES (?, 'chat', '[\"demo/simulated\"]', ?, ?)",
            [(f"conversation {i}", now + i, now + i) for i in range(3000)],
        )
        db.executemany(
            "INSERT INTO messages (conversation_id, role, content, created_at) VALUES (?, 'user', ?, ?)",
            [(i + 1, f"message number {i}", now) for i in range(3000)],
        )
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        started = time.perf_counter()
        await settle(app, pilot)
        elapsed = time.perf_counter() - started
        assert table(app).row_count == 2000
        assert row_ids(app)[0] == 3000
        print(f"history: 3000 conversations, first 2000 shown in {elapsed:.2f} s")
        assert elapsed < 5, elapsed
        assert len(app.screen.query("*")) < 40  # one table, not a widget per row


async def test_search_then_down_and_enter_opens_the_match(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"borrow")
        await settle(app, pilot, delay=0.5)
        assert row_ids(app) == [ids["rust"]]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == [ids["rust"]]


async def test_titles_with_markup_characters_show_as_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from llmtui.core.store import Store
    from llmtui.screens.history import HistoryScreen
    from tests.screens.harness import ScreenApp

    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["demo/simulated"])
    store.add_message(cid, "user", "what does [/] do with list[int] and [@click=app.quit]x[/]?")
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(0.5)
        assert app.is_running
        table = app.screen.query_one("#history-table")
        cell = table.get_cell(str(cid), "title")  # type: ignore[attr-defined]
        assert "list[int]" in str(cell) and "[/]" in str(cell)


async def test_typing_on_the_table_searches_and_shows_a_snippet_of_the_match(store: Store) -> None:
    ids = seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.focused is table(app)
        await pilot.press(*"zebra")  # no slash: the first key starts the search
        await settle(app, pilot, delay=0.5)
        assert row_ids(app) == [ids["soup"]]
        title = table(app).get_row(str(ids["soup"]))[0]
        assert str(title).splitlines() == ["How do I make tomato soup?",
                                           "Roast the tomatoes with a zebra of garlic."]
        assert any("reverse" in str(span.style) and str(title)[span.start:span.end] == "zebra"
                   for span in title.spans)  # type: ignore[attr-defined]
        assert "Roast the tomatoes with a zebra" in screen_text(app)


async def test_delete_dialog_defaults_to_cancel_and_shows_its_whole_question(store: Store) -> None:
    store.new_conversation(["demo/simulated"], title="throwaway notes from a long afternoon")
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        assert "This cannot be undone." in screen_text(app)
        await pilot.press("enter")  # a stray Enter after d
        await settle(app, pilot)
        assert len(store.conversations()) == 1


async def test_a_blind_compare_is_labelled_blind() -> None:
    store = Store()
    cid = store.new_conversation(["openai/a", "groq/b"], blind=True, title="duel")
    store.add_message(cid, "user", "hi")
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "blind compare" in screen_text(app)
    store.close()


async def test_typing_a_search_starting_with_r_or_d_never_renames_or_deletes(store: Store) -> None:
    """Issue 18: "r", "e", "d" + Enter renamed the newest conversation to "ed"; now letters search."""
    ids = seed(store)
    titles = {cid: store.conversation(cid).title for cid in ids.values()}  # type: ignore[union-attr]
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        for key in ("r", "e", "d"):  # one key at a time, as a person types
            await pilot.press(key)
            await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot, delay=0.5)
        assert app.screen.query_one("#history-search").value == "red"  # type: ignore[attr-defined]
        assert isinstance(app.screen, HistoryScreen)  # no rename or delete dialog opened
        assert row_ids(app) == [ids["duel"]]  # "Red maple" matched
        assert {cid: store.conversation(cid).title for cid in ids.values()} == titles  # type: ignore[union-attr]
        assert "F2 rename · Del delete" in screen_text(app)


async def test_at_80_columns_the_hints_line_is_whole(store: Store) -> None:
    """Issue 18: at 80 columns the hints line was cut off (the delete and close hints were lost)."""
    seed(store)
    app = ScreenApp(lambda: HistoryScreen(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = " ".join(screen_text(app).split())
        assert "F2 rename · Del delete · esc close" in text
