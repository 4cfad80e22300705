"""The figures of the catalogue, drawn from the tidy tables with the labels of one language.

`draw_*` functions return a matplotlib Figure whose data artists carry a gid naming the value
they show, so that tests read the plotted values back; `plot_*` functions write the files.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
# matplotlib's own defaults, not a matplotlibrc it found on import (the working folder's, $MATPLOTLIBRC, the user's
# ~/.config/matplotlib): one of someone's own there would make other figures on that machine.
matplotlib.rcdefaults()

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from gigpaper import atomic, font_subsets, paths  # noqa: E402
from gigpaper.catalogue import FIGURES  # noqa: E402
from gigpaper.dotted import dotted_function  # noqa: E402
from gigpaper.errors import BuildError  # noqa: E402
from gigpaper.numbers import KIND_SYMBOLS, format_number, value_label  # noqa: E402

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#7F7F7F",
}  # fmt: skip
COUNTRY_COLOURS = {
    "KAZ": OKABE_ITO["vermillion"], "IND": OKABE_ITO["blue"], "PAK": OKABE_ITO["green"],
    "USA": OKABE_ITO["sky"], "GBR": OKABE_ITO["purple"], "BGD": OKABE_ITO["orange"],
}  # fmt: skip
GENDER_COLOURS = {"women": OKABE_ITO["orange"], "men": OKABE_ITO["blue"]}
GENDER_TEXT_COLOURS = {"women": "black", "men": "white"}
# Several countries can share a year and a value (India and Pakistan above 30 in 2024):
# a small horizontal offset keeps each marker visible.
COUNTRY_DODGE = {"IND": -0.09, "PAK": 0.09}
KIND_MARKERS = {"point": "o", "approximate": "o", "upper_bound": "v", "lower_bound": "^"}
TEXT_WIDTH_INCHES = 6.3  # the journal's text block, about 16 cm

STYLE = {
    "font.family": "DejaVu Sans",  # carries every Kazakh letter (ә ғ қ ң ө ұ ү һ і)
    "font.size": 8.5,
    "axes.titlesize": 9,
    "svg.fonttype": "path",
    "svg.hashsalt": "gigpaper",  # fixed ids: same inputs, same bytes
    "pdf.fonttype": 42,
    # Labels come from data and authors: a "$" is a dollar sign, never the start of mathtext.
    "text.parse_math": False,
}


def _value_text(row: Any, lang: str) -> str:
    return value_label(row.kind, row.value, row.low, row.high, lang)


def draw_online_labour_index(table: pd.DataFrame, labels: dict[str, Any], lang: str) -> plt.Figure:
    """Figure 1: each stated value as the article states it; unstated years stay empty."""
    names = labels["countries"]
    text = labels["figures"]["figure1"]
    with plt.rc_context(STYLE), sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(TEXT_WIDTH_INCHES, 3.9), layout="constrained")
        ranges = table[table["kind"] == "range"]
        # Countries with the same range over the same period share one band and one label.
        for (start, end, low, high), group in ranges.groupby(["year_start", "year_end", "low", "high"], sort=True):
            countries = list(group["country"])
            band = ax.fill_between(
                [start - 0.3, end + 0.3], low, high, color=OKABE_ITO["grey"], alpha=0.18, hatch="//",
                edgecolor=OKABE_ITO["grey"], linewidth=0,
            )  # fmt: skip
            band.set_gid("range:" + "+".join(countries) + f":{start}-{end}:{low:g}-{high:g}")
            ax.text(
                (start + end) / 2, (low + high) / 2,
                ", ".join(names[c] for c in countries) + f": {_value_text(group.iloc[0], lang)}",
                ha="center", va="center", fontsize=8, color="#333333",
            )  # fmt: skip
        for row in table[table["kind"] != "range"].itertuples(index=False):
            x = row.year_start + COUNTRY_DODGE.get(row.country, 0.0)
            is_kazakhstan = row.country == "KAZ"
            colour = COUNTRY_COLOURS[row.country]
            filled = row.kind != "approximate"
            (marker,) = ax.plot(
                [x], [row.value], linestyle="none", marker=KIND_MARKERS[row.kind],
                markersize=9 if is_kazakhstan else 7, markeredgewidth=1.6,
                markerfacecolor=colour if filled else "white", markeredgecolor=colour, zorder=3,
            )  # fmt: skip
            marker.set_gid(f"{row.kind}:{row.country}:{row.year_start}:{row.value:g}")
            # A marker dodged to the left takes its label on the left, so neighbours never collide.
            left = COUNTRY_DODGE.get(row.country, 0.0) < 0
            ax.annotate(
                _value_text(row, lang), (x, row.value), xytext=(-9 if left else 9, 0), textcoords="offset points",
                ha="right" if left else "left", va="center", fontsize=8, color=colour,
                fontweight="bold" if is_kazakhstan else "normal",
            )  # fmt: skip
        first, last = int(table["year_start"].min()), int(table["year_end"].max())
        ax.set_xlim(first - 0.6, last + 0.6)
        ax.set_xticks(range(first, last + 1), [str(y) for y in range(first, last + 1)])
        top = max(table["value"].max(skipna=True), table["high"].max(skipna=True))
        ax.set_ylim(0, math.ceil((top + 5) / 5) * 5)
        ax.set_xlabel(text["x_title"])
        ax.set_ylabel(text["y_title"])
        # Countries shown only as a range are named on their band, not in the colour legend.
        marked = set(table.loc[table["kind"] != "range", "country"])
        country_handles = [
            Line2D([], [], linestyle="none", marker="o", color=COUNTRY_COLOURS[c], label=names[c])
            for c in COUNTRY_COLOURS
            if c in marked
        ]
        kind_handles = [
            Line2D([], [], linestyle="none", marker=KIND_MARKERS[k], markerfacecolor="white" if k == "approximate" else "#555555",
                   markeredgecolor="#555555", label=f"{KIND_SYMBOLS[k]} {labels['value_kinds'][k]}".strip())
            for k in KIND_MARKERS
            if k in set(table["kind"])
        ]  # fmt: skip
        if "range" in set(table["kind"]):
            kind_handles.append(
                Patch(facecolor=OKABE_ITO["grey"], alpha=0.35, hatch="//", label=labels["value_kinds"]["range"])
            )
        legend = ax.legend(handles=country_handles, title=text["countries_title"], loc="upper left",
                           bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, title_fontsize=8)  # fmt: skip
        ax.add_artist(legend)
        ax.legend(handles=kind_handles, title=text["kinds_title"], loc="lower left", bbox_to_anchor=(1.01, 0.0),
                  frameon=False, fontsize=8, title_fontsize=8)  # fmt: skip
    return fig


def occupation_order(table: pd.DataFrame) -> list[str]:
    """Occupations from the largest women's share to the smallest (ties by name, for stable output)."""
    women = table[table["gender"] == "women"].sort_values(["share_pct", "occupation"], ascending=[False, True])
    return list(women["occupation"])


