"""llmtui: chat with, and compare, models from many LLM providers in the terminal."""

__version__ = "0.1.0"
