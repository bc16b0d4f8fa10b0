"""One answer in an export, as text: its figures line (model, tokens, cost, TTFT, speed, what it
was asked to think with and sent with), its folded thinking block and the mark of an answer
that did not finish. The stored figures, so they match what the TUI and `ask --json` showed;
every piece of server or model text is passed through `sanitize`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from llmtui.core.sampling import from_json
from llmtui.sanitize import sanitize

if TYPE_CHECKING:
    from llmtui.core.store import Conversation, StoredMessage


def cost_text(m: StoredMessage) -> str:
    if m.cost_usd is None:
        return "$?"
    from llmtui.core.pricing.cost import format_usd

    try:
        amount = Decimal(m.cost_usd)
    except InvalidOperation:
        return "$?"
    return ("~" if m.cost_estimated else "") + format_usd(amount)


def tokens_text(m: StoredMessage) -> str:
    if m.input_tokens is None and m.output_tokens is None:
        return "? in / ? out"
    mark = "~" if m.usage_estimated else ""
    in_ = "?" if m.input_tokens is None else f"{mark}{m.input_tokens}"
    out = "?" if m.output_tokens is None else f"{mark}{m.output_tokens}"
    return f"{in_} in / {out} out"


def ttft_text(m: StoredMessage) -> str:
    text = "TTFT –" if m.ttft_s is None else f"TTFT {m.ttft_s:.2f} s"
    if m.reasoning_tokens or m.thinking_s is not None:
        if m.answer_ttft_s is not None:
            text += f" · answer {m.answer_ttft_s:.2f} s"
        if m.thinking_s is not None:
            text += f" · thought {m.thinking_s:.1f} s"
        if m.reasoning_tokens:
            text += f" · {'~' if m.reasoning_estimated else ''}{m.reasoning_tokens} thinking tokens"
    return text


REDACTED_NOTE = "_Part of the thinking was redacted by the provider._"


def thinking_block(m: StoredMessage) -> list[str]:
    """The thinking, folded: `<details>` shows only its summary line until opened; under it,
    a note when the provider redacted part of it."""
    note = [REDACTED_NOTE, ""] if m.reasoning_redacted else []
    if not m.reasoning.strip():
        return note
    figures = [f"{m.thinking_s:.1f} s"] if m.thinking_s is not None else []
    if m.reasoning_tokens:
        figures.append(f"{'~' if m.reasoning_estimated else ''}{m.reasoning_tokens} tokens")
    summary = "Thinking" + (f" ({', '.join(figures)})" if figures else "")
    # Escaped so a thought that writes `</details>` or other HTML cannot break out of the block.
    body = sanitize(m.reasoning).strip("\n").replace("&", "&amp;").replace("<", "&lt;")
    return ["<details>", f"<summary>{summary}</summary>", "", body, "", "</details>", "", *note]


def rate_text(m: StoredMessage) -> str:
    rate = m.tokens_per_s
    return "– tok/s" if rate is None else f"{rate:.1f} tok/s"


def duration_text(m: StoredMessage) -> str:
    return "–" if m.duration_s is None else f"{m.duration_s:.2f} s"


def model_name(m: StoredMessage, conv: Conversation) -> str:
    if m.model:
        return sanitize(m.model)
    if conv.mode == "compare" and m.lane < len(conv.models):
        return sanitize(conv.models[m.lane])
    return "assistant"


STREAMING_ELSEWHERE = "still streaming in another llmtui"


def status_note(m: StoredMessage) -> str:
    """A visible mark for answers that did not finish; '' for a complete one."""
    detail = sanitize(" ".join((m.error_message or "").split()))
    if m.status == "error":
        kind = f"{m.error_kind}: " if m.error_kind else ""
        return f"> **error** — {kind}{detail or 'the request failed'}"
    if m.status == "streaming":  # its process lives (an open marks a crashed one's interrupted)
        return f"> **streaming** — {STREAMING_ELSEWHERE}; this is the text so far"
    if m.status == "interrupted":
        return f"> **interrupted** — {detail}" if detail else "> **interrupted**"
    return ""


def asked_to_think(m: StoredMessage) -> str:
    """`effort: high` / `think ≤ 8k`: what the answer was sent with; "" for the default."""
    from llmtui.core.reasoning_choice import stored_choice

    return stored_choice(m.reasoning_effort, m.thinking_budget).label


def footer(m: StoredMessage, conv: Conversation) -> str:
    """`model · tokens in/out · cost · TTFT · tok/s` under one answer."""
    parts = [model_name(m, conv), tokens_text(m), cost_text(m), ttft_text(m), rate_text(m)]
    asked = asked_to_think(m)
    if asked:
        parts.append(asked)
    if m.served_by:
        parts.append(f"served by {sanitize(m.served_by)}")
    params = from_json(m.params).compact()
    if params:
        parts.append(cell(f"sent with {sanitize(params)}").replace("*", "\\*"))
    return "*" + " · ".join(parts) + "*"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
