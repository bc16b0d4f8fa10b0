"""Markdown export: chat transcripts, compare sessions, the CLI, and what never gets out."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmtui.core.export import conversation_markdown, export_conversation
from llmtui.core.store import Choice, Store, Vote
from tests.conftest import run_cli
from tests.core.store_records import answer

DISTINCTIVE = "gsk_NeverInAnExport_7c1f2e9d"


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()  # the default file under the test's XDG_DATA_HOME, as the CLI opens it
    yield s
    s.close()


def chat(store: Store) -> int:
    cid = store.new_conversation(["groq/llama-3.3-70b-versatile"])
    store.add_message(cid, "user", "Say hello")
    done = store.add_message(cid, "assistant", "", model="groq/llama-3.3-70b-versatile")
    store.finish_message(done, answer(content="Hello, world!\x1b]52;c;ZXZpbA==\x07\x1b[2J", status="done",
                         input_tokens=12, output_tokens=40, cost_usd="0.0000387",
                         ttft_s=0.25, duration_s=1.25, finish_reason="stop"))
    store.add_message(cid, "user", "Tell me a long story")
    cut = store.add_message(cid, "assistant", "", model="groq/llama-3.3-70b-versatile")
    store.finish_message(cut, answer(content="Once upon a", status="interrupted", input_tokens=30,
                         output_tokens=3, usage_estimated=True, cost_usd="0.00002", cost_estimated=True,
                         ttft_s=0.5, duration_s=0.6, error_message="stopped by you"))
    store.add_message(cid, "user", "Again?")
    failed = store.add_message(cid, "assistant", "", model="groq/llama-3.3-70b-versatile")
    store.finish_message(failed, answer(status="error", error_kind="rate_limit",
                         error_message="429: slow down", cost_note="no price known"))
    return cid


def compare(store: Store) -> int:
    a, b = "openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"
    cid = store.new_conversation([a, b], title="Haiku | duel")
    prompt = store.add_message(cid, "user", "Write a haiku about autumn")
    for lane, (ref, text, out, cost, ttft, dur) in enumerate(
        [(a, "Leaves drift down slowly", 8, "0.00001", 0.31, 0.71),
         (b, "Red maple whispers", 6, None, 0.52, 1.52)]
    ):
        mid = store.add_message(cid, "assistant", "", lane=lane, model=ref, parent_id=prompt)
        store.finish_message(mid, answer(content=text, status="done", input_tokens=14, output_tokens=out,
                             cost_usd=cost, ttft_s=ttft, duration_s=dur))
    store.record_vote(Vote(a, b, Choice.B, False, cid, prompt))
    second = store.add_message(cid, "user", "Now about winter")
    for lane, ref in enumerate((a, b)):
        mid = store.add_message(cid, "assistant", "", lane=lane, model=ref, parent_id=second)
        store.finish_message(mid, answer(content=f"snow from lane {lane}", status="done", input_tokens=20,
                             output_tokens=5, cost_usd="0.00002", ttft_s=0.2, duration_s=0.7))
    store.record_vote(Vote(a, b, Choice.TIE, False, cid, second))
    return cid


def test_chat_transcript(store: Store) -> None:
    md = conversation_markdown(store, chat(store))
    assert md.startswith("# Say hello\n")
    assert "\x1b" not in md and "\x07" not in md
    assert "Hello, world!␛]52;c;ZXZpbA==␇␛[2J" in md  # escapes shown, harmless
    assert "## 1 · You\n\nSay hello\n\n## 1 · groq/llama-3.3-70b-versatile\n\n" in md
    assert ("*groq/llama-3.3-70b-versatile · 12 in / 40 out · $0.0000387 · TTFT 0.25 s · 40.0 tok/s*"
            in md)
    assert "> **interrupted** — stopped by you" in md
    assert "~30 in / ~3 out · ~$0.0000200 · TTFT 0.50 s" in md
    assert "> **error** — rate_limit: 429: slow down" in md
    assert "? in / ? out · $? · TTFT –" in md
    assert [line for line in md.splitlines() if line.endswith(" · You")] == [
        "## 1 · You", "## 2 · You", "## 3 · You"]


def test_compare_side_by_side_with_metrics_and_votes(store: Store) -> None:
    md = conversation_markdown(store, compare(store))
    assert md.startswith("# Haiku | duel\n")
    assert "compare · openai/gpt-4o-mini, anthropic/claude-3-5-haiku" in md
    first = md.split("## Prompt 1")[1].split("## Prompt 2")[0]
    assert first.index("### 1 · openai/gpt-4o-mini") < first.index("Leaves drift down slowly")
    assert first.index("Leaves drift") < first.index("### 1 · anthropic/claude-3-5-haiku")
    assert "| Model | Tokens in / out | Cost | TTFT | tok/s | Duration | Status |" in first
    assert "| openai/gpt-4o-mini | 14 / 8 | $0.0000100 | 0.31 s | 20.0 | 0.71 s | done |" in first
    assert "| anthropic/claude-3-5-haiku | 14 / 6 | $? | 0.52 s | 6.0 | 1.52 s | done |" in first
    assert "**Vote:** anthropic/claude-3-5-haiku won over openai/gpt-4o-mini" in first
    second = md.split("## Prompt 2")[1]
    assert "snow from lane 0" in second and "snow from lane 1" in second
    assert "**Vote:** tie (openai/gpt-4o-mini vs anthropic/claude-3-5-haiku)" in second
    assert "## Votes" in md


def test_a_blind_vote_exports_with_its_reveal(store: Store) -> None:
    a, b = "openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"
    cid = store.new_conversation([a, b], blind=True)
    prompt = store.add_message(cid, "user", "Which is better?")
    store.record_vote(Vote(b, a, Choice.A, True, cid, prompt))
    store.record_vote(Vote(a, b, Choice.BOTH_BAD, True, cid, prompt))
    md = conversation_markdown(store, cid)
    assert (f"**Vote:** {b} won over {a} — blind: A was {b}, B was {a}") in md
    assert f"**Vote:** both bad ({a} vs {b}) — blind: A was {a}, B was {b}" in md


def test_default_file_in_cwd_is_private(store: Store, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    cid = chat(store)
    monkeypatch.chdir(tmp_path)
    path = export_conversation(store, cid)
    assert path == tmp_path / f"llmtui-{cid}-say-hello.md"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == conversation_markdown(store, cid)
    # an export nobody named never replaces an earlier one
    assert export_conversation(store, cid) == tmp_path / f"llmtui-{cid}-say-hello-2.md"
    # an existing, world-readable file is tightened when replaced (--force)
    other = tmp_path / "open.md"
    other.write_text("old")
    os.chmod(other, 0o644)
    with pytest.raises(FileExistsError):
        export_conversation(store, cid, other)
    export_conversation(store, cid, other, replace=True)
    assert stat.S_IMODE(other.stat().st_mode) == 0o600 and "old" not in other.read_text()


def test_unknown_id_raises(store: Store) -> None:
    from llmtui.core.export import ConversationNotFound

    with pytest.raises(ConversationNotFound):
        conversation_markdown(store, 4242)


def test_cli_last_id_and_output(store: Store, tmp_path: Path) -> None:
    first = chat(store)
    second = compare(store)
    result = run_cli("export", "--last", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Haiku | duel") and "## Prompt 2" in result.stdout
    target = tmp_path / "chat.md"
    result = run_cli("export", str(first), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    assert target.read_text() == conversation_markdown(store, first)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    result = run_cli("export", "-o", str(tmp_path / "last.md"))  # no id: the last one
    assert result.returncode == 0
    assert (tmp_path / "last.md").read_text() == conversation_markdown(store, second)


def test_cli_unknown_id_and_empty_store(tmp_path: Path) -> None:
    result = run_cli("export", "--last")
    assert result.returncode == 2 and "no conversations yet" in result.stderr
    Store().close()
    result = run_cli("export", "999", "-o", str(tmp_path / "x.md"))
    assert result.returncode == 2
    assert "no conversation 999" in result.stderr
    assert not (tmp_path / "x.md").exists()
    result = run_cli("export", "7", "--last")
    assert result.returncode == 2 and "not allowed with" in result.stderr


def test_keys_never_reach_an_export(write_config, fake_url: str) -> None:  # type: ignore[no-untyped-def]
    """A real exchange with a key from the env (accepted, then a distinctive rejected one)."""
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    ok = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi", env={"GROQ_API_KEY": "sk-test-123"})
    assert ok.returncode == 0, ok.stderr
    good = run_cli("export", "--last", "-o", "-", env={"GROQ_API_KEY": "sk-test-123"})
    assert "Hello, world!" in good.stdout and "sk-test-123" not in good.stdout
    bad = run_cli("ask", "-m", "groq/llama-3.3-70b-versatile", "hi", env={"GROQ_API_KEY": DISTINCTIVE})
    assert bad.returncode == 1
    out = run_cli("export", "--last", "-o", "-", env={"GROQ_API_KEY": DISTINCTIVE})
    assert out.returncode == 0, out.stderr
    assert "**error**" in out.stdout
    assert DISTINCTIVE not in out.stdout and "NeverInAnExport" not in out.stdout
    assert DISTINCTIVE not in out.stderr
