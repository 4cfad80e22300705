"""Read the Online Labour Index (OLI) worker data: worker supply by country and occupation, and gender.

Two formats of the worker-supply data are read, told apart by their header:
- the yearly file shipped in data/raw/ (resource oli_worker_supply of data/raw/datapackage.yaml, whose
  schema gives its columns: ISO 3166-1 alpha-3 codes, annual means of the daily counts);
- the official daily file of the figshare deposit doi:10.6084/m9.figshare.3761562
  (`timestamp,country,occupation,num_workers`, English country names, about 1.4 million rows),
  which a user downloads and names in config/config.yaml (`oli_worker_supply`).
Both become one table of annual means per country (ISO code), occupation and year. The producers
state that the counts support relative shares, not levels, so `shares` divides by the world total.

Reading is vectorised (pandas): the first bad row stops with one message naming file, row
(line of the file, the header being row 1), column, what was found and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper import atomic
from gigpaper.datapackage import load_descriptor, resource
from gigpaper.errors import SourceDataError, header_error

_DATA_PACKAGE = load_descriptor()  # data/raw/datapackage.yaml


def _fields(name: str) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in resource(_DATA_PACKAGE, name)["schema"]["fields"]}


def _enum(name: str, field: str) -> list[str]:
    return _fields(name)[field]["constraints"]["enum"]


# The columns of the two files the data package holds; the deposit's daily file it does not hold.
ANNUAL_COLUMNS = list(_fields("oli_worker_supply"))
GENDER_COLUMNS = list(_fields("oli_worker_gender"))
AREA_CODE = _fields("oli_worker_supply")["area"]["constraints"]["pattern"]
DAILY_COLUMNS = ["timestamp", "country", "occupation", "num_workers"]
# The six OLI occupations: the id the article's registry uses (gender_by_occupation), the name in the
# worker-supply files and the name in the OLI 2020 gender estimates, paired by their order in the data package.
*_GENDER_FILE_OCCUPATIONS, ALL_OCCUPATIONS = _enum("oli_worker_gender", "Occupation")
_NAMES = zip(_enum("oli_worker_supply", "occupation"), _GENDER_FILE_OCCUPATIONS, strict=True)
OCCUPATIONS = dict(zip(_enum("gender_by_occupation", "occupation"), _NAMES, strict=True))
SUPPLY_NAMES = {names[0]: key for key, names in OCCUPATIONS.items()}
GENDER_NAMES = {names[1]: key for key, names in OCCUPATIONS.items()}
GENDERS = {**dict(zip(_enum("oli_worker_gender", "gender"), _enum("gender_by_occupation", "gender"), strict=True)),
           "": "unknown"}  # fmt: skip


def _fail(path: str, frame: pd.DataFrame, bad: pd.Series, column: str, expected: str) -> None:
    """Raise for the first row where `bad` holds; `frame` keeps the file's row numbers in `_row`."""
    if bad.any():
        first = bad.idxmax()
        raise SourceDataError(path, int(frame.at[first, "_row"]), column, frame.at[first, column], expected)


def _read_table(path: str, columns: list[str], dtype: Any = str) -> pd.DataFrame:
    """The file's cells (text unless `dtype` says otherwise); a row with too many cells is an error.

    A row with too few cells leaves its last cells empty, which their column's check then reports.
    """
    try:
        frame = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_filter=False, engine="c")
    except pd.errors.ParserError as error:
        # pandas numbers lines from 1 with the header as line 1, as these messages do.
        match = re.search(r"line (\d+)", str(error))
        row = int(match.group(1)) if match else 0
        raise SourceDataError(path, row, "(row)", str(error).strip(), f"{len(columns)} cells") from None
    if list(frame.columns) != columns:
        raise header_error(path, ",".join(frame.columns), [",".join(columns)])
    frame["_row"] = range(2, len(frame) + 2)
    return frame


NUMBER_EXPECTED = "a finite number of at least 0, written with a decimal point"


