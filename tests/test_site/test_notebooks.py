"""Every notebook runs from top to bottom in a fresh Jupyter kernel (nbclient) during the
build, once per build, and an error in any cell fails the build and with it the suite. The
code cells are the same in every language (test_translations.py), so one run serves all
five pages; these tests read that run from the built site's downloads."""

from __future__ import annotations

import base64
import io
import re
import shutil

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError
from PIL import Image

from hooks.notebooks import alt_texts, execute
from tests.conftest import mkdocs_build
from tests.paths import NOTEBOOKS, ROOT


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
    project = tmp_path / "project"
    for part in ["docs", "overrides", "i18n"]:
        shutil.copytree(ROOT / part, project / part)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("!relative $config_dir/snippets", f"{ROOT}/snippets").replace("hooks/", f"{ROOT}/hooks/")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    notebook = project / "docs/notebooks/bn-step-by-step.md"
    notebook.write_text(notebook.read_text(encoding="utf-8") + "\n```python\nraise ValueError('cell failed on purpose')\n```\n",
                        encoding="utf-8")

    build = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")

    assert build.returncode != 0
    assert "cell failed on purpose" in build.log
    rendered = tmp_path / "site/notebooks/bn-step-by-step/index.html"
    assert not rendered.exists() or "Traceback" not in rendered.read_text(encoding="utf-8")
