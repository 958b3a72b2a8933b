"""The comparison table of the normalization-layer entry, in every language, states what
the scripts on that page measure: every behaviour and default cell is checked here.

Rows are found by the entry they link to (language-independent); yes/no cells must start
with the language's words from i18n/<lang>.yml (ui.table_yes / ui.table_no); the axes and
the default eps are inline code, identical in every language. The typical-use column is
advice, not a measurable behaviour, and is not checked.
"""

from __future__ import annotations

import numpy as np
import pytest
from bs4 import BeautifulSoup

from tests.paths import LANGUAGES, load_strings
from tests.snippet_loader import load_snippet
from tests.test_site.code_blocks import page_files

PAGE = "normalization-layer/index.html"
# entry linked by the row -> (PyTorch layer, Keras layer, figure panel) in the scripts
ROWS = {
    "batch-normalization": ("BatchNorm2d", "BatchNormalization", "BatchNorm"),
    "layer-normalization": ("LayerNorm", "LayerNormalization", "LayerNorm"),
    "rms-normalization": ("RMSNorm", "RMSNormalization", "RMSNorm"),
    "group-normalization": ("GroupNorm", "GroupNormalization", "GroupNorm"),
    "instance-normalization": ("InstanceNorm2d", "GroupNorm(groups=-1)", "InstanceNorm"),
}
BEHAVIOURS = ["depends on batch", "train != eval", "running stats"]  # table columns 3-5


@pytest.fixture(scope="module")
def measured():
    """Each layer's row as the page's two scripts measure it, on the CPU."""
    import torch

    torch_compare = load_snippet("pytorch/compare_normalizations.py")
    keras_compare = load_snippet("tensorflow/keras_compare_normalizations.py")
    torch.manual_seed(0)
    images = 1.0 + 2.0 * torch.randn(torch_compare.N, torch_compare.C, torch_compare.H, torch_compare.W)
    torch_rows = {name: torch_compare.probe(layer, images) for name, layer in torch_compare.layers().items()}
    nhwc = np.ascontiguousarray(images.numpy().transpose(0, 2, 3, 1))
    keras_rows = {name: keras_compare.probe(layer, nhwc) for name, layer in keras_compare.layers().items()}
    return torch_rows, keras_rows


def axes_of(panel: str) -> str:
    """The axes a panel of the figure shades, written as the table writes them."""
    figure = load_snippet("figures/normalization_axes.py")
    share = figure.shared_statistics(panel)
    samples, channels = {n for n, _ in share}, {c for _, c in share}
    axes = ["N"] if len(samples) == figure.N else []
    axes += ["C"] if len(channels) == figure.C else ["C/G"] if len(channels) > 1 else []
    return ", ".join(axes + ["H", "W"])


def table_rows(html: str) -> dict[str, list]:
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find(id="comparison")
    assert heading is not None, "no #comparison heading"
    table = heading.find_next("table")
    rows = {}
    for tr in table.find("tbody").find_all("tr"):
        cells = tr.find_all("td")
        entry = cells[0].find("a")["href"].strip("./").split("/")[0]
        rows[entry] = cells
    return rows


def starts_with_word(text: str, word: str) -> bool:
    text = text.strip()
    return text.startswith(word) and (len(text) == len(word) or not text[len(word)].isalpha())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_behaviour_and_default_cell_is_what_the_scripts_measure(built_site, measured, lang):
    torch_rows, keras_rows = measured
    ui = load_strings(lang)["ui"]
    words = {True: ui["table_yes"], False: ui["table_no"]}
    rows = table_rows(page_files(built_site.site)[(lang, PAGE)].read_text(encoding="utf-8"))
    assert list(rows) == list(ROWS)
    problems = []
    for entry, (torch_name, keras_name, panel) in ROWS.items():
        cells = rows[entry]
        if cells[1].find("code").get_text() != axes_of(panel):
            problems.append(f"{entry}: axes {cells[1].find('code').get_text()!r}, the figure shades {axes_of(panel)!r}")
        for column, behaviour in enumerate(BEHAVIOURS, start=2):
            truth = torch_rows[torch_name][behaviour]
            assert keras_rows[keras_name][behaviour] is truth, f"{entry}: PyTorch and Keras disagree on {behaviour}"
            if not starts_with_word(cells[column].get_text(), words[truth]):
                problems.append(f"{entry}: '{behaviour}' cell {cells[column].get_text()!r}, measured {words[truth]!r}")
        shown = [code.get_text() for code in cells[5].find_all("code")]
        defaults = [torch_rows[torch_name]["eps"], keras_rows[keras_name]["eps"]]
        if shown != [str(eps) if eps is None else f"{eps:.0e}".replace("e-0", "e-") for eps in defaults]:
            problems.append(f"{entry}: default eps {shown}, measured {defaults}")
    assert problems == [], f"[{lang}] " + "; ".join(problems)


def test_negative_control_a_wrong_cell_is_caught():
    html = """<h2 id="comparison">x</h2><table><tbody><tr><td><a href="../batch-normalization/">BN</a></td>
    <td><code>N, H, W</code></td><td>nope</td></tr></tbody></table>"""
    cells = table_rows(html)["batch-normalization"]
    assert not starts_with_word(cells[2].get_text(), "no")  # "nope" is not "no"
    assert starts_with_word("no, by default", "no") and starts_with_word("否（默认）", "否")
