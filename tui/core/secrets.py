"""API keys: the OS keyring (service `llmtui`), overridden by the provider's env var.

Every call here may block (D-Bus, Keychain): the TUI runs them in a thread.
A key is held in an `ApiKey`, whose repr and str never show it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Literal

# The mask and the redaction live at the provider boundary, which masks echoed keys first.
from llmtui.providers.boundary import mask as mask
from llmtui.providers.boundary import redact as redact

SERVICE = "llmtui"

NO_BACKEND_EXAMPLE = "e.g. GROQ_API_KEY"  # core.keys names the provider's own variable here
NO_BACKEND_HINT = (
    "no working OS keyring backend (e.g. a headless box without Secret Service); "
    f"set the provider's env var instead ({NO_BACKEND_EXAMPLE}), or install and unlock a keyring "
    "(gnome-keyring, KWallet, or `pip install keyrings.alt` for an encrypted file)"
)


class KeyringUnavailable(Exception):
    """The keyring cannot store or read keys here; the message says what to do."""


class ApiKey:
    """A secret that does not leak through repr, str, f-strings or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        return mask(self._value)

    def __repr__(self) -> str:
        return "ApiKey(***)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


Source = Literal["env", "keyring"]


@dataclass(frozen=True, slots=True)
class ResolvedKey:
    key: ApiKey
    source: Source
    where: str  # env var name, or "keyring"

    def describe(self) -> str:
        return f"env {self.where}" if self.source == "env" else "keyring"


def _keyring() -> Any:
    """The keyring module, imported on first use (it costs ~50 ms at start-up)."""
    import keyring

    return keyring


def _wrap(exc: BaseException) -> KeyringUnavailable:
    from keyring.errors import KeyringError, NoKeyringError

    if isinstance(exc, NoKeyringError):
        return KeyringUnavailable(NO_BACKEND_HINT)
    if isinstance(exc, KeyringError):
        return KeyringUnavailable(f"keyring error ({type(exc).__name__}); {NO_BACKEND_HINT}")
    return KeyringUnavailable(f"keyring failed ({type(exc).__name__}); {NO_BACKEND_HINT}")


def check_backend() -> None:
    """Raise KeyringUnavailable unless a real (non-fail, non-plaintext) backend is active."""
    kr = _keyring()
    try:
        backend = kr.get_keyring()
    except Exception as exc:  # noqa: BLE001 - backends raise anything at init
        raise _wrap(exc) from None
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name.lower() or "null" in name.lower():
        raise KeyringUnavailable(NO_BACKEND_HINT)


def env_key(env_vars: tuple[str, ...]) -> ResolvedKey | None:
    for var in env_vars:
        value = os.environ.get(var, "").strip()
        if value:
            return ResolvedKey(ApiKey(value), "env", var)
    return None


def keyring_key(key_id: str) -> ApiKey | None:
    """The stored key; None if absent. Raises KeyringUnavailable."""
    kr = _keyring()
    try:
        value = kr.get_password(SERVICE, key_id)
    except Exception as exc:  # noqa: BLE001
        raise _wrap(exc) from None
    return ApiKey(value) if value else None


def resolve_key(key_id: str, env_vars: tuple[str, ...]) -> ResolvedKey | None:
    """Env var first (as gh and the AWS CLI do), then the keyring.

    A broken keyring counts as no key here; `keys` commands report it.
    """
    found = env_key(env_vars)
    if found is not None:
        return found
    try:
        stored = keyring_key(key_id)
    except KeyringUnavailable:
        return None
    return ResolvedKey(stored, "keyring", "keyring") if stored else None


def set_key(key_id: str, value: str) -> None:
    value = value.strip()
    if not value:
        raise ValueError("the key is empty")
    if any(ch.isspace() for ch in value):
        raise ValueError("the key contains whitespace; paste it again")
    if not (value.isascii() and value.isprintable()):
        # Keys are printable ASCII; anything else is a paste accident (an escape sequence, a
        # smart quote) that would break every request or, printed as the mask, the screen.
        raise ValueError("the key contains control or non-ASCII characters; paste it again")
    check_backend()
    kr = _keyring()
    try:
        kr.set_password(SERVICE, key_id, value)
    except Exception as exc:  # noqa: BLE001
        raise _wrap(exc) from None


def delete_key(key_id: str) -> bool:
    """Remove the stored key; False if there was none.

    Looked up first: some backends (the null one) "delete" a key they never had.
    """
    kr = _keyring()
    from keyring.errors import PasswordDeleteError

    if keyring_key(key_id) is None:
        return False
    try:
        kr.delete_password(SERVICE, key_id)
    except PasswordDeleteError:
        return False
    except Exception as exc:  # noqa: BLE001
        raise _wrap(exc) from None
    return True
