"""`llmtui keys set|list|check|delete`: API keys in the OS keyring."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from llmtui.cli.common import CliExit, fail, load_config_or_exit
from llmtui.core.config import Config, ConfigError


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = sub.add_parser("set", help="store a key (hidden prompt; one line from stdin when piped)")
    s.add_argument("provider")
    sub.add_parser("list", help="providers, where each key comes from, masked")
    c = sub.add_parser("check", help="try each key with a cheap authenticated call")
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


def _key_id(config: Config, provider: str) -> str:
    try:
        spec = config.provider_spec(provider)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    if not spec.key_required and not config.env_vars(provider):
        raise fail(f"{provider} needs no key")
    return str(spec.options.get("key_from") or provider)


def _set(config: Config, provider: str) -> int:
    from llmtui.core.secrets import KeyringUnavailable, set_key

    key_id = _key_id(config, provider)
    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"API key for {provider} (input hidden): ")
    else:
        value = sys.stdin.readline()
    try:
        set_key(key_id, value)
    except ValueError as exc:
        raise fail(str(exc)) from None
    except KeyringUnavailable as exc:
        raise fail(str(exc), 1) from None
    from llmtui.core.secrets import mask

    print(f"stored the key for {provider} in the OS keyring ({mask(value)})")
    env = [v for v in config.env_vars(provider) if os.environ.get(v)]
    if env:
        print(f"note: {env[0]} is set and overrides the stored key", file=sys.stderr)
    return 0


def _list(config: Config) -> int:
    from llmtui.core.secrets import KeyringUnavailable, check_backend, env_key, keyring_key

    keyring_problem = None
    try:
        check_backend()
    except KeyringUnavailable as exc:
        keyring_problem = str(exc)
    rows = []
    for provider in config.provider_ids():
        spec = config.provider_spec(provider)
        env_vars = config.env_vars(provider)
        if not spec.key_required and not env_vars:
            continue
        key_id = str(spec.options.get("key_from") or provider)
        found = env_key(env_vars)
        stored = None
        if keyring_problem is None:
            try:
                stored = keyring_key(key_id)
            except KeyringUnavailable as exc:
                keyring_problem = str(exc)
        if found is not None:
            source, masked = f"env {found.where}", found.key.masked()
            if stored is not None:
                source += " (overrides keyring)"
        elif stored is not None:
            source, masked = "keyring", stored.masked()
        else:
            source, masked = "-", ""
        rows.append((provider, source, masked, ", ".join(env_vars)))
    width = max(len(r[0]) for r in rows)
    swidth = max(len(r[1]) for r in rows)
    print(f"{'PROVIDER':<{width}}  {'SOURCE':<{swidth}}  KEY")
    for provider, source, masked, env_names in rows:
        hint = masked or f"(none; set with `llmtui keys set {provider}` or {env_names})"
        print(f"{provider:<{width}}  {source:<{swidth}}  {hint}")
    if keyring_problem:
        print(f"llmtui: keyring: {keyring_problem}", file=sys.stderr)
    return 0


async def _check(config: Config, only: str | None) -> int:
    from llmtui.core.runtime import Runtime
    from llmtui.core.store import Store
    from llmtui.providers.base import KeyStatus

    runtime = Runtime(config, Store())
    providers = [only] if only else config.provider_ids()
    worst = 0
    try:
        for provider in providers:
            try:
                spec = runtime.spec(provider)
            except ConfigError as exc:
                raise fail(str(exc)) from None
            if spec.kind in ("demo", "local"):
                continue
            resolved = await asyncio.to_thread(runtime.resolve_key, provider)
            if resolved is None and spec.key_required:
                if only:
                    print(f"{provider}: no key")
                    worst = 1
                continue
            if not spec.base_url and spec.kind == "openai":
                print(f"{provider}: no base_url configured")
                continue
            key = resolved.key.reveal() if resolved else None
            status, detail = await runtime.provider(provider, key).check_key()
            source = f" (key from {resolved.describe()})" if resolved else ""
            print(f"{provider}: {status}{source}: {detail}")
            if status is not KeyStatus.OK:
                worst = 1
    finally:
        await runtime.aclose()
    return worst


def _delete(config: Config, provider: str) -> int:
    from llmtui.core.secrets import KeyringUnavailable, delete_key

    key_id = _key_id(config, provider)
    try:
        removed = delete_key(key_id)
    except KeyringUnavailable as exc:
        raise fail(str(exc), 1) from None
    print(f"deleted the stored key for {provider}" if removed else f"no stored key for {provider}")
    return 0
