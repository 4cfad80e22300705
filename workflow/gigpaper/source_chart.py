"""Figure 1 drawn from the OLI data: the same countries and years, in the published figure's style and scale.

The chart (manuscript/build/figure1_oli.en.svg) stands beside Figure 1 as published on the reviewer page;
its values are data/processed/oli_worker_shares.csv (gigpaper.oli), each marker's gid names its value.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from gigpaper import figures  # noqa: E402
from gigpaper.catalogue import OLI_FIGURE  # noqa: E402


def chart_table(statements: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """The shares of Figure 1's countries over Figure 1's years."""
    first, last = int(statements["year_start"].min()), int(statements["year_end"].max())
    countries = list(dict.fromkeys(statements["country"]))
    chosen = shares[shares["country"].isin(countries) & shares["year"].between(first, last)]
    return chosen[["country", "year", "share_pct"]].reset_index(drop=True)


def _spread(values: list[float], gap: float) -> list[float]:
    """Label heights for ascending `values`: each at its value, or `gap` above the label below it."""
    placed: list[float] = []
    for value in values:
        placed.append(max(value, placed[-1] + gap) if placed else value)
    return placed


def draw_oli_shares(statements: pd.DataFrame, shares: pd.DataFrame, labels: dict[str, Any]) -> Any:
    """Figure 1 drawn from the OLI data: each country's share per year, in Figure 1's style and scale.

    Colours, fonts, size and the y-axis of the published Figure 1 are reused, so that the two charts
    can be compared at a glance; each marker carries a gid naming its value, as Figure 1's do.
    """
    table = chart_table(statements, shares)
    names = labels["countries"]
    first, last = int(statements["year_start"].min()), int(statements["year_end"].max())
    with plt.rc_context(figures.STYLE), sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(figures.TEXT_WIDTH_INCHES, 3.9), layout="constrained")
        for country in figures.COUNTRY_COLOURS:
            series = table[table["country"] == country].sort_values("year")
            if series.empty:
                continue
            colour = figures.COUNTRY_COLOURS[country]
            is_kazakhstan = country == "KAZ"
            ax.plot(series["year"], series["share_pct"], color=colour, linewidth=1.2, alpha=0.7, zorder=2)
            for year, share in zip(series["year"], series["share_pct"], strict=True):
                (marker,) = ax.plot([year], [share], linestyle="none", marker="o", markersize=8 if is_kazakhstan else 6,
                                    color=colour, zorder=3, label=None)  # fmt: skip
                marker.set_gid(f"share:{country}:{year}:{share:.2f}")
        top = max(statements["value"].max(skipna=True), statements["high"].max(skipna=True), table["share_pct"].max())
        ax.set_ylim(0, math.ceil((top + 5) / 5) * 5)
        # Values at the ends only, the first year's on the left and the last year's on the right,
        # moved apart where two countries are close (Pakistan and Bangladesh).
        for year, side in ((first, -1), (last, 1)):
            ends = table[table["year"] == year].sort_values(["share_pct", "country"])
            placed = _spread(list(ends["share_pct"]), gap=ax.get_ylim()[1] / 28)
            for country, share, y in zip(ends["country"], ends["share_pct"], placed, strict=True):
                ax.text(year + 0.14 * side, y, f"{share:.1f}", ha="left" if side > 0 else "right", va="center",
                        fontsize=7.5, color=figures.COUNTRY_COLOURS[country],
                        fontweight="bold" if country == "KAZ" else "normal")  # fmt: skip
        ax.set_xlim(first - 0.6, last + 0.6)
        ax.set_xticks(range(first, last + 1), [str(y) for y in range(first, last + 1)])
        ax.set_xlabel(labels["figures"][OLI_FIGURE]["x_title"])
        ax.set_ylabel("Share of the world's online workers, %")
        handles = [
            plt.Line2D([], [], marker="o", color=figures.COUNTRY_COLOURS[c], label=names[c])
            for c in figures.COUNTRY_COLOURS
            if c in set(table["country"])
        ]
        ax.legend(handles=handles, title=labels["figures"][OLI_FIGURE]["countries_title"], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, title_fontsize=8)  # fmt: skip
    return fig


def plot_oli_shares(
    online_labour_index: str, shares: str, labels: dict[str, Any], source_date_epoch: int, svg: str
) -> None:  # fmt: skip
    """`labels`: what the chart draws of the review language's labels, Figure 1's (catalogue.figure_labels)."""
    fig = draw_oli_shares(pd.read_csv(online_labour_index), pd.read_csv(shares), labels)
    figures.save_figure(fig, {"svg": svg}, 72, source_date_epoch)
