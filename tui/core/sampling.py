"""Sampling parameters (temperature, top_p, max_tokens, seed, stop) as one value, and the one
place they are checked: CLI flags, `[models."P/M"]` / `[defaults]` / `[presets]` tables, the
TUI's parameters panel and stored conversations all parse through here.

The ranges are the widest any supported provider documents that every one can take or clamp:
temperature 0-2 (OpenAI; Anthropic and Cohere cap at 1 and say so), top_p 0-1, seed a 32-bit
unsigned integer (what every seeded API accepts), at most 4 stop sequences (OpenAI's limit, the
smallest; Cohere takes 5, Bedrock 2500) of 1-64 characters without control characters. What a
provider does not take at all is fitted per request by llmtui.providers.sampling, with a notice.
No Textual here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

TEMPERATURE_MAX = 2.0
SEED_MAX = 2**32 - 1
MAX_TOKENS_MAX = 10_000_000
MAX_STOPS = 4
STOP_MAX_CHARS = 64

NAMES = ("temperature", "top_p", "max_tokens", "seed", "stop")


class SamplingError(ValueError):
    """A value that cannot be sent; the message is one line naming the parameter and range."""


@dataclass(frozen=True, slots=True)
class Sampling:
    """None (or no stops): not set here, so the next source down applies (or the provider's own)."""

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()

    def over(self, lower: Sampling) -> Sampling:
        """These values where set, `lower`'s elsewhere."""
        return Sampling(
            temperature=self.temperature if self.temperature is not None else lower.temperature,
            top_p=self.top_p if self.top_p is not None else lower.top_p,
            max_tokens=self.max_tokens if self.max_tokens is not None else lower.max_tokens,
            seed=self.seed if self.seed is not None else lower.seed,
            stop=self.stop or lower.stop,
        )

    @property
    def is_empty(self) -> bool:
        return self == Sampling()

    def as_dict(self) -> dict[str, Any]:
        """The set values only (what is stored and exported)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value != ():
                out[f.name] = list(value) if f.name == "stop" else value
        return out

    def compact(self) -> str:
        """`t0.2 p0.9 max 500 seed 7 stop "###"` — short enough for a lane's title."""
        parts: list[str] = []
        if self.temperature is not None:
            parts.append(f"t{self.temperature:g}")
        if self.top_p is not None:
            parts.append(f"p{self.top_p:g}")
        if self.max_tokens is not None:
            parts.append(f"max {self.max_tokens}")
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        if len(self.stop) == 1:
            parts.append(f"stop {json.dumps(self.stop[0], ensure_ascii=False)}")
        elif self.stop:
            parts.append(f"{len(self.stop)} stops")
        return " ".join(parts)


# ---------------------------------------------------------------- checking one value


def check_temperature(value: float) -> float:
    return _unit("temperature", value, TEMPERATURE_MAX)


def check_top_p(value: float) -> float:
    return _unit("top_p", value, 1.0)


def check_max_tokens(value: int) -> int:
    return _whole("max_tokens", value)


def check_seed(value: int) -> int:
    return _whole("seed", value)


def _whole(name: str, value: object, shown: str | None = None) -> int:
    """The one range rule for seed and max_tokens, whether from config.toml, a flag or the panel."""
    low, top = (0, SEED_MAX) if name == "seed" else (1, MAX_TOKENS_MAX)
    rule = f"{name} must be a whole number from {low:,} to {top:,}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise SamplingError(f"{rule}, got {shown if shown is not None else repr(value)}")
    if not low <= value <= top:
        raise SamplingError(f"{rule}; {value:,} is outside {low:,} to {top:,}")
    return value


def check_stop(values: Iterable[str]) -> tuple[str, ...]:
    stops = tuple(values)
    if len(stops) > MAX_STOPS:
        raise SamplingError(f"stop takes at most {MAX_STOPS} sequences, got {len(stops)}")
    for stop in stops:
        if not isinstance(stop, str) or not 1 <= len(stop) <= STOP_MAX_CHARS:
            raise SamplingError(f"each stop sequence must be 1 to {STOP_MAX_CHARS} characters")
        if any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0 for c in stop):
            # Newline and tab are common stops ("\n\n"); other control characters are not text.
            raise SamplingError("a stop sequence may not hold control characters (newline and tab are fine)")
    if len(set(stops)) != len(stops):
        raise SamplingError("stop sequences repeat one another")
    return stops


