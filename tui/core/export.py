"""A stored conversation as a Markdown file: chat transcripts and compare sessions.

A reasoning model's thinking goes in a collapsed `<details>` block above its answer
(left out with `reasoning=False`); its figures (answer TTFT, thinking time, thinking tokens)
are the stored ones, so they match what the TUI and `ask --json` showed. One answer's text
(figures line, thinking block, status mark) is core/export_figures.py; this module lays out
the conversation: turns, branches, compare tables, votes, attached files.

Only what the store holds goes out, and keys are never in the store. Every piece of
text is passed through `sanitize` so an export viewed with `cat` cannot drive the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from llmtui.core.attachment_store import StoredAttachment, attachments_of
from llmtui.core.blind_rounds import HIDDEN_MODELS, masked, pending, unvoted
from llmtui.core.export_figures import (
    cell,
    cost_text,
    duration_text,
    footer,
    model_name,
    status_note,
    thinking_block,
    tokens_text,
)
from llmtui.core.export_files import Beside, Render, embed, mention
from llmtui.core.history import when
from llmtui.core.md_outline import Outline, demote
from llmtui.sanitize import sanitize

if TYPE_CHECKING:
    from llmtui.core.arena_store import Vote
    from llmtui.core.store import Conversation, Store, StoredMessage

Files = tuple["Render", dict[int, list[StoredAttachment]]]


class ConversationNotFound(LookupError):
    """No conversation with that id in the store."""


# ------------------------------------------------------------------ structure


@dataclass
class _Turn:
    prompt: StoredMessage | None
    answers: list[StoredMessage] = field(default_factory=list)


def _turns(messages: Iterable[StoredMessage]) -> list[_Turn]:
    """Prompts with the answers that reply to them (by parent_id, else the latest prompt)."""
    turns: list[_Turn] = []
    by_prompt: dict[int, _Turn] = {}
    for m in messages:
        if m.role == "user":
            turn = _Turn(m)
            turns.append(turn)
            by_prompt[m.id] = turn
            continue
        if m.role != "assistant":
            continue
        parent = by_prompt.get(m.parent_id) if m.parent_id is not None else None
        if parent is None:
            if not turns:
                turns.append(_Turn(None))
            parent = turns[-1]
        parent.answers.append(m)
    return turns


def _header(conv: Conversation, outline: Outline, hidden: bool = False) -> list[str]:
    """`hidden`: a blind compare whose newest round is not voted yet (blind_rounds)."""
    title = sanitize(" ".join(conv.title.split())) or f"Conversation {conv.id}"
    models = HIDDEN_MODELS if hidden else ", ".join(sanitize(m) for m in conv.models) or "–"
    kind = "compare" + (" (blind)" if conv.blind else "") if conv.mode == "compare" else "chat"
    return [
        outline.heading(1, title),
        "",
        f"*llmtui {kind} · {models} · started {when(conv.created_at)} · conversation {conv.id}*",
        "",
    ]


def _answer_block(m: StoredMessage, conv: Conversation, heading: tuple[Outline, int, str],
                  reasoning: bool = True) -> list[str]:
    """The answer under `heading` (outline, level, "N · "), its own headings below it."""
    outline, level, number = heading
    lines = [outline.heading(level, f"{number}{model_name(m, conv)}"), ""]
    if reasoning:
        lines += thinking_block(m)
    text = demote(sanitize(m.content).strip("\n"), level)
    if text:
        lines += [text, ""]
    note = status_note(m)
    if note:
        lines += [note, ""]
    lines += [footer(m, conv), ""]
    return lines


def _branch_note(turn: _Turn, prompts: dict[int, StoredMessage]) -> list[str]:
    """A rerun or an edited prompt is an alternative to an earlier turn, not a follow-up."""
    prompt = turn.prompt
    replaced = prompts.get(prompt.parent_id) if prompt and prompt.parent_id is not None else None
    if prompt is None or replaced is None:
        return []
    if replaced.content == prompt.content:
        models = ", ".join(sanitize(a.model or "?") for a in turn.answers) or "another model"
        return [f"*Branch: rerun of the same prompt above on {models}; the earlier answer is kept.*", ""]
    short = sanitize(" ".join(replaced.content.split()))[:60]
    return [f"*Branch: edited prompt, in place of “{short}” above (the earlier answers are kept).*", ""]


def _prompts(messages: Iterable[StoredMessage]) -> dict[int, StoredMessage]:
    return {m.id: m for m in messages if m.role == "user"}


def _files(turn: _Turn, files: Files) -> list[str]:
    if turn.prompt is None:
        return []
    render, found = files
    return [line for att in found.get(turn.prompt.id, []) for line in (render(att), "")]


def _prompt_text(turn: _Turn, level: int) -> str:
    return demote(sanitize(turn.prompt.content).strip("\n"), level) if turn.prompt else ""


def _chat(conv: Conversation, messages: list[StoredMessage], files: Files, outline: Outline,
          reasoning: bool = True) -> list[str]:
    lines: list[str] = []
    prompts = _prompts(messages)
    for number, turn in enumerate(_turns(messages), start=1):
        if turn.prompt is not None:
            lines += [outline.heading(2, f"{number} · You"), "", *_branch_note(turn, prompts),
                      _prompt_text(turn, 2), ""]
            lines += _files(turn, files)
        for answer in turn.answers:
            lines += _answer_block(answer, conv, (outline, 2, f"{number} · "), reasoning)
    return lines


BLIND_NOTE = ("Blind round, not voted yet: the models, their prices, costs and error details "
              "are named here after the vote.")


def _vote_text(vote: Vote) -> str:
    """The verdict, and for a blind vote the reveal: which model sat on which side."""
    from llmtui.core.arena_store import Choice

    a, b = sanitize(vote.side_a), sanitize(vote.side_b)
    if vote.choice is Choice.TIE:
        verdict = f"tie ({a} vs {b})"
    elif vote.choice is Choice.BOTH_BAD:
        verdict = f"both bad ({a} vs {b})"
    else:
        winner, loser = (a, b) if vote.choice is Choice.A else (b, a)
        verdict = f"{winner} won over {loser}"
    return f"{verdict} — blind: A was {a}, B was {b}" if vote.blind else verdict


def _compare(store: Store, conv: Conversation, messages: list[StoredMessage], files: Files,
             outline: Outline, reasoning: bool = True) -> list[str]:
    from llmtui.core.arena_store import conversation_votes

    votes = conversation_votes(store, conv.id)
    lines: list[str] = []
    prompts = _prompts(messages)
    for number, turn in enumerate(_turns(messages), start=1):
        lines += [outline.heading(2, f"Prompt {number}"), "", *_branch_note(turn, prompts)]
        if turn.prompt is not None:
            lines += [_prompt_text(turn, 3), ""]
            lines += _files(turn, files)
        answers = sorted(turn.answers, key=lambda a: (a.lane, a.id))
        prompt_id = turn.prompt.id if turn.prompt is not None else None
        if conv.blind and pending(answers, any(v.prompt_id == prompt_id for v in votes)):
            answers = [masked(a) for a in answers]
            lines += [f"*{BLIND_NOTE}*", ""]
        for answer in answers:
            lines += _answer_block(answer, conv, (outline, 3, f"{number} · "), reasoning)
        if answers:
            lines += [
                "| Model | Tokens in / out | Cost | TTFT | tok/s | Duration | Status |",
                "|---|---:|---:|---:|---:|---:|---|",
            ]
            for a in answers:
                rate = a.tokens_per_s
                lines.append(
                    "| " + " | ".join(cell(c) for c in (
                        model_name(a, conv),
                        tokens_text(a).replace(" in / ", " / ").replace(" out", ""),
                        cost_text(a),
                        "–" if a.ttft_s is None else f"{a.ttft_s:.2f} s",
                        "–" if rate is None else f"{rate:.1f}",
                        duration_text(a),
                        a.status,
                    )) + " |"
                )
            lines.append("")
        for vote in votes:
            if vote.prompt_id is not None and vote.prompt_id == prompt_id:
                lines += [f"**Vote:** {_vote_text(vote)}", ""]
    if votes:
        lines += [outline.heading(2, "Votes"), ""]
        lines += [f"- {_vote_text(vote)}" for vote in votes]
        lines.append("")
    return lines


def conversation_markdown(store: Store, conversation_id: int, *, reasoning: bool = True,
                          attachments: Render = mention) -> str:
    """The whole conversation as Markdown (`reasoning=False`: without the models' thinking).
    `attachments` renders each attached file (export_files.py: mention, embed, Beside).

    Raises:
        ConversationNotFound: no such conversation.
    """
    conv = store.conversation(conversation_id)
    if conv is None:
        raise ConversationNotFound(f"no conversation {conversation_id}")
    messages = store.messages(conversation_id)
    files = (attachments, attachments_of(store, [m.id for m in messages if m.role == "user"]))
    outline = Outline()
    lines = _header(conv, outline, conv.id in unvoted(store, [conv.id]))
    if conv.mode == "compare":
        lines += _compare(store, conv, messages, files, outline, reasoning)
    else:
        lines += _chat(conv, messages, files, outline, reasoning)
    return "\n".join(lines).rstrip("\n") + "\n"


# ------------------------------------------------------------------ files


def slug(title: str, limit: int = 40) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    text = "-".join(words)[:limit].strip("-")
    return text or "conversation"


def default_path(store: Store, conversation_id: int) -> Path:
    conv = store.conversation(conversation_id)
    title = conv.title if conv is not None else ""
    return Path.cwd() / f"llmtui-{conversation_id}-{slug(title)}.md"


def export_conversation(store: Store, conversation_id: int, path: Path | None = None,
                        *, embed_images: bool = False, replace: bool = False) -> Path:
    """Write the conversation as Markdown and return where it went; attachments are written
    beside it (`<stem>_files/`) unless `embed_images` makes them data URLs.

    Args:
        store: the store holding the conversation.
        conversation_id: which conversation.
        path: the target file; default `./llmtui-<id>-<slug>.md` (or `-2`, `-3`… when taken:
            an export nobody named never replaces an earlier one).
        replace: an existing `path` is replaced (never through a symlink: private_files.py).

    Raises:
        ConversationNotFound: no such conversation.
        OSError: `path` exists (and not `replace`), is a symlink, or cannot be written.
    """
    from llmtui.core.private_files import check_free, free_path, write_private

    target = path if path is not None else free_path(default_path(store, conversation_id))
    check_free(target, replace)  # before any attachment is written beside it
    text = conversation_markdown(store, conversation_id,
                                 attachments=embed if embed_images else Beside(target, replace))
    write_private(target, text, replace=replace)
    return target
