"""Run a code block the way a reader runs it after pressing the copy button.

A block is a complete program: it runs alone, from an empty folder, with fresh globals,
without the project on sys.path, with every warning an error. What it prints must be
what the block shows: each `print(...)` statement is followed by its output as `#>` lines
(the convention of pydantic's docs and pytest-examples), e.g.

    print(f"{x:.3f}")
    #> 0.125

`python -m tests.copy_run FILE...` rewrites the `#>` lines of snippet files from a fresh
run (after changing an example); the suite then checks them on every page.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import math
import os
import re
import sys
import tempfile
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path

OUTPUT = re.compile(r"^(\s*)#>(?: (.*))?$")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
PROJECT_MODULES = ("snippets", "tests")


@dataclass
class Run:
    printed: dict[int, list[str]] = field(default_factory=dict)  # print statement's last line -> lines
    order: list[str] = field(default_factory=list)  # everything printed, in order


def print_sites(code: str) -> dict[int, tuple[int, str]]:
    """Line of each `print(...)` call -> (last line of its statement, its indentation)."""
    lines = code.splitlines()
    sites = {}
    for statement in ast.walk(ast.parse(code)):
        if isinstance(statement, ast.stmt) and not hasattr(statement, "body"):  # simple statements only
            for node in ast.walk(statement):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                    indent = lines[statement.lineno - 1]
                    sites[node.lineno] = (statement.end_lineno, indent[: len(indent) - len(indent.lstrip())])
    return sites


def shown_outputs(code: str) -> tuple[dict[int, list[str]], list[str]]:
    """The `#>` lines under each print statement, and any `#>` line that follows no print."""
    lines = code.splitlines()
    ends = {end for end, _ in print_sites(code).values()}
    shown, orphans = {}, []
    i = 0
    while i < len(lines):
        if OUTPUT.match(lines[i]):
            start = i
            group = []
            while i < len(lines) and OUTPUT.match(lines[i]):
                group.append(OUTPUT.match(lines[i]).group(2) or "")
                i += 1
            if start in ends:  # line `start` (0-based) follows statement line `start` (1-based)
                shown[start] = group
            else:
                orphans.append(f"line {start + 1}: {lines[start].strip()}")
            continue
        i += 1
    return shown, orphans


@contextlib.contextmanager
def isolated():
    """Empty working folder, no project paths or modules, warnings as errors, torch's default
    number of threads (tests/threads.py)."""
    from tests.threads import as_a_reader

    saved_path, saved_cwd = list(sys.path), os.getcwd()
    root = str(Path(__file__).resolve().parent.parent)
    hidden = {name: mod for name, mod in sys.modules.items() if name.split(".")[0] in PROJECT_MODULES}
    with tempfile.TemporaryDirectory() as empty, warnings.catch_warnings(), as_a_reader():
        warnings.simplefilter("error")
        project = {"", ".", root, os.path.join(root, "tests"), os.path.join(root, "snippets")}
        sys.path[:] = [p for p in sys.path if p not in project]  # the venv's site-packages stay
        for name in hidden:
            del sys.modules[name]
        os.chdir(empty)
        try:
            yield
        finally:
            os.chdir(saved_cwd)
            sys.path[:] = saved_path
            sys.modules.update(hidden)


def run_block(code: str, filename: str = "<copied block>") -> Run:
    """Execute `code` as `python copied.py` would; return what each print statement printed."""
    run = Run()
    sites = print_sites(code)
    real_print = print

    def recording_print(*args, **kwargs):
        if kwargs.get("file") not in (None, sys.stdout):
            return real_print(*args, **kwargs)
        buffer = io.StringIO()
        real_print(*args, **{**kwargs, "file": buffer})
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != filename:
            frame = frame.f_back  # print passed as a callback: find the block's own line
        end = sites.get(frame.f_lineno, (frame.f_lineno, ""))[0] if frame else 0
        lines = buffer.getvalue().splitlines()
        run.printed.setdefault(end, []).extend(lines)
        run.order.extend(lines)

    compiled = compile(code, filename, "exec")
    with isolated(), tempfile.TemporaryDirectory() as elsewhere:
        # The block runs as the __main__ module of a real file, as `python copied.py` would:
        # a block that starts processes with multiprocessing's "spawn" (torch.distributed,
        # a fresh TensorFlow) needs its children to import that file to find its functions.
        # The file lies outside the (empty) working folder.
        script = Path(elsewhere) / "copied.py"
        script.write_text(code, encoding="utf-8")
        main = types.ModuleType("__main__")
        main.__dict__.update({"__file__": str(script), "__builtins__": __builtins__, "print": recording_print})
        saved_main = sys.modules["__main__"]
        sys.modules["__main__"] = main
        try:
            exec(compiled, main.__dict__)
        finally:
            sys.modules["__main__"] = saved_main
    return run


def _numbers_close(shown: str, printed: str, rtol: float) -> bool:
    """Same text around the numbers, numbers within rtol (used for CUDA runs only)."""
    if NUMBER.sub("#", shown) != NUMBER.sub("#", printed):
        return False
    pairs = zip(NUMBER.findall(shown), NUMBER.findall(printed))
    return all(math.isclose(float(a), float(b), rel_tol=rtol, abs_tol=rtol) for a, b in pairs)


def output_problems(code: str, run: Run, on_cuda: bool = False) -> list[str]:
    """Differences between the `#>` lines of `code` and what `run` printed.

    On a CUDA GPU the PyTorch examples run there: different kernels and reduction orders
    move printed floats in their last digits, so numbers are compared to 1% (and 1e-2
    absolute, for values printed near zero) while the words must match exactly.
    """
    shown, orphans = shown_outputs(code)
    problems = [f"`#>` output that follows no print statement, {o}" for o in orphans]
    if not run.order:
        problems.append("the block prints nothing: a reader sees no result")
    lines = code.splitlines()
    for end in sorted(set(shown) | set(run.printed)):
        expected, actual = shown.get(end, []), run.printed.get(end, [])
        if expected == actual:
            continue
        if on_cuda and len(expected) == len(actual) and all(
                _numbers_close(e, a, 1e-2) for e, a in zip(expected, actual)):
            continue
        where = lines[end - 1].strip() if 0 < end <= len(lines) else f"line {end}"
        problems.append(f"after `{where}` the block shows {expected} but the run printed {actual}")
    return problems


def rewrite_outputs(code: str, run: Run) -> str:
    """`code` with the `#>` lines under every print statement replaced by what `run` printed."""
    lines = code.splitlines()
    indents = {end: indent for end, indent in print_sites(code).values()}
    out = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        i += 1
        if i in indents:  # line i (1-based) ends a print statement
            end = i
            while i < len(lines) and OUTPUT.match(lines[i]):
                i += 1  # the old output goes
            out += [f"{indents[end]}#> {text}".rstrip() for text in run.printed.get(end, [])]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for path in args.files:
        path = path.resolve()
        code = path.read_text(encoding="utf-8")
        run = run_block(code, str(path))
        new = rewrite_outputs(code, run)
        if new != code:
            path.write_text(new, encoding="utf-8")
            print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
