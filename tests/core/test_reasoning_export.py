"""Export of reasoning answers: thinking folded in <details>, the same figures as `ask --json`."""

from __future__ import annotations

import json
import re

import pytest

from llmtui.core.store import Store
from llmtui.core.transfer import read_json
from tests.conftest import run_cli
from tests.fakes.reasoning_fake import ANSWER, THOUGHT

ENV = {"DEEPSEEK_API_KEY": "sk-test-123"}


def _ask(write_config, fake_url: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    write_config(f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n')
    result = run_cli("ask", "--json", "-m", "deepseek/r-deepseek-40", "hi", env=ENV)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_markdown_folds_thinking_and_repeats_the_ask_figures(write_config, fake_url) -> None:  # type: ignore[no-untyped-def]
    data = _ask(write_config, fake_url)
    markdown = run_cli("export", "--last", "-o", "-").stdout
    block = re.search(r"<details>\n<summary>Thinking \((.*?)\)</summary>\n\n(.*?)\n\n</details>", markdown, re.S)
    assert block is not None, markdown
    assert block.group(2) == "".join(THOUGHT)
    assert block.group(1) == f"{data['thinking_s']:.1f} s, {len(THOUGHT)} tokens"
    # The figures in the footer are the ones `ask --json` printed (one arithmetic everywhere).
    assert f"TTFT {data['ttft_s']:.2f} s · answer {data['answer_ttft_s']:.2f} s" in markdown
    assert f"{data['tokens_per_s']:.1f} tok/s" in markdown
    assert markdown.index("</details>") < markdown.index("".join(ANSWER))
    plain = run_cli("export", "--last", "--no-reasoning", "-o", "-").stdout
    assert "<details>" not in plain and "".join(THOUGHT) not in plain and "".join(ANSWER) in plain


def test_json_export_round_trips_the_thinking(write_config, fake_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = _ask(write_config, fake_url)
    exported = json.loads(run_cli("export", "--last", "--format", "json", "-o", "-").stdout)
    [answer] = [m for m in exported["messages"] if m["role"] == "assistant"]
    assert answer["reasoning"] == data["reasoning"]
    assert answer["thinking_s"] == pytest.approx(data["thinking_s"], abs=1e-4)  # ask --json rounds
    [imported] = read_json(exported)
    store = Store(tmp_path / "again.sqlite3")
    cid = store.import_conversation(imported.header, imported.messages)
    [again] = [m for m in store.messages(cid) if m.role == "assistant"]
    assert (again.reasoning, again.reasoning_tokens) == (data["reasoning"], len(THOUGHT))
    assert again.answer_ttft_s == answer["answer_ttft_s"]
    quiet = json.loads(run_cli("export", "--last", "--format", "json", "--no-reasoning", "-o", "-").stdout)
    assert all("reasoning" not in m for m in quiet["messages"])


def test_a_thought_cannot_break_out_of_its_block(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from llmtui.core.export_figures import thinking_block
    from llmtui.core.store import StoredMessage

    m = StoredMessage(1, 1, 0, None, "assistant", "ok", "a/b", "done", 0.0, 1, 2, 0, False, None, False,
                      None, 0.1, 1.0, None, None, None, None, reasoning="x</details><script>&")
    assert "x&lt;/details>&lt;script>&amp;" in thinking_block(m)


def test_what_an_answer_was_asked_to_think_with_is_kept_and_exported(write_config, fake_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n')
    result = run_cli("ask", "-m", "deepseek/r-deepseek", "--reasoning-effort", "high", "hi", env=ENV)
    assert result.returncode == 0, result.stderr
    markdown = run_cli("export", "--last", "-o", "-").stdout
    assert re.search(r"\*deepseek/r-deepseek · .* · effort: high\*", markdown), markdown
    exported = json.loads(run_cli("export", "--last", "--format", "json", "-o", "-").stdout)
    [answer] = [m for m in exported["messages"] if m["role"] == "assistant"]
    assert (answer["reasoning_effort"], answer["thinking_budget"]) == ("high", None)
    answer.update(reasoning_effort="extreme", thinking_budget=-1)  # a foreign file: not trusted
    [imported] = read_json(exported)
    store = Store(tmp_path / "again.sqlite3")
    [again] = [m for m in store.messages(store.import_conversation(imported.header, imported.messages))
               if m.role == "assistant"]
    assert (again.reasoning_effort, again.thinking_budget) == (None, None)
    answer.update(reasoning_effort="low", thinking_budget=4000)
    [imported] = read_json(exported)
    [again] = [m for m in store.messages(store.import_conversation(imported.header, imported.messages))
               if m.role == "assistant"]
    assert (again.reasoning_effort, again.thinking_budget) == ("low", 4000)


REDACTED_NOTE = "_Part of the thinking was redacted by the provider._"


def test_thinking_the_provider_redacted_is_noted_in_the_export(write_config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Anthropic's `redacted_thinking` block: the answer keeps that it came (schema v13), and
    the export says so under the thinking; JSON carries the flag and an import keeps it."""
    from tests.fakes.anthropic_fake import start_anthropic_fake

    server, _ = start_anthropic_fake()
    try:
        write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n')
        result = run_cli("ask", "-m", "anthropic/thinking", "hi", env={"ANTHROPIC_API_KEY": "sk-ant-test"})
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    markdown = run_cli("export", "--last", "-o", "-").stdout
    assert f"</details>\n\n{REDACTED_NOTE}\n\nHello from Claude!" in markdown, markdown
    assert REDACTED_NOTE not in run_cli("export", "--last", "--no-reasoning", "-o", "-").stdout
    exported = json.loads(run_cli("export", "--last", "--format", "json", "-o", "-").stdout)
    [answer] = [m for m in exported["messages"] if m["role"] == "assistant"]
    assert answer["reasoning_redacted"] is True
    [imported] = read_json(exported)
    store = Store(tmp_path / "again.sqlite3")
    cid = store.import_conversation(imported.header, imported.messages)
    assert [m.reasoning_redacted for m in store.messages(cid)] == [False, True]


def test_thinking_nobody_redacted_has_no_note(write_config, fake_url) -> None:  # type: ignore[no-untyped-def]
    _ask(write_config, fake_url)
    markdown = run_cli("export", "--last", "-o", "-").stdout
    assert "<details>" in markdown and "redacted" not in markdown


def test_a_blind_round_says_nothing_of_redaction_until_its_vote(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Only some providers redact: before the vote the note would name the side's provider."""
    from dataclasses import replace

    from llmtui.core.export import conversation_markdown
    from llmtui.core.store import Choice, Vote
    from tests.core.store_records import answer

    a, b = "anthropic/claude-sonnet-4-5", "deepseek/r1"
    store = Store(tmp_path / "blind.sqlite3")
    cid = store.new_conversation([a, b], mode="compare", blind=True)
    prompt = store.add_message(cid, "user", "Which is better?")
    for lane, model in enumerate((a, b)):
        mid = store.add_message(cid, "assistant", "", lane=lane, model=model, parent_id=prompt)
        store.finish_message(mid, replace(answer("fine"), reasoning="hmm", reasoning_redacted=lane == 0))
    assert REDACTED_NOTE not in conversation_markdown(store, cid)
    store.record_vote(Vote(a, b, Choice.A, True, cid, prompt))
    assert conversation_markdown(store, cid).count(REDACTED_NOTE) == 1
    store.close()
