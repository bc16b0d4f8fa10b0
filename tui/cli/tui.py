"""`llmtui` with no subcommand: the TUI."""

from __future__ import annotations

import argparse
import sys


def run_tui(args: argparse.Namespace) -> int:
    from llmtui.core.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as exc:
        print(f"llmtui: error: {exc}", file=sys.stderr)
        return 2
    from llmtui.app import LlmApp

    resume: int | str | None = "last" if args.last else args.resume
    app = LlmApp(config, model=args.model, compare=args.compare, prompt=args.prompt,
                 blind=args.blind, resume=resume)
    result = app.run()
    if isinstance(result, str) and result.startswith("llmtui: error:"):
        print(result, file=sys.stderr)  # e.g. the store cannot be opened
    return int(app.return_code or 0)
