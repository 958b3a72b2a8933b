"""The verification record (tests/verification.py) and the line it puts under each example
(hooks/verification.py): produced by a real test run, stale as soon as a snippet changes,
never "verified" for a snippet whose tests failed, and absent claims when there is no record."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from hooks import verification as hook
from tests.paths import DOCS, LANGUAGES, ROOT, SNIPPETS, load_strings
from tests.test_site.test_build import LANGUAGE_ROOTS
from tests.verification import COPY_RUN, Recorder, source_hash

UI = {lang: load_strings(lang)["ui"]["verification"] for lang in LANGUAGES}


def passed_entry(relative: str, **changes) -> dict:
    return {"status": "passed", "sha256": source_hash(relative), "devices": ["CPU"],
            "libraries": {"PyTorch": "2.13.0"}, "max_error": 6.4e-7, **changes}


def test_a_real_test_run_writes_the_record(tmp_path):
    record = tmp_path / "verification.json"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-cov", "tests/test_reference/test_rms_norm.py"],
        cwd=ROOT, env={**os.environ, "VERIFICATION_RECORD": str(record)}, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    entry = json.loads(record.read_text())["snippets"]["reference/rms_norm.py"]
    assert entry["status"] == "passed" and entry["tests"]["failed"] == 0 and entry["tests"]["passed"] > 5
    assert entry["sha256"] == source_hash("reference/rms_norm.py")
    assert entry["devices"] == ["CPU"]
    assert entry["libraries"] == {"NumPy": __import__("numpy").__version__}
    assert 0 < entry["max_error"] < 1e-6  # float64 reference against float64 finite differences and loops


def recorded(outcomes: dict[str, str], copy_run: str | None, error: float = 3e-7) -> dict:
    recorder = Recorder()
    for nodeid, outcome in outcomes.items():
        os.environ["PYTEST_CURRENT_TEST"] = f"{nodeid} (call)"
        recorder.error_seen(error)
        recorder.test_done(nodeid, outcome, cuda="cuda" in nodeid)
    if copy_run:
        recorder.test_done(COPY_RUN, copy_run, cuda=False)
    os.environ["PYTEST_CURRENT_TEST"] = "tests/test_site/test_verification.py::recorded (call)"
    return recorder.record()["snippets"]


def test_a_snippet_passes_only_if_all_its_tests_and_the_copy_run_pass():
    tests = {"tests/test_pytorch/test_layer_norm.py::test_y[cpu]": "passed",
             "tests/test_pytorch/test_layer_norm.py::test_y[cuda-cudnn]": "skipped"}
    ok = recorded(tests, copy_run="passed")["pytorch/layer_norm.py"]
    assert ok["status"] == "passed" and ok["devices"] == ["CPU"] and ok["max_error"] == 3e-7
    assert ok["libraries"] == {"PyTorch": __import__("torch").__version__}
    one_failed = {**tests, "tests/test_pytorch/test_layer_norm.py::test_dx[cpu]": "failed"}
    assert recorded(one_failed, copy_run="passed")["pytorch/layer_norm.py"]["status"] == "failed"
    assert recorded(tests, copy_run="failed")["pytorch/layer_norm.py"]["status"] == "failed"
    assert recorded(tests, copy_run=None)["pytorch/layer_norm.py"]["status"] == "failed"  # not run as copied


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_line_says_verified_only_for_a_passed_snippet_whose_source_is_unchanged(lang, tmp_path, monkeypatch):
    relative = "pytorch/layer_norm.py"
    line = hook.badge(relative, {"snippets": {relative: passed_entry(relative)}}, UI[lang])
    assert "verification--passed" in line and "PyTorch 2.13.0" in line and "<code>6.4e-7</code>" in line
    assert UI[lang]["cuda_not_run"] in line and "CPU" in line
    # a failing snippet never gets it
    failed = hook.badge(relative, {"snippets": {relative: passed_entry(relative, status="failed")}}, UI[lang])
    assert failed == f'<p class="verification verification--missing">{UI[lang]["not_verified"]}</p>'
    # no record at all (a build without a test run): no claim
    assert hook.badge(relative, {"snippets": {}}, UI[lang]) == failed
    # the snippet edited after the run that verified it: the record is stale
    copy = tmp_path / "snippets"
    shutil.copytree(SNIPPETS, copy)
    monkeypatch.setattr(hook, "SNIPPETS", copy)
    assert hook.badge(relative, {"snippets": {relative: passed_entry(relative)}}, UI[lang]) == line
    (copy / relative).write_text((copy / relative).read_text() + "\n# edited\n")
    assert hook.badge(relative, {"snippets": {relative: passed_entry(relative)}}, UI[lang]) == failed


INCLUDE = re.compile(r'^\s*--8<--\s+"([^":]+)', re.M)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_example_of_the_flagship_gets_its_line(lang, monkeypatch):
    source = DOCS / ("batch-normalization.md" if lang == "en" else f"batch-normalization.{lang}.md")
    markdown = source.read_text(encoding="utf-8")
    included = INCLUDE.findall(markdown)
    assert len(included) >= 12
    monkeypatch.setattr(hook, "_record", {"snippets": {r: passed_entry(r) for r in included}})
    config = {"extra": {"ui": {"verification": UI[lang]}}}
    out = hook.on_page_markdown(markdown, page=None, config=config, files=None)
    assert out.count("verification--passed") == len(included)
    # each line sits right under its code block, indented like it (inside the framework tabs)
    assert len(re.findall(r'\n(\s*)--8<--[^\n]*\n\1```\n\n\1<p class="verification verification--passed">', out)) == len(included)


def test_the_suites_own_build_claims_nothing(built_site):
    """tests/conftest.py builds without a record: every example says it is not verified."""
    for lang, prefix in LANGUAGE_ROOTS.items():
        html = (built_site.site / prefix / "batch-normalization/index.html").read_text(encoding="utf-8")
        assert "verification--passed" not in html
        assert html.count(f'<p class="verification verification--missing">{UI[lang]["not_verified"]}</p>') >= 12, lang
