"""`llmtui history [--search TEXT] [--json] | show ID | delete ID | rename ID TITLE`.

Argparse and printing over `llmtui.core.history`, the functions the History screen uses.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from llmtui.cli.arg_types import count, record_id
from llmtui.cli.common import CliExit, fail, store_or_exit
from llmtui.sanitize import json_dumps

if TYPE_CHECKING:
    from llmtui.core.history import HistoryRow
    from llmtui.core.store import Store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.usage = ("%(prog)s [--search TEXT] [--json] [-n N]\n"
               "       %(prog)s show|delete ID\n       %(prog)s rename ID TITLE")
    p.add_argument("--search", metavar="TEXT", help="only conversations whose title or messages match")
    p.add_argument("--json", action="store_true", help="print a JSON array instead of a table")
    p.add_argument("-n", "--limit", type=count, default=None, metavar="N",
                   help="at most N conversations, newest first (default: all, up to 2000)")
    # prog: without it the subcommands' usage lines would repeat this usage text
    sub = p.add_subparsers(dest="action", metavar="ACTION", prog=p.prog)
    show = sub.add_parser("show", help="print one conversation as Markdown")
    show.add_argument("id", type=record_id, metavar="ID")
    delete = sub.add_parser("delete", help="delete a conversation and its messages")
    delete.add_argument("id", type=record_id, metavar="ID")
    rename = sub.add_parser("rename", help="give a conversation a new title")
    rename.add_argument("id", type=record_id, metavar="ID")
    rename.add_argument("title", nargs="+", metavar="TITLE")


def run(args: argparse.Namespace) -> int:
    store = None
    try:
        store = store_or_exit()
        if args.action == "show":
            return _show(store, args.id)
        if args.action == "delete":
            return _delete(store, args.id)
        if args.action == "rename":
            return _rename(store, args.id, " ".join(args.title))
        return _list(store, args.search or "", args.limit, args.json)
    except CliExit as exc:
        return exc.code
    finally:
        if store is not None:
            store.close()


def _missing(conversation_id: int) -> CliExit:
    return fail(f"no conversation {conversation_id}; `llmtui history` lists them")


def _list(store: Store, query: str, limit: int | None, as_json: bool) -> int:
    from llmtui.core.history import PAGE, rows

    if limit is not None and limit < 1:
        raise fail("--limit must be at least 1")
    found = rows(store, query, limit or PAGE)
    if as_json:
        print(json_dumps([row.as_json() for row in found], indent=2))
        return 0
    if not found:
        print("no matches" if query.strip() else
              "no conversations yet: chat in the TUI or with `llmtui ask` first", file=sys.stderr)
        return 0
    _table(found)
    return 0


def _table(found: list[HistoryRow]) -> None:
    from llmtui.cli.table import table
    from llmtui.core.history import models_text, title_text, when

    lines = [(str(r.id), when(r.conversation.updated_at), r.conversation.mode, str(r.messages),
              title_text(r.conversation), models_text(r.conversation, hidden=r.hidden)) for r in found]
    head = ("ID", "UPDATED", "MODE", "MSGS", "TITLE", "MODELS")
    print("\n".join(table(head, lines, align="rllrll")))


def _show(store: Store, conversation_id: int) -> int:
    from llmtui.core.export import conversation_markdown

    if store.conversation(conversation_id) is None:
        raise _missing(conversation_id)
    sys.stdout.write(conversation_markdown(store, conversation_id))
    return 0


def _delete(store: Store, conversation_id: int) -> int:
    from llmtui.core.history import delete

    if not delete(store, conversation_id):
        raise _missing(conversation_id)
    print(f"deleted conversation {conversation_id}")
    return 0


def _rename(store: Store, conversation_id: int, title: str) -> int:
    from llmtui.core.history import clean_title, rename

    try:
        renamed = rename(store, conversation_id, title)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if not renamed:
        raise _missing(conversation_id)
    print(f"renamed conversation {conversation_id} to {clean_title(title)!r}")
    return 0
