"""The harness: every file under snippets/ is executed, mirrored by a test module and
included by a page in every language.

The example scripts are run as the reader copies them from the built pages, output
checked, by tests/test_site/test_copy_run.py; the reference modules are run here.
"""

from __future__ import annotations

import re
import runpy
import warnings

import pytest

from tests.paths import DOCS, LANGUAGES, ROOT, SNIPPETS
from tests.test_site.checks import english_pages, page_path

ALL = sorted(p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py") if p.name != "__init__.py")
REFERENCE = [p for p in ALL if p.startswith("reference/")]
SCRIPTS = [p for p in ALL if not p.startswith("reference/")]
INCLUDE = re.compile(r'--8<--\s+"([^":]+)(?::[\w-]+)?"')


def test_snippets_are_found():
    assert len(SCRIPTS) >= 11 and len(REFERENCE) >= 5, ALL


@pytest.mark.parametrize("relative", REFERENCE)
def test_reference_module_runs(relative):
    module = "snippets." + relative.removesuffix(".py").replace("/", ".")
    with warnings.catch_warnings():
        # Other tests imported it already; runpy warns that it executes a fresh copy.
        warnings.filterwarnings("ignore", message=".*found in sys.modules", category=RuntimeWarning)
        namespace = runpy.run_module(module, run_name="__main__")
    assert any(callable(v) and getattr(v, "__module__", None) == "__main__" for v in namespace.values())


@pytest.mark.parametrize("relative", ALL)
def test_every_snippet_has_a_mirroring_test_module(relative):
    folder, name = relative.rsplit("/", 1)
    test_module = ROOT / "tests" / f"test_{folder}" / f"test_{name}"
    assert test_module.is_file(), f"snippets/{relative} has no test module {test_module.relative_to(ROOT)}"


@pytest.mark.parametrize("relative", ALL)
def test_every_snippet_is_included_by_a_page_in_every_language(relative):
    for lang in LANGUAGES:
        including = [
            page for page in english_pages(DOCS)
            if relative in INCLUDE.findall(page_path(DOCS, page, lang).read_text(encoding="utf-8"))
        ]
        assert including, f"snippets/{relative} is not included by any {lang} page"


def test_the_modules_the_scheduler_keeps_together_are_those_with_a_module_scoped_fixture(request):
    """tests/conftest.py finds them by scanning the sources; pytest knows them from the fixtures."""
    from tests.conftest import modules_with_module_fixtures

    sharing = {item.nodeid.split("::", 1)[0] for item in request.session.items
               if any(defs[-1].scope == "module" for defs in item._fixtureinfo.name2fixturedefs.values())}
    assert sharing <= modules_with_module_fixtures()  # (a module kept together needlessly costs nothing)
    assert "tests/test_site/test_copy_run.py" in modules_with_module_fixtures()
