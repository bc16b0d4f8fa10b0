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

from llmtui.core.blind_rounds import HIDDEN_MODELS, masked, pending, unvoted
from llmtui.core.branches import Branch, kept_branches
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
from llmtui.core.md_outline import Outline, anchor, demote
from llmtui.core.store import StoredAttachment
from llmtui.core.turns import Turn, TurnKind, stored_path
from llmtui.sanitize import sanitize

if TYPE_CHECKING:
    from llmtui.core.store import Conversation, Store, StoredMessage, Vote

Files = tuple["Render", dict[int, list[StoredAttachment]]]


class ConversationNotFound(LookupError):
    """No conversation with that id in the store."""


# ------------------------------------------------------------------ structure


def _answers(messages: Iterable[StoredMessage]) -> dict[int | None, list[StoredMessage]]:
    """Each prompt's answers (by parent_id, else the latest prompt before them; None: answers
    before any prompt), in lane order."""
    found: dict[int | None, list[StoredMessage]] = {}
    latest: int | None = None
    for m in messages:
        if m.role == "user":
            latest = m.id
            found.setdefault(m.id, [])
        elif m.role == "assistant":
            parent = m.parent_id if m.parent_id in found else latest
            found.setdefault(parent, []).append(m)
    return {k: sorted(v, key=lambda a: (a.lane, a.id)) for k, v in found.items()}


@dataclass
class _Doc:
    """What every turn of one export is drawn with."""

    conv: Conversation
    files: Files
    outline: Outline
    reasoning: bool
    votes: list[Vote]
    prompts: dict[int, StoredMessage]
    answers: dict[int | None, list[StoredMessage]]
    branches: list[Branch]
    heads: dict[str, str] = field(default_factory=dict)
    """Each branch's heading line, made first so the turns can link to it."""

    def kept_at(self, within: str, number: int) -> list[Branch]:
        return [b for b in self.branches if b.within == within and b.number == number]


def _header(conv: Conversation, models: list[str], outline: Outline, hidden: bool = False) -> list[str]:
    """`hidden`: a blind compare whose newest round is not voted yet (blind_rounds)."""
    title = sanitize(" ".join(conv.title.split())) or f"Conversation {conv.id}"
    shown = HIDDEN_MODELS if hidden else ", ".join(sanitize(m) for m in models) or "–"
    kind = {"compare": "compare" + " (blind)" * conv.blind, "mixed": "chat and compare"}.get(
        conv.mode, "chat")
    return [
        outline.heading(1, title),
        "",
        f"*llmtui {kind} · {shown} · started {when(conv.created_at)} · conversation {conv.id}*",
        "",
    ]


def _answer_block(m: StoredMessage, doc: _Doc, level: int, number: str, where: str) -> list[str]:
    """The answer under its heading ("N · model" + where), its own headings below it."""
    lines = [doc.outline.heading(level, f"{number}{model_name(m, doc.conv)}{where}"), ""]
    if doc.reasoning:
        lines += thinking_block(m)
    text = demote(sanitize(m.content).strip("\n"), level)
    if text:
        lines += [text, ""]
    note = status_note(m)
    if note:
        lines += [note, ""]
    lines += [footer(m, doc.conv), ""]
    return lines


def _kept_note(turn: Turn, kept: list[Branch], doc: _Doc, within: str) -> list[str]:
    """Under a rerun or an edited prompt: where the turn(s) it replaced are kept."""
    if not kept:
        return []
    below = "below" if within else "under Branches, below"
    links = ", ".join(f"[{b.label}](#{anchor(doc.heads[b.label].lstrip('# '))})" for b in kept)
    branch = "branch" + "es" * (len(kept) > 1)
    if turn.kind is TurnKind.RERUN:
        models = ", ".join(sanitize(ref) for ref in turn.refs) or "another model"
        return [f"*Rerun on {models}: the earlier answer is kept as {branch} {links} ({below}).*", ""]
    return [f"*Edited prompt: the prompt it replaced and the turns after it are kept as "
            f"{branch} {links} ({below}).*", ""]


