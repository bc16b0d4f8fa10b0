"""`llmtui paths`: where llmtui reads and writes its files, one `name: path` per line."""

from __future__ import annotations

import argparse
from pathlib import Path

from llmtui.sanitize import json_dumps


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object")


def all_paths() -> dict[str, Path]:
    from llmtui import paths

    return {
        "config": paths.config_file(),
        "settings": paths.settings_file(),
        "data": paths.data_dir(),
        "store": paths.store_file(),
        "cache": paths.cache_dir(),
        "log": paths.log_file(),
    }


def run(args: argparse.Namespace) -> int:
    found = all_paths()
    if args.json:
        print(json_dumps({name: str(path) for name, path in found.items()}, indent=2))
        return 0
    width = max(map(len, found))
    for name, path in found.items():
        # a mistyped LLMTUI_CONFIG would otherwise look like a config that is read
        note = "  (no file there: the defaults apply)" if name == "config" and not path.exists() else ""
        print(f"{name + ':':<{width + 1}} {path}{note}")
    return 0
