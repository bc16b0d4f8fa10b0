"""Branches in the export (issue 12 flow tester items 7 and 8): the current thread in order,
each kept branch after it under "Branches", named by the turn it branched from; JSON and
JSONL carry the same tree back in; a conversation that moved between models and a compare
lists them all and keeps its compare turns' tables and votes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from llmtui.core.branches import kept_branches
from llmtui.core.export import conversation_markdown
from llmtui.core.md_outline import anchor
from llmtui.core.store import Store
from llmtui.core.transfer import conversation_json, conversation_jsonl, import_all, read_json, read_jsonl
from llmtui.core.turns import stored_path
from tests.core.store_records import answer

ALPHA, BETA = "loop/alpha", "loop/beta"


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.close()


def _turn(store: Store, cid: int, prompt: str, model: str, *, replaces: int | None = None) -> int:
    user = store.add_message(cid, "user", prompt, parent_id=replaces)
    mid = store.add_message(cid, "assistant", "", model=model, parent_id=user)
    store.finish_message(mid, answer(content=f"{model} on {prompt}", status="done",
                                     input_tokens=10, output_tokens=5, cost_usd="0.01"))
    return user


def branched(store: Store) -> int:
    """The tester's conversation: six prompts on beta, prompt 6 rerun on alpha, then prompt 4
    edited and two more prompts after it."""
    cid = store.new_conversation([BETA])
    users = [_turn(store, cid, f"question {n}", BETA) for n in range(1, 7)]
    _turn(store, cid, "question 6", ALPHA, replaces=users[5])
    _turn(store, cid, "question 4, edited", ALPHA, replaces=users[3])
    _turn(store, cid, "question 5, again", ALPHA)
    return cid


def _headings(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("#")]


def test_the_current_thread_comes_in_order_and_branches_after_it(store: Store) -> None:
    md = conversation_markdown(store, branched(store))
    heads = _headings(md)
    thread = heads[: heads.index("## Branches")]
    assert [h for h in thread if h.endswith("· You")] == [
        "## 1 · You", "## 2 · You", "## 3 · You", "## 4 · You", "## 5 · You"]
    assert "## 7 · You" not in heads and "## 8 · You" not in heads
    current = md.split("## 4 · You")[1].split("## 5 · You")[0]
    assert "question 4, edited" in current and f"{ALPHA} on question 4, edited" in current
    assert "*Edited prompt: the prompt it replaced and the turns after it are kept as branch [4a]" in current
    branches = heads[heads.index("## Branches"):]
    assert branches == [
        "## Branches",
        "### Branch 4a · turn 4, replaced by an edit",
        "#### 4 · You (branch 4a)", f"#### 4 · {BETA} (branch 4a)",
        "#### 5 · You (branch 4a)", f"#### 5 · {BETA} (branch 4a)",
        "#### 6 · You (branch 4a)", f"#### 6 · {ALPHA} (branch 4a)",
        f"### Branch 4a/6a · turn 6 of branch 4a, replaced by a rerun on {ALPHA}",
        "#### 6 · You (branch 4a/6a)", f"#### 6 · {BETA} (branch 4a/6a)",
    ]
    in_4a = md.split("#### 6 · You (branch 4a)")[1]
    assert f"*Rerun on {ALPHA}: the earlier answer is kept as branch [4a/6a]" in in_4a
    assert f"{BETA} on question 6" in md.split("### Branch 4a/6a")[1]  # beta's answer, reachable
    # every link names a heading of the file
    anchors = {anchor(h.lstrip("# ")) for h in heads}
    links = re.findall(r"\]\(#([^)]+)\)", md)
    assert len(links) == 2 and set(links) <= anchors


def _shape(store: Store, conversation_id: int) -> list[tuple[str, list[str]]]:
    thread = stored_path(store.messages(conversation_id))
    return [(b.label, [t.prompt for t in b.turns]) for b in kept_branches(thread)] + [
        ("thread", [t.prompt for t in thread])]


@pytest.mark.parametrize("kind", ["json", "jsonl"])
def test_json_and_jsonl_bring_back_the_same_tree(store: Store, tmp_path, kind: str) -> None:  # type: ignore[no-untyped-def]
    cid = branched(store)
    if kind == "json":
        imported = read_json(json.loads(conversation_json(store, cid)))
    else:
        imported = read_jsonl(conversation_jsonl(store, cid).splitlines())
    other = Store(tmp_path / "other.db")
    [(new, fresh)] = list(import_all(other, imported))
    assert fresh
    assert _shape(other, new) == _shape(store, cid)
    assert [label for label, _ in _shape(other, new)] == ["4a", "4a/6a", "thread"]
    body = conversation_markdown(other, new).split("\n", 3)[3]
    assert body == conversation_markdown(store, cid).split("\n", 3)[3]
    other.close()


def test_a_conversation_that_moved_between_models_lists_them_all_with_its_compare_turns(
        store: Store) -> None:
    from llmtui.core.store import Choice, Vote

    cid = store.new_conversation([ALPHA])
    _turn(store, cid, "hello alpha", ALPHA)
    _turn(store, cid, "hello beta", BETA)
    both = store.add_message(cid, "user", "hello both")
    ids = []
    for lane, ref in enumerate((ALPHA, BETA)):
        mid = store.add_message(cid, "assistant", "", lane=lane, model=ref, parent_id=both)
        store.finish_message(mid, answer(content=f"{ref} says hi", status="done", input_tokens=10,
                                         output_tokens=5, cost_usd="0.01", ttft_s=0.2, duration_s=0.5))
        ids.append(mid)
    store.record_vote(Vote(ALPHA, BETA, Choice.B, False, cid, both, answer_a=ids[0], answer_b=ids[1]))
    md = conversation_markdown(store, cid)
    header = md.splitlines()[2]
    assert f"{ALPHA}, {BETA}" in header
    compared = md.split("## 3 · You")[1]
    assert "| Model | Tokens in / out |" in compared
    assert f"**Vote:** {BETA} won over {ALPHA}" in compared
    assert "| Model |" not in md.split("## 3 · You")[0]  # one answer: no table
