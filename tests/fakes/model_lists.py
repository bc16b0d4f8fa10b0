"""Model-list bodies as the providers send them (shapes from providers.md §2, §3, §10, §1)."""

from __future__ import annotations

HF_ROUTER_MODELS = {
    "object": "list",
    "data": [
        {
            "id": "acme/TinyChat-1B", "object": "model", "created": 1745000000, "owned_by": "acme",
            "architecture": {"input_modalities": ["text"], "output_modalities": ["text"]},
            "providers": [
                {"provider": "together", "status": "live", "context_length": 131072,
                 "pricing": {"input": 0.2, "output": 0.6}, "supports_tools": True,
                 "supports_structured_output": True, "is_model_author": False},
                {"provider": "novita", "status": "live", "context_length": 65536,
                 "pricing": {"input": 4, "output": 4}, "supports_tools": False,
                 "supports_structured_output": False, "is_model_author": False},
                {"provider": "hf-inference", "status": "staging", "supports_tools": False,
                 "supports_structured_output": False, "is_model_author": True},
            ],
        },
        {
            "id": "Qwen/Qwen3-8B", "object": "model", "created": 1745000001, "owned_by": "Qwen",
            "architecture": {"input_modalities": ["text"], "output_modalities": ["text"]},
            "providers": [
                {"provider": "nscale", "status": "live", "context_length": 40960,
                 "pricing": {"input": 0.07, "output": 0.29}},
            ],
        },
    ],
}

TOGETHER_MODELS = [
    {"id": "meta-llama/Llama-3.3-70B-Instruct-Turbo", "object": "model", "created": 1733000000,
     "type": "chat", "display_name": "Llama 3.3 70B Instruct Turbo", "organization": "Meta",
     "link": "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct", "license": "llama3.3",
     "context_length": 131072,
     "pricing": {"input": 0.88, "output": 0.88, "hourly": 0, "base": 0, "finetune": 0}},
    {"id": "acme/Priced-Unknown", "object": "model", "created": 1733000001, "type": "chat",
     "display_name": "Unpriced", "organization": "Acme", "context_length": 8192,
     "pricing": {"input": None, "output": None, "hourly": None, "base": None, "finetune": None}},
    {"id": "BAAI/bge-large-en-v1.5", "object": "model", "created": 1700000000, "type": "embedding",
     "display_name": "BGE large", "organization": "BAAI", "context_length": 512,
     "pricing": {"input": 0.02, "output": 0, "hourly": 0, "base": 0, "finetune": 0}},
]

XAI_LANGUAGE_MODELS = {
    "models": [
        {"id": "grok-3-mini", "fingerprint": "fp_1", "created": 1743724800, "object": "model",
         "owned_by": "xai", "version": "1.0.0", "aliases": ["grok-3-mini-latest"],
         "input_modalities": ["text"], "output_modalities": ["text"],
         "prompt_text_token_price": 3000, "cached_prompt_text_token_price": 750,
         "prompt_image_token_price": 0, "completion_text_token_price": 5000,
         "search_price": 0},
        {"id": "grok-4-0709", "fingerprint": "fp_2", "created": 1752019200, "object": "model",
         "owned_by": "xai", "version": "1.0.0", "aliases": ["grok-4", "grok-4-latest"],
         "input_modalities": ["text", "image"], "output_modalities": ["text"],
         "prompt_text_token_price": 30000, "cached_prompt_text_token_price": 7500,
         "prompt_image_token_price": 30000, "completion_text_token_price": 150000,
         "search_price": 250000000},
    ]
}

OPENAI_MODELS = {
    "object": "list",
    "data": [
        {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system"},
        {"id": "my-finetune-xyz", "object": "model", "created": 1721172742, "owned_by": "user-1"},
    ],
}
