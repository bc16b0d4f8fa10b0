"""Run a function on a module right after a program imports it, not before.

Probes that watch a program (bench/paint_cpu.py, tests/system/test_first_frame.py) patch
`textual.app.App`; importing it themselves first would move Textual's import ahead of
whatever the program does before it (its collector settings, its own imports), and so change
what they measure.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Callable, Sequence
from types import ModuleType


def after_import(name: str, then: Callable[[ModuleType], None]) -> None:
    """Call `then(module)` once `name` has been imported and executed."""

    class Hook(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Sequence[str] | None,
                      target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None and spec.loader is not None
            exec_module = spec.loader.exec_module

            def exec_then(module: ModuleType) -> None:
                exec_module(module)
                then(module)

            spec.loader.exec_module = exec_then  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Hook())
