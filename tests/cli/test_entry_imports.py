"""What llmtui's entry point keeps out of every process it starts."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
asked = []

class Watch:  # sees every module the import system looks for
    def find_spec(self, name, path=None, target=None):
        asked.extend([name] if name == "httpx._main" else [])

sys.meta_path.insert(0, Watch())
from llmtui.cli import main
main(["paths"])
import httpx
print(asked)
"""


def test_httpx_comes_without_its_command_line() -> None:
    # httpx imports its CLI module, and with it click and rich.progress where they are installed
    # (llm and sqlite-utils bring click): ~15 ms on the way from launch to a first answer, for a
    # command line llmtui never runs. It is not even looked for.
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
