"""Every notebook runs from top to bottom in a fresh Jupyter kernel (nbclient) during the
suite's build (which never reuses an earlier run), and an error in any cell fails the build
and with it the suite. The code cells are the same in every language (test_translations.py),
so one run serves all five pages; these tests read that run from the built site's downloads.
Other builds reuse a run while its code, the snippets it imports and the library versions
are unchanged: the last tests check that cache."""

from __future__ import annotations

import base64
import importlib.metadata
import io
import logging
import re
import shutil
from types import SimpleNamespace

import jupytext
import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from PIL import Image

from hooks import notebooks as hook
from hooks.notebooks import alt_texts, execute
from tests.conftest import build_env, mkdocs_build, project_copy
from tests.paths import DOCS, NOTEBOOKS, ROOT, SNIPPETS


def test_the_notebooks_found_are_the_ones_in_the_navigation():
    nav = re.findall(r"notebooks/([\w-]+)\.md", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert len(NOTEBOOKS) >= 3 and sorted(nav) == NOTEBOOKS


def downloaded(built_site, name: str, prefix: str = "") -> nbformat.NotebookNode:
    return nbformat.read(built_site.site / prefix / f"notebooks/{name}/{name}.ipynb", as_version=4)


def outputs(notebook: nbformat.NotebookNode) -> list:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_cell_ran_without_error_or_warning(built_site, name):
    notebook = downloaded(built_site, name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), "not every cell ran, in order"
    assert [o for o in outputs(notebook) if o.output_type == "error"] == []
    # a warning, a TensorFlow start-up log or a deprecation notice lands on stderr
    assert [o.text for o in outputs(notebook) if o.output_type == "stream" and o.name == "stderr"] == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_plots_carry_their_own_white_background_for_the_dark_palette(built_site, name):
    images = [o.data["image/png"] for o in outputs(downloaded(built_site, name)) if "image/png" in o.get("data", {})]
    assert images, f"{name}: no plot"
    for data in images:
        image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA")
        width, height = image.size
        corners = [image.getpixel((x, y)) for x in (0, width - 1) for y in (0, height - 1)]
        # opaque white: dark text and lines stay on white whatever the page's palette is
        assert corners == [(255, 255, 255, 255)] * 4, f"{name}: plot background {corners}"


def test_a_plot_without_alt_text_is_refused():
    plot = nbformat.v4.new_code_cell("plt.show()", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})])
    with pytest.raises(ValueError, match="no alt text"):
        alt_texts(nbformat.v4.new_notebook(cells=[plot]), "x.md")
    plot.metadata["alt"] = "A histogram"
    assert alt_texts(nbformat.v4.new_notebook(cells=[plot]), "x.md") == ["A histogram"]


def test_a_failing_cell_fails_the_run_with_its_error():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x / 0")])
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute(notebook)


def test_the_kernel_runs_in_the_repository_without_the_tensorflow_log_setting(monkeypatch):
    # what a reader has: the notebook saved in a clone's root, no TF_CPP_MIN_LOG_LEVEL set
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, snippets\nprint(os.getcwd(), os.environ.get('TF_CPP_MIN_LOG_LEVEL'))")])
    execute(notebook)
    assert notebook.cells[0].outputs[0].text.split() == [str(ROOT), "None"]


def test_a_failing_cell_fails_the_build_instead_of_rendering_a_traceback(tmp_path):
    project = project_copy(tmp_path)
    notebook = project / "docs/notebooks/bn-step-by-step.md"
    notebook.write_text(notebook.read_text(encoding="utf-8") + "\n```python\nraise ValueError('cell failed on purpose')\n```\n",
                        encoding="utf-8")

    site = tmp_path / "site"
    # English alone, the language a full build starts with; the notebook cache used as by an author
    build = mkdocs_build(project / "mkdocs.yml", site, build_env(site, GLOSSARY_PREVIEW_LANGUAGE="en", NOTEBOOK_EXECUTE=""))

    assert build.returncode != 0
    assert "cell failed on purpose" in build.log
    rendered = tmp_path / "site/notebooks/bn-step-by-step/index.html"
    assert not rendered.exists() or "Traceback" not in rendered.read_text(encoding="utf-8")


# --- the notebook cache (hooks/notebooks.py) ------------------------------------------------

