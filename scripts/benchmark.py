"""Measure what the project promises to keep fast and light (a script, not a timed test).

Each figure of the fast loop (issue 21) is printed beside its goal, on this machine:
- strict build of all languages, cold (an empty .cache/: notebooks executed, formulas
  rendered) and warm (the median of 3 builds after it)
- `make serve` on a clean checkout, the install done: seconds until the first page answers
- `make dev` (one language, live reload): seconds until the first page answers, and from
  saving a change to a page until the served page shows it (median of 3 edits)
- test suite: `make test`'s pytest wall time, and the test time of its stages (summed over
  the workers): the snippets and the reference (every test outside tests/test_site), the
  browser (test_browser, test_accessibility), the rest of the site
The builds and servers run in a copy of the sources (the files git knows) with this checkout's
.venv and node_modules, so they start from empty caches and leave this checkout's alone.
And:
- set-up: `make install` on an installed machine (must install nothing)
- notebooks: each one's execution time in the cold build, and each download's size
- search: each language's index size (a page loads only its own language's)
- Lighthouse (scripts/lighthouse_audit.py): scores, bytes and timings of key pages served with
  gzip, checked against the budgets of issue 13
- page weight: each built page's HTML plus the local scripts, stylesheets and images it
  references (MathJax's fonts load on demand and are not counted)

Usage: make bench   (or .venv/bin/python scripts/benchmark.py [--skip-suite] [--skip-lighthouse])
Writes bench/results.json and prints a Markdown summary.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import lighthouse_audit

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
GOALS_S = {"build_cold_s": 45, "build_warm_s": 15, "serve_first_page_s": 45, "dev_first_page_s": 20,
           "dev_change_visible_s": 3, "test_suite_s": 8 * 60}
RESOURCE = re.compile(r'<(?:script|img)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"[^>]*rel="stylesheet"|<link[^>]*rel="stylesheet"[^>]*\shref="([^"]+)"')


def timed(command: list[str], log: list[str] | None = None, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    run = subprocess.run(command, cwd=cwd, env=ENV, check=True, capture_output=True, text=True)
    if log is not None:
        log.append(run.stdout + run.stderr)
    return time.perf_counter() - start


def page_weight(site: Path, page: Path) -> dict:
    html = page.read_text(encoding="utf-8")
    total, parts = len(html.encode()), {"html": len(html.encode())}
    for match in RESOURCE.finditer(html):
        url = next(g for g in match.groups() if g)
        if url.startswith(("http:", "https:", "data:", "//")):
            continue
        path = (site / url.lstrip("/")) if url.startswith("/") else (page.parent / url)
        path = Path(os.path.normpath(re.split(r"[?#]", path.as_posix())[0]))
        if path.is_file():
            size = path.stat().st_size
            total += size
            parts[path.relative_to(site).as_posix()] = size
    return {"total": total, "parts": parts}


BROWSER_TESTS = ("tests.test_site.test_browser", "tests.test_site.test_accessibility")


def suite_stages(junit: Path) -> dict:
    """Seconds per stage, summed from each test's setup, call and teardown (the site build
    is counted in the first site test that needs it)."""
    stages = {"snippets and reference": 0.0, "site (build, pages, notebooks)": 0.0, "browser": 0.0}
    for case in ElementTree.parse(junit).iter("testcase"):
        name = case.get("classname", "")
        stage = ("browser" if name.startswith(BROWSER_TESTS) else
                 "site (build, pages, notebooks)" if name.startswith("tests.test_site") else "snippets and reference")
        stages[stage] += float(case.get("time", 0))
    return stages


def copy_of_the_sources(target: Path) -> Path:
    """The files git knows (committed or not, not ignored), with this checkout's installed
    .venv and node_modules: a clean checkout whose `make install` has nothing to do."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    for installed in (".venv", "node_modules"):
        (target / installed).symlink_to(ROOT / installed)
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(condition, timeout: float = 600) -> float:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the server did not answer")
        time.sleep(0.05)
    return time.perf_counter() - start


