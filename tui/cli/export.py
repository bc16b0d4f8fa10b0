"""`llmtui export [ID|--last] [--format md|json|jsonl] [-o FILE]`: a conversation as a file.

Markdown is for reading; JSON and JSONL carry everything `llmtui import` needs to restore it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from llmtui.cli.arg_types import record_id
from llmtui.cli.common import CliExit, fail, store_or_exit

if TYPE_CHECKING:
    from llmtui.core.store import Store


def add_arguments(p: argparse.ArgumentParser) -> None:
    which = p.add_mutually_exclusive_group()
    which.add_argument("id", nargs="?", type=record_id, metavar="ID",
                       help="conversation id (the history screen shows it); default: the last one")
    which.add_argument("--last", action="store_true", help="the most recently updated conversation")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="where to write ('-' for stdout); default ./llmtui-ID-TITLE.md (or .json/.jsonl)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="md (default; or from -o's suffix), json or jsonl (both re-importable)")
    p.add_argument("--embed-images", action="store_true",
                   help="Markdown: attachments inline (images as data: URLs); default: written to "
                        "a FILE_files/ folder beside the export and linked")
    p.add_argument("--force", action="store_true",
                   help="replace an existing export file (and its files folder's files); never "
                        "a symlink")
    p.add_argument("--no-reasoning", action="store_true",
                   help="leave out the models' thinking (Markdown shows it in a folded block)")


FORMATS = ("md", "json", "jsonl")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lstrip(".").lower() if args.output and args.output != "-" else ""
    return suffix if suffix in FORMATS else "md"


def _render(store: Store, conversation_id: int, fmt: str, reasoning: bool = True,
            target: Path | None = None, embed_images: bool = False, replace: bool = False) -> str:
    """`target`: where the Markdown goes (its attachments beside it); None: stdout (the
    attachments are only named unless embedded)."""
    from llmtui.core.export import conversation_markdown
    from llmtui.core.export_files import Beside, embed, mention
    from llmtui.core.transfer import conversation_json, conversation_jsonl

    if fmt == "md":
        files = embed if embed_images else (Beside(target, replace) if target is not None else mention)
        return conversation_markdown(store, conversation_id, reasoning=reasoning, attachments=files)
    render = {"json": conversation_json, "jsonl": conversation_jsonl}[fmt]
    return render(store, conversation_id, reasoning=reasoning)


def run(args: argparse.Namespace) -> int:
    try:
        return _export(args)
    except CliExit as exc:
        return exc.code


def _export(args: argparse.Namespace) -> int:
    from llmtui.core.attachments import shown
    from llmtui.core.export import default_path
    from llmtui.core.private_files import check_free, write_private

    store: Store = store_or_exit()
    try:
        if args.id is None:
            conversation_id = store.last_conversation_id()
            if conversation_id is None:
                raise fail("no conversations yet: chat in the TUI or with `llmtui ask` first")
        else:
            conversation_id = args.id
            if store.conversation(conversation_id) is None:
                raise fail(f"no conversation {conversation_id}; `llmtui export --last` exports the "
                           "latest, and the history screen (ctrl+o in the TUI) lists them all")
        fmt = _format(args)
        if args.output == "-":
            sys.stdout.write(_render(store, conversation_id, fmt, reasoning=not args.no_reasoning,
                                     embed_images=args.embed_images))
            return 0
        target = (Path(args.output).expanduser() if args.output
                  else default_path(store, conversation_id).with_suffix(f".{fmt}"))
        try:
            check_free(target, args.force)  # before any attachment is written beside it
            text = _render(store, conversation_id, fmt, reasoning=not args.no_reasoning,
                           target=target, embed_images=args.embed_images, replace=args.force)
            write_private(target, text, replace=args.force)
        except OSError as exc:
            raise fail(f"cannot write {shown(exc.filename or target)}: {exc.strerror or exc}", 1) from None
        print(target)
        return 0
    finally:
        store.close()
