"""Command line: `llmtui` opens the TUI; subcommands do one thing from the shell.

Only argument parsing lives here; each command is its own module, imported when
it runs, so `llmtui --help` and the TUI's first paint stay fast.
Exit codes: 0 ok, 1 provider error, 2 usage or config error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from llmtui import __version__

# subcommand -> module with `add_arguments(parser)` and `run(args) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("llmtui.cli.ask", "send one prompt and stream the answer to stdout"),
    "keys": ("llmtui.cli.keys", "manage API keys in the OS keyring"),
    "models": ("llmtui.cli.models", "list models with prices and context length"),
    "spend": ("llmtui.cli.spend", "what you have spent, by provider, model or day"),
    "export": ("llmtui.cli.export", "export a conversation to Markdown"),
    "history": ("llmtui.cli.history", "list, search, show, rename or delete stored conversations"),
    "leaderboard": ("llmtui.cli.leaderboard", "your blind-compare win rates"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _tui_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="llmtui",
        description="Chat with, and compare, models from many LLM providers. "
        f"Commands: {', '.join(COMMANDS)} (llmtui COMMAND --help).",
    )
    p.add_argument("--version", action="version", version=f"llmtui {__version__}")
    p.add_argument("-m", "--model", help="model to chat with, PROVIDER/MODEL")
    p.add_argument("--compare", nargs=2, metavar=("A", "B"), help="open compare mode on two models")
    p.add_argument("--blind", action="store_true", help="compare with model names hidden until you vote")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--resume", type=int, metavar="ID", help="reopen a stored conversation")
    group.add_argument("--last", action="store_true", help="reopen the most recent conversation")
    p.add_argument("prompt", nargs="?", help="send this prompt on start")
    return p


def _command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = _Parser(prog=f"llmtui {name}", description=help_text)
    module.add_arguments(parser)
    return parser, module


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        parser, module = _command_parser(args[0])
        parsed = parser.parse_args(args[1:])
        try:
            return int(module.run(parsed))  # type: ignore[attr-defined]
        except KeyboardInterrupt:
            return 130
    if args and args[0] == "help":
        _tui_parser().print_help()
        return 0
    parsed = _tui_parser().parse_args(args)
    from llmtui.cli.tui import run_tui

    return run_tui(parsed)
