"""Check one language's pages against English: missing pages, heading ids, includes,
formulas, term base; for notebooks, code cells, figure alt texts and captions. Usage: .venv/bin/python scripts/check_translation.py pt
(The test suite runs the same checks for every language.)"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.paths import DOCS, LANGUAGES, load_strings  # noqa: E402
from tests.test_site.checks import (  # noqa: E402
    math_mismatches,
    missing_translations,
    notebook_mismatches,
    structure_mismatches,
    term_violations,
)


def main(locale: str) -> int:
    strings = {lang: load_strings(lang) for lang in LANGUAGES}
    problems = missing_translations(DOCS) + structure_mismatches(DOCS) + math_mismatches(DOCS) + term_violations(DOCS, strings) + notebook_mismatches(DOCS, strings)
    mine = [p for p in problems if f".{locale}.md" in p.split(":")[0]]
    print("\n".join(mine) or f"{locale}: no problems")
    return 1 if mine else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
