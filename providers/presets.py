"""Built-in providers: where each lives, how it authenticates, what it is.

Every base URL can be overridden in `[providers.NAME]` (that is also how the
tests point a preset at a loopback server).
"""

from __future__ import annotations

from llmtui.providers.base import ProviderSpec

# kind -> module:class, imported only when a provider of that kind is first used.
KINDS: dict[str, str] = {
    "openai": "llmtui.providers.openai_compat:OpenAICompatProvider",
    "anthropic": "llmtui.providers.anthropic:AnthropicProvider",
    "replicate": "llmtui.providers.replicate:ReplicateProvider",
    "bedrock": "llmtui.providers.bedrock:BedrockProvider",
    "cohere": "llmtui.providers.cohere:CohereProvider",
    "demo": "llmtui.providers.demo:DemoProvider",
    "local": "llmtui.providers.local:LocalProvider",
}


def _p(
    id: str,  # noqa: A002 - the field's name in ProviderSpec
    kind: str,
    base_url: str,
    env_var: str | None,
    label: str,
    *,
    key_required: bool = True,
    **options: object,
) -> ProviderSpec:
    return ProviderSpec(
        id=id,
        kind=kind,
        base_url=base_url,
        env_var=env_var,
        key_required=key_required,
        options=options,
        label=label,
    )


PRESETS: dict[str, ProviderSpec] = {
    spec.id: spec
    for spec in (
        # OpenAI's models think without showing it; only reasoning_tokens says they did.
        _p("openai", "openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "OpenAI",
           max_tokens_field="max_completion_tokens", hides_reasoning=True),
        _p("groq", "openai", "https://api.groq.com/openai/v1", "GROQ_API_KEY", "Groq"),
        _p("together", "openai", "https://api.together.xyz/v1", "TOGETHER_API_KEY", "Together"),
        _p("hf", "openai", "https://router.huggingface.co/v1", "HF_TOKEN",
           "Hugging Face router"),
        # OpenRouter names the provider that served each answer in every chunk's `provider`
        # and reports what it charged in `usage.cost`.
        _p("openrouter", "openai", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY",
           "OpenRouter", served_by_field="provider"),
        _p("reka", "openai", "https://api.reka.ai/v1", "REKA_API_KEY", "Reka"),
        _p("mistral", "openai", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", "Mistral",
           stream_options=False, reasoning="none", seed_field="random_seed"),
        _p("xai", "openai", "https://api.x.ai/v1", "XAI_API_KEY", "xAI",
           models_path="language-models"),
        _p("deepseek", "openai", "https://api.deepseek.com", "DEEPSEEK_API_KEY", "DeepSeek"),
        _p("gemini", "openai", "https://generativelanguage.googleapis.com/v1beta/openai",
           "GEMINI_API_KEY", "Gemini", reasoning="gemini"),
        _p("cohere-compat", "openai", "https://api.cohere.ai/compatibility/v1", "CO_API_KEY",
           "Cohere, OpenAI-compatible API", stream_options=False, key_from="cohere", reasoning="none"),
        _p("azure", "openai", "", "AZURE_OPENAI_API_KEY", "Azure OpenAI", auth="api-key",
           hides_reasoning=True),
        _p("ollama", "openai", "http://localhost:11434/v1", None, "Ollama",
           key_required=False),
        _p("anthropic", "anthropic", "https://api.anthropic.com", "ANTHROPIC_API_KEY",
           "Anthropic"),
        _p("replicate", "replicate", "https://api.replicate.com", "REPLICATE_API_TOKEN",
           "Replicate"),
        # No key is fine when AWS access keys are set (SigV4); the adapter says so if neither is.
        _p("bedrock", "bedrock", "", "AWS_BEARER_TOKEN_BEDROCK", "AWS Bedrock",
           key_required=False),
        _p("cohere", "cohere", "https://api.cohere.com", "CO_API_KEY", "Cohere (native v2 API)"),
        _p("demo", "demo", "", None, "Demo (simulated)", key_required=False),
        _p("local", "local", "", None, "Local (llama.cpp)", key_required=False),
    )
}

# Env vars each provider's key may come from, first wins. The first is the conventional one.
ENV_VARS: dict[str, tuple[str, ...]] = {
    "openai": ("OPENAI_API_KEY",),
    "groq": ("GROQ_API_KEY",),
    "together": ("TOGETHER_API_KEY",),
    "hf": ("HF_TOKEN",),
    "openrouter": ("OPENROUTER_API_KEY",),
    "reka": ("REKA_API_KEY",),
    "mistral": ("MISTRAL_API_KEY",),
    "xai": ("XAI_API_KEY",),
    "deepseek": ("DEEPSEEK_API_KEY",),
    "gemini": ("GEMINI_API_KEY",),
    "cohere": ("CO_API_KEY", "COHERE_API_KEY"),
    "azure": ("AZURE_OPENAI_API_KEY",),
    "anthropic": ("ANTHROPIC_API_KEY",),
    "replicate": ("REPLICATE_API_TOKEN",),
    "bedrock": ("AWS_BEARER_TOKEN_BEDROCK",),
}
