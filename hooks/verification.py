"""Under every example, what the last test run proved about it, in the page's language.

The test run writes .cache/verification.json (tests/verification.py): per snippet, passed or
failed, the devices, the library versions, the largest error against the reference and the
SHA-256 of the source that ran. Each fenced `--8<-- "file"` include gets a line under it:
"Verified on CPU with PyTorch 2.13.0 …" when the record says the snippet passed and its hash
is the hash of the file being included now; otherwise "Not verified in this build". A build
without a record (`make build` alone) never claims verification. The record's path can be
overridden with VERIFICATION_RECORD (the test suite's own build points it nowhere).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
INCLUDE_FENCE = re.compile(
    r'^(?P<indent>[ \t]*)(?P<fence>```+)[^\n]*\n(?P=indent)--8<--\s+"(?P<file>[^":]+)(?::[\w-]+)?"[ \t]*\n(?P=indent)(?P=fence)[ \t]*$',
    re.M,
)


def record_path() -> Path:
    return Path(os.environ.get("VERIFICATION_RECORD", ROOT / ".cache" / "verification.json"))


def load_record() -> dict:
    path = record_path()
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"snippets": {}}


def short(error: float) -> str:
    """6.4e-07 -> 6.4e-7"""
    mantissa, exponent = f"{error:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def badge(relative: str, record: dict, ui: dict) -> str:
    """The line shown under the example that includes snippets/<relative>."""
    entry = record.get("snippets", {}).get(relative)
    current = hashlib.sha256((SNIPPETS / relative).read_bytes()).hexdigest()
    if not entry or entry.get("status") != "passed" or entry.get("sha256") != current:
        return f'<p class="verification verification--missing">{escape(ui["not_verified"])}</p>'
    devices = " + ".join(entry["devices"])
    versions = ", ".join(f"{name} {version}" for name, version in entry["libraries"].items())
    parts = [ui["verified"].format(devices=devices, versions=versions)]
    if entry.get("max_error") is not None:
        parts.append(ui["max_error"].format(error=f"<code>{short(entry['max_error'])}</code>"))
    if "CUDA" not in entry["devices"]:
        parts.append(ui["cuda_not_run"])
    return f'<p class="verification verification--passed">{ui["separator"].join(parts)}</p>'


_record: dict = {}


def on_config(config: MkDocsConfig) -> None:
    _record.clear()
    _record.update(load_record())


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    ui = config["extra"]["ui"]["verification"]

    def with_badge(match: re.Match) -> str:
        return f"{match.group(0)}\n\n{match['indent']}{badge(match['file'], _record, ui)}"

    return INCLUDE_FENCE.sub(with_badge, markdown)
