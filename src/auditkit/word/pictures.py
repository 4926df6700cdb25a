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
from collections.abc import Callable, Hashable, Sequence
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap, to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .. import deflate  # noqa: E402
from ..i18n import wording  # noqa: E402

# Colours people tell apart whether they see red and green or not, and that stay apart printed in
# grey. Grey is measured as luma Y' = 0.299 R + 0.587 G + 0.114 B on 0-255, the grey a greyscale
# printer or copier makes of a colour. The categories of a heat map (no rating, Ei sovellu, and the
# levels from lowest to highest) sit at evenly spaced greys from white (255) to GREY_DARKEST, so any
# two differ by at least (255 - GREY_DARKEST) / (levels + 1): 42 for the default four levels.
GREY_DARKEST = 45
MISSING_COLOUR = "#ffffff"
# The profile's series: an orange and a blue of the Okabe-Ito palette (made for colour-blind readers),
# 75 apart in grey; the round's mean is an outlined, hatched bar, told apart by its pattern too.
SELF_COLOUR, AUDITOR_COLOUR, ROUND_COLOUR = "#e69f00", "#0072b2", "#ffffff"
ROUND_EDGE = "#4d4d4d"
NA_SYMBOL, MISSING_SYMBOL = "–", "·"

DPI = 150
FONT = 8.5  # points, as printed: the pictures are placed at their drawn width
PROFILE_WIDTH = 6.3  # inches: the picture is placed at this width, so its fonts print at their size
HEAT_WIDTH = 6.65
HEAT_ROWS_HEIGHT = 6.6  # inches for the rows of a full picture; fewer rows get taller ones
HEAT_ROW_MAX = 0.24
_PIXELS_PER_METRE = round(DPI / 0.0254)


def _figure(width: float, height: float) -> Figure:
    """A figure drawn on its own Agg canvas, not pyplot's: kept charts (their background drawn once) are
    freed with the chart, and pyplot keeps no count of them."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def luma(colour: str) -> float:
    """The grey (0-255) a colour prints as: ITU-R BT.601 luma of its sRGB values."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def grey_step(levels: int) -> float:
    """The grey difference between neighbouring heat-map categories for a scale of `levels` levels."""
    return (255 - GREY_DARKEST) / (levels + 1)


@functools.lru_cache(maxsize=16)
def heat_colours(levels: int) -> tuple[str, str, tuple[str, ...]]:
    """(no rating, Ei sovellu, (level 1, ..., level n)): white, a neutral grey, then colours of
    matplotlib's plasma map (perceptually uniform, readable with colour blindness) from orange for
    the lowest level to deep purple for the highest, each at its evenly spaced grey."""
    step = grey_step(levels)
    lut = [to_hex(c) for c in matplotlib.colormaps["plasma"](np.arange(256) / 255)]
    wanted = [255 - (k + 2) * step for k in range(levels)]
    colours = tuple(min(lut, key=functools.partial(_distance, y)) for y in wanted)
    na = round(255 - step)
    return MISSING_COLOUR, f"#{na:02x}{na:02x}{na:02x}", colours


def _distance(grey: float, colour: str) -> float:
    return abs(luma(colour) - grey)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background (WCAG contrast)."""
    def linear(byte: int) -> float:
        v = byte / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(background[i:i + 2], 16)) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


# Pictures drawn in this process, by what they show: the consolidated report and each workshop's
# feedback show the same profile, drawn once. Bounded, so a round of any size stays flat in memory.
_DRAWN: dict[Hashable, bytes] = {}
_DRAWN_BYTES = 0
DRAWN_LIMIT = 32 * 1024 * 1024  # a round of 300 workshops draws about 15 MB of profiles


# The keys of the pictures drawn here since the last take_drawn(): a worker that draws pictures for
# another process hands them back with the key they were drawn under.
_NEW: list[Hashable] = []


def drawn(key: Hashable, draw: Callable[[], bytes]) -> bytes:
    """The picture `key` names, drawn by draw() the first time it is asked for in this process.

    key must say everything the picture shows (the chart's kind and its values). A report that draws
    its pictures before its workers start (they are forked) gives them to every worker; pictures
    drawn in other processes are added with keep_drawn. Beyond DRAWN_LIMIT bytes the oldest are
    forgotten.
    """
    png = _DRAWN.get(key)
    if png is None:
        png = draw()
        _keep(key, png)
        _NEW.append(key)
    return png


def _keep(key: Hashable, png: bytes) -> None:
    global _DRAWN_BYTES
    if key in _DRAWN:
        return
    _DRAWN[key] = png
    _DRAWN_BYTES += len(png)
    while _DRAWN_BYTES > DRAWN_LIMIT and len(_DRAWN) > 1:
        _DRAWN_BYTES -= len(_DRAWN.pop(next(iter(_DRAWN))))


def take_drawn() -> list[tuple[Hashable, bytes]]:
    """The pictures drawn in this process since the last call, each with its key (for keep_drawn in
    another process: a worker drawing the consolidated report's profiles hands them to the process
    that forks the workers building the feedback reports, which show the same profiles)."""
    taken = [(key, _DRAWN[key]) for key in _NEW if key in _DRAWN]
    _NEW.clear()
    return taken


def keep_drawn(pictures: Sequence[tuple[Hashable, bytes]]) -> None:
    """Pictures drawn elsewhere (take_drawn), kept as if drawn here: `drawn` returns them undrawn."""
    for key, png in pictures:
        _keep(key, png)


def _png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as an RGB PNG, encoded here: Pillow's encoder took three times as long, and a
    round's report has hundreds of pictures. No metadata, so the same picture gives the same bytes."""
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    raw = np.empty((height, width * 3 + 1), dtype=np.uint8)  # each row: filter type 0, then RGB
    raw[:, 0] = 0
    pixels = raw[:, 1:]
    for channel in range(3):  # a copy per channel: twice as fast as one copy of the RGB of each pixel
        pixels[:, channel::3] = rgba[:, :, channel]

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        chunk(b"pHYs", struct.pack(">IIB", _PIXELS_PER_METRE, _PIXELS_PER_METRE, 1)),
        chunk(b"IDAT", deflate.wrapped(raw.tobytes(), 3)),
        chunk(b"IEND", b""),
    ))


