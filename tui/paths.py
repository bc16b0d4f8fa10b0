"""Where llmtui keeps its files: platformdirs' places for the platform.

Linux: the XDG dirs (`~/.config/llmtui`, `~/.local/share/llmtui`, `~/.local/state/llmtui`).
macOS: `~/Library/Application Support/llmtui` for config and data, `~/Library/Logs/llmtui` for
logs, unless the XDG_* variables are set, which platformdirs honours there too.
"""

from __future__ import annotations

import os
from pathlib import Path

APP = "llmtui"


def config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP)


def config_file() -> Path:
    """`LLMTUI_CONFIG` wins; else `config.toml` in the config dir."""
    override = os.environ.get("LLMTUI_CONFIG")
    return Path(override).expanduser() if override else config_dir() / "config.toml"


def settings_file() -> Path:
    """What the app itself saves (theme, last models); never the user's config."""
    return config_file().with_name("settings.toml")


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP)


def cache_dir() -> Path:
    """What llmtui can rebuild: the compact copy of genai-prices' answers."""
    from platformdirs import user_cache_path

    return user_cache_path(APP)


def log_dir() -> Path:
    """The debug log's folder: the XDG state dir on Linux, ~/Library/Logs on macOS."""
    from platformdirs import user_log_path

    return user_log_path(APP)


def log_file() -> Path:
    return log_dir() / "llmtui.log"


def store_file() -> Path:
    override = os.environ.get("LLMTUI_DB")
    return Path(override).expanduser() if override else data_dir() / "llmtui.sqlite3"


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable by the user only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
