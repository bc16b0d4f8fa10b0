"""The provider contract: requests in, typed stream events out.

Nothing here imports httpx or Textual, so the UI can import these types before
the first paint without paying for the network stack.

One file because it is the contract itself: the request, the events, the errors and the
catalog types are the one vocabulary every adapter and all of core speak, imported by name.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit

from llmtui.providers.parts import IMAGE_LIMITS, Part, images

if TYPE_CHECKING:
    import httpx

Role = Literal["system", "user", "assistant"]

# How hard a reasoning model should think. `off` only where the provider can switch it off;
# adapters map these to their own fields (reasoning_effort, thinking budgets...).
Effort = Literal["off", "low", "medium", "high"]
EFFORTS: tuple[Effort, ...] = ("off", "low", "medium", "high")


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One turn of a conversation as sent to a provider: its text and any attachments
    (parts.py: images, text files), which each adapter encodes in its own format."""

    role: Role
    content: str
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """What one exchange asks of a provider.

    `model` is the provider-local id: for `hf/deepseek-ai/DeepSeek-R1:fastest`
    it is `deepseek-ai/DeepSeek-R1:fastest`.
    """

    model: str
    messages: tuple[ChatMessage, ...]
    system: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    reasoning_effort: Effort | None = None
    """None: the provider's default."""
    thinking_budget: int | None = None
    """Most tokens to think with, where the provider takes a budget (Anthropic, Cohere, Gemini)."""
    starts_in_thought: bool | None = None
    """The server's chat template opens `<think>` itself, so the answer streams from inside a
    thought (think_tags.py); None: decided by the model's name (reasoning.starts_in_thought)."""
    top_p: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    """Sequences that end the answer. All three are checked by llmtui.core.sampling and fitted to
    what the provider takes by providers.sampling before an adapter sees them."""

    @property
    def has_images(self) -> bool:
        return any(images(m.parts) for m in self.messages)