@functools.cache
def _style() -> dict[Any, Any]:  # keys of matplotlib.rcParams
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
    document's heading says whose profile it is) and no value labels (the table beside has them).

    The series are told apart by colour, grey and pattern: the workshop's own in orange, the auditors'
    in blue, a third (the round's mean) as an outlined, hatched bar.
    """

    def __init__(self, groups: Sequence[str], series: Sequence[str], scale_min: int = 1, scale_max: int = 4,
                 bar: float = 0.12, lang: str = "fi") -> None:
        self.groups, self.series = tuple(groups), tuple(series)
        # What every picture shares, its language too: the same figures in two languages are two pictures.
        self.kind = ("profile", self.groups, self.series, scale_min, scale_max, bar, lang)
        looks = ({"color": SELF_COLOUR}, {"color": AUDITOR_COLOUR},
                 {"color": ROUND_COLOUR, "edgecolor": ROUND_EDGE, "hatch": "////", "linewidth": 0.6})
        n = max(len(series), 1)
        self.height_in = 0.5 + bar * len(groups) * max(n, 2)  # bar: inches per bar
        self.fig = _figure(PROFILE_WIDTH, self.height_in)
        self.ax = self.fig.add_subplot()
        ax = self.ax
        band = 0.84 / n
        self.bars = []
        for i, label in enumerate(series):
            ys = [g - 0.42 + band * (i + 0.5) for g in range(len(groups))]
            bars = ax.barh(ys, [0.0] * len(groups), height=band * 0.92, label=label, **looks[i % len(looks)])
            for patch in bars:
                patch.set_animated(True)
            self.bars.append(bars)
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels([textwrap.fill(g, 44) for g in groups], fontsize=FONT - 1)
        ax.invert_yaxis()
        # The scale's own range: a bar starts at the lowest level, so its length reads as the level.
        ax.set_xlim(scale_min, scale_max + 0.05)
        ax.set_xticks(range(scale_min, scale_max + 1))
        ax.tick_params(labelsize=FONT, length=0)
        ax.grid(axis="x", color="#bfbfbf", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(fontsize=FONT, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=n, borderaxespad=0.2)
        self.notes = [ax.text(scale_min + 0.03, g, "", va="center", fontsize=FONT - 1, style="italic",
                              color="#404040", animated=True) for g in range(len(groups))]
        self.fig.tight_layout(pad=0.4)
        self.fig.canvas.draw()
        self.background = _agg(self.fig).copy_from_bbox(self.fig.bbox)
        self._backgrounds: dict[tuple[float | None, ...], Any] = {}
        self._stacks = False
        self._stacks = len(series) == 3 and self._stacks_alike(scale_max)

    def _stacks_alike(self, high: int) -> bool:
        """Whether the round's bars drawn first give the pixels they give drawn last: no pixel row is
        shared by one of them and another bar (bars are snapped to whole pixels). Drawn both ways with
        every bar at full length, the longest each can be, and compared pixel for pixel."""
        full = [[float(high)] * len(self.groups) for _ in self.series]
        last = self._draw(full, (), stacked=False)
        first = self._draw(full, (), stacked=True)
        self._backgrounds.clear()
        return first == last

    def png(self, values: Sequence[Sequence[float | None]], notes: Sequence[str] = ()) -> bytes:
        """The picture for one workshop: values[series][group], None for no bar; notes[group] a word
        written where a group has no bars (say, "ei arvioitavissa"). Drawn once per process for the
        same chart and values (`drawn`): a workshop's feedback shows the picture its section of the
        consolidated report shows."""
        key = (self.kind, tuple(tuple(row) for row in values), tuple(notes))
        return drawn(key, lambda: self._draw(values, notes))

    def _draw(self, values: Sequence[Sequence[float | None]], notes: Sequence[str], *, stacked: bool | None = None
              ) -> bytes:
        """stacked: the round's bars (the third series, hatched: a quarter of a picture's time each)
        come with the background they were drawn on for the first picture that showed them, where
        that gives the same pixels as drawing them last (see _stacks_alike)."""
        canvas = _agg(self.fig)
        low = self.ax.get_xlim()[0]
        series = list(zip(self.bars, values))
        if (self._stacks if stacked is None else stacked) and len(series) == 3:
            key = tuple(series[2][1])  # the round's means: the same in every workshop's picture
            region = self._backgrounds.get(key)
            if region is None:
                canvas.restore_region(self.background)
                self._bars(*series[2], low)
                if len(self._backgrounds) >= 16:
                    self._backgrounds.clear()
                region = self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
            canvas.restore_region(region)
            series = series[:2]
        else:
            canvas.restore_region(self.background)
        for bars, row in series:
            self._bars(bars, row, low)
        for index, text in enumerate(self.notes):
            text.set_text(notes[index] if index < len(notes) else "")
            self.ax.draw_artist(text)
        return _png(canvas)

    def _bars(self, bars: Any, row: Sequence[float | None], low: float) -> None:
        for bar, value in zip(bars, row):
            bar.set_x(low)
            bar.set_width(0.0 if value is None else value - low)
            self.ax.draw_artist(bar)


@functools.lru_cache(maxsize=8)
def profile_chart(groups: tuple[str, ...], series: tuple[str, ...], scale_min: int = 1,
                  scale_max: int = 4, bar: float = 0.12, lang: str = "fi") -> ProfileChart:
    """One chart per kind and language, kept for the process: a round's reports all draw with it."""
    with matplotlib.rc_context(_style()):
        return ProfileChart(groups, series, scale_min, scale_max, bar, lang)


