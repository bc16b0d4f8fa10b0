"""API keys per provider: scan where each comes from, check one, store or delete one.

The one place that knows which providers take a key and how a key is checked; the keys
screen and `llmtui keys` only render what these functions return. Keyring calls block
(D-Bus, Keychain): callers in the TUI run them in a thread. A row never holds a key,
only its masked form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from llmtui.core.config import Config, ConfigError
from llmtui.core.secrets import (
    NO_BACKEND_EXAMPLE,
    KeyringUnavailable,
    check_backend,
    delete_key,
    env_key,
    keyring_key,
    redact,
    set_key,
)
from llmtui.providers.base import KeyStatus

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

Source = Literal["env", "keyring", "none"]


class NoKeyNeeded(ConfigError):
    """The provider runs without a key (demo, local, a keyless custom server)."""


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One provider that takes a key: where it comes from, masked (never the key)."""

    provider: str
    label: str
    key_id: str  # the keyring entry; providers may share one (`key_from`)
    env_vars: tuple[str, ...]
    env_var: str | None = None  # the variable that holds a key right now
    env_masked: str = ""
    stored_masked: str | None = None

    @property
    def source_kind(self) -> Source:
        if self.env_var is not None:
            return "env"
        return "keyring" if self.stored_masked else "none"

    @property
    def source(self) -> str:
        """`env GROQ_API_KEY (overrides keyring)`, `keyring` or `none`."""
        if self.env_var is not None:
            return f"env {self.env_var}" + (" (overrides keyring)" if self.stored_masked else "")
        return self.source_kind

    @property
    def masked(self) -> str:
        return self.env_masked if self.env_var is not None else (self.stored_masked or "")

    @property
    def env_names(self) -> str:
        return " or ".join(self.env_vars)

    @property
    def shares(self) -> str | None:
        """The provider whose key this one uses (cohere-compat uses cohere's), if another's."""
        return self.key_id if self.key_id != self.provider else None


@dataclass(frozen=True, slots=True)
class KeyScan:
    rows: tuple[KeyRow, ...]
    keyring_problem: str | None  # why the keyring cannot be used here, if it cannot


@dataclass(frozen=True, slots=True)
class KeyCheck:
    provider: str
    status: KeyStatus
    detail: str  # one line, sanitised, the key masked out
    source: str | None = None  # where the checked key came from ("env X", "keyring")

    @property
    def ok(self) -> bool:
        return self.status is KeyStatus.OK


def _row(config: Config, provider: str) -> KeyRow | None:
    spec = config.provider_spec(provider)
    env_vars = config.env_vars(provider)
    if spec.runs_locally or (not spec.key_required and not env_vars):
        return None
    return KeyRow(provider, spec.display_name, spec.key_id, env_vars)


def key_row(config: Config, provider: str) -> KeyRow:
    """The row for one provider from config alone; ConfigError if unknown or keyless."""
    row = _row(config, provider)
    if row is None:
        raise NoKeyNeeded(f"{provider} needs no key")
    return row


def key_rows(config: Config) -> list[KeyRow]:
    """Providers that take a key, from config alone (no keyring, no env lookups); one that
    uses another's key comes right after it (the two rows show one key)."""
    rows = [row for p in config.provider_ids() if (row := _row(config, p)) is not None]
    place = {row.provider: i for i, row in enumerate(rows)}
    return sorted(rows, key=lambda r: (place.get(r.key_id, place[r.provider]), r.shares is not None))


def scan(config: Config) -> KeyScan:
    """Each provider with its env and keyring key, masked, and any keyring problem. Blocking."""
    from dataclasses import replace

    problem: str | None = None
    try:
        check_backend()
    except KeyringUnavailable as exc:
        problem = str(exc)
    rows = []
    for row in key_rows(config):
        found = env_key(row.env_vars)
        stored = None
        if problem is None:
            try:
                stored = keyring_key(row.key_id)
            except KeyringUnavailable as exc:
                problem = str(exc)
        rows.append(replace(
            row,
            env_var=found.where if found else None,
            env_masked=found.key.masked() if found else "",
            stored_masked=stored.masked() if stored else None,
        ))
    return KeyScan(tuple(rows), problem)


