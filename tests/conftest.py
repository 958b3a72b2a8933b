"""Session-wide fixtures and hooks: one strict site build shared by every site test, and the
record of what the run proved (tests/verification.py), also when the suite runs on several
processes (pytest-xdist, `-n auto` in pyproject.toml).

With workers, the controlling process starts the build in the background as the session
starts, so that it runs while the workers execute the snippets' tests; each worker's
`built_site` waits for that one build. The workers report each test's largest error against
the reference with the test's report; the controlling process, which sees every report,
writes the record and prints the summary.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import ROOT

SITE_TESTS = ROOT / "tests" / "test_site"
BUILD_TIMEOUT_S = 900  # a cold build with every notebook executed takes about a minute on 2 cores

if os.environ.get("PYTEST_XDIST_WORKER"):
    from tests import threads

    threads.one_per_worker()  # the workers share the cores (tests/threads.py)
    # and, on a CUDA machine, the GPU: TensorFlow would otherwise reserve all its memory in the
    # first worker that touches it (read when TensorFlow starts its GPU, which has not happened yet)
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")


@dataclass
class Build:
    returncode: int
    log: str
    site: Path
    seconds: float


def build_env(site_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of the suite's builds; `settings` adds to it (GLOSSARY_PREVIEW_LANGUAGE)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
           # the suite's build must not depend on an earlier run's record: it shows every
           # example unverified (tests/test_site/test_verification.py covers the verified state)
           "VERIFICATION_RECORD": str(site_dir.parent / "no-verification-record.json"),
           # and it executes every notebook, whatever an earlier build left in .cache/notebooks
           "NOTEBOOK_EXECUTE": "always", **settings}
    return {name: value for name, value in env.items() if value}  # NOTEBOOK_EXECUTE="": the cache is used


def build_command(config: Path, site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)]


def mkdocs_build(config: Path, site_dir: Path, env: dict[str, str] | None = None) -> Build:
    """`mkdocs build --strict` in a subprocess (MkDocs plugins keep global state)."""
    start = time.perf_counter()
    done = subprocess.run(build_command(config, site_dir), cwd=ROOT,  # caches live in ./.cache
                          env=env or build_env(site_dir), capture_output=True, text=True)
    return Build(done.returncode, done.stdout + done.stderr, site_dir, time.perf_counter() - start)


def project_copy(tmp_path: Path) -> Path:
    """A copy of the site's sources to break on purpose: docs/, overrides/ and i18n/ copied,
    snippets/ and hooks/ the real ones."""
    project = tmp_path / "project"
    for part in ["docs", "overrides", "i18n"]:
        shutil.copytree(ROOT / part, project / part)
    (project / "snippets").symlink_to(ROOT / "snippets")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("hooks/", f"{ROOT}/hooks/")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


# --- one build for every worker ------------------------------------------------------------

def is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def has_workers(config) -> bool:
    return not is_worker(config) and getattr(config.option, "numprocesses", None) not in (None, 0)


def selects_site_tests(config) -> bool:
    """Whether the command line asks for any test under tests/test_site."""
    for arg in config.args or [str(ROOT / p) for p in config.getini("testpaths")]:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == SITE_TESTS or SITE_TESTS in path.parents or path in SITE_TESTS.parents:
            return True
    return False


def shared_build_record(basetemp: Path) -> Path:
    return basetemp / "site-build.json"


_background: list[subprocess.Popen] = []  # the build, stopped if the run ends before it does


def build_in_background(basetemp: Path) -> None:
    """Start the one build and, when it ends, write its result where the workers look for it."""
    site_dir = basetemp / "site"
    start = time.perf_counter()
    process = subprocess.Popen(build_command(ROOT / "mkdocs.yml", site_dir), cwd=ROOT, env=build_env(site_dir),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _background.append(process)

    def wait() -> None:
        log, _ = process.communicate()
        build = Build(process.returncode, log, site_dir, time.perf_counter() - start)
        partial = shared_build_record(basetemp).with_suffix(".partial")
        partial.write_text(json.dumps({**dataclasses.asdict(build), "site": str(site_dir)}), encoding="utf-8")
        partial.replace(shared_build_record(basetemp))

    threading.Thread(target=wait, daemon=True).start()


def pytest_sessionstart(session):
    if has_workers(session.config) and selects_site_tests(session.config):
        build_in_background(session.config._tmp_path_factory.getbasetemp())


def wait_for_shared_build(record: Path) -> Build:
    deadline = time.monotonic() + BUILD_TIMEOUT_S
    while not record.is_file():
        if time.monotonic() > deadline:
            pytest.fail(f"the site build started by the controlling process did not end in {BUILD_TIMEOUT_S} s")
        time.sleep(0.5)
    data = json.loads(record.read_text(encoding="utf-8"))
    return Build(data["returncode"], data["log"], Path(data["site"]), data["seconds"])


@pytest.fixture(scope="session")
def built_site(request, tmp_path_factory) -> Build:
    if is_worker(request.config):
        build = wait_for_shared_build(shared_build_record(tmp_path_factory.getbasetemp().parent))
    else:
        build = mkdocs_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site"))
    assert build.returncode == 0, f"mkdocs build --strict failed:\n{build.log}"
    return build


def modules_with_module_fixtures() -> set[str]:
    """The test modules that define a module-scoped fixture (a browser, processes started once,
    the blocks of the built pages), as test ids name them. A scan of the sources: the
    controlling process does not collect tests (tests/test_snippets.py checks it against
    what pytest collects)."""
    return {path.relative_to(ROOT).as_posix() for path in (ROOT / "tests").rglob("test_*.py")
            if 'scope="module"' in path.read_text(encoding="utf-8")}


def pytest_xdist_make_scheduler(config, log):
    """Each test is a unit of work of its own, given to whichever worker is free, except the
    tests of a module with a module-scoped fixture: one unit, so the fixture is set up once.
    (pytest-xdist's --dist loadgroup does nothing under pytest 9.2: it renames tests through
    Node._nodeid, which pytest no longer reads.) Units go out in the order they are collected,
    so the snippets' tests keep both workers busy while the site is built."""
    from xdist.scheduler import LoadScopeScheduling

    together = modules_with_module_fixtures()

    class ModuleFixtureScheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in together else nodeid

    return ModuleFixtureScheduling(config, log)


