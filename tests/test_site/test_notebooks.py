"""Every notebook runs from top to bottom in a fresh Jupyter kernel (nbclient), and an error in
any cell fails the suite. The code cells are the same in every language
(test_translations.py), so the English notebooks are the ones executed here."""

from __future__ import annotations

import shutil

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tests.conftest import mkdocs_build
from tests.paths import DOCS, LANGUAGES, ROOT

TRANSLATED = tuple(f".{lang}.md" for lang in LANGUAGES if lang != "en")
NOTEBOOKS = sorted(p for p in (DOCS / "notebooks").glob("*.md") if not p.name.endswith(TRANSLATED))


def execute(notebook: nbformat.NotebookNode, folder) -> nbformat.NotebookNode:
    # 120 s per cell: the notebooks' cells take seconds; a hung cell fails instead of blocking CI
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return notebook


def test_the_notebooks_are_found():
    assert [p.name for p in NOTEBOOKS] == ["bn-step-by-step.md"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_notebook_runs_in_a_fresh_kernel_without_error(path, tmp_path):
    notebook = execute(jupytext.read(path), tmp_path)
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert outputs, f"{path.name}: executed, but no cell produced output"
    assert [o for o in outputs if o.output_type == "error"] == []


def test_a_failing_cell_fails_the_run_with_its_error(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("x / 0")])
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        execute(notebook, tmp_path)


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
