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
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
           # the suite's build must not depend on an earlier run's record: it shows every
           # example unverified (tests/test_site/test_verification.py covers the verified state)
           "VERIFICATION_RECORD": str(site_dir.parent / "no-verification-record.json")}
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


def pytest_runtest_logreport(report):
    from tests.verification import RECORDER

    if report.when == "call" or (report.when == "setup" and not report.passed) or (report.when == "teardown" and report.failed):
        RECORDER.test_done(report.nodeid, report.outcome, cuda="cuda" in report.keywords)
    if report.when == "call" and "cuda" in report.keywords:
        outcome = report.outcome if report.outcome in {"passed", "skipped"} else "failed"
        _CUDA_SEEN[outcome] = _CUDA_SEEN.get(outcome, 0) + 1
    elif report.when == "setup" and report.skipped and "cuda" in report.keywords:
        _CUDA_SEEN["skipped"] = _CUDA_SEEN.get("skipped", 0) + 1


_CUDA_SEEN: dict[str, int] = {}


def gpu_present() -> bool:
    torch = sys.modules.get("torch")
    return bool(torch is not None and torch.cuda.is_available())


def pytest_sessionfinish(session, exitstatus):
    from tests.verification import RECORDER

    RECORDER.write()  # .cache/verification.json, shown under each example by the next build
    # A GPU machine that ran no CUDA case would report CPU results as if they covered CUDA.
    if gpu_present() and not _CUDA_SEEN.get("passed"):
        session.exitstatus = 1
        print("\nFAILED: a CUDA GPU is present but no CUDA test case passed", file=sys.stderr)


def pytest_terminal_summary(terminalreporter):
    from tests.numerics import LARGEST_ERROR

    if LARGEST_ERROR:
        terminalreporter.section("largest observed error per quantity")
        for quantity, error in sorted(LARGEST_ERROR.items()):
            terminalreporter.write_line(f"{quantity:<48} {error:.3e}")
    terminalreporter.write_line(
        f"CUDA cases: {_CUDA_SEEN.get('passed', 0)} passed, {_CUDA_SEEN.get('skipped', 0)} skipped"
        + ("" if gpu_present() else " (no CUDA GPU on this machine)")
    )
