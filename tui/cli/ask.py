"""`llmtui ask`: one prompt, the answer streamed to stdout, a summary to stderr.

A reasoning model's thinking goes to stderr (thinking.py), so stdout holds the answer alone.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import IO, TYPE_CHECKING, Any, TypeVar

from llmtui.cli import attach_args, sampling_args, thinking
from llmtui.cli.common import CliExit, fail, load_config_or_exit
from llmtui.cli.remedies import remedy_text
from llmtui.core.pricing.cost import cache_saving, format_usd
from llmtui.providers.base import ErrorKind, Notice, ReasoningDelta, StreamError, TextDelta

if TYPE_CHECKING:
    from llmtui.core.answer_stats import ExchangeStats
    from llmtui.core.config import Config, Preset
    from llmtui.core.history_off import StoreProblem

T = TypeVar("T")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-m", "--model", help="PROVIDER/MODEL (default: [defaults] model, or the demo)")
    p.add_argument("-s", "--system", help="system prompt")
    p.add_argument("--preset", metavar="NAME",
                   help="start from [presets.NAME] in config.toml (system, model, temperature, max_tokens)")
    sampling_args.add_arguments(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    thinking.add_arguments(p)
    attach_args.add_argument(p)
    p.add_argument(
        "--raw",
        action="store_true",
        help="pass control characters through untouched (default: shown as harmless symbols)",
    )
    p.add_argument("prompt", nargs="?",
                   help="the prompt; - (or no prompt with a pipe: echo hi | llmtui ask) reads stdin")


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_ask(args))
    except CliExit as exc:
        return exc.code


def _summary(stats: Any) -> str:
    usage_mark = "~" if stats.usage_estimated else ""
    settled = stats.cost_now()
    cost = settled.display()
    if settled.amount is None and settled.note:
        cost += f" ({settled.note})"
    ttft = f"{stats.ttft_s:.2f}s" if stats.ttft_s is not None else "–"
    tps = f"{stats.tokens_per_s:.0f} tok/s" if stats.tokens_per_s else "– tok/s"
    cached = ""
    if stats.usage and stats.usage.cached_input_tokens:
        saved = cache_saving(stats.usage, stats.price)
        cached = f" ({stats.usage.cached_input_tokens} cached" + (
            f", saved {format_usd(saved)})" if saved else ")")
    if settled.difference:
        cost += f" (our prices say {format_usd(settled.computed)})"
    return (
        f"{stats.ref} · in {usage_mark}{stats.input_tokens}{cached} · out {usage_mark}"
        f"{stats.output_tokens} · {cost} · TTFT {ttft}{thinking.summary_figures(stats)} · {tps} · "
        f"{stats.duration_s:.2f}s"
    )


def _preset(config: Config, name: str | None) -> Preset:
    """The `--preset` named (flags still win over it), or an empty one."""
    from llmtui.core.config import ConfigError, Preset  # noqa: F811 - the runtime import

    if name is None:
        return Preset("")
    try:
        return config.preset(name)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def _first(*values: T | None) -> T | None:
    return next((v for v in values if v is not None), None)


async def _ask(args: argparse.Namespace) -> int:
    from llmtui.core.answer_stats import ALL_THOUGHT
    from llmtui.core.exchange import Retrying
    from llmtui.core.launch import UsageError, check_model
    from llmtui.core.runtime import Runtime
    from llmtui.core.session import ChatSession
    from llmtui.core.starter import pick_default_model
    from llmtui.sanitize import StreamSanitizer, json_dumps, repair_surrogates, sanitize

    flags = sampling_args.sampling_from(args)
    config = load_config_or_exit()
    preset = _preset(config, args.preset)
    try:
        if args.model is not None or preset.model is not None:
            check_model(config, args.model or preset.model or "")
    except UsageError as exc:
        raise fail(str(exc)) from None
    parts = attach_args.read_attachments(args)
    prompt = args.prompt
    if attach_args.uses_stdin(args) and (prompt is None or prompt == "-"):
        raise fail("-a - reads the file from stdin: give the prompt as an argument")
    if prompt is None and sys.stdin.isatty():
        raise fail("give a prompt: llmtui ask \"...\", or pipe one in: echo ... | llmtui ask")
    if prompt is None or prompt == "-":
        prompt = _read_stdin()
    # Invalid UTF-8 (argv or a pipe) arrives as lone surrogates nothing can store or send.
    prompt = repair_surrogates(prompt)
    if not prompt.strip():
        raise fail("the prompt is empty")
    runtime = Runtime(config)  # a store that cannot be used: no history (one warning line)
    try:
        chosen: str | None = args.model or preset.model
        ref = chosen if chosen else await asyncio.to_thread(pick_default_model, runtime)
        defaults = config.defaults
        asked_max = config.sampling_for(ref, flags.over(preset.sampling)).max_tokens
        budget = await asyncio.to_thread(thinking.checked_budget, runtime, ref, args.thinking_budget,
                                         asked_max)
        # Flags over the preset; what neither sets comes from [models."REF"], then [defaults].
        session = ChatSession(runtime, [ref], system=_first(args.system, preset.system, defaults.system),
                              sampling=flags.over(preset.sampling),
                              reasoning_effort=args.reasoning_effort,
                              thinking_budget=budget, preset=args.preset)
        if parts:  # a model that cannot take them: refused before anything is stored or sent
            from llmtui.core.catalog.vision import refusal

            problem = await asyncio.to_thread(refusal, runtime, [ref], parts)
            if problem is not None:
                raise fail(problem.message, 1)
        turn = await session.send(prompt, parts=parts)
        exchange = turn.exchanges[0]
        # Escape sequences from a model must not act on the user's terminal, nor on whatever
        # later shows a piped file; --raw passes bytes through on purpose.
        clean = not args.raw
        out = sys.stdout
        thoughts = thinking.ThoughtPrinter(sys.stderr, enabled=not (args.json or args.no_reasoning),
                                           clean=clean)
        error: StreamError | None = None
        noted = False
        answer_line = _AnswerLine(out)
        shown = StreamSanitizer()  # a ZWJ or CR cut from what follows it waits for it
        _cancel_on_termination()
        events = session.stream(turn, 0)
        try:
            async for event in events:
                if exchange.budget_note and not noted:
                    noted = True  # llmtui chose max_tokens to hold a limit: say so, once
                    answer_line.end()
                    print(f"llmtui: {exchange.budget_note}", file=sys.stderr)
                if isinstance(event, ReasoningDelta):
                    thoughts.thought(event.text, event.redacted)
                elif isinstance(event, TextDelta) and not args.json:
                    thoughts.close()
                    answer_line.write(shown.feed(event.text) if clean else event.text)
                elif isinstance(event, Retrying):
                    answer_line.end()
                    print(
                        f"llmtui: {sanitize(event.reason)}; retrying in {event.wait_s:.1f}s "
                        f"(attempt {event.attempt + 1})",
                        file=sys.stderr,
                    )
                elif isinstance(event, Notice):
                    answer_line.end()
                    print(f"llmtui: warning: {sanitize(event.text)}", file=sys.stderr)
                elif isinstance(event, StreamError):
                    error = event
        except (KeyboardInterrupt, asyncio.CancelledError):
            exchange.stats.interrupted = True
            answer_line.end()
            if exchange.stats.unsaved:
                print(f"llmtui: warning: {sanitize(exchange.stats.unsaved)}", file=sys.stderr)
        except BrokenPipeError:
            # `llmtui ask … | head`: the reader left. Stop the answer now (kept, marked
            # interrupted), not at the loop's shutdown; cli.main ends quietly with 141.
            await events.aclose()
            if runtime.history_off is not None:
                await _keep_without_history(runtime.history_off, exchange.stats, prompt,
                                            [p.name for p in parts])
            raise
        answer_line.write(shown.flush())
        thoughts.close()
        stats = exchange.stats
        if args.json:
            print(json_dumps(_as_json(stats, error)))
        else:
            answer_line.end(always=True)
            if error is not None:
                # A hostile server's error text must not act on the terminal either.
                print(f"llmtui: {error.kind}: {sanitize(error.message)}"
                      f"{_what_to_do(error, ref, stats.text)}", file=sys.stderr)
            elif stats.interrupted:
                print("llmtui: interrupted; the partial answer is saved", file=sys.stderr)
            elif stats.all_thought:
                print(f"llmtui: warning: {ALL_THOUGHT}", file=sys.stderr)
            if error is None or error.kind is not ErrorKind.CONFIG:
                print(_summary(stats), file=sys.stderr)
        if runtime.history_off is not None:
            await _keep_without_history(runtime.history_off, stats, prompt, [p.name for p in parts])
        if error is None:
            return 130 if stats.interrupted else 0
        return 2 if error.kind is ErrorKind.CONFIG else 1
    finally:
        await runtime.aclose()


async def _keep_without_history(problem: StoreProblem, stats: ExchangeStats, prompt: str,
                                attached: list[str]) -> None:
    """No history: the answer goes to a recovery file (llmtui.core.recovery) with its prompt,
    and one line says why and where."""
    from llmtui.core.history_off import shown
    from llmtui.core.recovery import save_answer

    where = None
    if stats.text or stats.reasoning:
        where = await asyncio.to_thread(save_answer, stats.text, model=stats.ref,
                                        why=f"history is off: {problem.shown_path} {problem.reason}",
                                        reasoning=stats.reasoning, prompt=prompt, attached=attached)
    kept = f"this answer was written to {shown(str(where))}" if where else ""
    print(f"llmtui: warning: {problem.warning(kept)}", file=sys.stderr)


def _read_stdin() -> str:
    """stdin as text; bytes that are not UTF-8 become U+FFFD instead of an exception."""
    raw = getattr(sys.stdin, "buffer", None)
    return raw.read().decode("utf-8", "replace") if raw is not None else sys.stdin.read()


def _what_to_do(error: StreamError, ref: str, text: str) -> str:
    """The end of the one error line: what the user can do."""
    hint = remedy_text(error, ref)
    kept = " (the partial answer is saved)" if text else ""
    return f"{kept} — {hint}" if hint else kept


def _cancel_on_termination() -> None:
    """SIGTERM and SIGHUP stop the answer as Ctrl+C does: the text is kept and the spend
    ledger settled, instead of the process dying with the cost unknown."""
    import signal

    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    if task is None:
        return
    for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)):
        if sig is None:
            continue
        try:
            loop.add_signal_handler(sig, task.cancel)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not on this platform / not the main thread: the default stays


def _float(amount: Any) -> float | None:
    return None if amount is None else float(amount)


def _as_json(stats: Any, error: StreamError | None) -> dict[str, Any]:
    usage = stats.usage
    cost = stats.cost_now()
    return {
        "model": stats.ref,
        "text": stats.text,
        "usage": {
            "input_tokens": stats.input_tokens,
            "output_tokens": stats.output_tokens,
            "cached_input_tokens": usage.cached_input_tokens if usage else 0,
            "estimated": usage is None,
            **thinking.usage_fields(stats),
        },
        "cost_usd": _float(cost.amount),
        "cost_source": cost.source,
        "cost_estimated": cost.estimated,
        "cost_note": cost.note or None,
        "cost_computed_usd": _float(cost.computed),
        "cache_saving_usd": _float(cache_saving(usage, stats.price)),
        "ttft_s": None if stats.ttft_s is None else round(stats.ttft_s, 4),
        **thinking.json_fields(stats),
        "duration_s": round(stats.duration_s, 4),
        "tokens_per_s": None if stats.tokens_per_s is None else round(stats.tokens_per_s, 1),
        "finish_reason": stats.finish_reason,
        "interrupted": stats.interrupted or (error is not None and bool(stats.text)),
        "served_by": stats.served_by,
        "rate_limit": stats.rate_limit.as_dict() if stats.rate_limit else None,
        "error": None if error is None else {"kind": str(error.kind), "message": error.message,
                                             "remedy": remedy_text(error, stats.ref) or None},
    }


class _AnswerLine:
    """The answer on stdout, and whether its last line is still open.

    A warning printed to stderr while the answer is mid-line would land on the answer's own
    line in a terminal, so the line is ended first — only when stdout is a terminal: a piped
    answer is not changed by what stderr says.
    """

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.open = False

    def write(self, text: str) -> None:
        if text:
            self.out.write(text)
            self.out.flush()
            self.open = not text.endswith("\n")

    def end(self, *, always: bool = False) -> None:
        """End an open line: before a warning on a terminal, or (`always`) when the answer ends."""
        if self.open and (always or self.out.isatty()):
            self.out.write("\n")
            self.out.flush()
            self.open = False
