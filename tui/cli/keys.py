"""`llmtui keys set|list|check|delete`: printing what `llmtui.core.keys` finds and does."""

from __future__ import annotations

import argparse
import asyncio
import sys

from llmtui.cli.common import CliExit, fail, load_config_or_exit
from llmtui.core.config import Config, ConfigError
from llmtui.core.keys import KeyRow


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = sub.add_parser("set", help="store a key (hidden prompt; one line from stdin when piped)")
    s.add_argument("provider")
    sub.add_parser("list", help="providers, where each key comes from, masked")
    c = sub.add_parser("check", help="try each stored or env key with a cheap authenticated call")
    c.add_argument("provider", nargs="?")
    d = sub.add_parser("delete", help="remove a stored key")
    d.add_argument("provider")


def run(args: argparse.Namespace) -> int:
    config = load_config_or_exit()
    try:
        if args.action == "set":
            return _set(config, args.provider)
        if args.action == "list":
            return _list(config)
        if args.action == "check":
            return asyncio.run(_check(config, args.provider))
        return _delete(config, args.provider)
    except CliExit as exc:
        return exc.code


def _row(config: Config, provider: str) -> KeyRow:
    from llmtui.core.keys import key_row

    try:
        return key_row(config, provider)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def _set(config: Config, provider: str) -> int:
    from llmtui.core.keys import keyring_hint, store
    from llmtui.core.secrets import KeyringUnavailable, check_backend, env_key, mask

    row = _row(config, provider)
    try:
        check_backend()  # before asking for a key that could not be saved
    except KeyringUnavailable as exc:
        raise fail(keyring_hint(str(exc), row), 1) from None
    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"API key for {provider} (input hidden): ")
    else:
        value = sys.stdin.readline()
    try:
        store(row, value)
    except ValueError as exc:
        raise fail(str(exc)) from None
    except KeyringUnavailable as exc:
        raise fail(str(exc), 1) from None
    print(f"stored the key for {provider} in the OS keyring ({mask(value)})")
    found = env_key(row.env_vars)
    if found is not None:
        print(f"note: {found.where} is set and overrides the stored key", file=sys.stderr)
    return 0


def _list(config: Config) -> int:
    from llmtui.core.keys import scan

    result = scan(config)
    rows = result.rows
    width = max(len(r.provider) for r in rows)
    swidth = max(len(r.source) for r in rows)
    print(f"{'PROVIDER':<{width}}  {'SOURCE':<{swidth}}  KEY")
    for row in rows:
        env = ", ".join(row.env_vars)
        hint = row.masked or f"(none; set with `llmtui keys set {row.shares or row.provider}` or {env})"
        if row.shares:  # two rows, one key: say so, or they look like two things to set up
            hint = f"{row.masked} (the same key as {row.shares})" if row.masked else \
                f"(none; uses {row.shares}'s key)"
        print(f"{row.provider:<{width}}  {row.source:<{swidth}}  {hint}")
    if result.keyring_problem:
        print(f"llmtui: keyring: {result.keyring_problem}", file=sys.stderr)
    return 0


async def _check(config: Config, only: str | None) -> int:
    """One provider: checked whatever its state. All: those that have a key to try."""
    from llmtui.core.keys import check, key_rows, scan
    from llmtui.core.runtime import Runtime
    from llmtui.providers.base import KeyStatus

    if only:
        try:
            config.provider_spec(only)
        except ConfigError as exc:
            raise fail(str(exc)) from None
        providers = [only]
    else:
        keyed = {r.provider for r in (await asyncio.to_thread(scan, config)).rows
                 if r.source_kind != "none"}
        providers = [r.provider for r in key_rows(config) if r.provider in keyed]
        if not providers:
            print("no keys to check; add one with `llmtui keys set PROVIDER`", file=sys.stderr)
            return 0
    runtime = Runtime(config)
    worst = 0
    try:
        for provider in providers:
            result = await check(runtime, provider)
            source = f" (key from {result.source})" if result.source else ""
            fix = f"; set one with `llmtui keys set {provider}`" if result.status is KeyStatus.NO_KEY else ""
            print(f"{provider}: {result.status}{source}: {result.detail}{fix}")
            worst = worst or (0 if result.ok else 1)
    finally:
        await runtime.aclose()
    return worst


def _delete(config: Config, provider: str) -> int:
    from llmtui.core.keys import delete
    from llmtui.core.secrets import KeyringUnavailable, env_key

    row = _row(config, provider)
    try:
        removed = delete(row)
    except KeyringUnavailable as exc:
        raise fail(str(exc), 1) from None
    if not removed:
        print(f"llmtui: no stored key for {provider}; nothing deleted", file=sys.stderr)
        return 1
    print(f"deleted the stored key for {provider}")
    found = env_key(row.env_vars)
    if found is not None:
        print(f"note: {found.where} is still set and still provides a key", file=sys.stderr)
    return 0