def _numbers(path: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """A column of finite numbers of at least zero (a weighted count of profiles)."""
    text = frame[column]
    values = text if text.dtype.kind == "f" else pd.to_numeric(text.where(text == text.str.strip()), errors="coerce")
    _fail(path, frame, ~values.between(0, float("inf"), inclusive="left"), column, NUMBER_EXPECTED)
    return values.astype(float)


def country_codes(path: str, frame: pd.DataFrame, column: str) -> dict[str, str]:
    """ISO 3166-1 alpha-3 code of each English country name of `column`, by country_converter's regexes.

    Each distinct name is checked and converted once, however many rows carry it.
    """
    names = frame[column]
    unique = sorted(str(name) for name in pd.unique(names))
    spaced = [name for name in unique if name != name.strip() or not name]
    _fail(path, frame, names.isin(spaced), column, "a country name, without leading or trailing spaces")
    # An empty not_found would hand back the name itself; "?" is never a code.
    converted = _converter().convert(unique, to="ISO3", not_found="?")
    # country_converter returns a bare string, not a list, for a single name.
    codes = dict(zip(unique, [converted] if isinstance(converted, str) else converted, strict=True))
    unknown = [name for name, code in codes.items() if code == "?"]
    _fail(path, frame, names.isin(unknown), column, "an English country name that country_converter knows")
    return codes


def iso3_codes(path: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """The ISO 3166-1 alpha-3 code of each row's country name."""
    return frame[column].map(country_codes(path, frame, column)).astype(str)


_CONVERTER = None


def _converter():
    """country_converter's converter, built once.

    country_converter 1.3.2 reads its country table with pandas' default missing-value strings, so
    under pandas 3 Namibia's ISO2 code "NA" becomes missing and the converter cannot be built; the
    same table, read with "NA" kept as text, is handed to it instead.
    """
    global _CONVERTER
    if _CONVERTER is None:
        import logging

        import country_converter as coco

        logging.getLogger("country_converter").setLevel(logging.ERROR)  # unknown names are our error, not its log
        table = pd.read_csv(
            coco.country_converter.COUNTRY_DATA_FILE, sep="\t", encoding="utf-8", dtype=str,
            keep_default_na=False, na_values=[""],
        )  # fmt: skip
        _CONVERTER = coco.CountryConverter(country_data=table)
    return _CONVERTER


def _check_occupations(path: str, frame: pd.DataFrame, names: dict[str, str], column: str = "occupation") -> None:
    _fail(path, frame, ~frame[column].isin(names), column, "one of the OLI occupations: " + "; ".join(names))


def _occupations(path: str, frame: pd.DataFrame, names: dict[str, str], column: str = "occupation") -> pd.Series:
    """The occupation id of each row."""
    _check_occupations(path, frame, names, column)
    return frame[column].map(names).astype(str)


def read_annual(path: str) -> pd.DataFrame:
    """The yearly file: one row per area, occupation and year."""
    frame = _read_table(path, ANNUAL_COLUMNS)
    _fail(path, frame, ~frame["area"].str.fullmatch(AREA_CODE), "area", "an ISO 3166-1 alpha-3 code")
    occupation = _occupations(path, frame, SUPPLY_NAMES)
    _fail(path, frame, ~frame["year"].str.fullmatch(r"\d{4}"), "year", "a year of four digits")
    workers = _numbers(path, frame, "workers")
    table = pd.DataFrame(
        {"country": frame["area"], "occupation": occupation, "year": frame["year"].astype(int), "workers": workers,
         "n_rows": 1, "first_row": frame["_row"], "last_row": frame["_row"]}
    )  # fmt: skip
    duplicated = table.duplicated(["country", "occupation", "year"])
    _fail(path, frame, duplicated, "area", "one row per area, occupation and year (this key came before)")
    table.attrs["format"] = "yearly"
    return table.reset_index(drop=True)


def read_daily(path: str) -> pd.DataFrame:
    """The official daily file, aggregated to annual means per country, occupation and year.

    The annual mean divides the year's sum by the number of days of that year present in the file:
    a day without a row for a country and occupation counts as zero workers sampled. Shares of the
    world total are therefore shares of the year's sums, whatever the divisor.
    """
    # Dates, names and occupations repeat: read as categories, each distinct value is checked once.
    typed = {"timestamp": "category", "country": "category", "occupation": "category", "num_workers": float}
    try:
        frame = _read_table(path, DAILY_COLUMNS, typed)
    except ValueError:  # a cell that is not a number: read as text to name its row
        _numbers(path, _read_table(path, DAILY_COLUMNS), "num_workers")
        raise
    stamps = frame["timestamp"].cat.categories
    parsed = pd.Series(pd.to_datetime(stamps, format="ISO8601", errors="coerce"), index=stamps)
    _fail(path, frame, frame["timestamp"].isin(parsed.index[parsed.isna()]), "timestamp", "a date written YYYY-MM-DD")
    dates = pd.Series(parsed.to_numpy()[frame["timestamp"].cat.codes.to_numpy()], index=frame.index).dt.normalize()
    codes = country_codes(path, frame, "country")
    _check_occupations(path, frame, SUPPLY_NAMES)
    workers = _numbers(path, frame, "num_workers")
    # Grouped by the file's own names (categories, fast), mapped to codes and ids once grouped.
    days = pd.DataFrame(
        {"date": dates, "country": frame["country"], "occupation": frame["occupation"], "workers": workers,
         "row": frame["_row"]}
    )  # fmt: skip
    duplicated = days.duplicated(["date", "country", "occupation"])
    _fail(path, frame, duplicated, "timestamp", "one row per date, country and occupation (this key came before)")
    days["year"] = dates.dt.year.astype(int)
    days_in_year = days.groupby("year")["date"].nunique()
    totals = {
        "workers": ("workers", "sum"),
        "n_rows": ("row", "size"),
        "first_row": ("row", "min"),
        "last_row": ("row", "max"),
    }
    by_name = days.groupby(["country", "occupation", "year"], observed=True).agg(**totals).reset_index()
    by_name["country"] = by_name["country"].astype(str).map(codes)
    by_name["occupation"] = by_name["occupation"].astype(str).map(SUPPLY_NAMES)
    # Two names of one country (an old and a new name) add up to one code.
    annual = (
        by_name.groupby(["country", "occupation", "year"], sort=True)
        .agg(workers=("workers", "sum"), n_rows=("n_rows", "sum"), first_row=("first_row", "min"),
             last_row=("last_row", "max"))
        .reset_index()
    )  # fmt: skip
    annual["workers"] = annual["workers"] / annual["year"].map(days_in_year)
    annual.attrs["format"] = "daily"
    return annual


READERS = {",".join(ANNUAL_COLUMNS): read_annual, ",".join(DAILY_COLUMNS): read_daily}


def read_worker_supply(path: str | Path) -> pd.DataFrame:
    """Either format, told apart by its header: annual means per country, occupation and year."""
    path = str(path)
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\r\n")
    if header not in READERS:
        raise header_error(path, header, list(READERS))
    return READERS[header](path)


def shares(supply: pd.DataFrame) -> pd.DataFrame:
    """Each country's share of the world's online workers per year, in percent, with its rows.

    Columns: country, year, workers (sum over occupations), world (sum over every country), share_pct,
    rank (1 = most workers), countries (how many that year), occupations (how many the country has
    rows for), n_rows, first_row, last_row, occupation_share_min/max (the country's share of the
    world's workers within one occupation, lowest and highest over its occupations).
    """
    by_country = (
        supply.groupby(["country", "year"], sort=True)
        .agg(workers=("workers", "sum"), occupations=("occupation", "nunique"), n_rows=("n_rows", "sum"),
             first_row=("first_row", "min"), last_row=("last_row", "max"))
        .reset_index()
    )  # fmt: skip
    by_country["world"] = by_country.groupby("year")["workers"].transform("sum")
    by_country["share_pct"] = by_country["workers"] / by_country["world"] * 100
    by_country["rank"] = by_country.groupby("year")["workers"].rank(ascending=False, method="min").astype(int)
    by_country["countries"] = by_country.groupby("year")["country"].transform("size")
    within = supply.assign(
        share=supply["workers"] / supply.groupby(["year", "occupation"])["workers"].transform("sum") * 100
    )
    spread = within.groupby(["country", "year"])["share"].agg(occupation_share_min="min", occupation_share_max="max")
    return by_country.merge(spread.reset_index(), on=["country", "year"], how="left")


def compute_oli_worker_shares(worker_supply: str, table: str) -> None:
    """Write each country's share of the world's online workers per year (the source check's chart draws it)."""
    atomic.write_csv(table, shares(read_worker_supply(worker_supply)).drop(columns=["first_row", "last_row"]))


def read_gender(path: str | Path) -> pd.DataFrame:
    """OLI 2020 gender estimates: profiles per country (ISO code), occupation id and gender.

    Gender is 'women', 'men' or 'unknown' (no gender could be inferred from the given name);
    occupation 'all' is the file's ALL OCCUPATIONS row.
    """
    path = str(path)
    frame = _read_table(path, GENDER_COLUMNS)
    country = iso3_codes(path, frame, "country")
    names = {**GENDER_NAMES, ALL_OCCUPATIONS: "all"}
    occupation = _occupations(path, frame, names, "Occupation")
    _fail(path, frame, ~frame["gender"].isin(GENDERS), "gender", "female, male or nothing (gender unknown)")
    _fail(path, frame, ~frame["count"].str.fullmatch(r"\d+"), "count", "a whole number of profiles")
    table = pd.DataFrame(
        {"country": country, "country_name": frame["country"], "occupation": occupation,
         "gender": frame["gender"].map(GENDERS), "profiles": frame["count"].astype(int), "row": frame["_row"]}
    )  # fmt: skip
    duplicated = table.duplicated(["country", "occupation", "gender"])
    _fail(path, frame, duplicated, "gender", "one row per country, occupation and gender (this key came before)")
    return table
