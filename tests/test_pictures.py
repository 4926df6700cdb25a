"""The reports' pictures read without colour: levels apart in grey, a number or symbol in every cell."""

from __future__ import annotations

import io
import itertools

import matplotlib.image
import numpy as np
import pytest

from auditkit.word.pictures import (
    AUDITOR_COLOUR,
    SELF_COLOUR,
    grey_step,
    heat_colours,
    heat_map,
    luma,
    text_colour,
)

# The stated minimum: any two heat-map categories (no rating, Ei sovellu, each level) differ by at least
# this much in printed grey (luma, 0-255) on the default four-level scale.
MIN_GREY_DIFFERENCE = 40
LEGEND = ("1 – Puuttuva", "2 – Alkava", "3 – Kehittynyt", "4 – Edistynyt", "Ei sovellu")


def _contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        values = [int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, bl = (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("levels", [2, 3, 4, 5, 7])
def test_every_category_apart_in_grey_for_any_scale(levels: int) -> None:
    missing, na, colours = heat_colours(levels)
    categories = [missing, na, *colours]
    assert len(set(categories)) == levels + 2
    gaps = [abs(luma(a) - luma(b)) for a, b in itertools.combinations(categories, 2)]
    assert min(gaps) >= grey_step(levels) - 1.5  # evenly spaced, up to the colour map's steps
    greys = [luma(c) for c in colours]
    assert greys == sorted(greys, reverse=True)  # darker is higher, in grey as in colour
    for background in categories:  # the number in the cell reads on its colour
        assert _contrast(background, text_colour(background)) >= 4.5


def test_the_default_scale_is_apart_by_the_stated_difference() -> None:
    missing, na, colours = heat_colours(4)
    gaps = [abs(luma(a) - luma(b)) for a, b in itertools.combinations([missing, na, *colours], 2)]
    assert min(gaps) >= MIN_GREY_DIFFERENCE
    assert abs(luma(SELF_COLOUR) - luma(AUDITOR_COLOUR)) >= 60  # the profile's two bars


def test_a_drawn_heat_map_shows_each_category_apart_and_marked() -> None:
    """Drawn, not just chosen: each cell's colour as printed in grey, and its number or symbol."""
    columns = tuple(range(1, 13))
    picture = heat_map(columns, 2, (7,), LEGEND)
    values = [[None, 0, 1, 2, 3, 4, None, 0, 1, 2, 3, 4], [4, 3, 2, 1, 0, None, 4, 3, 2, 1, 0, None]]
    image = matplotlib.image.imread(io.BytesIO(picture.png(["P001 Paja", "P002 Paja"], values)))[:, :, :3] * 255
    grey = image @ np.array([0.299, 0.587, 0.114])
    ax = picture.ax
    height = grey.shape[0]
    seen: dict[object, float] = {}
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            (x0, y0), (x1, y1) = ax.transData.transform([(c - 0.5, r - 0.5), (c + 0.5, r + 0.5)])
            top, bottom = sorted((round(height - y0), round(height - y1)))
            left, right = round(x0), round(x1)
            cell = grey[top + 3:bottom - 2, left + 3:right - 2]
            background = float(np.median(cell))
            seen.setdefault(value, background)
            assert abs(background - seen[value]) < 2  # the same category, the same grey
            ink = np.abs(cell - background).max()
            assert ink > 60, (value, ink)  # a number or symbol stands out in every cell
    greys = list(seen.values())
    assert len(greys) == 6
    assert min(abs(a - b) for a, b in itertools.combinations(greys, 2)) >= MIN_GREY_DIFFERENCE


def test_a_picture_is_the_canvas_pixel_for_pixel() -> None:
    """The PNG written by hand holds exactly the canvas's RGB (no colour lost or shifted in encoding)."""
    from auditkit.word.pictures import _agg, profile_chart

    chart = profile_chart(("Alue A", "Alue B", "Alue C"), ("Itsearvio", "Auditoijat", "Kierros"))
    png = chart.png([[1.5, 3.25, None], [2.0, 4.0, 1.0], [3.5, None, 2.75]], ["", "", "ei arvioitavissa"])
    decoded = np.rint(matplotlib.image.imread(io.BytesIO(png))[:, :, :3] * 255).astype(np.uint8)
    canvas = np.asarray(_agg(chart.fig).buffer_rgba())[:, :, :3]
    assert decoded.shape == canvas.shape
    assert np.array_equal(decoded, canvas)


def test_the_rounds_bars_kept_with_the_background_give_the_same_picture() -> None:
    """A profile whose round bars come with a background kept from an earlier picture is the picture
    drawn anew, byte for byte: with bars missing, notes, and other workshops' pictures in between."""
    from auditkit.word.pictures import profile_chart

    chart = profile_chart(("Alue A", "Alue B", "Alue C", "Alue D"), ("Itsearvio", "Auditoijat", "Kierros"))
    assert chart._stacks
    round_means = [2.25, 3.5, None, 1.75]
    pictures = [([[1.5, 3.25, None, 4.0], [2.0, 4.0, 1.0, None], round_means], ["", "", "", ""]),
                ([[None, None, None, None], [3.0, 1.25, 2.5, 3.75], round_means], ["", "", "ei arvioitavissa", ""]),
                ([[4.0, 4.0, 4.0, 4.0], [1.0, 1.0, 1.0, 1.0], [3.0, 3.0, 3.0, 3.0]], [""] * 4)]
    for values, notes in [*pictures, *pictures]:
        assert chart._draw(values, notes) == chart._draw(values, notes, stacked=False)
