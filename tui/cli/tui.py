"""`llmtui` with no subcommand: check what the flags name, then run the TUI."""

from __future__ import annotations

import argparse
import gc
import sys


def run_tui(args: argparse.Namespace) -> int:
    # Start-up builds ~70,000 objects that live as long as the app (modules, classes, the
    # config): the cyclic collector walking them, over and over while they are imported, and
    # fully once more before the first frame, was ~10 % of the CPU to the first paint. It is
    # off while they are built; then they are frozen (never walked again) and it is back on.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    from llmtui.cli.common import CliExit, fail, load_config_or_exit
    from llmtui.core.config import ConfigError
    from llmtui.core.launch import UsageError, check_models

    try:
        config = load_config_or_exit()
        try:
            check_models(config, args.model, args.compare)
            if args.preset is not None:
                try:
                    config.preset(args.preset)
                except ConfigError as exc:
                    raise fail(str(exc)) from None
            if args.resume is not None:
                _check_resume(args.resume)
        except UsageError as exc:
            raise fail(str(exc)) from None
    except CliExit as exc:
        return exc.code
    problem = _no_terminal()
    if problem:
        print(f"llmtui: error: {problem}", file=sys.stderr)
        return 2
    from llmtui.app import LlmApp

    resume: int | str | None = "last" if args.last else args.resume
    app = LlmApp(config, model=args.model, compare=args.compare, prompt=args.prompt,
                 blind=args.blind, resume=resume, preset=args.preset)
    gc.freeze()
    gc.enable()
    result = app.run()
    if isinstance(result, str) and result.startswith("llmtui: error:"):
        print(result, file=sys.stderr)  # e.g. the store cannot be opened
    return int(app.return_code or 0)


def _no_terminal() -> str:
    """Why the TUI cannot run here, or "". It reads keys from stdin and draws on stderr
    (Textual's driver); on /dev/null or a pipe its input thread reads end-of-file forever
    and the app sat at ~40% CPU with nobody to see it. stdout may be redirected."""
    for name, stream in (("stdin", sys.stdin), ("stderr", sys.stderr)):
        try:
            tty = stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed
            tty = False
        if not tty:
            return (f"the TUI needs a terminal, and {name} is not one; from scripts use "
                    "`llmtui ask` or `llmtui compare`")
    return ""


def _check_resume(resume: int) -> None:
    """A conversation that is not there is a usage error; a store that cannot be read is
    the TUI's to report (it starts without history and says why)."""
    from llmtui.core.history_off import STORE_ERRORS
    from llmtui.core.launch import check_resume
    from llmtui.core.store import Store

    try:
        store = Store()
    except STORE_ERRORS:
        return
    try:
        check_resume(store, resume)
    except STORE_ERRORS:
        pass
    finally:
        store.close()
