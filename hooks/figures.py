"""Figures drawn by snippets at build time: nothing drawn by hand, nothing committed.

Each figure script listed in FIGURES has an `svg(palette)` function; its light and
dark versions are added to the site as generated files, and pages show the pair with
Material's `#only-light` / `#only-dark` image suffixes, so the figure follows the
reader's colour scheme. The page carries the alt text and caption in its language.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

FIGURES = {"normalization-axes": Path(__file__).resolve().parent.parent / "snippets/figures/normalization_axes.py"}


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"figure_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@event_priority(-200)  # after mkdocs-static-i18n (-100), which cannot handle generated files
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name, path in FIGURES.items():
        module = load(path)
        for palette in module.PALETTES:
            uri = f"figures/{name}-{palette}.svg"
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=module.svg(palette)))
    return files