# --- what the run proved ---------------------------------------------------------------------

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Each test's largest error against the reference travels with its report (from a
    worker to the controlling process)."""
    from tests.numerics import LARGEST_ERROR
    from tests.verification import RECORDER

    report = yield
    error = RECORDER.errors.pop(item.nodeid, None) if ends_the_test(report) else None
    if error is not None:
        report.user_properties.append(("max_error", error))
    if LARGEST_ERROR and call.when == "teardown":
        report.user_properties.append(("largest_error", dict(LARGEST_ERROR)))
    return report


def ends_the_test(report) -> bool:
    """The report that gives a test its outcome: the call's, or a failing setup's or teardown's."""
    return report.when == "call" or (report.when == "setup" and not report.passed) or (report.when == "teardown" and report.failed)


_CUDA_SEEN: dict[str, int] = {}
_LARGEST_SEEN: dict[str, float] = {}  # quantity -> largest error, over every process


def pytest_runtest_logreport(report):
    from tests.verification import RECORDER

    properties = dict(report.user_properties)
    for quantity, error in properties.get("largest_error", {}).items():
        _LARGEST_SEEN[quantity] = max(_LARGEST_SEEN.get(quantity, 0.0), error)
    if ends_the_test(report):
        RECORDER.test_done(report.nodeid, report.outcome, cuda="cuda" in report.keywords, error=properties.get("max_error"))
    if report.when == "call" and "cuda" in report.keywords:
        outcome = report.outcome if report.outcome in {"passed", "skipped"} else "failed"
        _CUDA_SEEN[outcome] = _CUDA_SEEN.get(outcome, 0) + 1
    elif report.when == "setup" and report.skipped and "cuda" in report.keywords:
        _CUDA_SEEN["skipped"] = _CUDA_SEEN.get("skipped", 0) + 1


def gpu_present() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def pytest_sessionfinish(session, exitstatus):
    from tests.verification import RECORDER

    if is_worker(session.config):
        return  # the controlling process sees every report: it alone writes the record
    for process in _background:
        process.kill()  # nothing if it has ended (a run stopped early, or selecting no site test that waits)
    RECORDER.write()  # .cache/verification.json, shown under each example by the next build
    # A GPU machine that ran no CUDA case would report CPU results as if they covered CUDA.
    if gpu_present() and not _CUDA_SEEN.get("passed"):
        session.exitstatus = 1
        print("\nFAILED: a CUDA GPU is present but no CUDA test case passed", file=sys.stderr)


def pytest_terminal_summary(terminalreporter):
    if _LARGEST_SEEN:
        terminalreporter.section("largest observed error per quantity")
        for quantity, error in sorted(_LARGEST_SEEN.items()):
            terminalreporter.write_line(f"{quantity:<48} {error:.3e}")
    terminalreporter.write_line(
        f"CUDA cases: {_CUDA_SEEN.get('passed', 0)} passed, {_CUDA_SEEN.get('skipped', 0)} skipped"
        + ("" if gpu_present() else " (no CUDA GPU on this machine)")
    )
