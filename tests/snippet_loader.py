"""Import a standalone snippet script as a module (its __main__ block does not run)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from types import ModuleType

from tests.paths import SNIPPETS


@cache
def load_snippet(relative: str) -> ModuleType:
    path = SNIPPETS / relative
    name = "snippet_" + relative.removesuffix(".py").replace("/", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
