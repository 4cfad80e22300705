"""Figures 1-2: the values drawn are the processed data, the labels are in the edition's language."""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, snakemake
from gigpaper.errors import BuildError
from gigpaper.files import load_labels

LANGS = ["kk", "ru", "en"]
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")


def figure_texts(fig) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def tagged(fig) -> dict[str, object]:
    return {artist.get_gid(): artist for artist in fig.findobj() if artist.get_gid()}


@pytest.fixture(scope="module")
def figures():
    """gigpaper.figures, imported once a test of this file runs: every tier collects this file on each worker,
    and the quick tier, which runs none of its tests, need not pay matplotlib's import (about 2 s) for it."""
    return importlib.import_module("gigpaper.figures")


@pytest.fixture(scope="module")
def tables(built):
    return {
        "figure1": pd.read_csv(built / "data/processed/online_labour_index.csv"),
        "figure2": pd.read_csv(built / "data/processed/gender_by_occupation.csv"),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_figure1_draws_each_stated_value_where_the_data_puts_it(figures, tables, lang):
    table = tables["figure1"]
    artists = tagged(
        figures.draw_online_labour_index(table, load_labels(ROOT / f"manuscript/labels/{lang}.yaml"), lang)
    )
    for row in table[table["kind"] != "range"].itertuples():
        marker = artists[f"{row.kind}:{row.country}:{row.year_start}:{row.value:g}"]
        xs, ys = marker.get_data()
        assert ys[0] == row.value and abs(xs[0] - row.year_start) < 0.2
    ranges = table[table["kind"] == "range"]
    bands = [gid for gid in artists if gid.startswith("range:")]
    drawn = {c for gid in bands for c in gid.split(":")[1].split("+")}
    assert drawn == set(ranges["country"])
    for gid in bands:
        vertices = artists[gid].get_paths()[0].vertices
        low, high = map(float, gid.split(":")[3].split("-"))
        assert (vertices[:, 1].min(), vertices[:, 1].max()) == (low, high)
    # Unstated years are not drawn as if they were known: one marker per stated value, no lines.
    assert len([g for g in artists if not g.startswith("range:")]) == len(table[table["kind"] != "range"])


@pytest.mark.parametrize("lang", LANGS)
def test_figure2_bars_are_the_shares_ordered_by_womens_share(figures, tables, lang):
    table = tables["figure2"]
    fig = figures.draw_gender_by_occupation(table, load_labels(ROOT / f"manuscript/labels/{lang}.yaml"), lang)
    artists = tagged(fig)
    for row in table.itertuples():
        bar = artists[f"{row.gender}:{row.occupation}:{row.share_pct:g}"]
        assert bar.get_width() == pytest.approx(row.share_pct)
        assert f"{row.share_pct:g}%" in figure_texts(fig)
    women = {o: artists[g].get_y() for g in artists if g.startswith("women:") for o in [g.split(":")[1]]}
    top_to_bottom = sorted(women, key=women.get, reverse=True)
    assert top_to_bottom == figures.occupation_order(table)
    shares = table[table["gender"] == "women"].set_index("occupation")["share_pct"]
    assert list(shares[top_to_bottom]) == sorted(shares, reverse=True)


@pytest.mark.parametrize("lang", LANGS)
def test_every_label_is_in_the_figures_language(figures, tables, lang):
    labels = load_labels(ROOT / f"manuscript/labels/{lang}.yaml")
    texts = figure_texts(figures.draw_online_labour_index(tables["figure1"], labels, lang))
    texts += figure_texts(figures.draw_gender_by_occupation(tables["figure2"], labels, lang))
    words = [t for t in texts if re.search(r"[^\W\d_]", t)]
    assert words
    for text in words:
        if lang == "en":
            assert not CYRILLIC.search(text), text
        else:
            # The index's own name is the Russian edition's one name for it (errata E031).
            assert not LATIN.search(text.replace("Online Labour Index", "")), f"{lang} label in Latin letters: {text}"
        if lang == "ru":
            assert not KAZAKH_LETTERS & set(text), f"Kazakh letter in a Russian label: {text}"
    if lang == "kk":
        assert KAZAKH_LETTERS & set("".join(words))


def test_figure_pdfs_share_their_font_subsets_and_keep_their_bytes(figures, tables, built_copy, tmp_path, monkeypatch):
    """A font subset made for one language's PDF is taken again by the next that needs the same glyphs (Figure 1's
    bold value labels): fewer subsets made than the PDFs embed, and each PDF is the bytes matplotlib writes alone.
    A new process (a figure redrawn after a data edit) takes them from the build's state folder."""
    font_subsets = importlib.import_module("gigpaper.font_subsets")
    # The subsets are kept in the project's state folder (.snakemake/gigpaper): a copy's, without the build's.
    shutil.rmtree(built_copy / ".snakemake/gigpaper/memo/font-subset", ignore_errors=True)
    monkeypatch.chdir(built_copy)
    before, embedded = font_subsets.made(), 0
    for lang in LANGS:
        labels = load_labels(ROOT / f"manuscript/labels/{lang}.yaml")
        shared, alone = tmp_path / f"shared.{lang}.pdf", tmp_path / f"alone.{lang}.pdf"
        figures.save_figure(
            figures.draw_online_labour_index(tables["figure1"], labels, lang), {"pdf": str(shared)}, 300, 1735689600
        )
        with monkeypatch.context() as patch:
            patch.setattr(font_subsets, "shared", contextlib.nullcontext)  # matplotlib subsets every font itself
            figures.save_figure(
                figures.draw_online_labour_index(tables["figure1"], labels, lang), {"pdf": str(alone)}, 300, 1735689600
            )
        assert shared.read_bytes() == alone.read_bytes(), lang
        embedded += shared.read_bytes().count(b"/FontFile2")
    assert 0 < font_subsets.made() - before < embedded
    # Drawn again by a new process, as a figure's job redraws it after a data edit: no subset is made.
    made = subprocess.run([sys.executable, "-c", DRAW_FIGURE1_PDFS, str(tmp_path), *LANGS], cwd=built_copy,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "workflow")}, capture_output=True, text=True)  # fmt: skip
    assert made.stdout.strip() == "0", made.stderr[-3000:]
    for lang in LANGS:
        assert (tmp_path / f"again.{lang}.pdf").read_bytes() == (tmp_path / f"alone.{lang}.pdf").read_bytes(), lang


