"""Command line: `llmtui` opens the TUI; subcommands do one thing from the shell.

Only argument parsing lives here; each command is its own module, imported when
it runs, so `llmtui --help` and the TUI's first paint stay fast.
Exit codes: 0 ok, 1 provider error, 2 usage or config error.

One-word rule: `llmtui WORD` is a command. A single word that is not one (`llmtui
leaderbord`) is an error with a suggestion, never a prompt sent to a model at a cost; a
prompt with a space in it (`llmtui "what is WAL"`) starts the TUI with it, and `llmtui --
WORD` sends a one-word prompt on purpose.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from llmtui import __version__
from llmtui.cli.arg_types import record_id

# subcommand -> module with `add_arguments(parser)` and `run(args) -> int`
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("llmtui.cli.ask", "send one prompt and stream the answer to stdout"),
    "keys": ("llmtui.cli.keys", "manage API keys in the OS keyring"),
    "models": ("llmtui.cli.models", "list models with prices and context length"),
    "spend": ("llmtui.cli.spend", "what you have spent, by provider, model or day"),
    "export": ("llmtui.cli.export", "export a conversation to Markdown, JSON or JSONL"),
    "import": ("llmtui.cli.import_", "import conversations: llmtui JSON/JSONL, llm's logs.db, ChatGPT"),
    "history": ("llmtui.cli.history", "list, search, show, rename or delete stored conversations"),
    "compare": ("llmtui.cli.compare", "one prompt or a prompt set on 2-4 models at once, with metrics"),
    "vote": ("llmtui.cli.vote", "judge a stored compare run blind, pair by pair"),
    "leaderboard": ("llmtui.cli.leaderboard", "ratings from your blind votes, with their uncertainty"),
    "paths": ("llmtui.cli.paths", "where llmtui reads and writes its files"),
    "completion": ("llmtui.cli.completion", "print a bash, zsh or fish completion script"),
    "doctor": ("llmtui.cli.doctor", "versions, files, key sources, network, terminal, for a bug report"),
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
        epilog="A single word is read as a command, never as a prompt: `llmtui leaderbord` "
        "is an error. A prompt needs a space (`llmtui \"explain WAL mode\"`); to send one word, "
        "put -- before it (`llmtui -- hello`).",
    )
    p.add_argument("--version", action="version", version=f"llmtui {__version__}")
    p.add_argument("--debug", action="store_true",
                   help="write a debug log (no bodies, keys masked); see `llmtui paths`")
    p.add_argument("-m", "--model", help="model to chat with, PROVIDER/MODEL")
    p.add_argument("--compare", nargs="+", metavar="MODEL",
                   help="open compare mode on 2 to 4 models (PROVIDER/MODEL each)")
    p.add_argument("--blind", action="store_true",
                   help="with --compare A B: sides drawn at random each round, names hidden "
                        "until you vote")
    p.add_argument("--preset", metavar="NAME", help="start with [presets.NAME] from config.toml")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--resume", type=record_id, metavar="ID", help="reopen a stored conversation")
    group.add_argument("--last", action="store_true", help="reopen the most recent conversation")
    p.add_argument("prompt", nargs="?",
                   help="send this prompt on start (more than one word; see below for one)")
    return p


def _command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = _Parser(prog=f"llmtui {name}", description=help_text)
    module.add_arguments(parser)
    return parser, module


def _log_start(args: list[str]) -> None:
    if os.environ.get("LLMTUI_LOG"):
        from llmtui.core.debuglog import setup

        logger = setup()
        if logger is not None:
            command = args[0] if args and args[0] in COMMANDS else "tui"
            logger.info("llmtui %s started: %s", __version__, command)


def _looks_like_ref(word: str) -> bool:
    return "/" in word and not any(c.isspace() for c in word)


def main(argv: Sequence[str] | None = None) -> int:
    # httpx imports its own command line (click, rich.progress: ~15 ms on the way to the first
    # answer) unless that import fails, when it keeps a stub; this program never runs it.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # `llmtui history --json | head -1`: the reader left, which is not an error to report.
        # Point stdout at /dev/null so the interpreter's last flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports a command killed by it


def _main(args: list[str]) -> int:
    if args[:1] == ["--debug"]:  # before a subcommand too: `llmtui --debug ask ...`
        args = args[1:]
        os.environ["LLMTUI_LOG"] = "debug"
    _log_start(args)
    if args and args[0] in COMMANDS:
        parser, module = _command_parser(args[0])
        parsed = parser.parse_args(args[1:])
        import sqlite3

        from llmtui.cli.common import CliExit

        try:
            return int(module.run(parsed))  # type: ignore[attr-defined]
        except CliExit as exc:  # a command that failed before its own handler
            return exc.code
        except KeyboardInterrupt:
            return 130
        except sqlite3.DatabaseError as exc:  # a damaged page met mid-command: one line, no traceback
            from llmtui.cli.common import damaged_store

            return damaged_store(exc).code
    if args and args[0] == "help":
        _tui_parser().print_help()
        return 0
    if len(args) > 1 and not args[0].startswith("-") and _looks_like_a_command(args[0], args):
        # `llmtui histroy --json`, or an unquoted `llmtui hello world`: one word first, which
        # can only be a command (a one-word prompt is refused anyway)
        print(f"llmtui: error: {_unknown_command(args[0], args[1:])}", file=sys.stderr)
        return 2
    parser = _tui_parser()
    parsed = parser.parse_args(args)
    while (parsed.compare and len(parsed.compare) > 2 and parsed.prompt is None
           and not _looks_like_ref(parsed.compare[-1])):
        parsed.prompt = parsed.compare.pop()  # `--compare A B "a prompt"`: the prompt follows
    if parsed.compare is not None and not 2 <= len(parsed.compare) <= 4:
        parser.error(f"--compare takes 2 to 4 models, not {len(parsed.compare)}")
    if parsed.compare is not None and len(set(parsed.compare)) != len(parsed.compare):
        parser.error("--compare names a model twice")
    if parsed.blind and (not parsed.compare or len(parsed.compare) != 2):
        parser.error("--blind needs --compare A B: exactly two models (it hides which of the "
                     "two answered)")
    if parsed.prompt is not None and _looks_like_a_command(parsed.prompt, args):
        parser.exit(2, f"llmtui: error: {_unknown_command(parsed.prompt)}\n")
    from llmtui.cli.tui import run_tui

    return run_tui(parsed)


def _looks_like_a_command(prompt: str, args: list[str]) -> bool:
    """One word, not after `--`: the user meant a command (see the module docstring)."""
    after_dashes = args[args.index("--") + 1:] if "--" in args else []
    if prompt in after_dashes:
        return False
    return bool(prompt.strip()) and len(prompt.split()) == 1


def _unknown_command(word: str, rest: Sequence[str] = ()) -> str:
    import difflib
    import shlex

    from llmtui.sanitize import sanitize

    shown = sanitize(word)
    close = difflib.get_close_matches(word.lower(), [*COMMANDS, "help"], n=1, cutoff=0.6)
    close = close or [c for c in COMMANDS if c.startswith(word.lower()) or word.lower().startswith(c)]
    how = f"a one-word prompt needs --: llmtui -- {shown}"
    if rest:
        quoted = shlex.quote(" ".join([word, *rest]))
        how = f"a prompt of several words goes in quotes: llmtui {sanitize(quoted)}"
    if close:
        return f"unknown command '{shown}'; did you mean '{close[0]}'? ({how})"
    return f"unknown command '{shown}' (commands: {', '.join(COMMANDS)}; {how})"