class HeatMap:
    """Workshops × criteria for a fixed number of rows; row labels and cells change per picture.

    A value is a level (1..levels), 0 for Ei sovellu, None for not given. Each cell shows its level's
    number (NA_SYMBOL for Ei sovellu, MISSING_SYMBOL for none) on the level's colour (heat_colours),
    so the picture reads without colour too. legend: the levels' labels and Ei sovellu's. Thin dark
    lines separate the elements (before each criterion number in `breaks`).
    """

    def __init__(self, columns: Sequence[int], rows: int, breaks: Sequence[int] = (),
                 legend: Sequence[str] = ("1", "2", "3", "4", "Ei sovellu"), lang: str = "fi") -> None:
        levels = len(legend) - 1
        self.columns, self.rows = tuple(columns), rows
        missing, na, colours = heat_colours(levels)
        row_in = min(HEAT_ROW_MAX, HEAT_ROWS_HEIGHT / max(rows, 1))
        self.height_in = 0.85 + row_in * rows
        self.fig = _figure(HEAT_WIDTH, self.height_in)
        top = 1 - 0.36 / self.height_in
        bottom = 0.45 / self.height_in
        left = 0.205
        ax = self.ax = self.fig.add_axes((left, bottom, 0.995 - left, top - bottom))
        cmap = ListedColormap([missing, na, *colours])
        norm = BoundaryNorm([-1.5, -0.5, 0.5, *[i + 0.5 for i in range(1, levels + 1)]], cmap.N)
        self.image = ax.imshow(np.full((rows, len(columns)), -1), cmap=cmap, norm=norm, aspect="auto",
                               interpolation="nearest", animated=True)
        ax.set_xticks(range(len(columns)))
        ax.set_xticklabels([str(c) for c in columns], fontsize=FONT - 2.7)
        ax.xaxis.tick_top()
        ax.set_yticks([])
        ax.tick_params(length=0, pad=1.5)
        width = len(columns)
        self.lines = [
            ax.vlines([x - 0.5 for x in range(1, width)], -0.5, rows - 0.5, colors="white", linewidth=0.5,
                      animated=True),
            ax.hlines([y - 0.5 for y in range(1, rows)], -0.5, width - 0.5, colors="white", linewidth=0.5,
                      animated=True),
            ax.vlines([self.columns.index(n) - 0.5 for n in breaks if n in self.columns], -0.5, rows - 0.5,
                      colors="#000000", linewidth=1.0, animated=True),
        ]
        for spine in ax.spines.values():
            spine.set_linewidth(0.5)
        # The symbol and its colour per value (-1: none, 0: Ei sovellu, 1..n: the levels).
        backgrounds = {-1: missing, 0: na, **{i + 1: c for i, c in enumerate(colours)}}
        self.marks = {v: (MISSING_SYMBOL if v < 0 else NA_SYMBOL if v == 0 else str(v), text_colour(c))
                      for v, c in backgrounds.items()}
        cell_font = min(FONT - 2, max(5.0, row_in * 72 * 0.55))
        # Two thousand texts a picture would take a second to draw: each symbol is drawn once and
        # stamped into the cells' pixels (centres fixed by the axes).
        self.glyphs = {mark: _glyph(mark, cell_font) for mark, _ in self.marks.values()}
        self.fig.canvas.draw()
        height = self.fig.canvas.get_width_height()[1]
        centres = ax.transData.transform([(x, y) for y in range(rows) for x in range(width)])
        self.centres = [(round(height - cy), round(cx)) for cx, cy in centres]
        handles = [plt.Rectangle((0, 0), 1, 1, facecolor=c, edgecolor="#999999", linewidth=0.4)
                   for c in (*colours, na, missing)]
        names = [*legend, wording("documents", lang).pgettext("heat map legend", "no rating")]
        marks = [str(i + 1) for i in range(levels)] + [NA_SYMBOL, MISSING_SYMBOL]
        labels = [name if name.startswith(mark) else f"{mark} {name}" for mark, name in zip(marks, names)]
        self.fig.legend(handles, labels, loc="lower center", ncol=levels + 2, fontsize=FONT - 1, frameon=False,
                        bbox_to_anchor=(0.5 + left / 2, 0.0), handlelength=1.2, columnspacing=1.2)
        self.labels = [ax.text(-0.01, y, "", transform=ax.get_yaxis_transform(), ha="right", va="center",
                               fontsize=FONT - 1.5 if row_in < 0.2 else FONT - 0.5, animated=True)
                       for y in range(rows)]
        self.fig.canvas.draw()
        self.background = _agg(self.fig).copy_from_bbox(self.fig.bbox)

    def png(self, labels: Sequence[str], values: Sequence[Sequence[int | None]]) -> bytes:
        """The picture of up to `rows` workshops (labels and values row by row)."""
        grid = np.full((self.rows, len(self.columns)), -1.0)
        for r, row in enumerate(values[:self.rows]):
            grid[r, :len(row)] = [-1 if v is None else v for v in row]
        canvas = _agg(self.fig)
        canvas.restore_region(self.background)
        self.image.set_data(grid)
        self.ax.draw_artist(self.image)
        for line in self.lines:
            self.ax.draw_artist(line)
        for r, text in enumerate(self.labels):
            text.set_text(labels[r] if r < len(labels) else "")
            self.ax.draw_artist(text)
        pixels = np.asarray(canvas.buffer_rgba())
        for index, value in enumerate(grid[:min(len(values), self.rows)].ravel()):
            mark, colour = self.marks.get(int(value), self.marks[-1])
            coverage, (dy, dx) = self.glyphs[mark]
            y, x = self.centres[index]
            y, x = y - dy, x - dx
            region = pixels[y:y + coverage.shape[0], x:x + coverage.shape[1], :3]
            ink = 0 if colour == "#000000" else 255
            region[:] = (region * (1 - coverage[..., None]) + ink * coverage[..., None]).astype(np.uint8)
        return _png(canvas)


