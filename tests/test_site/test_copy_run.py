"""What the reader copies is what the tests run.

Every code block with a copy button on every built page, in every language, is taken
from the HTML exactly as the copy button yields it (tests/test_site/code_blocks.py):
- each language's page carries the same blocks as the English page;
- each distinct Python block runs once, alone, as a complete program (tests/copy_run.py:
  empty folder, fresh globals, no project on sys.path, warnings as errors) and prints
  exactly the `#>` output the page shows under its print statements;
- a fresh interpreter imports the blocks' libraries without printing anything;
- shell blocks name Makefile targets that exist.
No maintained tool fits this: pytest-examples, Sybil and pytest-markdown-docs read fenced
code in Markdown sources, where our pages hold `--8<--` include lines, not code.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import gpu_present
from tests.copy_run import output_problems, run_block
from tests.paths import LANGUAGES, ROOT, SNIPPETS
from tests.test_site.code_blocks import copied_text, notebook_copy_buttons, page_files, site_blocks

RUNNABLE = {"python", "bash"}


@pytest.fixture(scope="module")
def blocks(built_site):
    found = site_blocks(built_site.site)
    assert found, "no code blocks found in the built site"
    return found


def _snippet_files() -> dict[str, Path]:
    """Copied text of each snippet file -> its path (so coverage sees the block run)."""
    return {copied_text(p.read_text(encoding="utf-8")): p for p in SNIPPETS.rglob("*.py")}


def test_every_example_script_is_shown_whole_with_a_copy_button(blocks):
    """So every example runs here exactly as a reader copies it (coverage counts it too)."""
    shown = {b.text for b in blocks if b.copyable and b.code_language == "python"}
    examples = [p for p in SNIPPETS.rglob("*.py") if p.parent.name != "reference" and p.name != "__init__.py"]
    assert len(examples) >= 12
    assert [str(p.relative_to(SNIPPETS)) for p in examples if copied_text(p.read_text(encoding="utf-8")) not in shown] == []


def test_every_language_shows_the_same_code_as_english(blocks):
    by_page: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}
    for block in blocks:
        by_page.setdefault((block.language, block.page), []).append((block.code_language, block.text, block.copyable))
    problems = []
    for (lang, page), found in by_page.items():
        english = by_page.get(("en", page), [])
        if found != english:
            problems.append(f"{page} [{lang}]: {len(found)} code blocks differ from the English page's {len(english)}")
    assert problems == []
    assert {lang for lang, _ in by_page} == set(LANGUAGES)


def test_every_copyable_block_is_python_or_shell(blocks):
    odd = [b.where() + f" ({b.code_language or 'no language'})" for b in blocks
           if b.copyable and b.code_language not in RUNNABLE]
    assert odd == [], "a copy button on a block the suite cannot run; mark it .no-copy or make it runnable"


def test_every_python_block_runs_as_copied_and_prints_what_the_page_shows(blocks, fresh_import):
    # (fresh_import is requested only to start the fresh interpreter now, in parallel)
    distinct: dict[str, list] = {}
    for block in blocks:
        if block.copyable and block.code_language == "python":
            distinct.setdefault(block.text, []).append(block)
    assert len(distinct) >= 12, f"only {len(distinct)} distinct Python blocks on the site"
    files = _snippet_files()
    failures = []
    for text, shown_on in distinct.items():  # once per distinct block, not once per language
        filename = str(files.get(text, "<copied block>"))
        try:
            run = run_block(text, filename)
        except BaseException as error:  # noqa: BLE001 - report every failing block at once
            failures.append(f"{shown_on[0].where()}: {type(error).__name__}: {error}")
            continue
        failures += [f"{shown_on[0].where()}: {problem}" for problem in output_problems(text, run, gpu_present())]
    assert failures == [], "\n".join(failures)


TF_LOG = re.compile(r"os\.environ(?:\.setdefault\(|\[)[\"']TF_CPP_MIN_LOG_LEVEL")


def _imports(code: str) -> list[ast.stmt]:
    return [node for node in ast.parse(code).body if isinstance(node, (ast.Import, ast.ImportFrom))]


def _top_modules(node: ast.stmt) -> set[str]:
    names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
    return {name.split(".")[0] for name in names}


@pytest.fixture(scope="module")
def fresh_import(blocks, tmp_path_factory):
    """Start, in a new interpreter, every import statement of every copyable block.

    In-process runs share frameworks imported earlier, so import-time output (TensorFlow's
    C++ log, a DeprecationWarning raised once) only shows in a fresh interpreter. If the
    union of all imports is silent, each block's imports are. Started early so that it
    runs while the blocks run in-process.
    """
    statements = {}
    for block in blocks:
        if block.copyable and block.code_language == "python":
            for node in _imports(block.text):
                statements.setdefault(ast.unparse(node), None)
    script = "import os\nos.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')\n" + "\n".join(statements) + "\n"
    folder = tmp_path_factory.mktemp("fresh")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder)}  # nothing from this project's environment
    process = subprocess.Popen([sys.executable, "-W", "error", "-c", script], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield script, process
    process.kill()
    process.communicate()  # reaped, its pipes closed (an unclosed pipe is a ResourceWarning, an error here)


def test_tensorflow_blocks_silence_its_start_up_log_before_importing_it(blocks):
    """TensorFlow prints C++ log lines on import unless TF_CPP_MIN_LOG_LEVEL is set first."""
    problems = []
    for block in blocks:
        if not (block.copyable and block.code_language == "python"):
            continue
        for node in _imports(block.text):
            if _top_modules(node) & {"keras", "tensorflow"}:
                before = "\n".join(block.text.splitlines()[: node.lineno - 1])
                if not TF_LOG.search(before):
                    problems.append(f"{block.where()}: sets no TF_CPP_MIN_LOG_LEVEL before `{ast.unparse(node)}`")
                break
    assert problems == []


def test_a_fresh_interpreter_imports_every_block_silently(fresh_import):
    script, process = fresh_import
    out, err = process.communicate(timeout=300)
    assert {"torch", "keras", "numpy"} <= {m for line in script.splitlines() for m in re.findall(r"import (\w+)", line)}
    assert (process.returncode, out, err) == (0, "", ""), script


def test_shell_blocks_run_existing_makefile_targets(blocks):
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    problems = []
    shell = [b for b in blocks if b.copyable and b.code_language == "bash"]
    assert shell
    for block in shell:
        for line in block.text.splitlines():
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if words[0] != "make" or len(words) < 2 or words[1] not in targets:
                problems.append(f"{block.where()}: `{line}` is not `make <target>` with a Makefile target")
    assert problems == []


def test_notebook_pages_have_no_per_cell_copy_buttons(built_site):
    """A notebook cell needs the cells above it: the page offers the whole .ipynb instead."""
    notebooks = {key: path for key, path in page_files(built_site.site).items() if key[1].startswith("notebooks/")}
    assert notebooks
    assert {key: n for key, path in notebooks.items()
            if (n := notebook_copy_buttons(path.read_text(encoding="utf-8")))} == {}


# The runner itself: each defect a copied block can have fails it.

def test_a_block_with_a_missing_import_fails():
    with pytest.raises(NameError, match="np"):
        run_block('x = np.zeros(2)\nprint(x)\n#> [0. 0.]\n')


def test_a_block_that_warns_fails():
    with pytest.raises(UserWarning):
        run_block('import warnings\nwarnings.warn("deprecated")\n')


def test_a_block_cannot_import_the_project():
    with pytest.raises(ModuleNotFoundError):
        run_block("from snippets.reference.batch_norm import batch_norm_train\n")


def test_a_block_runs_in_an_empty_folder():
    run = run_block('import os\nprint(os.listdir("."))\n#> []\n')
    assert output_problems('import os\nprint(os.listdir("."))\n#> []\n', run) == []


def test_a_block_that_starts_spawned_processes_runs_as_a_script_would():
    """multiprocessing's "spawn" children import the script to find its functions: the block
    must run as the __main__ module of a real file, not as anonymous code."""
    code = ("from concurrent.futures import ProcessPoolExecutor\nfrom multiprocessing import get_context\n\n\n"
            "def square(x):\n    return x * x\n\n\n"
            "if __name__ == '__main__':\n"
            "    with ProcessPoolExecutor(1, mp_context=get_context('spawn')) as pool:\n"
            "        print(pool.submit(square, 7).result())\n")
    assert run_block(code).order == ["49"]


def test_stale_missing_and_orphan_outputs_are_reported():
    code = 'for i in range(2):\n    print(i)\n    #> 0\n    #> 7\nprint("end")\n'
    problems = output_problems(code, run_block(code))
    assert len(problems) == 2
    assert "['0', '7']" in problems[0] and "['0', '1']" in problems[0]
    assert "[]" in problems[1] and "['end']" in problems[1]
    orphan = 'x = 1\n#> 1\nprint(x)\n#> 1\n'
    assert output_problems(orphan, run_block(orphan)) == ["`#>` output that follows no print statement, line 2: #> 1"]
    silent = "x = 1\n"
    assert output_problems(silent, run_block(silent)) == ["the block prints nothing: a reader sees no result"]


def test_cuda_runs_may_differ_in_the_last_digits_only():
    code = 'print("loss 1.2345; accuracy 95.5%")\n#> loss 1.2346; accuracy 95.5%\n'
    run = run_block(code)
    assert output_problems(code, run, on_cuda=True) == []
    assert len(output_problems(code, run, on_cuda=False)) == 1  # on the CPU, exactly
    worded = 'print("loss 1.2345 on cuda")\n#> loss 1.2345 on cpu\n'
    assert len(output_problems(worded, run_block(worded), on_cuda=True)) == 1
