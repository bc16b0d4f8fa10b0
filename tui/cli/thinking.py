"""How `ask` shows a reasoning model's thinking: on stderr (dim on a terminal), never on stdout.

So `llmtui ask ... > answer.md` and pipes get the answer alone, while a person at a terminal
watches the thinking scroll by above it. `--no-reasoning` keeps stderr quiet too. The JSON
fields and the summary's figures come from the same stats as the TUI's (llmtui.core.timing).
"""

from __future__ import annotations

import argparse
from typing import IO, Any

from llmtui.providers.base import EFFORTS
from llmtui.sanitize import StreamSanitizer

DIM, RESET = "\x1b[2m", "\x1b[0m"
REDACTED_NOTE = "[part of the thinking is redacted by the provider]"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-reasoning", action="store_true",
                   help="do not print the model's thinking (it is still stored)")
    p.add_argument("--reasoning-effort", choices=EFFORTS,
                   help='how hard a reasoning model thinks (default: [models."REF"] in config.toml)')
    p.add_argument("--thinking-budget", metavar="TOKENS",
                   help="most tokens to think with, e.g. 8000 or 8k (Anthropic, Bedrock, Cohere, "
                        "Gemini; checked against the model's bounds)")


def checked_budget(runtime: Any, ref: str, text: str | None, max_tokens: int | None) -> int | None:
    """`--thinking-budget` as the TUI's picker checks it (core.reasoning_choice.parse_budget,
    bounded for this model), or one line on stderr and exit 2. Blocking: the catalog is read."""
    from llmtui.cli.common import fail
    from llmtui.core.reasoning_choice import offer_for, parse_budget

    if text is None:
        return None
    if text.strip().lower() in ("0", "0k", "off", "none"):
        raise fail("--thinking-budget 0 is not a way to turn thinking off: "
                   "use --reasoning-effort off (where the provider allows it)")
    offer = offer_for(runtime, ref, max_tokens)
    found = parse_budget(text, offer.budget)
    if isinstance(found, str):
        if offer.budget is None:
            levels = "|".join(offer.efforts)
            found = f"{ref} takes no thinking budget" + (
                f": use --reasoning-effort {levels}" if levels else "")
        raise fail(f"--thinking-budget {text.strip()!r}: {found}")
    return found


class ThoughtPrinter:
    """Writes thinking to `err` as it streams; a blank line parts it from what follows."""

    def __init__(self, err: IO[str], *, enabled: bool, clean: bool) -> None:
        self.err = err
        self.enabled = enabled
        self._shown = StreamSanitizer() if clean else None  # None: --raw
        self.dim = enabled and err.isatty()
        self._open = False
        self._at_line_start = True

    def thought(self, text: str, redacted: bool = False) -> None:
        if not self.enabled:
            return
        if not self._open:
            self._open = True
            self._at_line_start = True
            self.err.write((DIM if self.dim else "") + "thinking:\n")
        if redacted:  # on a line of its own, whatever came before it
            text = ("" if self._at_line_start else "\n") + REDACTED_NOTE + "\n"
        self.err.write(self._shown.feed(text) if self._shown else text)
        self.err.flush()
        if text:
            self._at_line_start = text.endswith("\n")

    def close(self) -> None:
        """The answer starts (or the stream ended): end the thinking block."""
        if self._open:
            self._open = False
            held = self._shown.flush() if self._shown else ""
            self.err.write(held + (RESET if self.dim else "") + "\n\n")
            self.err.flush()


def summary_figures(stats: Any) -> str:
    """` · answer 21.00s · thought 20.0s · 1500 thinking tok` for a model that thought; else ''."""
    if stats.reasoning_tokens is None and stats.thinking_s is None:
        return ""
    parts = []
    if stats.answer_ttft_s is not None:
        parts.append(f"answer {stats.answer_ttft_s:.2f}s")
    if stats.thinking_s is not None:
        parts.append(f"thought {stats.thinking_s:.1f}s")
    elif stats.hidden_reasoning:
        parts.append("thinking hidden by provider")
    if stats.reasoning_tokens:
        parts.append(f"{'~' if stats.reasoning_estimated else ''}{stats.reasoning_tokens} thinking tok")
    return "".join(f" · {p}" for p in parts)


def json_fields(stats: Any) -> dict[str, Any]:
    """`reasoning`, `answer_ttft_s`, `thinking_s` for `ask --json` (ttft_s is any token's)."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "reasoning": stats.reasoning or None,
        "reasoning_redacted": stats.reasoning_redacted,
        "answer_ttft_s": rounded(stats.answer_ttft_s),
        "thinking_s": rounded(stats.thinking_s),
    }


def usage_fields(stats: Any) -> dict[str, Any]:
    """`usage.reasoning_tokens` (null: none reported or shown) and whether it is an estimate."""
    return {"reasoning_tokens": stats.reasoning_tokens,
            "reasoning_estimated": stats.reasoning_tokens is not None and stats.reasoning_estimated}
