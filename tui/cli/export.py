"""`llmtui export [ID|--last] [-o FILE]`: a conversation as Markdown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from llmtui.cli.common import CliExit, fail, store_or_exit

if TYPE_CHECKING:
    from llmtui.core.store import Store


def add_arguments(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group()
    which.add_argument("id", nargs="?", type=int, metavar="ID",
                       help="conversation id (the history screen shows it); default: the last one")
    which.add_argument("--last", action="store_true", help="the most recently updated conversation")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write ('-' for stdout); default ./llmtui-ID-TITLE.md")


def run(args: argparse.Namespace) -> int:
    try:
        return _export(args)
    except CliExit as exc:
        return exc.code


def _export(args: argparse.Namespace) -> int:
    from llmtui.core.export import conversation_markdown, export_conversation

    store: Store = store_or_exit()  # type: ignore[no-untyped-call]
    try:
        if args.id is None:
            conversation_id = store.last_conversation_id()
            if conversation_id is None:
                raise fail("no conversations yet: chat in the TUI or with `llmtui ask` first")
        else:
            conversation_id = args.id
            if store.conversation(conversation_id) is None:
                raise fail(f"no conversation {conversation_id}; `llmtui export --last` exports the "
                           "latest, and the history screen (h in the TUI) lists them all")
        if args.output == "-":
            sys.stdout.write(conversation_markdown(store, conversation_id))
            return 0
        target = Path(args.output).expanduser() if args.output else None
        try:
            written = export_conversation(store, conversation_id, target)
        except OSError as exc:
            raise fail(f"cannot write {exc.filename or target}: {exc.strerror or exc}", 1) from None
        print(written)
        return 0
    finally:
        store.close()