def _unit(name: str, value: float, top: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SamplingError(f"{name} must be a number from 0 to {top:g}, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= top:
        raise SamplingError(f"{name} must be a number from 0 to {top:g}, got {value!r}")
    return number


# ---------------------------------------------------------------- text in (flags, the panel)


def parse_float(name: str, text: str) -> float:
    """`--top-p 0.9`, a panel field: a checked number; raises SamplingError quoting `text`."""
    top = TEMPERATURE_MAX if name == "temperature" else 1.0
    try:
        return _unit(name, float(text.strip()), top)
    except (ValueError, SamplingError):
        raise SamplingError(f"{name} must be a number from 0 to {top:g}, got {text.strip()!r}") from None


def parse_int(name: str, text: str) -> int:
    """`--seed 7`, `--max-tokens 500` (or `1e9`): a checked whole number; raises SamplingError
    quoting `text`."""
    raw = text.strip()
    number: object = raw
    try:
        number = int(raw)
    except ValueError:
        try:  # 1e6 is a whole number too; say it is out of range, not that it is not a number
            as_float = float(raw)
        except ValueError:
            pass
        else:
            if math.isfinite(as_float) and as_float.is_integer():
                number = int(as_float)
    return _whole(name, number, shown=repr(raw))


def parse_stop_text(text: str) -> tuple[str, ...]:
    """The panel's stop field: sequences separated by `|` (as a JSON string each, to hold a
    `|`, a space at the ends or `\\n`: `"\\n\\n" | ###`); raises SamplingError."""
    stops: list[str] = []
    for piece in _split_bars(text):
        piece = piece.strip()
        if not piece:
            continue
        if piece.startswith('"'):
            try:
                decoded = json.loads(piece)
            except ValueError:
                raise SamplingError(f"stop: {piece} is not a valid quoted string") from None
            if not isinstance(decoded, str):
                raise SamplingError(f"stop: {piece} is not a string")
            piece = decoded
        stops.append(piece)
    return check_stop(stops)


def stop_text(stops: Iterable[str]) -> str:
    """The inverse of parse_stop_text: what the panel's field shows."""
    out = []
    for stop in stops:
        plain = stop == stop.strip() and stop.isprintable() and "|" not in stop and not stop.startswith('"')
        out.append(stop if plain else json.dumps(stop, ensure_ascii=False))
    return " | ".join(out)


def from_texts(texts: Mapping[str, str]) -> Sampling:
    """The panel's fields by name (blank: not set); raises SamplingError for the first bad one."""
    def text(name: str) -> str:
        return texts.get(name, "").strip()

    return Sampling(
        temperature=parse_float("temperature", text("temperature")) if text("temperature") else None,
        top_p=parse_float("top_p", text("top_p")) if text("top_p") else None,
        max_tokens=parse_int("max_tokens", text("max_tokens")) if text("max_tokens") else None,
        seed=parse_int("seed", text("seed")) if text("seed") else None,
        stop=parse_stop_text(text("stop")),
    )


def as_texts(sampling: Sampling) -> dict[str, str]:
    """The inverse of from_texts: what the panel's fields show."""
    def shown(value: float | int | None) -> str:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)

    return {"temperature": shown(sampling.temperature), "top_p": shown(sampling.top_p),
            "max_tokens": shown(sampling.max_tokens), "seed": shown(sampling.seed),
            "stop": stop_text(sampling.stop)}


def _split_bars(text: str) -> list[str]:
    """Split on `|` outside double quotes."""
    pieces, current, quoted, escaped = [], "", False, False
    for char in text:
        if quoted and escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "|" and not quoted:
            pieces.append(current)
            current = ""
            continue
        current += char
    pieces.append(current)
    return pieces


# ---------------------------------------------------------------- data in (config, the store)


def from_mapping(data: Mapping[str, Any]) -> Sampling:
    """A `[models."P/M"]`-style table or a stored JSON object; raises SamplingError on a bad value.
    Keys other than the five are the caller's (config_tables.py checks them)."""
    values: dict[str, Any] = {}
    if data.get("temperature") is not None:
        values["temperature"] = check_temperature(data["temperature"])
    if data.get("top_p") is not None:
        values["top_p"] = check_top_p(data["top_p"])
    if data.get("max_tokens") is not None:
        values["max_tokens"] = check_max_tokens(data["max_tokens"])
    if data.get("seed") is not None:
        values["seed"] = check_seed(data["seed"])
    stop = data.get("stop")
    if stop is not None:
        if isinstance(stop, str):
            stop = [stop]
        if not isinstance(stop, list):
            raise SamplingError("stop must be a string or a list of strings")
        values["stop"] = check_stop(stop)
    return Sampling(**values)


def from_json(text: str | None) -> Sampling:
    """What the store holds for an answer; anything unreadable is no parameters, never a crash."""
    if not text:
        return Sampling()
    try:
        data = json.loads(text)
        return from_mapping(data) if isinstance(data, dict) else Sampling()
    except (ValueError, TypeError):
        return Sampling()


def to_json(sampling: Sampling) -> str | None:
    return json.dumps(sampling.as_dict(), ensure_ascii=False) if not sampling.is_empty else None


def without(sampling: Sampling, names: Iterable[str]) -> Sampling:
    """`sampling` with these parameters unset."""
    cleared: dict[str, Any] = {n: (() if n == "stop" else None) for n in names}
    return replace(sampling, **cleared)
