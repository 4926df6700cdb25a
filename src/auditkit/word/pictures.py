"""The reports' pictures, drawn fast enough for a round of 300 workshops: one figure reused per kind.

Drawing each picture from scratch costs about 0.35 s a profile and 1.3 s a heat map of 40 workshops,
which for 300 workshop sections is minutes. Here the parts every picture shares (axes, tick labels,
grid, legend) are drawn once; each picture then restores that background and draws only what
changes (bars; the heat map's cells and row labels), about 20 ms a profile.
"""

from __future__ import annotations

import functools
import struct
import textwrap
import zlib
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402

# One colour per level 1-4 (red to green, readable when printed in grey), grey for Ei sovellu.
LEVEL_COLOURS = ("#d7301f", "#fdae61", "#a6d96a", "#1a9641")


def level_colours(levels: int) -> tuple[str, ...]:
    """One colour per level of a scale of any size: LEVEL_COLOURS for four, else evenly spaced along
    the same red-to-green path (so a 3- or 5-level content draws with the same look)."""
    if levels == len(LEVEL_COLOURS):
        return LEVEL_COLOURS
    if levels <= 1:
        return LEVEL_COLOURS[-1:] * max(levels, 0)
    anchors = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in LEVEL_COLOURS]
    out = []
    for i in range(levels):
        at = i * (len(anchors) - 1) / (levels - 1)
        low = min(int(at), len(anchors) - 2)
        t = at - low
        rgb = (round(a + (b - a) * t) for a, b in zip(anchors[low], anchors[low + 1]))
        out.append("#" + "".join(f"{v:02x}" for v in rgb))
    return tuple(out)
NA_COLOUR, MISSING_COLOUR = "#bdbdbd", "#ffffff"
SELF_COLOUR, AUDITOR_COLOUR, ROUND_COLOUR = "#6baed6", "#08519c", "#969696"

DPI = 150
PROFILE_WIDTH = 6.3  # inches: the picture is placed at this width, so its fonts print at their size
HEAT_WIDTH = 6.65
HEAT_ROWS_HEIGHT = 6.6  # inches for the rows of a full picture; fewer rows get taller ones
HEAT_ROW_MAX = 0.24
_PIXELS_PER_METRE = round(DPI / 0.0254)


def _png(canvas) -> bytes:
    """The canvas as an RGB PNG, encoded here: Pillow's encoder took three times as long, and a
    round's report has hundreds of pictures. No metadata, so the same picture gives the same bytes."""
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    raw = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # each row: filter type 0, then RGB
    raw[:, 1:] = rgba[:, :, :3].reshape(height, width * 3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", _PIXELS_PER_METRE, _PIXELS_PER_METRE, 1)),
        chunk(b"IDAT", zlib.compress(raw.tobytes(), 3)),
        chunk(b"IEND", b""),
    ))


@functools.cache
def _style() -> dict[str, object]:
    """The document's font where the machine has it (Carlito is Calibri's metric twin), else matplotlib's."""
    for family in ("Calibri", "Carlito"):
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            continue
        return {"font.family": family}
    return {}


class ProfileChart:
    """Horizontal bars per group (area), one bar per series, on the rating scale; no title (the
    document's heading says whose profile it is) and no value labels (the table beside has them)."""

    def __init__(self, groups: Sequence[str], series: Sequence[str], scale_max: int = 4) -> None:
        self.groups, self.series = tuple(groups), tuple(series)
        colours = (SELF_COLOUR, AUDITOR_COLOUR, ROUND_COLOUR)
        n = max(len(series), 1)
        self.height_in = 0.45 + 0.125 * len(groups) * max(n, 2)
        self.fig, self.ax = plt.subplots(figsize=(PROFILE_WIDTH, self.height_in), dpi=DPI)
        ax = self.ax
        band = 0.8 / n
        self.bars = []
        for i, label in enumerate(series):
            ys = [g - 0.4 + band * (i + 0.5) for g in range(len(groups))]
            bars = ax.barh(ys, [0.0] * len(groups), height=band * 0.9, color=colours[i % len(colours)], label=label)
            for bar in bars:
                bar.set_animated(True)
            self.bars.append(bars)
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels([textwrap.fill(g, 38) for g in groups], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, scale_max + 0.1)
        ax.set_xticks(range(0, scale_max + 1))
        ax.tick_params(labelsize=7, length=0)
        ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=n, borderaxespad=0.2)
        self.fig.tight_layout(pad=0.4)
        self.fig.canvas.draw()
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self, values: Sequence[Sequence[float | None]]) -> bytes:
        """The picture for one workshop: values[series][group], None for no bar."""
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for bars, row in zip(self.bars, values):
            for bar, value in zip(bars, row):
                bar.set_width(value or 0.0)
                self.ax.draw_artist(bar)
        return _png(canvas)


