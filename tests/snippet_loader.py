"""Import a standalone snippet script as a module (its __main__ block does not run).

It is imported under its own dotted name (snippets.pytorch.x), so that tools which map
code to tests by module name (coverage, mutmut's test selection) see the real module.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def load_snippet(relative: str) -> ModuleType:
    return importlib.import_module("snippets." + relative.removesuffix(".py").replace("/", "."))