def _table(answers: list[StoredMessage], conv: Conversation) -> list[str]:
    lines = ["| Model | Tokens in / out | Cost | TTFT | tok/s | Duration | Status |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for a in answers:
        rate = a.tokens_per_s
        lines.append("| " + " | ".join(cell(c) for c in (
            model_name(a, conv),
            tokens_text(a).replace(" in / ", " / ").replace(" out", ""),
            cost_text(a),
            "–" if a.ttft_s is None else f"{a.ttft_s:.2f} s",
            "–" if rate is None else f"{rate:.1f}",
            duration_text(a),
            a.status,
        )) + " |")
    return [*lines, ""]


def _turn_lines(doc: _Doc, turn: Turn, number: int, level: int, within: str = "") -> list[str]:
    """One prompt and its answers. A compare conversation heads it "Prompt N" with its answers
    one level below; a chat "N · You", answers beside it. Several answers (a compare turn in
    any conversation) get the figures table and the vote."""
    conv, prompt_id = doc.conv, turn.user_id
    where = f" (branch {within})" if within else ""
    prompt = doc.prompts.get(prompt_id) if prompt_id is not None else None
    answers = doc.answers.get(prompt_id, [])
    compare = conv.mode == "compare"
    lines: list[str] = []
    if prompt is not None:
        heading = f"Prompt {number}" if compare else f"{number} · You"
        lines += [doc.outline.heading(level, heading + where), "",
                  *_kept_note(turn, doc.kept_at(within, number), doc, within),
                  demote(sanitize(prompt.content).strip("\n"), level + compare), ""]
        render, found = doc.files
        lines += [line for att in found.get(prompt.id, []) for line in (render(att), "")]
    voted = [v for v in doc.votes if v.prompt_id is not None and v.prompt_id == prompt_id]
    if conv.blind and pending(answers, bool(voted)):
        answers = [masked(a) for a in answers]
        lines += [f"*{BLIND_NOTE}*", ""]
    for answer in answers:
        lines += _answer_block(answer, doc, level + compare, f"{number} · ", where)
    if answers and (compare or len(answers) > 1):
        lines += _table(answers, conv)
    lines += [line for vote in voted for line in (f"**Vote:** {_vote_text(vote)}", "")]
    return lines


def _branches_lines(doc: _Doc) -> list[str]:
    """The kept branches, after the conversation: each under its own heading, named by the
    turn it branched from, its turns as they were."""
    if not doc.branches:
        return []
    lines = [doc.outline.heading(2, "Branches"), "",
             "Earlier turns an edit or a rerun replaced, kept as they were. The conversation "
             "above went on without them; no model was sent them afterwards.", ""]
    for branch in doc.branches:
        lines += [doc.heads[branch.label], ""]
        for number, turn in enumerate(branch.turns, start=branch.number):
            lines += _turn_lines(doc, turn, number, 4, branch.label)
    return lines


BLIND_NOTE = ("Blind round, not voted yet: the models, their prices, costs and error details "
              "are named here after the vote.")


def _vote_text(vote: Vote) -> str:
    """The verdict, and for a blind vote the reveal: which model sat on which side."""
    from llmtui.core.store import Choice

    a, b = sanitize(vote.side_a), sanitize(vote.side_b)
    if vote.choice is Choice.TIE:
        verdict = f"tie ({a} vs {b})"
    elif vote.choice is Choice.BOTH_BAD:
        verdict = f"both bad ({a} vs {b})"
    else:
        winner, loser = (a, b) if vote.choice is Choice.A else (b, a)
        verdict = f"{winner} won over {loser}"
    return f"{verdict} — blind: A was {a}, B was {b}" if vote.blind else verdict


def _models(conv: Conversation, messages: Iterable[StoredMessage]) -> list[str]:
    """Every model the conversation used, in the order it first answered (a store from before
    the conversation's list kept up names only its first)."""
    models = list(conv.models)
    for m in messages:
        if m.role == "assistant" and m.model and m.model not in models:
            models.append(m.model)
    return models


def conversation_markdown(store: Store, conversation_id: int, *, reasoning: bool = True,
                          attachments: Render = mention) -> str:
    """The whole conversation as Markdown (`reasoning=False`: without the models' thinking).
    `attachments` renders each attached file (export_files.py: mention, embed, Beside).

    The current thread comes first, in order; the branches an edit or a rerun kept follow
    under "Branches", each named by the turn it branched from (core/branches.py).

    Raises:
        ConversationNotFound: no such conversation.
    """
    conv = store.conversation(conversation_id)
    if conv is None:
        raise ConversationNotFound(f"no conversation {conversation_id}")
    messages = store.messages(conversation_id)
    files = (attachments, store.attachments_of([m.id for m in messages if m.role == "user"]))
    outline = Outline()
    hidden = conv.id in unvoted(store, [conv.id])
    lines = _header(conv, _models(conv, messages), outline, hidden)
    thread = stored_path(messages)
    doc = _Doc(conv, files, outline, reasoning, store.conversation_votes(conv.id),
               {m.id: m for m in messages if m.role == "user"}, _answers(messages),
               kept_branches(thread))
    for branch in doc.branches:  # their anchors first: turns above link to them
        by = f"a {branch.how}" if branch.replaced_by.kind is TurnKind.RERUN else "an edit"
        doc.heads[branch.label] = outline.heading(
            3, f"Branch {branch.label} · {branch.where}, replaced by {by}")
    if None in doc.answers:  # answers stored before any prompt (an odd import)
        lines += [line for a in doc.answers[None] for line in _answer_block(a, doc, 2, "", "")]
    for number, turn in enumerate(thread, start=1):
        lines += _turn_lines(doc, turn, number, 2)
    lines += _branches_lines(doc)
    if doc.votes:
        lines += [outline.heading(2, "Votes"), ""]
        lines += [f"- {_vote_text(vote)}" for vote in doc.votes]
        lines.append("")
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
