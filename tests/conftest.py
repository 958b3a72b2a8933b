"""Session-wide fixtures: the strict site build, built once and shared by the site tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import ROOT


@dataclass
class Build:
    returncode: int
    log: str
    site: Path
    seconds: float


def mkdocs_build(config: Path, site_dir: Path) -> Build:
    """`mkdocs build --strict` in a subprocess (MkDocs plugins keep global state)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
        cwd=ROOT,  # mkdocs-jupyter's execution cache lives in ./.cache
        env=env,
        capture_output=True,
        text=True,
    )
    return Build(done.returncode, done.stdout + done.stderr, site_dir, time.perf_counter() - start)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    build = mkdocs_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site"))
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.log}"
    return build
