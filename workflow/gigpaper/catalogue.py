"""What each figure and table of the article is: its number, the data source it shows, its columns.

One place for these facts; the rules, the manuscript, the ledger and the reviewer page read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("kk", "ru", "en")
PUBLISHED_LANG = "kk"
# The journal printed the abstracts in this order, before the Kazakh body.
PUBLISHED_ABSTRACT_ORDER = ("en", "kk", "ru")
FIGURE_FORMATS = ("svg", "png", "pdf")
EDITION_FORMATS = ("html", "pdf", "docx", "xml")  # xml: JATS


@dataclass(frozen=True)
class Figure:
    name: str
    number: int
    source: str  # a resource of data/raw/datapackage.yaml
    rule: str  # the rule that draws it


@dataclass(frozen=True)
class Table:
    name: str
    number: int
    source: str
    # Column ids, and their share of the text width (Pandoc reads widths from the dashes).
    columns: dict[str, int] = field(default_factory=dict)


FIGURES = {
    "figure1": Figure("figure1", 1, "online_labour_index", "plot_online_labour_index"),
    "figure2": Figure("figure2", 2, "gender_by_occupation", "plot_gender_by_occupation"),
}
TABLES = {
    "table1": Table("table1", 1, "table1_platform_employment", {"aspect": 18, "before": 41, "after": 41}),
    "table2": Table("table2", 2, "table2_platforms", {"name": 26, "country_of_origin": 18, "service": 56}),
}


def numbering() -> dict[str, int]:
    """`ref.figure1`, `ref.table2`: the number templates print for each figure and table."""
    return {name: item.number for name, item in {**FIGURES, **TABLES}.items()}