@functools.lru_cache(maxsize=8)
def profile_chart(groups: tuple[str, ...], series: tuple[str, ...], scale_max: int = 4) -> ProfileChart:
    """One chart per kind, kept for the process: a round's reports all draw with it."""
    with matplotlib.rc_context(_style()):
        return ProfileChart(groups, series, scale_max)


class HeatMap:
    """Workshops × criteria for a fixed number of rows; row labels and cells change per picture.

    A value is a level (1..levels), 0 for Ei sovellu, None for not given. legend: the levels' labels
    and Ei sovellu's. Thin dark lines separate the elements (before each criterion number in `breaks`).
    """

    def __init__(self, columns: Sequence[int], rows: int, breaks: Sequence[int] = (),
                 legend: Sequence[str] = ("1", "2", "3", "4", "Ei sovellu")) -> None:
        levels = len(legend) - 1
        self.columns, self.rows = tuple(columns), rows
        row_in = min(HEAT_ROW_MAX, HEAT_ROWS_HEIGHT / max(rows, 1))
        self.height_in = 0.75 + row_in * rows
        self.fig = plt.figure(figsize=(HEAT_WIDTH, self.height_in), dpi=DPI)
        top = 1 - 0.42 / self.height_in
        bottom = 0.3 / self.height_in
        ax = self.ax = self.fig.add_axes((0.26, bottom, 0.735, top - bottom))
        colours = level_colours(levels)
        cmap = ListedColormap([MISSING_COLOUR, NA_COLOUR, *colours])
        norm = BoundaryNorm([-1.5, -0.5, 0.5, *[i + 0.5 for i in range(1, levels + 1)]], cmap.N)
        self.image = ax.imshow(np.full((rows, len(columns)), -1), cmap=cmap, norm=norm, aspect="auto",
                               interpolation="nearest", animated=True)
        ax.set_xticks(range(len(columns)))
        ax.set_xticklabels([str(c) for c in columns], fontsize=5)
        ax.xaxis.tick_top()
        ax.set_yticks([])
        ax.tick_params(length=0, pad=1.5)
        # Cell borders and element breaks are drawn over the cells of each picture.
        width = len(columns)
        self.lines = [
            ax.vlines([x - 0.5 for x in range(1, width)], -0.5, rows - 0.5, colors="white", linewidth=0.5,
                      animated=True),
            ax.hlines([y - 0.5 for y in range(1, rows)], -0.5, width - 0.5, colors="white", linewidth=0.5,
                      animated=True),
            ax.vlines([self.columns.index(n) - 0.5 for n in breaks if n in self.columns], -0.5, rows - 0.5,
                      colors="#333333", linewidth=0.9, animated=True),
        ]
        for spine in ax.spines.values():
            spine.set_linewidth(0.5)
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (*colours, NA_COLOUR, MISSING_COLOUR)]
        key = self.fig.legend(handles, [*legend, "ei arviota"], loc="lower right", ncol=levels + 2, fontsize=6,
                              frameon=False, bbox_to_anchor=(0.995, 0.0), handlelength=1.2, columnspacing=1.0)
        for patch in key.get_patches():
            patch.set_edgecolor("#999999")
            patch.set_linewidth(0.4)
        self.labels = [ax.text(-0.012, y, "", transform=ax.get_yaxis_transform(), ha="right", va="center",
                               fontsize=5.6 if row_in < 0.2 else 6.8, animated=True) for y in range(rows)]
        self.fig.canvas.draw()
        self.background = self.fig.canvas.copy_from_bbox(self.fig.bbox)

    def png(self, labels: Sequence[str], values: Sequence[Sequence[int | None]]) -> bytes:
        """The picture of up to `rows` workshops (labels and values row by row)."""
        grid = np.full((self.rows, len(self.columns)), -1.0)
        for r, row in enumerate(values[:self.rows]):
            grid[r, :len(row)] = [-1 if v is None else v for v in row]
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        self.image.set_data(grid)
        self.ax.draw_artist(self.image)
        for line in self.lines:
            self.ax.draw_artist(line)
        for r, text in enumerate(self.labels):
            text.set_text(labels[r] if r < len(labels) else "")
            self.ax.draw_artist(text)
        return _png(canvas)


@functools.lru_cache(maxsize=8)
def heat_map(columns: tuple[int, ...], rows: int, breaks: tuple[int, ...], legend: tuple[str, ...]) -> HeatMap:
    """One heat map per shape, kept for the process."""
    with matplotlib.rc_context(_style()):
        return HeatMap(columns, rows, breaks, legend)