# ---------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of the answer, in order."""

    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """A piece of the model's thinking, in order, kept apart from the answer.

    `redacted` marks a block the provider encrypted (Anthropic `redacted_thinking`,
    Bedrock `redactedContent`): the model thought, but there is nothing to show.
    """

    text: str
    redacted: bool = False


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts as the provider reported them.

    `input_tokens` counts all prompt tokens, cached ones included;
    `cached_input_tokens` is the part read from a cache and
    `cache_write_tokens` the part written to one (both subsets of input).
    `predict_time_s` is billed hardware time (Replicate).
    `reasoning_tokens` is the part of output spent thinking, when the provider says
    (None: not reported).
    `cost_usd` is what the provider says it charged (OpenRouter `usage.cost`, xAI
    `cost_in_usd_ticks`), already checked by providers.money; None when it did not say.
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cache_write_tokens: int = 0
    predict_time_s: float | None = None
    reasoning_tokens: int | None = None
    cost_usd: Decimal | None = None
    raw: Mapping[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class UsageReport:
    """The provider's own usage figures; they replace any estimate."""

    usage: Usage


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Quota left, parsed from response headers (all optional)."""

    limit_requests: int | None = None
    remaining_requests: int | None = None
    reset_requests_s: float | None = None
    limit_tokens: int | None = None
    remaining_tokens: int | None = None
    reset_tokens_s: float | None = None
    retry_after_s: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        return {name: getattr(self, name) for name in self.__slots__}


class ErrorKind(StrEnum):
    """What went wrong, in terms a user can act on."""

    AUTH = "auth"
    RATE_LIMIT = "rate_limit"
    SERVER = "server"
    NETWORK = "network"
    BAD_REQUEST = "bad_request"
    BAD_RESPONSE = "bad_response"
    BUDGET = "budget"
    CONFIG = "config"
    CANCELLED = "cancelled"


class Remedy(StrEnum):
    """What the user can do about an error, as data: each surface words it its own way
    (the TUI with the current key of a binding, the CLI with the command to run)."""

    ADD_KEY = "add_key"
    FIX_ENV_KEY = "fix_env_key"
    RAISE_BUDGET = "raise_budget"
    FIX_CONFIG = "fix_config"
    RETRY_LATER = "retry_later"
    OTHER_MODEL = "other_model"
    CHECK_CONNECTION = "check_connection"


# The remedy an error of each kind gets unless the place that makes it knows better.
DEFAULT_REMEDY: Mapping[ErrorKind, Remedy] = {
    ErrorKind.AUTH: Remedy.ADD_KEY,
    ErrorKind.RATE_LIMIT: Remedy.RETRY_LATER,
    ErrorKind.SERVER: Remedy.OTHER_MODEL,
    ErrorKind.NETWORK: Remedy.RETRY_LATER,
    ErrorKind.BAD_REQUEST: Remedy.OTHER_MODEL,
    ErrorKind.BAD_RESPONSE: Remedy.OTHER_MODEL,
    ErrorKind.BUDGET: Remedy.RAISE_BUDGET,
    ErrorKind.CONFIG: Remedy.FIX_CONFIG,
}


@dataclass(frozen=True, slots=True)
class StreamError:
    """The stream failed; text already yielded stays valid.

    `message` says what happened and names no UI key; `remedy` says what to do about it,
    and `setting` the config setting or env var it concerns ("[budget] daily_usd").
    A remedy left out is the default for the kind.
    """

    kind: ErrorKind
    message: str
    status: int | None = None
    retry_after_s: float | None = None
    remedy: Remedy | None = None
    setting: str = ""

    def __post_init__(self) -> None:
        if self.remedy is None and self.kind is not ErrorKind.CANCELLED:
            object.__setattr__(self, "remedy", DEFAULT_REMEDY.get(self.kind))


@dataclass(frozen=True, slots=True)
class ServedBy:
    """Which backend actually served a routed request (HF router)."""

    backend: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know that does not stop the answer (usage that cannot be right)."""

    text: str
    names_model: bool = False
    """It says which provider or model answered: a blind compare holds it until the vote."""


@dataclass(frozen=True, slots=True)
class StreamDone:
    """The stream ended normally."""

    finish_reason: str | None = None


StreamEvent = (
    TextDelta | ReasoningDelta | UsageReport | RateLimit | StreamError | ServedBy | Notice | StreamDone
)


def check_image_limits(kind: str, request: ChatRequest) -> None:
    """Raise BAD_REQUEST, naming the limit, when the request's images are too large for
    this provider family (parts.IMAGE_LIMITS); called before anything is sent."""
    limit = IMAGE_LIMITS.get(kind)
    found = [image for message in request.messages for image in images(message.parts)]
    if limit is not None and found:
        problem = limit.problem(found)
        if problem:
            raise ProviderError(ErrorKind.BAD_REQUEST, problem)


def refuse_images(label: str, request: ChatRequest, why: str = "takes no images") -> None:
    """Raise BAD_REQUEST when a provider that cannot send images is given one."""
    if request.has_images:
        raise ProviderError(ErrorKind.BAD_REQUEST, f"{label}: {request.model} {why}",
                            remedy=Remedy.OTHER_MODEL)


class TooLarge(Exception):
    """A server sent more than one of the documented limits allows (a line, an event, a body)."""


class ProviderError(Exception):
    """Raised inside adapters; the stream wrapper turns it into a StreamError."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        status: int | None = None,
        retry_after_s: float | None = None,
        remedy: Remedy | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_after_s = retry_after_s
        self.remedy = remedy

    def to_event(self) -> StreamError:
        return StreamError(self.kind, self.message, self.status, self.retry_after_s, self.remedy)


# ---------------------------------------------------------------- catalog


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Rates that replace the base rates for a whole request once its prompt has more than
    `above_input_tokens` tokens (the "cliff" tiers of Gemini and Claude long context)."""

    above_input_tokens: int
    input: Decimal | None = None
    output: Decimal | None = None
    cached_input: Decimal | None = None
    cache_write: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Price:
    """USD per 1M tokens (and per second / per request where a model bills so)."""

    input: Decimal | None = None
    output: Decimal | None = None
    cached_input: Decimal | None = None
    cache_write: Decimal | None = None
    per_second: Decimal | None = None
    per_request: Decimal | None = None
    source: str = ""
    as_of: str = ""
    tiers: tuple[PriceTier, ...] = ()


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One entry of a provider's model list."""

    id: str
    provider: str
    context_length: int | None = None
    price: Price | None = None
    backends: tuple[ModelInfo, ...] = ()
    note: str = ""
    max_output_tokens: int | None = None
    """The most a model writes in one answer, where the list says (OpenRouter)."""
    input_modalities: tuple[str, ...] = ()
    """What it reads besides text, where the list says: `image`, `file`, `audio`."""
    supported_parameters: tuple[str, ...] = ()
    """Request fields it honours, where the list says: `tools`, `reasoning`, `max_tokens`."""

    @property
    def ref(self) -> str:
        return f"{self.provider}/{self.id}"


class KeyStatus(StrEnum):
    OK = "ok"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    NO_KEY = "no key"


# ---------------------------------------------------------------- provider


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """Everything needed to talk to one provider, from presets plus config."""

    id: str
    kind: str
    base_url: str
    env_var: str | None = None
    key_required: bool = True
    headers: Mapping[str, str] = field(default_factory=dict)
    models: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""

    @property
    def runs_locally(self) -> bool:
        """Built in and on this machine (demo, llama.cpp): no key, no bill, no network."""
        return self.kind in LOCAL_KINDS

    @property
    def key_id(self) -> str:
        """The keyring entry this provider's key lives under (`key_from` shares another's)."""
        return str(self.options.get("key_from") or self.id)

    @property
    def display_name(self) -> str:
        return self.label or self.id

    @property
    def on_this_machine(self) -> bool:
        """Its server is a loopback address (Ollama, llama.cpp server, vLLM, LM Studio)."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return host in ("localhost", "::1") or host.startswith("127.")

    def problem(self) -> str | None:
        """Why this provider cannot be used as configured, or None."""
        if self.kind == "openai" and not self.base_url:
            return f"{self.id}: no base_url; set [providers.{self.id}] base_url in config.toml"
        return None


LOCAL_KINDS = frozenset({"demo", "local"})

# The price of what runs on this machine: free, and known to be.
FREE_PRICE = Price(input=Decimal(0), output=Decimal(0), source="runs locally, free")


def estimate_tokens(text: str) -> int:
    """The one token estimate (streaming, budgets, the demo): about 4 bytes of UTF-8 a token."""
    return bytes_to_tokens(utf8_size(text))


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def bytes_to_tokens(size: int) -> int:
    """estimate_tokens from a size counted piece by piece (streaming: no re-reading the whole)."""
    return math.ceil(size / 4)


class Provider(Protocol):
    """A chat provider. Adapters yield events; failures become StreamError."""

    spec: ProviderSpec

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Stream one answer. Ends with StreamDone or StreamError."""
        ...

    async def list_models(self) -> list[ModelInfo]:
        """The provider's own model list (raises ProviderError)."""
        ...

    async def check_key(self) -> tuple[KeyStatus, str]:
        """A cheap authenticated call; returns status and a short detail."""
        ...


class ProviderFactory(Protocol):
    def __call__(
        self, spec: ProviderSpec, client: httpx.AsyncClient, key: str | None
    ) -> Provider: ...


def split_ref(ref: str) -> tuple[str, str]:
    """`hf/org/model:fastest` -> (`hf`, `org/model:fastest`).

    Raises ValueError when there is no provider part or no model part.
    """
    provider, sep, model = ref.partition("/")
    if not sep or not provider or not model:
        raise ValueError(
            f"model reference {ref!r} needs the form PROVIDER/MODEL, e.g. groq/llama-3.3-70b-versatile"
        )
    return provider, model
