"""The export's headings are its outline: unique anchors, and a message's own headings sit
below them (the walkthrough: a model's `## Section` collided with `## Prompt 1` / `### model`)."""

from __future__ import annotations

import re

from llmtui.core.export import conversation_markdown
from llmtui.core.md_outline import anchor, demote
from llmtui.core.store import Store
from tests.core.store_records import answer

ANSWER = """## Overview

Setext title
============

```markdown
## not a heading: inside a fence
```

# Summary
text
Also setext
---
"""


def headings(md: str) -> list[str]:
    out, fence = [], False
    for line in md.splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and re.match(r"#{1,6} ", line):
            out.append(line)
    return out


def _chat(store: Store, models: list[str], prompts: list[str]) -> int:
    cid = store.new_conversation(models)
    for text in prompts:
        pid = store.add_message(cid, "user", text)
        for lane, model in enumerate(models):
            mid = store.add_message(cid, "assistant", "", lane=lane, model=model, parent_id=pid)
            store.finish_message(mid, answer(content=ANSWER, status="done"))
    return cid


def test_chat_headings_are_unique_and_the_models_own_sit_below() -> None:
    store = Store()
    md = conversation_markdown(store, _chat(store, ["demo/simulated"], ["Summary", "Summary"]))
    outline = headings(md)
    assert outline == [
        "# Summary",
        "## 1 · You", "## 1 · demo/simulated",
        "#### Overview", "### Setext title", "### Summary", "#### Also setext",  # the biggest: ###
        "## 2 · You", "## 2 · demo/simulated",
        "#### Overview", "### Setext title", "### Summary", "#### Also setext",
    ]
    ours = [h for h in outline if h.startswith(("# ", "## "))]
    assert len({anchor(h.lstrip("# ")) for h in ours}) == len(ours)
    assert "## not a heading: inside a fence" in md  # code is left as it was


def test_compare_of_one_model_twice_gets_distinct_lane_headings() -> None:
    store = Store()
    md = conversation_markdown(store, _chat(store, ["demo/simulated", "demo/simulated"], ["Votes"]))
    outline = headings(md)
    assert outline[:3] == ["# Votes", "## Prompt 1", "### 1 · demo/simulated"]
    assert "### 1 · demo/simulated (2)" in outline
    assert "#### Summary" in outline and "##### Overview" in outline and "## Overview" not in outline
    ours = [h for h in outline if h.startswith(("# ", "## ", "### "))]
    assert len({anchor(h.lstrip("# ")) for h in ours}) == len(ours)


def test_demote_leaves_text_without_headings_alone_and_caps_at_six() -> None:
    assert demote("plain\n- a\n---\n", 2) == "plain\n- a\n---\n"  # a rule after a list is no heading
    assert demote("###### deep", 3) == "###### deep"
    assert demote("#hashtag, not a heading", 2) == "#hashtag, not a heading"
