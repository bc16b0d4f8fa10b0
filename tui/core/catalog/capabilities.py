"""What a model can take and do: images in, reasoning, tool calls.

Sources, first that says wins for each field:
1. The provider's own list (OpenRouter `architecture.input_modalities` and
   `supported_parameters`; passed in as `modalities` / `parameters`).
2. KNOWN below: a small dated table for the presets' well-known models, from each
   provider's model pages (checked 2026-12-01).
Anything neither says is unknown (None): sending an image then goes ahead with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

AS_OF = "2026-12-01"


@dataclass(frozen=True, slots=True)
class Capabilities:
    vision: bool | None = None
    reasoning: bool | None = None
    tools: bool | None = None
    source: str = ""

    def badges(self) -> str:
        """Small marks for the catalog (plain words: emoji widths differ between terminals)."""
        return " ".join(mark for flag, mark in ((self.vision, "img"), (self.reasoning, "think"),
                                                (self.tools, "tools")) if flag)

    def as_json(self) -> dict[str, bool | None]:
        return {"vision": self.vision, "reasoning": self.reasoning, "tools": self.tools}


UNKNOWN = Capabilities()

# (provider kind or id pattern, model pattern) -> (vision, reasoning, tools). First match wins.
_Row = tuple[str, str, bool | None, bool | None, bool | None]
KNOWN: tuple[_Row, ...] = (
    ("anthropic|bedrock", r"claude-(3-5-haiku|instant|v2)", False, False, True),
    ("anthropic|bedrock", r"claude-(3|sonnet|opus|haiku)", True, None, True),
    ("openai", r"^(gpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|chatgpt-4o)", True, None, True),
    ("openai", r"^o[134](-|$)", True, True, True),
    ("openai", r"^gpt-3\.5", False, False, True),
    ("cohere", r"vision|aya-vision", True, False, None),
    ("cohere", r"^command", False, None, True),
    ("groq", r"llama-4|vision", True, False, True),
    ("groq", r"^(llama-3|mixtral|gemma)", False, False, True),
    ("mistral", r"pixtral|mistral-(medium|small)-(2505|2506|latest)", True, False, True),
    ("gemini|google", r"gemini", True, None, True),
    ("xai", r"grok-(2-vision|4)", True, None, True),
    ("replicate", r"llava|moondream", True, False, False),
    ("demo", r".", True, None, False),  # the demo takes images (it says what it got)
)
# Reasoning by model name, wherever it is served.
_THINKERS = re.compile(r"(^|/)(o[134]|gpt-5|deepseek-r1|qwq|claude-(3-7|sonnet-4|opus-4))|thinking|reason",
                       re.IGNORECASE)


def from_table(provider: str, kind: str, model: str) -> Capabilities:
    for where, pattern, vision, reasoning, tools in KNOWN:
        if re.fullmatch(where, provider) or re.fullmatch(where, kind):
            if re.search(pattern, model, re.IGNORECASE):
                if reasoning is None and _THINKERS.search(model):
                    reasoning = True
                return Capabilities(vision, reasoning, tools, f"llmtui's table ({AS_OF})")
    if _THINKERS.search(model):
        return Capabilities(reasoning=True, source=f"model name ({AS_OF})")
    return UNKNOWN


def capabilities(provider: str, kind: str, model: str, modalities: Sequence[str] = (),
                 parameters: Sequence[str] = ()) -> Capabilities:
    """The model's capabilities from its list entry where it says, else the table."""
    table = from_table(provider, kind, model)
    if not modalities and not parameters:
        return table
    return Capabilities(
        vision=("image" in modalities) if modalities else table.vision,
        reasoning=("reasoning" in parameters) if parameters else table.reasoning,
        tools=("tools" in parameters) if parameters else table.tools,
        source=f"{provider} model list",
    )


def seeing(entries: Iterable[tuple[str, Capabilities]], limit: int = 5) -> list[str]:
    """Up to `limit` model refs whose capabilities say they take images."""
    return [ref for ref, caps in entries if caps.vision][:limit]
