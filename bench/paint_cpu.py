#!/usr/bin/env python3
"""CPU time from exec to the first frame, robust on a shared machine.

Wall-clock first paint (bench/run.py's `paint` row) swings with the machine's load; the CPU
the process spent before its first frame hardly does. This runs llmtui (or the bare Textual
baseline) inside a fixed-size tmux pane, notes `time.process_time()` when Textual first
writes a frame of the target screen, then quits, so each run reports:

  cpu       process CPU seconds from exec to the first frame (the interpreter's start included)
  wall      seconds from this tool's launch of the pane to that frame
  modules   len(sys.modules) at that frame; `heavy` lists those of a few big dependencies
  widgets   widgets in the DOM at that frame
  rss       the process's peak RSS (MiB) at that frame

With --text, the frame timed is the first that shows TEXT (--history N: a stored conversation
of N messages reopened with --resume, until its last message shows).

Variants run interleaved (A B A B ...), each with its own Python (a worktree's venv), so
before/after pairs see the same machine load.

Usage:
  python bench/paint_cpu.py [--runs 5] [--python PY ...] [--bare] [--profile OUT] [--text TEXT]
                            [--history N] [-- LLMTUI ARGS]
  e.g. --python /work/wt-base/.venv/bin/python --python .venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDERS = ("tui", "widgets", "providers", "themes")
HEAVY = ("httpx", "keyring", "genai_prices", "markdown_it", "sqlite3", "pydantic", "rich.markdown",
         "llmtui.providers.openai_compat", "llmtui.core.exchange", "llmtui.core.store")

# Runs inside the pane: patch App._display, then run llmtui's CLI (or the bare app).
PROBE = r"""
import json, os, resource, sys, time
out, target, bare = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
heavy = json.loads(sys.argv[4])
profile = sys.argv[5]
text = sys.argv[6]
args = sys.argv[7:]
probing = [0.0]  # CPU spent looking for `text` in frames: not the program's
prof = None
if profile:
    import cProfile
    prof = cProfile.Profile()
    prof.enable()
def _patch(App):  # patched when the program imports textual.app (see after_import.py)
    inner = App._display
    def _display(self, screen, renderable):
        inner(self, screen, renderable)
        cpu, wall = time.process_time(), time.time()
        if renderable is None or self._batch_count or getattr(self, "_probed", False):
            return
        if type(screen).__name__ != target:
            return
        if text:  # the first frame that shows it
            if not hasattr(renderable, "render_segments"):
                return
            shown = text in renderable.render_segments(self.console)
            probing[0] += time.process_time() - cpu
            if not shown:
                return
        elif type(renderable).__name__ != "LayoutUpdate":
            return  # a whole frame of the target screen (not a partial update after one Textual dropped)
        self._probed = True
        cpu -= probing[0]
        if prof is not None:
            prof.disable()
            prof.dump_stats(profile)
        widgets = sum(1 for _ in screen.walk_children(with_self=True))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with open(out, "w") as f:
            json.dump({"cpu": cpu, "t": wall, "modules": len(sys.modules),
                       "heavy": [m for m in heavy if m in sys.modules], "widgets": widgets,
                       "rss": rss}, f)
        self.exit()
    App._display = _display
sys.path.append(%(here)r)
from after_import import after_import
after_import("textual.app", lambda module: _patch(module.App))
if bare:
    sys.argv = [os.path.join(%(here)r, "bare_app.py")]
    import runpy
    runpy.run_path(sys.argv[0], run_name="__main__")
else:
    sys.argv = ["llmtui", *args]
    from llmtui.cli import main
    main()
