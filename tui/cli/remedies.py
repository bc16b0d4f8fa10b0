"""An error's remedy as a shell user acts on it: the command to run or the setting to change."""

from __future__ import annotations

from llmtui.providers.base import Remedy, StreamError


def remedy_text(error: StreamError, ref: str) -> str:
    """What to do next, for `llmtui ask`; "" when there is nothing to do."""
    provider = ref.partition("/")[0]
    setting = error.setting
    match error.remedy:
        case Remedy.ADD_KEY:
            return f"run `llmtui keys set {provider}`" + (f" or set {setting}" if setting else "")
        case Remedy.FIX_ENV_KEY:
            return f"correct or unset the env var {setting} (it overrides the keyring)"
        case Remedy.RAISE_BUDGET:
            return f"raise {setting or 'the limit in [budget]'} in config.toml (or lower --max-tokens)"
        case Remedy.FIX_CONFIG:
            return f"fix {setting + ' in ' if setting else ''}config.toml, then try again"
        case Remedy.RETRY_LATER:
            if setting:
                return f"try again, or raise {setting}"
            if error.retry_after_s is not None and error.retry_after_s >= 60:
                return "use another model with -m meanwhile"  # the error already says when
            return "try again later, or use another model with -m"
        case Remedy.OTHER_MODEL:
            return "try another model with -m (see `llmtui models`)"
        case Remedy.CHECK_CONNECTION:
            return f"check the network and {setting or 'the base_url in config.toml'}, then try again"
    return ""
