"""Reading one value of config.toml, or one clear line saying what is wrong with it:
`file:line: [table] key: problem`. The checks config_tables.py builds its dataclasses with."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """One clear line: `file:line: key: problem`."""


class Where:
    """Finds the line a key was written on, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, table: str, key: str | None) -> int | None:
        header = re.compile(r"^\s*\[\s*" + _table_pattern(table) + r"\s*\]\s*(#.*)?$")
        start = 0
        if table:
            for i, line in enumerate(self.lines):
                if header.match(line):
                    start = i
                    if key is None:
                        return i + 1
                    break
        if key is None:
            return None
        pat = re.compile(r"^\s*(\"?)" + re.escape(key) + r"\1\s*=")
        for i in range(start, len(self.lines)):
            if pat.match(self.lines[i]):
                return i + 1
        return start + 1 if table else None

    def error(self, table: str, key: str | None, problem: str) -> ConfigError:
        line = self.line_of(table, key)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = ".".join(p for p in (f"[{table}]" if table else "", key or "") if p)
        return ConfigError(f"{where}: {name}: {problem}")


def _table_pattern(table: str) -> str:
    parts = []
    for part in _split_table(table):
        parts.append(r"(?:" + re.escape(part) + r"|\"" + re.escape(part) + r"\")")
    return r"\s*\.\s*".join(parts)


def _split_table(table: str) -> list[str]:
    # `prices."groq/llama"` -> ["prices", "groq/llama"]
    out: list[str] = []
    for m in re.finditer(r'"([^"]*)"|([^.]+)', table):
        out.append(m.group(1) if m.group(1) is not None else m.group(2))
    return out


def type_name(value: Any) -> str:
    return type(value).__name__.replace("str", "string").replace("dict", "table")


def check_keys(w: Where, table: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    for key in data:
        if key not in allowed:
            raise w.error(table, key, f"unknown key (allowed: {', '.join(sorted(allowed))})")


def get_str(w: Where, table: str, data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise w.error(table, key, f"expected a string, got {type_name(value)} {value!r}")
    return value


def get_num(w: Where, table: str, data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise w.error(table, key, f"expected a number, got {type_name(value)} {value!r}")
    if not math.isfinite(value):
        raise w.error(table, key, f"expected a finite number, got {value!r}")
    return float(value)


def get_bool(w: Where, table: str, data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise w.error(table, key, f"expected true or false, got {type_name(value)}")
    return value


def get_int(w: Where, table: str, data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise w.error(table, key, f"expected a whole number ≥ 0, got {value!r}")
    return value


def get_usd(w: Where, table: str, data: Mapping[str, Any], key: str) -> Decimal | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise w.error(table, key, f"expected a price in USD, got {value!r}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise w.error(table, key, f"expected a price in USD, got {value!r}") from None
    # is_finite first: comparing a NaN Decimal raises
    if not amount.is_finite() or amount < 0:
        what = "a budget" if table == "budget" or key.endswith("get_usd") else "a price"
        raise w.error(table, key, f"{what} cannot be {value!r}")
    return amount


def get_table(w: Where, table: str, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise w.error(table, key, f"expected a table, got {type_name(value)} {value!r}")
    return value


def model_ref(w: Where, table: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or "/" not in value.strip("/"):
        raise w.error(table, key, f"expected a model reference PROVIDER/MODEL, got {value!r}")
    return value


def check_url(w: Where, table: str, url: str) -> None:
    """A base_url that httpx can use; the value is never quoted (a pasted key lands here too)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError as exc:
        raise w.error(table, "base_url", f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise w.error(table, "base_url", "expected an http(s) URL such as https://api.example.com/v1")
    if "@" in parts.netloc:
        # httpx would send user:password@ as Basic auth in place of the provider's key
        raise w.error(table, "base_url", "base_url must not carry a user name or password; put the key "
                      "in the keyring or the provider's env var")

