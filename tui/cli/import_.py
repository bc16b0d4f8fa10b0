"""`llmtui import FILE...`: conversations from llmtui JSON/JSONL, simonw/llm's logs.db, or
ChatGPT's conversations.json (the format is recognised from the file). Importing a file twice
adds nothing the second time."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="an `llmtui export --format json|jsonl` file, llm's logs.db "
                        "(`llm logs path`), or ChatGPT's conversations.json")


def run(args: argparse.Namespace) -> int:
    from llmtui.cli.common import CliExit, fail, store_or_exit
    from llmtui.core.foreign import read_file
    from llmtui.core.transfer import NotImportable, import_all

    try:
        store = store_or_exit()
    except CliExit as exc:
        return exc.code
    code = 0
    try:
        for name in args.files:
            path = Path(name).expanduser()
            try:
                kind, conversations = read_file(path)
            except (NotImportable, UnicodeDecodeError) as exc:
                fail(f"{path}: {exc}")
                code = 2
                continue
            except OSError as exc:
                fail(f"{path}: cannot read: {exc.strerror or exc}")
                code = 2
                continue
            results = list(import_all(store, conversations))
            added = [cid for cid, new in results if new]
            skipped = len(results) - len(added)
            ids = f" (ids {', '.join(map(str, added))})" if added and len(added) <= 10 else ""
            note = f"; {skipped} already imported" if skipped else ""
            print(f"{path}: {kind}: imported {len(added)} conversation"
                  f"{'' if len(added) == 1 else 's'}{ids}{note}")
    finally:
        store.close()
    return code