TINY = "from snippets.reference.batch_norm import batch_norm_train\nimport numpy as np\nprint(1 + 1)"


def test_the_key_follows_the_code_the_snippets_it_imports_and_the_library_versions(tmp_path, monkeypatch):
    snippets = tmp_path / "snippets"
    shutil.copytree(SNIPPETS, snippets, ignore=shutil.ignore_patterns("__pycache__"))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TINY)])
    key = hook.cache_key(notebook, snippets)
    files, libraries = hook.dependencies([TINY], snippets)
    # batch_norm imports .validation: the imports of an imported snippet count too
    assert set(files) == {"__init__.py", "reference/__init__.py", "reference/batch_norm.py", "reference/validation.py"}
    assert {"numpy"} <= libraries and "snippets" not in libraries
    assert hook.cache_key(notebook, snippets) == key  # nothing changed: the same key

    unrelated = snippets / "pytorch/layer_norm.py"
    unrelated.write_text(unrelated.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert hook.cache_key(notebook, snippets) == key  # a snippet it does not import

    imported = snippets / "reference/validation.py"
    original = imported.read_text(encoding="utf-8")
    imported.write_text(original + "\n# edited\n", encoding="utf-8")
    assert hook.cache_key(notebook, snippets) != key  # imported through batch_norm.py
    imported.write_text(original, encoding="utf-8")
    assert hook.cache_key(notebook, snippets) == key

    edited_code = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TINY + "\nprint(3)")])
    assert hook.cache_key(edited_code, snippets) != key

    version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.1" if name == "numpy" else version(name))
    assert hook.cache_key(notebook, snippets) != key  # another NumPy


def test_an_unchanged_notebook_is_reused_and_an_edited_snippet_it_imports_runs_it_again(tmp_path, monkeypatch, caplog):
    snippets = tmp_path / "snippets"
    shutil.copytree(SNIPPETS, snippets, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(hook, "SNIPPETS", snippets)
    monkeypatch.setenv("NOTEBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("NOTEBOOK_EXECUTE", raising=False)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TINY)])

    def build() -> tuple[nbformat.NotebookNode, list[str]]:
        """What a build asks of the hook: the run of the notebook, for each of two languages."""
        monkeypatch.setattr(hook, "_executed", {})
        caplog.clear()
        with caplog.at_level(logging.INFO, logger=hook.log.name):
            run = hook.executed(nbformat.from_dict(notebook), "tiny")
            assert hook.executed(nbformat.from_dict(notebook), "tiny") is run  # the other language: the same run
        return run, [record.getMessage().split(" (")[0] for record in caplog.records]

    run, log = build()
    assert log == ["Executed notebook tiny"] and run.cells[0].outputs[0].text == "2\n"
    again, log = build()
    assert log == ["Reused notebook tiny"] and again.cells[0].outputs == run.cells[0].outputs

    imported = snippets / "reference/validation.py"
    imported.write_text(imported.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _, log = build()
    assert log == ["Executed notebook tiny"]
    assert len(list((tmp_path / "cache").glob("tiny-*.ipynb"))) == 1  # the entry it replaced is gone

    monkeypatch.setenv("NOTEBOOK_EXECUTE", "always")  # the suite's own build
    _, log = build()
    assert log == ["Executed notebook tiny"]


def test_only_the_include_globs_decide_which_files_are_notebooks(monkeypatch):
    """mkdocs-jupyter parses every Markdown page with jupytext to decide; the hook decides from
    its globs alone, and gets the same notebooks."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["mkdocs-jupyter"]
    pages = [SimpleNamespace(src_uri=p.relative_to(DOCS).as_posix(), abs_src_path=str(p)) for p in sorted(DOCS.rglob("*.md"))]
    parsed = []
    read = jupytext.read
    monkeypatch.setattr(jupytext, "read", lambda path, *a, **k: parsed.append(path) or read(path, *a, **k))

    upstream = [page.src_uri for page in pages if type(plugin).should_include(plugin, page)]
    assert len(parsed) > len(upstream)  # the negative control: upstream parses pages that are not notebooks
    parsed.clear()
    hook.on_config(config)
    ours = [page.src_uri for page in pages if plugin.should_include(page)]
    assert ours == upstream and len(ours) == 5 * len(NOTEBOOKS)
    assert parsed == []
    assert not plugin.should_include(SimpleNamespace(src_uri=None, abs_src_path=None))
