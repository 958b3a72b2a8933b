"""Measure what the project promises to keep fast and light (a script, not a timed test).

- set-up: `make install` on an installed machine (must install nothing)
- strict build of all languages: cold (notebook cache empty, notebooks executed) and warm
- notebooks: each one's execution time in the cold build, and each download's size
- search: each language's index size (a page loads only its own language's)
- test suite: `pytest` wall time, and its stages: the snippets and the reference (every test
  outside tests/test_site), the browser (test_browser, test_accessibility), the rest of the site
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
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import lighthouse_audit

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
RESOURCE = re.compile(r'<(?:script|img)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"[^>]*rel="stylesheet"|<link[^>]*rel="stylesheet"[^>]*\shref="([^"]+)"')


def timed(command: list[str], log: list[str] | None = None) -> float:
    start = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, env=ENV, check=True, capture_output=True, text=True)
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


def main() -> None:
    results = {}
    results["make_install_rerun_s"] = timed(["make", "install"])
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.rmtree(ROOT / ".cache" / "mkdocs-jupyter", ignore_errors=True)
        log: list[str] = []
        results["build_cold_s"] = timed([*mkdocs, "-d", tmp], log)
        results["notebook_execution_s"] = {
            name: float(seconds) for name, seconds in re.findall(r"Executed notebook (\S+) .*? in ([\d.]+) s", log[0])
        }
        results["build_warm_s"] = timed([*mkdocs, "-d", tmp])
        site = Path(tmp)
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
    print("| measure | value |\n|---|---|")
    for key in ["make_install_rerun_s", "build_cold_s", "build_warm_s", "test_suite_s"]:
        if key in results:
            print(f"| {key} | {results[key]:.1f} s |")
    for stage, seconds in results.get("test_suite_stages_s", {}).items():
        print(f"| test suite stage: {stage} | {seconds:.1f} s |")
    for name, seconds in results["notebook_execution_s"].items():
        print(f"| notebook {name}: execution | {seconds:.1f} s |")
    for name, size in results["notebook_download_bytes"].items():
        print(f"| download {name} | {size / 1024:.0f} KiB |")
    for name, size in results["search_index_bytes"].items():
        print(f"| search index {name} | {size / 1024:.0f} KiB |")
    print(f"| site size | {results['site_bytes'] / 1e6:.1f} MB |")
    for page, size in results["page_weight_bytes"].items():
        print(f"| weight {page} | {size / 1024:.0f} KiB |")
    print("\nLargest parts of the batch-normalization page:")
    for part, size in results["largest_parts_bn_page"].items():
        print(f"- {part}: {size / 1024:.0f} KiB")
    if "lighthouse" in results:
        lighthouse_audit.print_table(results["lighthouse"])


if __name__ == "__main__":
    main()
