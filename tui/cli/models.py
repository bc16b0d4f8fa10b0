"""`llmtui models`: the catalog (model, context length, price per 1M tokens, its source)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from decimal import Decimal
from typing import TYPE_CHECKING

from llmtui.cli.common import CliExit, fail, load_config_or_exit, store_or_exit
from llmtui.sanitize import json_dumps

if TYPE_CHECKING:
    from llmtui.core.catalog.entry import CatalogEntry


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--provider", "-p", action="append",
                   help="only this provider (repeatable), e.g. --provider hf")
    p.add_argument("--search", "-s", metavar="TEXT", help="only models whose name contains TEXT")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.add_argument("--refresh", action="store_true",
                   help="fetch every provider's list now instead of using the day-old cache")


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_models(args))
    except CliExit as exc:
        return exc.code


async def _models(args: argparse.Namespace) -> int:
    from llmtui.core.catalog.build import load_catalog
    from llmtui.core.catalog.entry import search
    from llmtui.core.config import ConfigError
    from llmtui.core.runtime import Runtime

    config = load_config_or_exit()
    runtime = Runtime(config, store_or_exit())
    problems: list[str] = []
    try:
        try:
            entries = await load_catalog(runtime, args.refresh, providers=args.provider,
                                         problems=problems)
        except ConfigError as exc:
            raise fail(str(exc), 2) from None
    finally:
        await runtime.aclose()
    if args.search:
        entries = search(entries, args.search)
    for problem in problems:
        print(f"llmtui: warning: {problem}", file=sys.stderr)
    if args.json:
        print(json_dumps([e.as_json() for e in entries], indent=1))
    else:
        _print_table(entries, args.search, failed=bool(problems))
    return 0


def _rate(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0")
    whole, _, frac = text.partition(".")
    return f"${whole}.{frac.ljust(2, '0')}"


def _context(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value // 1000}k" if value >= 1000 else str(value)


def _price_cells(entry: CatalogEntry) -> list[str]:
    p = entry.price
    if p is None:
        return ["$?", "$?", "–", "no price known"]
    if p.input is None and p.output is None:
        extra = (f"{_rate(p.per_request * 1000)}/1k req" if p.per_request is not None
                 else f"{_rate(p.per_second)}/s" if p.per_second is not None else "$?")
        return [extra, "", "", _source(entry)]
    return [_rate(p.input), _rate(p.output), _rate(p.cached_input), _source(entry)]


def _source(entry: CatalogEntry) -> str:
    p = entry.price
    if p is None:
        return ""
    tiers = " +tiers" if p.tiers else ""
    return f"{p.source}{' ' + p.as_of if p.as_of else ''}{tiers}"


def _print_table(entries: list[CatalogEntry], searched: str | None = None, *, failed: bool = False) -> None:
    head = ["MODEL", "CONTEXT", "IN/1M", "OUT/1M", "CACHED/1M", "PRICE SOURCE"]
    rows: list[list[str]] = []
    for entry in entries:
        rows.append([entry.ref, _context(entry.context_length), *_price_cells(entry)])
        for backend in entry.backends:
            rows.append([f"  via :{backend.id.rsplit(':', 1)[-1]}", _context(backend.context_length),
                         *_price_cells(backend)])
        for route in entry.routes:
            rows.append([f"  route {entry.provider}/{route}", "", "", "", "", "router picks"])
    if not rows:
        if searched:
            print(f"no model matches {searched!r} (llmtui models lists them all)", file=sys.stderr)
        elif failed:  # the warnings above say why; a key is not what is missing
            print("no models (the lists above could not be fetched)", file=sys.stderr)
        else:
            print("no models (add a key with `llmtui keys set PROVIDER`)", file=sys.stderr)
        return
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