def aws_access_keys_set(profile: str | None = None) -> bool:
    """Env access keys, or an AWS profile that names a way to get credentials (nothing is run)."""
    from llmtui.providers.aws_credentials import configured, profile_name

    return configured(profile_name(profile))


def key_states(runtime: Runtime, provider_ids: list[str]) -> dict[str, bool]:
    """Which providers can be used (blocking: keyring; call in a thread)."""
    states = {}
    for pid in provider_ids:
        try:
            spec = runtime.spec(pid)
        except Exception:  # noqa: BLE001
            continue
        if spec.kind == "bedrock":
            # Bedrock needs no llmtui key with AWS credentials (env keys or a profile), but one of the two.
            profile = spec.options.get("profile")
            states[pid] = aws_access_keys_set(str(profile) if profile else None)
            if states[pid]:
                continue
        elif not spec.key_required or spec.runs_locally:
            states[pid] = True
            continue
        try:
            states[pid] = runtime.resolve_key(pid) is not None
        except Exception:  # noqa: BLE001 - a broken keyring means "no key", not a crash
            states[pid] = False
    return states


def keyless_warning(runtime: Runtime, ref: str, keys_key: str = "ctrl+k") -> str | None:
    """What to say when the user picks a model whose provider has no key (None if it has one);
    `keys_key` opens the Keys screen (as [keymap] set it). Blocking (keyring): call in a thread."""
    provider = ref.split("/", 1)[0]
    if key_states(runtime, [provider]).get(provider, True):
        return None
    spec = runtime.spec(provider)
    if spec.kind == "bedrock":
        how = "set AWS_BEARER_TOKEN_BEDROCK, AWS access keys or [providers.bedrock] profile"
    else:
        env = runtime.config.env_vars(provider)
        how = f"set {env[0]}" if env else f"add a key for {provider}"
    return f"No key for {provider} yet: press {keys_key} to add one, or {how}. Sending will fail until then."


def scrub(text: str, key: str | None) -> str:
    """One line, no terminal escapes, and never the key (a server may echo it)."""
    from llmtui.sanitize import sanitize

    return redact(sanitize(" ".join(text.split())), key)


async def check(runtime: Runtime, provider: str) -> KeyCheck:
    """Try the provider's key with its cheapest authenticated call; a failure is a result."""
    import asyncio

    key: str | None = None
    source: str | None = None
    try:
        spec = runtime.spec(provider)
        resolved = await asyncio.to_thread(runtime.resolve_key, provider)
        if resolved is None and spec.key_required:
            where = " or ".join(("the keyring", *runtime.config.env_vars(provider)))
            return KeyCheck(provider, KeyStatus.NO_KEY, f"none in {where}")
        if spec.problem() is not None:
            return KeyCheck(provider, KeyStatus.UNREACHABLE, "no base_url configured")
        if resolved is not None:
            key, source = resolved.key.reveal(), resolved.describe()
        status, detail = await runtime.provider(provider, key).check_key()
    except ConfigError as exc:
        status, detail = KeyStatus.UNREACHABLE, str(exc)
    except Exception as exc:  # noqa: BLE001 - a failed check is a result, not a crash
        status, detail = KeyStatus.UNREACHABLE, type(exc).__name__
    return KeyCheck(provider, status, scrub(detail, key), source)


def keyring_hint(problem: str, row: KeyRow) -> str:
    """The keyring's problem, naming this provider's own env var as the way around it."""
    if row.env_vars:
        return problem.replace(NO_BACKEND_EXAMPLE, row.env_vars[0])
    return problem


def store(row: KeyRow, value: str) -> None:
    """Save a key in the keyring. ValueError (empty, whitespace) or KeyringUnavailable."""
    try:
        set_key(row.key_id, value)
    except KeyringUnavailable as exc:
        raise KeyringUnavailable(keyring_hint(str(exc), row)) from None


def delete(row: KeyRow) -> bool:
    """Remove the stored key; False when there was none. Raises KeyringUnavailable."""
    try:
        return delete_key(row.key_id)
    except KeyringUnavailable as exc:
        raise KeyringUnavailable(keyring_hint(str(exc), row)) from None