# Draws Figure 1's PDF in each language (argv: the folder, the languages) into again.LANG.pdf, in a project; prints
# how many font subsets it made.
DRAW_FIGURE1_PDFS = """
import sys
import pandas as pd
from gigpaper import figures, font_subsets, paths
from gigpaper.files import load_labels
table = pd.read_csv(paths.processed("online_labour_index"))
for lang in sys.argv[2:]:
    drawn = figures.draw_online_labour_index(table, load_labels(paths.labels_file(lang)), lang)
    figures.save_figure(drawn, {"pdf": f"{sys.argv[1]}/again.{lang}.pdf"}, 300, 1735689600)
print(font_subsets.made())
"""


# Draws Figures 1 and 2 in one language into a folder, as their jobs do (argv: the folder, the language).
DRAW_BOTH = """
import sys
from pathlib import Path
from gigpaper import catalogue, figures, paths
from gigpaper.files import load_labels
folder, lang = Path(sys.argv[1]), sys.argv[2]
labels = load_labels(paths.labels_file(lang))
for name, figure in catalogue.FIGURES.items():
    files = [str(folder / f"{name}.{lang}.{ext}") for ext in catalogue.FIGURE_FORMATS]
    figures.plot_figure(str(paths.processed(figure.source)), name, {lang: catalogue.figure_labels(name, labels)},
                        300, 1735689600, files)
"""


def test_a_users_own_matplotlib_settings_reach_no_figure(built_copy, tmp_path):
    """matplotlib reads a matplotlibrc from the working folder, $MATPLOTLIBRC and the user's ~/.config/matplotlib
    as it is imported: settings of one's own there (line widths, colours, a hash salt) made other figures on that
    machine. Drawn with such files in place, every figure file is the build's, byte for byte."""
    own = "lines.linewidth: 4\naxes.edgecolor: red\nsavefig.facecolor: yellow\nsvg.hashsalt: mine\nfont.size: 14\n"
    home, drawn = tmp_path / "home", tmp_path / "drawn"
    (home / ".config/matplotlib").mkdir(parents=True)
    (home / ".config/matplotlib/matplotlibrc").write_text(own, encoding="utf-8")
    drawn.mkdir()
    (built_copy / "matplotlibrc").write_text(own, encoding="utf-8")  # in the folder the build runs in
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT / "workflow")}
    env.pop("MPLCONFIGDIR", None)
    env.pop("MATPLOTLIBRC", None)
    subprocess.run(
        [sys.executable, "-c", DRAW_BOTH, str(drawn), "kk"], cwd=built_copy, env=env, check=True, timeout=300
    )
    for path in sorted(drawn.iterdir()):
        assert path.read_bytes() == (built_copy / "figures" / path.name).read_bytes(), path.name
    assert len(list(drawn.iterdir())) == 6


def test_the_build_writes_all_18_figure_files(built):
    files = sorted(p.name for p in (built / "figures").iterdir() if not p.name.startswith("."))  # .gitkeep, records
    assert files == sorted(f"figure{i}.{lang}.{ext}" for i in (1, 2) for lang in LANGS for ext in ("svg", "png", "pdf"))
    for path in (built / "figures").glob("*.svg"):
        text = path.read_text()
        assert "<dc:date>" not in text and "Matplotlib v" not in text


def test_a_second_build_has_nothing_to_do(built):
    result = snakemake(built, "--dry-run")
    assert "Nothing to be done" in result.stdout + result.stderr


def test_a_draw_function_that_stops_is_named_by_its_catalogue_key(figures, tmp_path, monkeypatch):
    """It was the function's traceback in the plot_figure step (the catalogue naming another figure's function:
    a KeyError for a column the table lacks)."""

    def draw(data, labels, lang):
        return data["occupation"]

    monkeypatch.setattr(figures, "dotted_function", lambda dotted: draw)
    table = tmp_path / "online_labour_index.csv"
    table.write_text("country,year_start\nKAZ,2020\n", encoding="utf-8")
    with pytest.raises(BuildError) as stopped:
        figures.plot_figure(str(table), "figure1", {"en": {}}, 72, 0, [str(tmp_path / "figure1.en.svg")])
    assert str(stopped.value) == (
        f"workflow/catalogue.yaml, key 'figures.figure1.draw': gigpaper.figures.draw_online_labour_index stopped with "
        f"KeyError: 'occupation', drawing {table} in en; expected a function that draws that table, with the labels "
        "of that language, and returns a matplotlib Figure."
    )
    assert not (tmp_path / "figure1.en.svg").exists()
