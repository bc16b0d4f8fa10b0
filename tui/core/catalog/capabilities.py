"""What a model can take and do: images in, reasoning, tool calls.

Sources, first that says wins for each field:
1. The provider's own list (OpenRouter `architecture.input_modalities` and
   `supported_parameters`; passed in as `modalities` / `parameters`).
2. KNOWN below: a small dated table for the presets' well-known models, by their documented
   ids, from each provider's model pages (checked 2026-12-01; o3-mini, o1-mini and o1-preview
   take no images, as OpenAI's model pages say; Claude 2.x and instant, and 3.5 Haiku, neither).
3. A guess from the model's name (`vision`, `-vl`, `llava`; `reasoning`, `thinking`, `r1`):
   marked as a guess (`img?`, `think?`; `guessed` in JSON), never taken as a fact: an image
   to a model only guessed to see goes ahead with a warning, as for one nobody knows.
Anything none says is unknown (None): sending an image then goes ahead with a warning.
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
    guessed: tuple[str, ...] = ()
    """The fields only guessed from the model's name (`vision`, `reasoning`)."""

    def badges(self) -> str:
        """Small marks for the catalog (plain words: emoji widths differ between terminals);
        a guess ends in `?`."""
        return " ".join(mark + ("?" if field in self.guessed else "")
                        for flag, mark, field in ((self.vision, "img", "vision"),
                                                  (self.reasoning, "think", "reasoning"),
                                                  (self.tools, "tools", "tools")) if flag)

    @property
    def sees(self) -> bool:
        """A source says it takes images (not a guess)."""
        return bool(self.vision) and "vision" not in self.guessed

    def as_json(self) -> dict[str, bool | None | list[str]]:
        return {"vision": self.vision, "reasoning": self.reasoning, "tools": self.tools,
                "guessed": list(self.guessed)}


UNKNOWN = Capabilities()

# (provider kind or id pattern, model pattern) -> (vision, reasoning, tools). First match wins.
_Row = tuple[str, str, bool | None, bool | None, bool | None]
KNOWN: tuple[_Row, ...] = (
    ("anthropic|bedrock", r"claude-(3-5-haiku|instant|v2|2(\.|-|$))", False, False, True),
    ("anthropic|bedrock", r"claude-(3|sonnet|opus|haiku)", True, None, True),
    ("openai", r"^(gpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|chatgpt-4o)", True, None, True),
    ("openai", r"^o3-mini(-|$)", False, True, True),
    ("openai", r"^o1-(mini|preview)(-|$)", False, True, False),
    ("openai", r"^o[134](-|$)", True, True, True),
    ("openai", r"^gpt-3\.5", False, False, True),
    ("cohere", r"command-a-vision|aya-vision", True, False, None),
    ("cohere", r"^command", False, None, True),
    ("groq", r"llama-4-(scout|maverick)|llama-3\.2-(11b|90b)-vision", True, False, True),
    ("groq", r"^(llama-3|mixtral|gemma)", False, False, True),
    ("mistral", r"pixtral|mistral-(medium|small)-(2505|2506|latest)", True, False, True),
    ("gemini|google", r"gemini", True, None, True),
    ("xai", r"grok-(2-vision|4)", True, None, True),
    ("replicate", r"llava|moondream", True, False, False),
    ("demo", r".", True, None, False),  # the demo takes images (it says what it got)
)
# Guesses from a model's name, wherever it is served: shown with `?`, never taken as facts.
_THINKERS = re.compile(r"(^|/)(o[134]|gpt-5|deepseek-r1|qwq|claude-(3-7|sonnet-4|opus-4))|thinking|reason",
                       re.IGNORECASE)
_SEERS = re.compile(r"vision|(^|[-_/])vl([-_]|$)|llava|pixtral|moondream", re.IGNORECASE)


def from_table(provider: str, kind: str, model: str) -> Capabilities:
    for where, pattern, vision, reasoning, tools in KNOWN:
        if re.fullmatch(where, provider) or re.fullmatch(where, kind):
            if re.search(pattern, model, re.IGNORECASE):
                guessed: tuple[str, ...] = ()
                if reasoning is None and _THINKERS.search(model):
                    reasoning, guessed = True, ("reasoning",)
                return Capabilities(vision, reasoning, tools, f"llmtui's table ({AS_OF})", guessed)
    guessed = tuple(field for field, name in (("vision", _SEERS), ("reasoning", _THINKERS))
                    if name.search(model))
    if guessed:
        return Capabilities(vision=True if "vision" in guessed else None,
                            reasoning=True if "reasoning" in guessed else None,
                            source=f"a guess from its name ({AS_OF})", guessed=guessed)
    return UNKNOWN


def capabilities(provider: str, kind: str, model: str, modalities: Sequence[str] = (),
                 parameters: Sequence[str] = ()) -> Capabilities:
    """The model's capabilities from its list entry where it says, else the table."""
    table = from_table(provider, kind, model)
    if not modalities and not parameters:
        return table
    guessed = tuple(f for f, listed in (("vision", modalities), ("reasoning", parameters))
                    if f in table.guessed and not listed)
    return Capabilities(
        vision=("image" in modalities) if modalities else table.vision,
        reasoning=("reasoning" in parameters) if parameters else table.reasoning,
        tools=("tools" in parameters) if parameters else table.tools,
        source=f"{provider} model list",
        guessed=guessed,
    )


def seeing(entries: Iterable[tuple[str, Capabilities, bool]], limit: int = 5,
           first: Sequence[str] = ()) -> list[str]:
    """Up to `limit` refs a source says take images, for "models that can": those in `first`
    (the models in play), then the ones you can call (a key, or none needed), then the rest;
    the simulated demo only when nothing real can. Entries: (ref, caps, callable)."""
    real = [(ref, ready) for ref, caps, ready in entries if caps.sees and not ref.startswith("demo/")]
    demo = [ref for ref, caps, _ in entries if caps.sees and ref.startswith("demo/")]
    ordered = [ref for ref in first if any(ref == r for r, _ in real)]
    ordered += [ref for ref, ready in real if ready] + [ref for ref, ready in real if not ready]
    found = list(dict.fromkeys(ordered)) or demo
    return found[:limit]
