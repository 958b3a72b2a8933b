"""Which values share one mean and variance, for five normalization layers, drawn as SVG.

Each panel is a batch of activations: N samples, C channels, H·W positions per channel.
The shaded cells are the values one mean and one variance are computed over: the
statistics of sample 0, channel 0. Only the standard library is used.
"""

from pathlib import Path

N, C, HW, GROUPS = 4, 6, 5, 3  # 3 groups of 2 channels for group norm
METHODS = ["BatchNorm", "LayerNorm", "RMSNorm", "GroupNorm", "InstanceNorm"]

PALETTES = {  # light for Material's default scheme, dark for its "slate" scheme
    "light": {"cell": "#ffffff", "shaded": "#5c6bc0", "line": "#5f6368", "text": "#202124"},
    "dark": {"cell": "#2b2f3a", "shaded": "#8c9eff", "line": "#9aa0a6", "text": "#e8eaed"},
}
UNIT, DEPTH = 16, 8  # cell size; how far each sample steps back (isometric depth)
WIDTH, HEIGHT = C * UNIT + N * DEPTH + 72, HW * UNIT + N * DEPTH + 64  # one panel
COLUMNS = 3  # panels per row: 3 + 2 keeps the labels legible on a phone


def shared_statistics(method: str) -> set[tuple[int, int]]:
    """The (sample, channel) pairs whose H·W values share the statistics of (0, 0)."""
    if method == "BatchNorm":  # one channel, every sample of the batch
        return {(n, 0) for n in range(N)}
    if method in ("LayerNorm", "RMSNorm"):  # one sample, every channel
        return {(0, c) for c in range(C)}
    if method == "GroupNorm":  # one sample, the channels of one group
        return {(0, c) for c in range(C // GROUPS)}
    if method == "InstanceNorm":  # one sample, one channel
        return {(0, 0)}
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def _point(x: float, y: float, z: float, left: float, top: float) -> str:
    """x along C, y up along H·W, z back along N -> SVG coordinates."""
    return f"{left + 40 + x * UNIT + z * DEPTH:.0f},{top + HEIGHT - 28 - y * UNIT - z * DEPTH:.0f}"


def _cell(corners, shaded: bool, colours: dict, left: float, top: float) -> str:
    points = " ".join(_point(*corner, left, top) for corner in corners)
    fill = colours["shaded"] if shaded else colours["cell"]
    return f'<polygon points="{points}" fill="{fill}" stroke="{colours["line"]}" stroke-width="1"/>'


def panel(method: str, colours: dict, left: float, top: float) -> list[str]:
    share = shared_statistics(method)
    parts = [f'<text x="{left + WIDTH / 2:.0f}" y="{top + 16:.0f}" text-anchor="middle" font-weight="bold">{method}</text>']
    for c in range(C):
        for h in range(HW):  # front face: sample 0
            parts.append(_cell([(c, h, 0), (c + 1, h, 0), (c + 1, h + 1, 0), (c, h + 1, 0)], (0, c) in share, colours, left, top))
        for n in range(N):  # top face: every sample and channel
            parts.append(_cell([(c, HW, n), (c + 1, HW, n), (c + 1, HW, n + 1), (c, HW, n + 1)], (n, c) in share, colours, left, top))
    for n in range(N):
        for h in range(HW):  # right face: the last channel
            parts.append(_cell([(C, h, n), (C, h + 1, n), (C, h + 1, n + 1), (C, h, n + 1)], (n, C - 1) in share, colours, left, top))
    x0, y0 = _point(0, 0, 0, left, top).split(",")
    parts.append(f'<text x="{left + 40 + C * UNIT / 2:.0f}" y="{int(y0) + 18}" text-anchor="middle">C</text>')
    parts.append(f'<text x="{int(x0) - 6}" y="{int(y0) - HW * UNIT / 2 + 5:.0f}" text-anchor="end">H·W</text>')
    nx, ny = _point(C, 0, N / 2, left, top).split(",")
    parts.append(f'<text x="{int(nx) + 8}" y="{int(ny) + 10}">N</text>')
    return parts


def svg(palette: str) -> str:
    colours = PALETTES[palette]
    rows = -(-len(METHODS) // COLUMNS)
    width, height = WIDTH * COLUMNS, HEIGHT * rows
    body = []
    for i, method in enumerate(METHODS):
        row, column = divmod(i, COLUMNS)
        shift = (COLUMNS - len(METHODS[row * COLUMNS :][:COLUMNS])) * WIDTH / 2  # centre a short row
        body += panel(method, colours, column * WIDTH + shift, row * HEIGHT)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="14" fill="{colours["text"]}">\n' + "\n".join(body) + "\n</svg>\n"
    )


def main():
    for method in METHODS:
        share = shared_statistics(method)
        print(f"{method}: statistics over {len(share)} (sample, channel) pairs x {HW} positions = {len(share) * HW} values")
        #> BatchNorm: statistics over 4 (sample, channel) pairs x 5 positions = 20 values
        #> LayerNorm: statistics over 6 (sample, channel) pairs x 5 positions = 30 values
        #> RMSNorm: statistics over 6 (sample, channel) pairs x 5 positions = 30 values
        #> GroupNorm: statistics over 2 (sample, channel) pairs x 5 positions = 10 values
        #> InstanceNorm: statistics over 1 (sample, channel) pairs x 5 positions = 5 values
    for palette in PALETTES:
        path = Path(f"normalization-axes-{palette}.svg")
        path.write_text(svg(palette), encoding="utf-8")
        print("wrote", path)
        #> wrote normalization-axes-light.svg
        #> wrote normalization-axes-dark.svg


if __name__ == "__main__":
    main()