def draw_gender_by_occupation(table: pd.DataFrame, labels: dict[str, Any], lang: str) -> plt.Figure:
    """Figure 2: 100% stacked bars, women then men, each segment labelled with its share."""
    order = occupation_order(table)
    shares = table.set_index(["occupation", "gender"])["share_pct"]
    text = labels["figures"]["figure2"]
    with plt.rc_context(STYLE), sns.axes_style("white"):
        fig, ax = plt.subplots(figsize=(TEXT_WIDTH_INCHES, 0.42 * len(order) + 1.1), layout="constrained")
        positions = list(range(len(order)))[::-1]  # the largest women's share on top
        left = [0.0] * len(order)
        for gender in ("women", "men"):
            widths = [float(shares[(occupation, gender)]) for occupation in order]
            bars = ax.barh(positions, widths, left=left, color=GENDER_COLOURS[gender], height=0.68,
                           label=labels["genders"][gender], edgecolor="white", linewidth=0.8)  # fmt: skip
            for bar, occupation, width in zip(bars, order, widths, strict=True):
                bar.set_gid(f"{gender}:{occupation}:{width:g}")
                ax.text(bar.get_x() + width / 2, bar.get_y() + bar.get_height() / 2,
                        value_label("point", width, None, None, lang, "percent"),
                        ha="center", va="center", fontsize=8, color=GENDER_TEXT_COLOURS[gender])  # fmt: skip
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(positions, [labels["occupations"][o] for o in order])
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 20), [format_number(v, lang) for v in range(0, 101, 20)])
        ax.set_xlabel(text["x_title"])
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False)
        sns.despine(ax=ax, left=True)
        ax.tick_params(axis="y", length=0)
    return fig


def save_figure(fig: plt.Figure, paths: dict[str, str], dpi: int, source_date_epoch: int) -> None:
    """Write each requested format atomically, with no timestamp or tool version in the bytes."""
    os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
        "png": {"Software": None},
    }
    with plt.rc_context(STYLE), font_subsets.shared():
        for fmt, path in paths.items():
            with atomic.atomic_path(path) as tmp:
                fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata[fmt])
    plt.close(fig)


def plot_figure(
    table: str, figure: str, labels: dict[str, dict[str, Any]], dpi: int, source_date_epoch: int, files: list[str]
) -> None:
    """Draw `figure` in every language of `labels` (its drawn labels per language) into `files`."""
    draw = dotted_function(FIGURES[figure].draw)
    data = pd.read_csv(table)
    for lang, lang_labels in labels.items():
        wanted = {Path(path).suffix[1:]: path for path in files if Path(path).name.startswith(f"{figure}.{lang}.")}
        try:
            drawn = draw(data, lang_labels, lang)
        except Exception as error:  # the catalogue's function, maybe an author's new one: named by its key
            raise BuildError(
                f"{paths.CATALOGUE}, key 'figures.{figure}.draw': {FIGURES[figure].draw} stopped with "
                f"{type(error).__name__}: {error}, drawing {table} in {lang}; expected a function that draws that "
                "table, with the labels of that language, and returns a matplotlib Figure."
            ) from error
        save_figure(drawn, wanted, dpi, source_date_epoch)