def _glyph(mark: str, size: float) -> tuple[np.ndarray, tuple[int, int]]:
    """A symbol's ink coverage (0-1) at `size` points and the offset of its centre, drawn once."""
    fig = plt.figure(figsize=(0.5, 0.5), dpi=DPI)
    fig.text(0.5, 0.5, mark, ha="center", va="center", fontsize=size, color="black")
    fig.canvas.draw()
    coverage = 1 - np.asarray(_agg(fig).buffer_rgba())[:, :, 0] / 255.0
    plt.close(fig)
    ys, xs = np.nonzero(coverage > 0.02)
    if not len(ys):
        return np.zeros((1, 1)), (0, 0)
    box = coverage[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    return box, (box.shape[0] // 2, box.shape[1] // 2)


@functools.lru_cache(maxsize=8)
def heat_map(columns: tuple[int, ...], rows: int, breaks: tuple[int, ...], legend: tuple[str, ...],
             lang: str = "fi") -> HeatMap:
    """One heat map per shape and language, kept for the process."""
    with matplotlib.rc_context(_style()):
        return HeatMap(columns, rows, breaks, legend, lang)


def _agg(fig: Figure) -> FigureCanvasAgg:
    """The figure's canvas, which is Agg's (the backend is chosen above)."""
    return cast(FigureCanvasAgg, fig.canvas)
