"""`llmtui completion`: scripts generated from the real parsers, run in a real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from llmtui.core.catalog.cache import save_models
from llmtui.core.config import load_config
from llmtui.core.runtime import Runtime
from llmtui.providers.base import ModelInfo
from tests.conftest import run_cli


def _complete_in_bash(script: str, line: list[str]) -> list[str]:
    """Source the script in bash, set COMP_WORDS as bash would, and print COMPREPLY."""
    words = " ".join(f"'{w}'" for w in line)
    program = (f"{script}\nCOMP_WORDS=({words}); COMP_CWORD={len(line) - 1}\n"
               '_llmtui; printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


@pytest.fixture
def bash_script() -> str:
    result = run_cli("completion", "bash")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bash_completes_subcommands_and_their_flags(bash_script: str) -> None:
    assert set(_complete_in_bash(bash_script, ["llmtui", "d"])) == {"doctor"}
    assert "completion" in _complete_in_bash(bash_script, ["llmtui", ""])
    assert set(_complete_in_bash(bash_script, ["llmtui", "keys", ""])) >= {"set", "list", "check", "delete"}
    assert set(_complete_in_bash(bash_script, ["llmtui", "ask", "--t"])) == {"--temperature", "--thinking-budget",
                                                                                "--top-p"}
    assert set(_complete_in_bash(bash_script, ["llmtui", "completion", ""])) >= {"bash", "zsh", "fish"}


def test_model_names_come_from_the_cached_catalog(bash_script: str) -> None:
    runtime = Runtime(load_config())
    save_models(runtime, "together", [ModelInfo("Qwen/Qwen3-235B-Instruct", "together")])
    runtime.store.close()
    refs = run_cli("completion", "--models").stdout.splitlines()
    assert "together/Qwen/Qwen3-235B-Instruct" in refs and "demo/simulated" in refs
    found = _complete_in_bash(bash_script, ["llmtui", "ask", "-m", "together/Q"])
    assert found == ["together/Qwen/Qwen3-235B-Instruct"]


def test_model_listing_does_not_create_the_store(isolated_env: Path) -> None:
    result = run_cli("completion", "--models")
    assert result.returncode == 0 and "demo/simulated" in result.stdout.splitlines()
    assert not (isolated_env / "data" / "llmtui").exists()


def test_zsh_and_fish_scripts_name_every_subcommand() -> None:
    zsh = run_cli("completion", "zsh").stdout
    fish = run_cli("completion", "fish").stdout
    for name in ("ask", "keys", "models", "doctor", "paths", "completion"):
        assert f"{name})" in zsh
        assert f"-a {name} -d" in fish
    assert zsh.startswith("#compdef llmtui") and "compdef _llmtui llmtui" in zsh
    assert "complete -c llmtui -n '__fish_seen_subcommand_from ask' -s m -l model -xa" in fish
    for shell, text in (("zsh", zsh), ("fish", fish)):
        if shutil.which(shell):  # syntax check where the shell exists
            flag = "-n" if shell == "zsh" else "--no-execute"
            assert subprocess.run([shell, flag], input=text, text=True).returncode == 0


def test_completion_without_a_shell_is_a_usage_error() -> None:
    result = run_cli("completion")
    assert result.returncode == 2 and "bash|zsh|fish" in result.stderr


def test_preset_names_complete_from_the_config(bash_script: str, write_config) -> None:  # type: ignore[no-untyped-def]
    write_config('[presets.reviewer]\nsystem = "x"\n[presets.poet]\nsystem = "y"\n')
    assert run_cli("completion", "--presets").stdout.split() == ["reviewer", "poet"]
    assert _complete_in_bash(bash_script, ["llmtui", "ask", "--preset", "re"]) == ["reviewer"]
    assert "--preset" in _complete_in_bash(bash_script, ["llmtui", "ask", "--pre"])


def test_flags_with_fixed_values_complete_those_values(bash_script: str) -> None:
    assert _complete_in_bash(bash_script, ["llmtui", "spend", "--by", "m"]) == ["model", "month"]
    assert _complete_in_bash(bash_script, ["llmtui", "export", "--format", "j"]) == ["json", "jsonl"]
    assert _complete_in_bash(bash_script, ["llmtui", "ask", "--reasoning-effort", ""]) == [
        "off", "low", "medium", "high"]
    fish = run_cli("completion", "fish").stdout
    assert "-l by -xa 'provider model day month conversation'" in fish
    zsh = run_cli("completion", "zsh").stdout
    assert '"export --format") compadd -- md json jsonl; return ;;' in zsh
