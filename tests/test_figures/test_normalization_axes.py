"""snippets/figures/normalization_axes.py: the figure shades what each layer really reduces
over (checked against the reference implementation), and stays legible in both palettes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from snippets.reference.batch_norm import batch_norm_train
from snippets.reference.group_norm import group_norm
from snippets.reference.instance_norm import instance_norm
from snippets.reference.layer_norm import layer_norm
from snippets.reference.rms_norm import rms_norm
from tests.snippet_loader import load_snippet

figure = load_snippet("figures/normalization_axes.py")
N, C, HW, GROUPS = figure.N, figure.C, figure.HW, figure.GROUPS
SVG = "{http://www.w3.org/2000/svg}"

REFERENCE = {  # method -> y = f(x) on (N, C, HW) input, gamma = 1, beta = 0
    "BatchNorm": lambda x: batch_norm_train(x, np.ones(C), np.zeros(C))[0],
    "LayerNorm": lambda x: layer_norm(x, np.ones((C, HW)), np.zeros((C, HW)), normalized_ndim=2)[0],
    "RMSNorm": lambda x: rms_norm(x, np.ones((C, HW)), normalized_ndim=2)[0],
    "GroupNorm": lambda x: group_norm(x, np.ones(C), np.zeros(C), groups=GROUPS)[0],
    "InstanceNorm": lambda x: instance_norm(x, np.ones(C), np.zeros(C))[0],
}


def values_sharing_statistics_with_the_first(method: str) -> set[tuple[int, int, int]]:
    """Every x[n, c, s] whose change moves the output at another position of (0, 0): the
    values the statistics of sample 0, channel 0 are computed over (found, not assumed)."""
    f = REFERENCE[method]
    x = np.random.default_rng(0).normal(size=(N, C, HW))
    y = f(x)
    found = set()
    for index in np.ndindex(x.shape):
        bumped = x.copy()
        bumped[index] += 1.0
        watched = (0, 0, 1) if index == (0, 0, 0) else (0, 0, 0)  # not the bumped value itself
        if abs(f(bumped)[watched] - y[watched]) > 1e-9:
            found.add(index)
    return found


@pytest.mark.parametrize("method", figure.METHODS)
def test_shaded_cells_are_the_values_the_reference_computes_statistics_over(method):
    drawn = {(n, c, s) for n, c in figure.shared_statistics(method) for s in range(HW)}
    assert values_sharing_statistics_with_the_first(method) == drawn


def test_unknown_method_is_a_value_error():
    with pytest.raises(ValueError, match="unknown method 'BatchNorm2d'"):
        figure.shared_statistics("BatchNorm2d")


def _panels(palette: str) -> list[list[ET.Element]]:
    root = ET.fromstring(figure.svg(palette))
    polygons = root.findall(f"{SVG}polygon")
    per_panel = len(polygons) // len(figure.METHODS)
    assert per_panel * len(figure.METHODS) == len(polygons)
    return [polygons[i * per_panel : (i + 1) * per_panel] for i in range(len(figure.METHODS))]


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_each_panel_shades_the_visible_faces_of_its_cells(palette):
    colours = figure.PALETTES[palette]
    for method, polygons in zip(figure.METHODS, _panels(palette)):
        share = figure.shared_statistics(method)
        front = sum(1 for n, _ in share if n == 0) * HW  # sample 0 faces the reader
        right = sum(1 for _, c in share if c == C - 1) * HW  # the last channel's side
        shaded = [p for p in polygons if p.get("fill") == colours["shaded"]]
        assert len(shaded) == front + len(share) + right, method  # + one top cell per pair
        assert len(polygons) == C * HW + C * N + N * HW


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The page backgrounds the transparent SVG sits on: Material 9.8's default scheme (#fff) and
# its "slate" scheme, hsla(var(--md-hue), 15%, 14%, 1) with --md-hue 225deg.
BACKGROUND = {"light": "#ffffff", "dark": "#1e2129"}


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_colours_meet_wcag_contrast_on_the_page_background(palette):
    colours = figure.PALETTES[palette]
    assert contrast(colours["text"], BACKGROUND[palette]) >= 4.5  # WCAG AA, normal text
    assert contrast(colours["shaded"], colours["cell"]) >= 3.0  # WCAG 1.4.11, graphics
    assert contrast(colours["line"], colours["cell"]) >= 3.0
    assert contrast(colours["line"], BACKGROUND[palette]) >= 3.0
