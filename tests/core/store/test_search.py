"""Store.search and Store.search_prompts over a real store file: what typed text matches."""

from __future__ import annotations

from pathlib import Path

from llmtui.core.store import Store


def seeded(tmp_path: Path) -> tuple[Store, int, int]:
    store = Store(tmp_path / "search.sqlite3")
    soup = store.new_conversation(["groq/x"], title="Soup")
    store.add_message(soup, "user", "How do I make tomato soup?")
    rust = store.new_conversation(["openai/x"], title="Rust 100% safe")
    store.add_message(rust, "user", "Explain borrow checking")
    return store, soup, rust


def test_text_with_no_words_matches_nothing(tmp_path: Path) -> None:
    """Quotes and punctuation are not words: nothing matches them (it used to list everything)."""
    store, soup, rust = seeded(tmp_path)
    for query in ('"', '""', '" "', "!!!", "_"):
        assert store.search(query) == [], query
        assert store.search_prompts(query) == [], query
    assert {c.id for c in store.search("  ")} == {soup, rust}  # nothing typed: every conversation
    assert len(store.search_prompts("  ")) == 2
    store.close()


def test_a_title_matches_as_typed_without_like_wildcards(tmp_path: Path) -> None:
    store, soup, rust = seeded(tmp_path)
    assert [c.id for c in store.search("%")] == [rust]  # a literal percent sign, not "anything"
    assert [c.id for c in store.search("100% s")] == [rust]
    assert [c.id for c in store.search("tomato")] == [soup]
    store.close()


def test_a_pasted_paragraph_of_a_query_wants_every_word(tmp_path: Path) -> None:
    """Over 500 words made SQLite refuse the query (told to the user as a damaged store) and the
    History screen list everything: every word is still wanted, however many (tester item 2)."""
    store = Store(tmp_path / "search.sqlite3")
    words = [f"w{i:06d}" for i in range(1, 1251)]
    some = store.new_conversation(["groq/x"], title="some")
    store.add_message(some, "user", " ".join(words[:38]))
    every = store.new_conversation(["groq/x"], title="every")
    store.add_message(every, "assistant", " ".join(words))
    for n in (38, 500, 501, 1250):
        expected = {some, every} if n <= 38 else {every}
        assert {c.id for c in store.search(" ".join(words[:n]))} == expected, n
        assert set(store.search_snippets(" ".join(words[:n]), [some, every])) == expected, n
    assert store.search(" ".join([*words, "absent"])) == []
    assert store.search(" ".join(["w000001"] * 2000)) != []  # the same word twice is one word
    store.close()
