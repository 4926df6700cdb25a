"""Pictures for the Word reports (matplotlib, PNG bytes): heat map, profiles, weakest criteria."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402

# One colour per level 1-4 (red to green, readable when printed in grey), grey for Ei sovellu.
LEVEL_COLOURS = ("#d7301f", "#fdae61", "#a6d96a", "#1a9641")
NA_COLOUR, MISSING_COLOUR = "#bdbdbd", "#ffffff"
SELF_COLOUR, AUDITOR_COLOUR, ROUND_COLOUR = "#6baed6", "#08519c", "#969696"
_METADATA = {"Software": None}  # no version stamp: the same inputs give the same bytes


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, metadata=_METADATA)
    plt.close(fig)
    return buf.getvalue()


def heat_map(rows: Sequence[str], columns: Sequence[int], values: Sequence[Sequence[float | None]],
             title: str, levels: int = 4) -> bytes:
    """Workshops × criteria. A value is a level (1..levels), 0 for Ei sovellu, None for not given."""
    height = 1.2 + 0.22 * max(len(rows), 1)
    fig, ax = plt.subplots(figsize=(9.5, height))
    colours = [MISSING_COLOUR, NA_COLOUR, *LEVEL_COLOURS[:levels]]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm([-1.5, -0.5, 0.5, *[i + 0.5 for i in range(1, levels + 1)]], cmap.N)
    grid = [[-1 if v is None else v for v in row] for row in values]
    ax.imshow(grid, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([str(c) for c in columns], fontsize=5.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=6.5)
    ax.tick_params(length=0)
    ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(rows))], minor=True)
    ax.grid(which="minor", color="white", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("Kriteeri", fontsize=7)
    ax.set_title(title, fontsize=9, loc="left")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in (*LEVEL_COLOURS[:levels], NA_COLOUR)]
    labels = [str(i) for i in range(1, levels + 1)] + ["Ei sovellu"]
    fig.legend(handles, labels, loc="upper right", ncol=levels + 1, fontsize=6.5, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _png(fig)


def profile_bars(groups: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
                 title: str, scale_max: int = 4) -> bytes:
    """Horizontal bars per area: one bar per series (e.g. itsearvio, auditoijat, kierros)."""
    colours = (SELF_COLOUR, AUDITOR_COLOUR, ROUND_COLOUR)
    n = max(len(series), 1)
    fig, ax = plt.subplots(figsize=(7.0, 0.55 + 0.42 * len(groups) * n / 2 + 0.6))
    height = 0.8 / n
    for i, (label, values) in enumerate(series):
        ys = [g - 0.4 + height * (i + 0.5) for g in range(len(groups))]  # y grows downwards
        xs = [v if v is not None else 0 for v in values]
        bars = ax.barh(ys, xs, height=height * 0.92, color=colours[i % len(colours)], label=label)
        for bar, v in zip(bars, values):
            text = "–" if v is None else f"{v:.2f}".replace(".", ",")
            ax.text((v or 0) + 0.04, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=6.5)
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([textwrap.fill(g, 34) for g in groups], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, scale_max + 0.45)
    ax.set_xticks(range(0, scale_max + 1))
    ax.tick_params(labelsize=7)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=9, loc="left", pad=18)
    ax.legend(fontsize=7, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(series), borderaxespad=0.2)
    fig.tight_layout()
    return _png(fig)
