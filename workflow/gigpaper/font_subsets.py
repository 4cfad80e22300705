"""Each font subset a figure PDF embeds, made once for the same font file and glyphs.

matplotlib's PDF backend subsets every font it embeds with fontTools (about 0.15 CPU-s each, most of
a figure PDF's time), once per PDF, through `_backend_pdf_ps.get_glyphs_subset`. A figure job draws
every language: the bold value labels of Figure 1 use the same glyphs in all three, so the same subset
was made three times. fontTools' subset of a font file for a set of glyphs is the same bytes each time,
so it is kept and read back: the PDFs are byte for byte those matplotlib writes without it. It is kept
on disk too (gigpaper.memo, keyed on the font's bytes and the libraries' versions): a figure redrawn
after a data edit, in a new process, takes the subsets of its last drawing.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import Any

from fontTools.ttLib import TTFont
from matplotlib.backends import _backend_pdf_ps

from gigpaper import memo

_made = 0  # subsets this process made, not recalled (what a test counts)
_make_subset = _backend_pdf_ps.get_glyphs_subset


@functools.cache
def _font_digest(path: str) -> str:
    """The font file's bytes, as a memo key's part: read once per process, not once per subset asked for."""
    with open(path, "rb") as font:
        return memo.key(font.read())


def _subset(fontfile: Any, glyphs: Iterable[int]) -> contextlib.AbstractContextManager[Any]:
    glyphs = sorted(set(glyphs))

    def make() -> tuple[bytes, dict[int, int]]:  # the subset font's bytes, original -> subset glyph index
        global _made
        _made += 1
        with _make_subset(fontfile, set(glyphs)) as made:
            return _backend_pdf_ps.font_as_file(made.font).getvalue(), dict(made.glyph_index_map)

    parts = [_font_digest(str(fontfile)), str(getattr(fontfile, "face_index", 0)), ",".join(map(str, glyphs))]
    data, glyph_index_map = memo.remembered("font-subset", parts, make, on_disk=True)
    return _backend_pdf_ps.SubsetResults(TTFont(BytesIO(data), recalcTimestamp=False), dict(glyph_index_map))._as_cm()


@contextlib.contextmanager
def shared() -> Iterator[None]:
    """Within the block, matplotlib's PDF backend takes a subset made before for the same font and glyphs."""
    _backend_pdf_ps.get_glyphs_subset = _subset
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = _make_subset


def made() -> int:
    """How many subsets this process has made, not recalled (what a test counts)."""
    return _made
