"""The verification record: what this test run proved about each snippet, for the site to show.

Every test module mirrors one snippet (tests/test_pytorch/test_layer_norm.py proves
snippets/pytorch/layer_norm.py; test_snippets.py enforces the pairing), and the copy-run test
runs every example as a reader copies it from the built pages. At the end of each run,
tests/conftest.py writes, per snippet whose tests ran: passed or failed, the devices its tests
passed on, the library versions it imports, the largest error any of its assert_close calls
saw against the reference, and the SHA-256 of the source that ran. The build
(hooks/verification.py) shows it under each example; it is written to .cache/ (not committed).
"""

from __future__ import annotations

import ast
import datetime
import hashlib
import importlib.metadata
import json
import os
import platform
import re
from pathlib import Path

from tests.paths import ROOT, SNIPPETS

RECORD = Path(os.environ.get("VERIFICATION_RECORD", ROOT / ".cache" / "verification.json"))
COPY_RUN = "tests/test_site/test_copy_run.py::test_every_python_block_runs_as_copied_and_prints_what_the_page_shows"
MIRROR = re.compile(r"tests/test_(\w+)/test_(\w+)\.py::")
DISTRIBUTIONS = {"torch": ["torch"], "tensorflow": ["tensorflow-cpu", "keras"], "keras": ["tensorflow-cpu", "keras"],
                 "numpy": ["numpy"]}
NAMES = {"torch": "PyTorch", "tensorflow-cpu": "TensorFlow", "keras": "Keras", "numpy": "NumPy"}


def snippet_of(nodeid: str) -> str | None:
    """tests/test_pytorch/test_layer_norm.py::test_x[cpu] -> "pytorch/layer_norm.py"."""
    match = MIRROR.match(nodeid)
    if match and (SNIPPETS / match[1] / f"{match[2]}.py").is_file():
        return f"{match[1]}/{match[2]}.py"
    return None


def source_hash(relative: str) -> str:
    return hashlib.sha256((SNIPPETS / relative).read_bytes()).hexdigest()


def libraries(relative: str) -> dict[str, str]:
    """{"PyTorch": "2.13.0", ...} for the libraries the snippet imports (at their installed version)."""
    tree = ast.parse((SNIPPETS / relative).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    if "snippets" in imported:  # the reference implementation is NumPy
        imported.add("numpy")
    found = {}
    for module in sorted(imported):
        for distribution in DISTRIBUTIONS.get(module, []):
            found[NAMES[distribution]] = importlib.metadata.version(distribution)
    return found or {"Python": platform.python_version()}  # a standard-library-only script


class Recorder:
    """Collects test outcomes and errors per snippet during a run."""

    def __init__(self) -> None:
        self.snippets: dict[str, dict] = {}
        self.copy_run: str | None = None
        self.errors: dict[str, float] = {}  # nodeid -> largest error seen by assert_close

    def error_seen(self, value: float) -> None:
        nodeid = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
        self.errors[nodeid] = max(self.errors.get(nodeid, 0.0), value)

    def test_done(self, nodeid: str, outcome: str, cuda: bool, error: float | None = None) -> None:
        """`error`: the test's largest error when it ran in another process (its report carries it)."""
        if error is not None:
            self.errors[nodeid] = max(self.errors.get(nodeid, 0.0), error)
        if nodeid == COPY_RUN:
            self.copy_run = outcome
            return
        relative = snippet_of(nodeid)
        if relative is None:
            return
        entry = self.snippets.setdefault(relative, {"passed": 0, "failed": 0, "skipped": 0, "devices": set(), "max_error": None})
        entry[outcome] += 1
        if outcome == "passed":
            entry["devices"].add("CUDA" if cuda else "CPU")
        if nodeid in self.errors:
            entry["max_error"] = max(entry["max_error"] or 0.0, self.errors.pop(nodeid))

    def record(self) -> dict:
        snippets = {}
        for relative, entry in sorted(self.snippets.items()):
            example = not relative.startswith("reference/")
            passed = entry["failed"] == 0 and entry["passed"] > 0 and (not example or self.copy_run == "passed")
            snippets[relative] = {
                "status": "passed" if passed else "failed",
                "sha256": source_hash(relative),
                "tests": {k: entry[k] for k in ("passed", "failed", "skipped")},
                "copy_run": (self.copy_run or "not run") if example else "not applicable",
                "devices": sorted(entry["devices"]),
                "libraries": libraries(relative),
                "max_error": entry["max_error"],
            }
        return {"written": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "snippets": snippets}

    def write(self, path: Path = RECORD) -> None:
        # a run of the copy-run test alone still replaces the record: if it failed, no page may
        # go on claiming verification from an earlier run
        if self.snippets or self.copy_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.record(), indent=1), encoding="utf-8")


RECORDER = Recorder()
