#!/usr/bin/env python3
"""llmtui's benchmark suite: one command, one table, llmtui against a baseline in the same run.

Uses the shared tools in ../shared/bench (first_paint.py, stream_server.py, stream_paint.py)
when present, else the copies in bench/tools. Needs tmux. Prints a table and, with
--write, records it in bench/RESULTS.md.

Usage: python bench/run.py [--quick] [--write] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "bench"
TOOLS = SHARED if (SHARED / "stream_paint.py").exists() else HERE / "tools"
PY = sys.executable
LLMTUI = str(Path(PY).with_name("llmtui"))
READY_TEXT = "Ask anything"  # the prompt placeholder: the main screen has painted


def free_port(count: int = 1) -> int:
    """A base port with `count` consecutive free ports after it."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count < 65535 and all(_free(base + k) for k in range(count)):
            return base
    raise RuntimeError("no free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Env:
    """A private HOME/XDG/config for llmtui runs, with bench providers on given ports."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="llmtui-bench-"))
        self.config = self.dir / "config.toml"
        self.vars = {
            "XDG_CONFIG_HOME": str(self.dir / "config"),
            "XDG_DATA_HOME": str(self.dir / "data"),
            "LLMTUI_CONFIG": str(self.config),
            "PATH": os.environ.get("PATH", ""),
        }

    def configure(self, port: int, lanes: int = 2) -> None:
        text = ""
        for k in range(lanes):
            text += (f'[providers.bench{k}]\nkind = "openai"\n'
                     f'base_url = "http://127.0.0.1:{port + k}/v1"\nmodels = ["bench"]\n\n')
        text += '[defaults]\nmodel = "demo/simulated"\n'
        self.config.write_text(text)

    def command(self, *args: str) -> list[str]:
        exports = [f"{k}={v}" for k, v in self.vars.items()]
        return ["env", *exports, *args]

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def run_tool(args: list[str], timeout: float = 600) -> str:
    proc = subprocess.run([PY, *args], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed:\n{proc.stderr[-2000:]}")
    return proc.stdout


def first_paint(text: str, cmd: list[str], runs: int) -> float:
    out = run_tool([str(TOOLS / "first_paint.py"), "--runs", str(runs), text, "--", *cmd])
    return float(re.search(r"median ([\d.]+)", out).group(1))  # type: ignore[union-attr]


def stream_paint(port: int, cmd: list[str], *, servers: int, tokens: int, rate: float,
                 markdown: bool, runs: int) -> dict[str, float]:
    args = [str(TOOLS / "stream_paint.py"), "--port", str(port), "--servers", str(servers),
            "--tokens", str(tokens), "--rate", str(rate), "--runs", str(runs), "--size", "200x50",
            "--timeout", "120"]
    if markdown:
        args.append("--markdown")
    out = run_tool([*args, "--", *cmd])
    lag = re.search(r"lag after last token s: min [\d.]+ median ([\d.]+)", out)
    total = re.search(r"first token sent to mark shown s: median ([\d.]+)", out)
    cpu = re.search(r"CPU % while streaming: median (\w+)", out)
    rss = re.search(r"peak RSS MiB: max (\d+)", out)
    return {
        "lag": float(lag.group(1)) if lag else float("nan"),
        "total": float(total.group(1)) if total else float("nan"),
        "cpu": float(cpu.group(1)) if cpu and cpu.group(1) != "nan" else float("nan"),
        "rss": float(rss.group(1)) if rss else float("nan"),
    }


# ---------------------------------------------------------------- scenarios

Row = tuple[str, str, str, str, str]  # scenario, llmtui, baseline, ratio, target


def fmt(x: float, unit: str = "s") -> str:
    return "n/a" if x != x else f"{x:.3f} {unit}" if unit == "s" else f"{x:.0f} {unit}"


def ratio(a: float, b: float) -> str:
    return "n/a" if not (a == a and b == b) or b == 0 else f"{a / b:.2f}x"


def bench_first_paint(env: Env, runs: int) -> list[Row]:
    env.configure(free_port(2))
    bare = first_paint("bare textual ready", env.command(PY, str(HERE / "bare_app.py")), runs)
    ours = first_paint(READY_TEXT, env.command(LLMTUI), runs)
    return [("first paint (160x48)", fmt(ours), fmt(bare) + " bare Textual", ratio(ours, bare),
             "≤ 1.3x")]


def bench_launch_to_token(env: Env, runs: int) -> list[Row]:
    port = free_port(2)
    env.configure(port)
    servers = [subprocess.Popen([PY, str(TOOLS / "stream_server.py"), str(port + k), "--tokens", "20",
                                 "--rate", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for k in range(2)]
    try:
        time.sleep(0.5)
        cmd = env.command(LLMTUI, "--compare", "bench0/bench", "bench1/bench", "go")
        ours = first_paint("ENDMARK", cmd, runs)
    finally:
        for s in servers:
            s.terminate()
    return [("launch → first tokens, compare, instant server", fmt(ours), "–", "–", "≤ 0.5 s")]


def bench_streams(env: Env, runs: int, quick: bool) -> list[Row]:
    rows: list[Row] = []
    scenarios = [
        ("1 pane, 2,000 md tokens @ 2,000 tok/s", 1, 2000, 2000.0, True, "lag"),
        ("2 panes, 2,000 md tokens @ 2,000 tok/s each", 2, 2000, 2000.0, True, "lag"),
        ("1 pane, 5,000 md tokens at once", 1, 5000, 0.0, True, "total"),
        ("2 panes, 5,000 md tokens at once", 2, 5000, 0.0, True, "total"),
        ("1 pane, one 5,000-word paragraph at once", 1, 5000, 0.0, False, "total"),
    ]
    if quick:
        scenarios = scenarios[1:3]
    for name, servers, tokens, rate, md, key in scenarios:
        port = free_port(servers)
        env.configure(port, servers)
        models = [f"bench{k}/bench" for k in range(servers)]
        ours_cmd = env.command(LLMTUI, *(["--compare", *models] if servers == 2 else ["-m", models[0]]), "go")
        base_cmd = env.command(PY, str(HERE / "bare_stream.py"),
                               *[f"http://127.0.0.1:{port + k}/v1" for k in range(servers)])
        ours = stream_paint(port, ours_cmd, servers=servers, tokens=tokens, rate=rate, markdown=md, runs=runs)
        port = free_port(servers)
        base_cmd = env.command(PY, str(HERE / "bare_stream.py"),
                               *[f"http://127.0.0.1:{port + k}/v1" for k in range(servers)])
        try:
            base = stream_paint(port, base_cmd, servers=servers, tokens=tokens, rate=rate, markdown=md,
                                runs=runs)
        except RuntimeError:
            # Textual 8.2.8's streamed Markdown paragraphs can paint blank once scrolled
            # (seen in tmux and headless), so the bare client may never show the mark.
            base = {k: float("nan") for k in ("lag", "total", "cpu", "rss")}
        what = "lag after last token" if key == "lag" else "first token → all shown"
        target = "≤ 0.15 s" if key == "lag" else "≤ 1.0 s"
        rows.append((f"{name}: {what}", fmt(ours[key]), fmt(base[key]) + " get_stream",
                     ratio(ours[key], base[key]), target))
        rows.append((f"{name}: CPU / peak RSS", f"{fmt(ours['cpu'], '%')} / {fmt(ours['rss'], 'MiB')}",
                     f"{fmt(base['cpu'], '%')} / {fmt(base['rss'], 'MiB')}", "–", "RSS ≤ 100 MiB"))
    return rows


def bench_big_history(env: Env, runs: int) -> list[Row]:
    env.configure(free_port(2))
    gen = subprocess.run(
        env.command(PY, str(HERE / "make_history.py"), "--messages", "5000"),
        capture_output=True, text=True, check=True)
    conv_id = gen.stdout.strip().splitlines()[-1]
    ours = first_paint("LAST-MESSAGE-MARK", env.command(LLMTUI, "--resume", conv_id), runs)
    rss = peak_rss(env.command(LLMTUI, "--resume", conv_id), "LAST-MESSAGE-MARK")
    return [("open 5,000-message conversation → last message shown", fmt(ours), "–", "–", "≤ 0.5 s"),
            ("  … peak RSS", fmt(rss, "MiB"), "–", "–", "flat in message count")]


def peak_rss(cmd: list[str], text: str) -> float:
    """Launch in tmux, wait for text, read the process tree's peak RSS."""
    sys.path.insert(0, str(TOOLS))
    from stream_paint import tree_stats  # type: ignore[import-not-found]

    name = f"rss{os.getpid()}"
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48",
                    " ".join(subprocess.list2cmdline([c]) for c in cmd)], check=True)
    try:
        pid = int(subprocess.run(["tmux", "display", "-p", "-t", name, "#{pane_pid}"],
                                 capture_output=True, text=True).stdout)
        deadline = time.time() + 30
        while time.time() < deadline:
            out = subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True,
                                 text=True).stdout
            if text in out:
                break
            time.sleep(0.05)
        time.sleep(0.5)
        return tree_stats(pid)[1] / 1024
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def bench_cli(env: Env, runs: int) -> list[Row]:
    port = free_port(2)
    env.configure(port)
    log = env.dir / "server.log"
    server = subprocess.Popen([PY, str(TOOLS / "stream_server.py"), str(port), "--tokens", "200",
                               "--rate", "2000", "--log", str(log)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gaps, launches = [], []
    try:
        time.sleep(0.5)
        for _ in range(runs):
            log.write_text("")
            t0 = time.time()
            proc = subprocess.Popen(env.command(LLMTUI, "ask", "-m", "bench0/bench", "go"),
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            assert proc.stdout is not None
            proc.stdout.read(1)
            t1 = time.time()
            proc.wait(30)
            start = float(dict(line.split() for line in log.read_text().splitlines())["start"])
            gaps.append(t1 - start)
            launches.append(t1 - t0)
        helps = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(env.command(LLMTUI, "--help"), capture_output=True, check=True)
            helps.append(time.perf_counter() - t0)
        bare = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([PY, "-c", "pass"], capture_output=True, check=True)
            bare.append(time.perf_counter() - t0)
    finally:
        server.terminate()
    med = statistics.median
    return [
        ("ask: server's first token → first byte on stdout", fmt(med(gaps)), "–", "–", "small"),
        ("ask: launch → first byte on stdout", fmt(med(launches)), "–", "–", "–"),
        ("llmtui --help", fmt(med(helps)), fmt(med(bare)) + " python -c pass",
         ratio(med(helps), med(bare)), "–"),
    ]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer runs and scenarios")
    ap.add_argument("--write", action="store_true", help="record the table in bench/RESULTS.md")
    ap.add_argument("--only", nargs="*", default=None,
                    choices=["paint", "launch", "stream", "history", "cli"])
    a = ap.parse_args()
    if shutil.which("tmux") is None:
        print("bench: tmux is needed (apt-get install tmux)", file=sys.stderr)
        return 2
    runs = 3 if a.quick else 5
    env = Env()
    rows: list[Row] = []
    todo = a.only or ["paint", "launch", "stream", "history", "cli"]
    try:
        if "paint" in todo:
            rows += bench_first_paint(env, runs)
        if "launch" in todo:
            rows += bench_launch_to_token(env, runs)
        if "stream" in todo:
            rows += bench_streams(env, 2 if a.quick else 3, a.quick)
        if "history" in todo:
            rows += bench_big_history(env, runs)
        if "cli" in todo:
            rows += bench_cli(env, runs)
    finally:
        env.cleanup()
    table = render(rows)
    print(table)
    if a.write:
        record(table)
    return 0


def render(rows: list[Row]) -> str:
    head = ("scenario", "llmtui", "baseline", "ratio", "target")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def record(table: str) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    entry = (f"\n## {date.today().isoformat()} — {machine}\n\n"
             f"Reproduce: `make bench` (= `python bench/run.py --write`).\n\n{table}\n")
    path = HERE / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    path.write_text(text + entry)


if __name__ == "__main__":
    sys.exit(main())
