"""`llmtui compare`: the same prompt(s) on 2-4 models at once, for scripts and CI.

Output: plain text (each answer under its model, then a metrics table and, over several
runs or prompts, a per-model summary), `--json` (one object) or `--jsonl` (one line per
result as it ends). Stored as a compare run whose id `llmtui vote RUN_ID` judges blind.
Exit 0 when every model answered every time, 1 when any failed (the rest still printed),
2 for usage errors (and a spending limit the batch would pass, before anything is sent).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmtui.cli import attach_args, sampling_args, thinking
from llmtui.cli.common import CliExit, fail, load_config_or_exit
from llmtui.cli.table import table
from llmtui.sanitize import json_dumps

if TYPE_CHECKING:
    from collections.abc import Callable

    from llmtui.core.batch import BatchResult, Heard, Summary
    from llmtui.core.runtime import Runtime

MAX_MODELS = 4
MAX_RUNS = 100


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Send a prompt (or every prompt of a file) to 2-4 models at once and print their "
        "answers with TTFT, tokens/s and cost. Models stream concurrently; with --runs N each "
        "prompt goes N times to every model, one round after another. Percentiles (p50, p95) "
        "interpolate linearly between the closest ranks (numpy's default): p50 of 1,2,3,4 is "
        "2.5. They cover answers that did not fail; the mean cost covers every result whose "
        "cost is known. Spending limits are checked for the whole batch before anything is sent."
    )
    p.epilog = (
        "Exit status: 0 when every model answered every time; 1 when any failed (the rest is "
        "still printed); 2 for a usage error or a spending limit the batch would pass (then "
        "nothing is sent). The batch is saved as a compare run: `llmtui vote RUN_ID` judges "
        "its answers blind, `llmtui history` lists it."
    )
    p.add_argument("-m", "--model", action="append", dest="models", metavar="PROVIDER/MODEL",
                   help=f"a model to compare (give -m up to {MAX_MODELS} times; one model with "
                        "--runs N measures its variance)")
    p.add_argument("--runs", type=int, default=1, metavar="N",
                   help=f"send each prompt N times to every model (1-{MAX_RUNS}; default 1)")
    p.add_argument("--prompts", type=Path, metavar="FILE",
                   help="a prompt set: one prompt per line, or JSON Lines with id, prompt and "
                        "optional system")
    p.add_argument("-s", "--system", help="system prompt (a JSONL line's own system wins)")
    sampling_args.add_arguments(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true",
                     help="one JSON object: run_id, results (one per model and run), summary")
    out.add_argument("--jsonl", action="store_true",
                     help="one JSON object per result, a line each, as each answer ends")
    attach_args.add_argument(p)
    p.add_argument("prompt", nargs="?", help="the prompt; - reads it from stdin")


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_compare(args))
    except CliExit as exc:
        return exc.code
    except KeyboardInterrupt:
        return 130


def _items(args: argparse.Namespace) -> list[Any]:
    """The prompts, each carrying the `-a` attachments (the same files go to every model)."""
    from dataclasses import replace

    from llmtui.core.prompt_set import PromptItem, PromptSetError, load_prompt_set

    if args.prompts is not None and args.prompt is not None:
        raise fail("give a PROMPT or --prompts FILE, not both")
    parts = attach_args.read_attachments(args)
    if args.prompts is not None:
        try:
            return [replace(item, parts=parts) for item in load_prompt_set(args.prompts)]
        except PromptSetError as exc:
            raise fail(str(exc)) from None
    if args.prompt is None:
        raise fail("give a PROMPT (- reads stdin) or --prompts FILE")
    if args.prompt == "-" and attach_args.uses_stdin(args):
        raise fail("-a - reads the file from stdin: give the prompt as an argument")
    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        raise fail("the prompt is empty")
    return [PromptItem("1", prompt, parts=parts)]


def _check_args(args: argparse.Namespace, config: Any) -> list[str]:
    from llmtui.core.launch import UsageError, check_model

    models: list[str] = args.models or []
    if not 1 <= len(models) <= MAX_MODELS:
        raise fail(f"name 1 to {MAX_MODELS} models with -m (got {len(models)})")
    if len(set(models)) != len(models):
        raise fail("a model is named twice; use --runs N to send it more than once")
    if not 1 <= args.runs <= MAX_RUNS:
        raise fail(f"--runs must be 1 to {MAX_RUNS}")
    try:
        for ref in models:
            check_model(config, ref, "-m")
    except UsageError as exc:
        raise fail(str(exc)) from None
    return models


async def _compare(args: argparse.Namespace) -> int:
    from llmtui.core import batch
    from llmtui.core.batch_budget import release
    from llmtui.core.budget import Refused
    from llmtui.core.runtime import Runtime
    from llmtui.providers.base import ErrorKind

    flags = sampling_args.sampling_from(args)
    config = load_config_or_exit()
    models = _check_args(args, config)
    items = _items(args)
    defaults = config.defaults
    # What the flags leave unset comes from [models."REF"], then [defaults] (config.sampling_for).
    settings = batch.Settings(system=args.system if args.system is not None else defaults.system,
                              sampling=flags)
    runtime = Runtime(config)  # a store that cannot be used: no history (one warning line)
    try:
        try:
            reservations = await asyncio.to_thread(batch.prepare, runtime, models, items,
                                                   args.runs, settings)
        except Refused as refused:  # over a limit, or a model that cannot take the images
            error = refused.error
            if error.kind == ErrorKind.BUDGET:
                raise fail(f"budget: {error.message}") from None
            raise fail(error.message, 1) from None
        prompt_set = args.prompts.name if args.prompts is not None else None
        try:
            run = await asyncio.to_thread(
                runtime.store.new_run, models, repeats=args.runs, prompt_set=prompt_set,
                system=settings.system, title=_title(items, prompt_set))
        except BaseException:
            await asyncio.to_thread(release, runtime, reservations)  # none was sent
            raise
        results: list[BatchResult] = []
        try:
            listener = _notices(runs=args.runs > 1, prompts=len(items) > 1)
            async for result in batch.run_batch(runtime, run, items, settings, reservations,
                                                listener):
                results.append(result)
                if args.jsonl:
                    print(json_dumps(_result_json(result)), flush=True)
        except (KeyboardInterrupt, asyncio.CancelledError):
            print("llmtui: interrupted; the answers so far are saved", file=sys.stderr)
            return 130
        summaries = batch.summarize(models, results)
        if args.json:
            print(json_dumps({
                "run_id": run.id, "conversation_id": run.conversation_id,
                "results": [_result_json(r) for r in _ordered(results)],
                "summary": {s.model: _summary_json(s) for s in summaries},
            }))
        elif not args.jsonl:
            _print_text(_ordered(results), summaries, several=len(items) * args.runs > 1)
        if runtime.history_off is not None:
            await _keep_without_history(runtime, run.conversation_id)
        else:
            print(f"llmtui: saved as compare run {run.id} (conversation {run.conversation_id}); "
                  f"judge it blind with: llmtui vote {run.id}", file=sys.stderr)
        return 1 if any(r.failed for r in results) else 0
    finally:
        await runtime.aclose()


async def _keep_without_history(runtime: Runtime, conversation_id: int) -> None:
    """No history: the whole run (every answer, as `export` writes it) goes to a 0600
    recovery file, and one line says why and where."""
    from llmtui.core.export import export_conversation
    from llmtui.core.history_off import shown
    from llmtui.core.recovery import save

    problem = runtime.history_off
    assert problem is not None
    where = await asyncio.to_thread(
        save, lambda path: export_conversation(runtime.store, conversation_id, path, replace=True),
        "compare-")  # replace: the new empty file recovery.save made for it
    kept = f"the answers were written to {shown(str(where))}" if where else ""
    print(f"llmtui: warning: {problem.warning(kept)}", file=sys.stderr)


def _notices(*, runs: bool, prompts: bool) -> Callable[[Heard], None]:
    """Each answer's notices and retries on stderr as they happen, one line each, as `ask`
    words them, headed by whose they are: the model (and the run and prompt, when several)."""
    from llmtui.core.retry import Retrying
    from llmtui.sanitize import one_line

    def say(heard: Heard) -> None:
        whose = [heard.model] + ([f"run {heard.run}"] if runs else [])
        whose += [f"prompt {one_line(heard.item.id)}"] if prompts else []
        event = heard.event
        if isinstance(event, Retrying):
            what = (f"{one_line(event.reason)}; retrying in {event.wait_s:.1f}s "
                    f"(attempt {event.attempt + 1})")
        else:
            what = f"warning: {one_line(event.text)}"
        print(f"llmtui: [{one_line(' · '.join(whose))}] {what}", file=sys.stderr, flush=True)

    return say


def _title(items: list[Any], prompt_set: str | None) -> str:
    if prompt_set is not None:
        return f"prompt set {prompt_set} ({len(items)} prompts)"
    return " ".join(items[0].prompt.split())[:80]


def _ordered(results: list[BatchResult]) -> list[BatchResult]:
    """In the order asked: prompt by prompt, run by run, model by model (not finishing order)."""
    order = {id(r.item): n for n, r in enumerate(results)}
    return sorted(results, key=lambda r: (order[id(r.item)], r.run, r.lane))


def _num(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _result_json(r: BatchResult) -> dict[str, Any]:
    stats = r.stats
    return {
        "model": r.model,
        "run": r.run,
        "prompt_id": r.item.id,
        "text": stats.text,
        "ttft_s": _num(stats.ttft_s, 4),
        **thinking.json_fields(stats),
        "tokens_per_s": _num(stats.tokens_per_s, 1),
        "usage": {
            "input_tokens": stats.input_tokens,
            "output_tokens": stats.output_tokens,
            "cached_input_tokens": stats.usage.cached_input_tokens if stats.usage else 0,
            "estimated": stats.usage is None,
            **thinking.usage_fields(stats),
        },
        "cost_usd": None if stats.cost.amount is None else float(stats.cost.amount),
        "error": _error_json(r),
    }


def _error_json(r: BatchResult) -> dict[str, str] | None:
    if r.error is not None:
        return {"kind": str(r.error.kind), "message": r.error.message}
    if r.stats.interrupted:
        return {"kind": "interrupted", "message": "stopped before the answer was complete"}
    return None


def _summary_json(s: Summary) -> dict[str, Any]:
    return {
        "results": s.results,
        "errors": s.errors,
        "ttft_s": {"p50": _num(s.ttft_p50, 4), "p95": _num(s.ttft_p95, 4)},
        "tokens_per_s": {"p50": _num(s.tps_p50, 1), "p95": _num(s.tps_p95, 1)},
        "mean_cost_usd": None if s.mean_cost is None else float(s.mean_cost),
    }


def _print_text(results: list[BatchResult], summaries: list[Summary], *, several: bool) -> None:
    from llmtui.core.pricing.cost import format_usd
    from llmtui.sanitize import sanitize

    last_round: tuple[str, int] | None = None
    for r in results:
        if several and (r.item.id, r.run) != last_round:
            last_round = (r.item.id, r.run)
            print(f"=== prompt {sanitize(r.item.id)} · run {r.run} ===\n")
        print(f"── {sanitize(r.model)} ──")
        text = sanitize(r.stats.text).rstrip("\n")
        if text:
            print(text)
        error = _error_json(r)
        if error is not None:
            print(f"[{error['kind']}: {sanitize(error['message'])}]")
        print()

    def cell(value: float | None, fmt: str) -> str:
        return "–" if value is None else format(value, fmt)

    rows = [[sanitize(r.model), str(r.run), sanitize(r.item.id),
             cell(r.stats.ttft_s, ".2f"), cell(r.stats.tokens_per_s, ".1f"),
             f"{r.stats.input_tokens}/{r.stats.output_tokens}" + ("~" if r.stats.usage is None else ""),
             r.stats.cost.display(), "error" if r.failed else "ok"] for r in results]
    header = ["MODEL", "RUN", "PROMPT", "TTFT s", "TOK/S", "TOKENS IN/OUT", "COST", "STATUS"]
    for line in table(header, rows):
        print(line)
    if several:
        print()
        rows = [[sanitize(s.model), str(s.results), str(s.errors), cell(s.ttft_p50, ".2f"),
                 cell(s.ttft_p95, ".2f"), cell(s.tps_p50, ".1f"), cell(s.tps_p95, ".1f"),
                 "–" if s.mean_cost is None else format_usd(s.mean_cost)] for s in summaries]
        header = ["MODEL", "RESULTS", "ERRORS", "TTFT p50", "TTFT p95", "TOK/S p50", "TOK/S p95",
                  "MEAN COST"]
        for line in table(header, rows):
            print(line)