"""


def once(py: str, bare: bool, args: list[str], env: dict[str, str], profile: str = "",
         text: str = "") -> dict[str, object]:
    out = Path(tempfile.mkdtemp(prefix="paintcpu-")) / "out.json"
    name = "pc" + uuid.uuid4().hex[:8]
    probe = out.with_name("probe.py")
    probe.write_text(PROBE % {"here": str(HERE)})
    target = "Screen" if bare else "MainScreen"
    cmd = [py, str(probe), str(out), target, "1" if bare else "0", json.dumps(HEAVY), profile, text, *args]
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    t0 = time.time()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48",
                    f"env TERM=xterm-256color COLORTERM=truecolor {exports} "
                    + " ".join(shlex.quote(c) for c in cmd)], check=True)
    try:
        deadline = time.time() + 60
        while not out.exists() and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.05)
        result: dict[str, object] = json.loads(out.read_text())
        result["wall"] = float(result.pop("t")) - t0  # type: ignore[arg-type]
        return result
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def environment() -> dict[str, str]:
    """A private HOME/XDG/config with two loopback providers (as bench/run.py's `paint`)."""
    base = Path(tempfile.mkdtemp(prefix="paintcpu-env-"))
    config = base / "config.toml"
    text = "".join(f'[providers.bench{k}]\nkind = "openai"\nbase_url = "http://127.0.0.1:{9 + k}/v1"\n'
                   f'models = ["bench"]\n\n' for k in range(2))
    config.write_text(text + '[defaults]\nmodel = "demo/simulated"\n')
    return {"HOME": str(base), "XDG_CONFIG_HOME": str(base / "config"),
            "XDG_DATA_HOME": str(base / "data"), "XDG_CACHE_HOME": str(base / "cache"),
            "LLMTUI_CONFIG": str(config)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", action="append", default=[], help="a variant's interpreter")
    ap.add_argument("--bare", action="store_true", help="also run bare Textual (first --python)")
    ap.add_argument("--profile", default="", help="cProfile the first variant's last run here")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the runs")
    ap.add_argument("--text", default="", help="time the first frame showing TEXT instead")
    ap.add_argument("--history", type=int, default=0,
                    help="write a conversation of N messages (bench/make_history.py) and --resume it,"
                         " timing the frame that shows its last message")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    pythons = a.python or [sys.executable]
    variants = [(py, False) for py in pythons] + ([(pythons[0], True)] if a.bare else [])
    runs_with: list[tuple[list[str], dict[str, str], str]] = []  # each variant's own dirs and store
    for py, bare in variants:
        env = environment()
        env.update(kv.split("=", 1) for kv in a.env)
        how, text = list(args), "" if bare else a.text
        if a.history and not bare:
            made = subprocess.run(["env", *(f"{k}={v}" for k, v in env.items()), py,
                                   str(HERE / "make_history.py"), "--messages", str(a.history)],
                                  capture_output=True, text=True, check=True)
            how, text = ["--resume", made.stdout.split()[-1], *how], a.text or "LAST-MESSAGE-MARK"
        runs_with.append((how, env, text))
    for py in pythons:  # as make bench does: no launch compiles sources (PYTHONDONTWRITEBYTECODE)
        root = Path(py).absolute().parent.parent.parent  # WORKTREE/.venv/bin/python
        subprocess.run([py, "-m", "compileall", "-q", *(str(root / f) for f in FOLDERS)], check=True)
    keeper = "pckeep" + uuid.uuid4().hex[:6]
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], check=True)
    results: dict[int, list[dict[str, object]]] = {i: [] for i in range(len(variants))}
    try:
        for (py, bare), (how, env, text) in zip(variants, runs_with, strict=True):
            once(py, bare, how, env, text=text)  # warm-up: the file cache, the store's first open
        for run in range(a.runs):
            for i, ((py, bare), (how, env, text)) in enumerate(zip(variants, runs_with, strict=True)):
                last = run == a.runs - 1
                prof = a.profile if last and i == 0 and a.profile else ""
                results[i].append(once(py, bare, how, env, prof, text))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], capture_output=True)
    for i, (py, bare) in enumerate(variants):
        rows = results[i]
        label = "bare Textual" if bare else py
        print(f"{label}: cpu {med(rows, 'cpu'):.3f} s (min {min(float(r['cpu']) for r in rows):.3f})"  # type: ignore[arg-type]
              f"  wall {med(rows, 'wall'):.3f} s  modules {med(rows, 'modules'):.0f}"
              f"  widgets {med(rows, 'widgets'):.0f}  rss {med(rows, 'rss'):.0f} MiB"
              f"  heavy {rows[-1]['heavy']}")
    return 0


def med(rows: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows)  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
