"""What a recovery file (core/recovery.py) holds: the answer with the prompt that asked for
it, so the file stands on its own, every piece harmless on a terminal."""

from __future__ import annotations

from llmtui.core import recovery


def test_the_file_holds_the_prompt_its_files_the_thinking_and_the_answer() -> None:
    where = recovery.save_answer("the \x1b]52;c;answer\x07 text", model="a/b", why="disk\nfull",
                                 reasoning="a thought\x1b[2J", prompt="why is the sky \x1b[31mblue?\n",
                                 attached=["sky\x1b.png"])
    assert where is not None
    body = where.read_text()
    assert "\x1b" not in body and "\x07" not in body
    assert body.endswith("why: disk full\n\n## Prompt\n\nwhy is the sky ␛[31mblue?\n\n\n"
                         "attached: sky␛.png\n\n## Thinking\n\na thought␛[2J\n\n"
                         "## Answer\n\nthe ␛]52;c;answer␇ text\n")


def test_without_a_prompt_the_file_is_the_answer() -> None:
    where = recovery.save_answer("just this", model="a/b", why="x")
    assert where is not None and where.read_text().endswith("why: x\n\njust this\n")
