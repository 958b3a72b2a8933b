"""Summarize a `mutmut run` (make mutation): killed/total per module, and every survivor.

A surviving mutant is a change to the reference or to a from-scratch layer that no test
notices. Each one must be killed by a new test or listed in EQUIVALENT below with the
reason it cannot change any result; an unexplained survivor makes this script exit 1.
The scripts' demo `main()` functions are out of scope: what they print is checked by the
copy-run test on the built site (tests/test_site/test_copy_run.py), which needs a site
build per mutant and is not in mutmut's test selection.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).parent / "mutmut")
OUT_OF_SCOPE = re.compile(r"\.x_main__mutmut_\d+$")
DETECTED = {"killed", "timeout", "caught by type check", "segfault", "suspicious"}

# mutant -> why no test can tell it from the original (the diff: `mutmut show NAME`)
_FROZEN = ("a frozen (trainable=False) built-in layer runs in inference whatever `training` says, so "
           "training=None / False / omitted equal training=True in compare()'s frozen case")
_TO_NONE = (".to(None) leaves a module where it is: the same as .to(x.device) for CPU input; on a GPU "
            "the CUDA case of test_compare_reports_a_tiny_difference kills it")
_NOT_TRAINABLE = ("add_weight(trainable=None) gives a non-trainable variable, like trainable=False "
                  "(test_scratch_layer_has_the_built_in_layers_variables sees trainable=False either way)")
EQUIVALENT: dict[str, str] = {
    "snippets.reference.fold.x_fold_batch_norm__mutmut_79":
        "numpy's reshape treats any negative size as the inferred one: shape[out_axis] = -2 works like -1",
    "snippets.reference.batch_norm.x__broadcast__mutmut_6":
        "numpy's reshape treats any negative size as the inferred one: shape[axis] = -2 works like -1",
    "snippets.reference.group_norm.x__grouped__mutmut_16":
        "numpy's reshape treats any negative size as the inferred one: reshape(N, G, -2) works like -1",
    "snippets.reference.group_norm.x__per_channel_shape__mutmut_6":
        "numpy's reshape treats any negative size as the inferred one: shape[axis] = -2 works like -1",
    "snippets.reference.group_norm.x_group_norm__mutmut_39":
        "x.size / (N * G) instead of //: G divides C, so N * G divides x.size and the quotient is the same",
    "snippets.pytorch.batchnorm_from_scratch.xǁScratchBatchNormǁforward__mutmut_28":
        "m = numel / C instead of numel // C: C divides numel, so var * m / (m - 1) is the same float",
    "snippets.tensorflow.keras_batchnorm_from_scratch.xǁScratchBatchNormǁbuild__mutmut_29": _NOT_TRAINABLE,
    "snippets.tensorflow.keras_batchnorm_from_scratch.xǁScratchBatchNormǁbuild__mutmut_43": _NOT_TRAINABLE,
    "snippets.pytorch.batchnorm_from_scratch.x_compare__mutmut_2": _TO_NONE,
    "snippets.pytorch.batchnorm_from_scratch.x_compare__mutmut_6": _TO_NONE,
    "snippets.tensorflow.keras_batchnorm_from_scratch.x_compare__mutmut_20":
        "trainable = None is falsy: both layers treat it as frozen, like False",
    "snippets.tensorflow.keras_batchnorm_from_scratch.x_compare__mutmut_31": _FROZEN,
    "snippets.tensorflow.keras_batchnorm_from_scratch.x_compare__mutmut_33": _FROZEN,
    "snippets.tensorflow.keras_batchnorm_from_scratch.x_compare__mutmut_34": _FROZEN,
}


def results() -> list[tuple[str, str]]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return re.findall(r"^\s*([\w.ǁ]+__mutmut_\d+): (.+?)\s*$", out, re.M)


def main() -> int:
    rows = results()
    if not rows:
        print("no mutmut results: run `make mutation`", file=sys.stderr)
        return 1
    in_scope = [(name, status) for name, status in rows if not OUT_OF_SCOPE.search(name)]
    per_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in in_scope:
        module = name.split(".x")[0]
        per_module[module]["total"] += 1
        per_module[module]["killed" if status in DETECTED else status] += 1
    print("| module | killed | total | survived | not run |")
    print("|---|---|---|---|---|")
    for module, c in sorted(per_module.items()):
        not_run = c["total"] - c["killed"] - c["survived"]
        print(f"| {module} | {c['killed']} | {c['total']} | {c['survived']} | {not_run} |")
    killed = sum(c["killed"] for c in per_module.values())
    print(f"\nkilled {killed}/{len(in_scope)} in scope "
          f"({len(rows) - len(in_scope)} mutants of the demo main() functions are out of scope)")
    survivors = [name for name, status in in_scope if status not in DETECTED]
    unexplained = [name for name in survivors if name not in EQUIVALENT]
    for name in survivors:
        if name in EQUIVALENT:
            print(f"equivalent: {name}: {EQUIVALENT[name]}")
    for name in unexplained:
        status = dict(in_scope)[name]
        diff = subprocess.run([MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True).stdout
        print(f"\n{status.upper()}: {name}\n{diff}")
    stale = sorted(set(EQUIVALENT) - set(survivors))
    if stale:
        print(f"\nEQUIVALENT lists mutants that no longer survive (remove them): {stale}")
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())