def served(project: Path, target: str, port: int) -> subprocess.Popen:
    return subprocess.Popen(["make", target, f"PORT={port}", "ONLY=en"], cwd=project, env=ENV, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait()


def serve_first_page(project: Path) -> float:
    """`make serve` on a clean checkout whose install is done: until the home page answers."""
    port = free_port()
    start = time.perf_counter()
    server = served(project, "serve", port)
    try:
        wait_for(lambda: answers(f"http://127.0.0.1:{port}/") is not None)
        return time.perf_counter() - start
    finally:
        stop(server)


def dev_preview(project: Path, edits: int = 3) -> tuple[float, float]:
    """`make dev`: until the first page answers; then, for each edit, from saving a page to
    the served page showing it (the browser reloads itself as soon as it is built)."""
    port, page = free_port(), project / "docs" / "dropout.md"
    url = f"http://127.0.0.1:{port}/dropout/"
    original = page.read_text(encoding="utf-8")
    start = time.perf_counter()
    server = served(project, "dev", port)
    try:
        wait_for(lambda: answers(url) is not None)
        first_page = time.perf_counter() - start
        visible = []
        for edit in range(edits):
            time.sleep(2)
            marker = f"benchmark-edit-{edit}-{time.time_ns()}"
            page.write_text(original + f"\n{marker}\n", encoding="utf-8")
            visible.append(wait_for(lambda: marker in (answers(url) or ""), timeout=120))
        return first_page, statistics.median(visible)
    finally:
        page.write_text(original, encoding="utf-8")
        stop(server)


def main() -> None:
    results = {}
    results["make_install_rerun_s"] = timed(["make", "install"])
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    with tempfile.TemporaryDirectory() as tmp:
        project, site = copy_of_the_sources(Path(tmp) / "project"), Path(tmp) / "site"
        log: list[str] = []
        results["build_cold_s"] = timed([*mkdocs, "-d", str(site)], log, cwd=project)
        results["notebook_execution_s"] = {
            name: float(seconds) for name, seconds in re.findall(r"Executed notebook (\S+) .*? in ([\d.]+) s", log[0])
        }
        results["build_warm_runs_s"] = [timed([*mkdocs, "-d", str(site)], cwd=project) for _ in range(3)]
        results["build_warm_s"] = statistics.median(results["build_warm_runs_s"])
        results["dev_first_page_s"], results["dev_change_visible_s"] = dev_preview(project)
        results["serve_first_page_s"] = serve_first_page(copy_of_the_sources(Path(tmp) / "clean"))
        weights = {}
        for page in sorted(site.rglob("index.html")):
            rel = page.relative_to(site).as_posix()
            if rel.startswith(("assets/", "search/")):
                continue
            weights[rel] = page_weight(site, page)
        results["page_weight_bytes"] = {k: v["total"] for k, v in weights.items()}
        results["largest_parts_bn_page"] = dict(
            sorted(weights["batch-normalization/index.html"]["parts"].items(), key=lambda kv: -kv[1])[:5]
        )
        results["notebook_download_bytes"] = {
            p.relative_to(site).as_posix(): p.stat().st_size for p in sorted(site.glob("notebooks/*/*.ipynb"))
        }
        results["search_index_bytes"] = {
            p.relative_to(site).as_posix(): p.stat().st_size for p in sorted(site.glob("**/search/search_index.json"))
        }
        results["site_bytes"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        if "--skip-lighthouse" not in sys.argv:
            results["lighthouse"] = lighthouse_audit.audit(site)
    if "--skip-suite" not in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "junit.xml"
            results["test_suite_s"] = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}"])
            results["test_suite_stages_s"] = suite_stages(report)

    out = ROOT / "bench"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print("| measure | value | goal |\n|---|---|---|")
    for key in ["build_warm_s", "build_cold_s", "serve_first_page_s", "dev_first_page_s", "dev_change_visible_s",
                "test_suite_s", "make_install_rerun_s"]:
        if key in results:
            goal = GOALS_S.get(key)
            verdict = "" if goal is None else f"≤ {goal} s " + ("(met)" if results[key] <= goal else "(MISSED)")
            print(f"| {key} | {results[key]:.1f} s | {verdict} |")
    for stage, seconds in results.get("test_suite_stages_s", {}).items():
        print(f"| test suite stage: {stage} (test time, summed over workers) | {seconds:.1f} s | |")
    for name, seconds in results["notebook_execution_s"].items():
        print(f"| notebook {name}: execution (cold build, all at once) | {seconds:.1f} s | |")
    for name, size in results["notebook_download_bytes"].items():
        print(f"| download {name} | {size / 1024:.0f} KiB | |")
    for name, size in results["search_index_bytes"].items():
        print(f"| search index {name} | {size / 1024:.0f} KiB | |")
    print(f"| site size | {results['site_bytes'] / 1e6:.1f} MB | |")
    for page, size in results["page_weight_bytes"].items():
        print(f"| weight {page} | {size / 1024:.0f} KiB | |")
    print("\nLargest parts of the batch-normalization page:")
    for part, size in results["largest_parts_bn_page"].items():
        print(f"- {part}: {size / 1024:.0f} KiB")
    if "lighthouse" in results:
        lighthouse_audit.print_table(results["lighthouse"])


if __name__ == "__main__":
    main()
