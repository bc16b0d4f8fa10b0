"""The wheel as a user gets it: built from this tree, installed in a fresh venv, run.

This is what `uv tool install .` / `pipx install .` do. Dependencies come from the configured
package index through pip's cache; nothing but the index is contacted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import llmtui
from tests.conftest import ROOT


def _run(*cmd: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})}, cwd="/")
    assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, ROOT)
    (found,) = out.glob("llmtui-*.whl")
    return found


def test_wheel_metadata_license_and_one_version(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        info = f"llmtui-{llmtui.__version__}.dist-info"
        meta = zf.read(f"{info}/METADATA").decode()
    assert f"{info}/licenses/LICENSE" in names
    assert f"Version: {llmtui.__version__}\n" in meta
    assert "License-Expression: MIT" in meta and "Classifier: Environment :: Console" in meta
    assert "Project-URL: Changelog" in meta and "Keywords: " in meta
    assert any(n.endswith("screens/main.tcss") for n in names)
    assert '\nversion = "' not in (ROOT / "pyproject.toml").read_text()  # one place: llmtui.__version__


def test_wheel_installs_and_runs_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel)
    exe = env_dir / "bin" / "llmtui"
    assert _run(exe, "--version").stdout.strip() == f"llmtui {llmtui.__version__}"
    found = json.loads(_run(exe, "paths", "--json").stdout)
    assert found["config"].startswith(os.environ["XDG_CONFIG_HOME"])
    answer = _run(exe, "ask", "-m", "demo/simulated-fast", "hi")
    assert "simulated answer" in answer.stdout
    # The TUI's modules and stylesheets import and load from the installed copy, not this tree.
    probe = ("import llmtui.app, llmtui.screens.main as m, pathlib; "
             "p = pathlib.Path(m.__file__); print(p); assert p.with_suffix('.tcss').exists()")
    where = _run(python, "-c", probe).stdout.strip()
    assert where.startswith(str(env_dir)) and not where.startswith(str(ROOT))
