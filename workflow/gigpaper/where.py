"""`where`: the claims-ledger rows of a number in any form an edition prints it, or of an id.

Run as a module (./paper where does):
    python -m gigpaper.where 40%
    python -m gigpaper.where "500 thousand"
    python -m gigpaper.where oli_usa_2020_2024.low
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from gigpaper.catalogue import LANGUAGES, PUBLISHED_LANG, REVIEW_LANG, number_words
from gigpaper.paths import LEDGER

SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
THOUSAND_WORDS = re.compile(r"\s*(thousands?|мың\w*|тысяч\w*|тыс\.?)\s*$", re.IGNORECASE)
QUALIFIERS = {
    "lower_bound": re.compile(r"^(>|≥|over|more than|above|более|свыше|больше|выше|астам)\s*", re.IGNORECASE),
    "upper_bound": re.compile(r"^(<|≤|below|under|less than|менее|меньше|ниже|аз)\s*", re.IGNORECASE),
    "approximate": re.compile(r"^(≈|~|about|around|approximately|около|примерно|шамамен)\s*", re.IGNORECASE),
}
# Number words of every language (the catalogue's; stems cover Russian cases: шесть, шести).
WORDS = {
    value: "|".join(f"(?:{words[value]})" for words in map(number_words, LANGUAGES) if value in words)
    for value in sorted({value for lang in LANGUAGES for value in number_words(lang)})
}


def _word_number(text: str) -> float | None:
    text = text.strip().lower()
    return next((float(n) for n, pattern in WORDS.items() if re.fullmatch(pattern, text)), None)


# A Kazakh case ending after a number, as the published text writes it: 5-тен, 52% -ын, 68% — ға.
KAZAKH_ENDING = re.compile(
    r"(?<=\d)\s*[-–—]?\s*(ға|ге|қа|ке|на|не|нан|нен|дан|ден|тан|тен|ды|ді|ты|ті|ын|ін|ның|нің|дың|дің|ы|і)$"
)
RANGE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:[-–—]|to|до)\s*(\d+(?:[.,]\d+)?)$")
# A number as the author's text names it, `{{ n.oli_kaz_2024 }}` or `n.oli_usa_2020_2024.low`: its registry id.
TEXT_REFERENCE = re.compile(r"^(?:\{\{\s*)?n\.([\w.]+?)(?:\s*\}\})?$")


def _number(text: str) -> float | None:
    """'500 000', '500,000', '500 000' -> 500000; '2,5' -> 2.5; anything else -> None."""
    text = SPACES.sub(" ", text.strip())
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+", text):
        return float(re.sub(r"[ ,]", "", text))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    return None


def parse_query(query: str) -> dict[str, Any] | None:
    """A printed number in any edition's form: its values, whether a range, percent, and its qualifier."""
    text = SPACES.sub(" ", query).strip()
    qualifier = None
    for kind, pattern in QUALIFIERS.items():
        if pattern.search(text):
            qualifier, text = kind, pattern.sub("", text)
    scale = 1000 if THOUSAND_WORDS.search(text) else 1
    text = THOUSAND_WORDS.sub("", text)
    percent = "%" in text
    text = text.replace("%", "").strip()
    suffixed = bool(KAZAKH_ENDING.search(text))
    text = KAZAKH_ENDING.sub("", text)
    found = RANGE.match(text)
    if found and _number(found.group(1)) is not None and _number(found.group(2)) is not None:
        return {"values": (_number(found.group(1)), _number(found.group(2))), "range": True, "percent": percent,
                "qualifier": qualifier, "suffixed": suffixed, "word": False}  # fmt: skip
    word = _number(text) is None
    value = _word_number(text) if word else _number(text)
    if value is None:
        return None
    return {"values": (value * scale,), "range": False, "percent": percent, "qualifier": qualifier,
            "suffixed": suffixed, "word": word}  # fmt: skip


def _row_numbers(row: dict[str, str]) -> tuple[set[tuple[float, ...]], set[float]]:
    """(whole values the row prints, every number in it) from its printed values."""
    whole, parts = set(), set()
    scale = 1000 if row["claim"].split("@")[0].endswith(".thousands") else 1
    values = [row[f"value_{lang}"] for lang in LANGUAGES]
    if row["category"] == "metadata" and not any(values):  # printed in the published text only
        values = [row["statement"]]
    for value in values:
        printed = SPACES.sub(" ", value).strip()
        if _word_number(printed) is not None:
            whole.add((_word_number(printed),))
            parts.add(_word_number(printed))
            continue
        bare = re.sub(r"^[<>≈~≤≥]\s*", "", printed).replace("%", "").strip()
        found = RANGE.match(bare)
        if found:
            pair = (_number(found.group(1)), _number(found.group(2)))
            if None not in pair:
                whole.add(pair)
                parts.update(pair)
        elif _number(bare) is not None:
            whole |= {(_number(bare),), (_number(bare) * scale,)}  # as printed, and what it stands for
            parts.update({_number(bare), _number(bare) * scale})
        for run in re.findall(r"\d{1,3}(?:[ ,]\d{3})+(?!\d)|\d+(?:[.,]\d+)?", printed):
            if _number(run) is not None:
                parts.add(_number(run))
    return whole, parts


def where(query: str, ledger: str | Path = LEDGER) -> pd.DataFrame:
    """Ledger rows of a registry id (with a part: `oli_usa_2020_2024.low`; or as the text names it, `{{ n.x }}`),
    a claim id, or a number as any edition prints it ('40%', '>30', '20-30%', '500 000', '500 thousand', '≈5').
    Exact matches first, then partial ones (a range end, a citation's year or page), labelled in the column `match`."""
    query = query.strip()
    if not query:
        raise ValueError("Give a number as printed (40%, 500 000, 20–30%) or an id (women_share_platform_workers).")
    query = TEXT_REFERENCE.sub(r"\1", query)
    frame = pd.read_csv(ledger, dtype=str, keep_default_na=False)
    ids = frame["registry_id"].str.split()
    base, _, part = query.removeprefix("claim:").partition(".")
    mentions = ids.apply(lambda found: base in found)
    if mentions.any():  # its rows (of that part, if given), then the article's claims about it
        own = frame[mentions & (frame["category"] == "data")]
        if part:
            own = own[own["claim"].str.startswith(f"{base}.{part}@")]
        claims = frame[mentions & (frame["category"] == "claim")]
        return pd.concat([own.assign(match="id"), claims.assign(match="claim about it")])
    claim_id = query.removeprefix("claim:")
    if (frame["claim"] == f"claim:{claim_id}").any():
        named = frame[frame["claim"] == f"claim:{claim_id}"]
        involved = frame[(frame["category"] != "claim") & frame["findings"].str.contains(rf"\b{re.escape(claim_id)}\b")]
        return pd.concat([named.assign(match="claim"), involved.assign(match="involved in the claim")])
    by_name = frame[frame["claim"].str.lower() == query.lower()]
    if not by_name.empty:
        return by_name.assign(match="id")
    printed_as = _printed_as(frame, query)
    parsed = parse_query(query)
    if parsed is None:  # not a number: a citation key, a form such as 'топ-5', or a word of the text
        cited = frame[frame["citation_key"].str.lower() == query.lower()]
        if not cited.empty:
            own = cited["category"].isin(["reference", "citation"])
            return pd.concat([cited[own].assign(match="citation key"), cited[~own].assign(match="cites it")])
        if printed_as.any() and re.search(r"\d", query):  # a printed form such as 'топ-5'
            return frame[printed_as].assign(match="exact")
        return frame[_mentions(frame, query)].assign(match="text")
    exact, partial = [], []
    for index, row in frame.iterrows():
        whole, parts = _row_numbers(row)
        same = tuple(parsed["values"]) in whole
        if same and parsed["percent"] and row["unit"] not in ("percent", "") and "%" not in row[f"value_{REVIEW_LANG}"]:
            same = False
        if same and parsed["qualifier"] and row["kind"] != parsed["qualifier"]:  # '<5' is not '≈5
            same = False
        if parsed["word"] and not any(_word_number(row[f"value_{lang}"]) for lang in LANGUAGES):
            continue  # 'алты' is the number printed as a word, not the section numbered 6
        if same:
            exact.append(index)
        elif set(parsed["values"]) <= parts:
            partial.append(index)
    literal = list(frame.index[printed_as])
    # The published text's own spelling ('5-тен', '52% -ын') names the passages that print it; so does a
    # span ('2020-2024') that no row prints as one value. Other rows of the same number are partial matches.
    if literal and (parsed["suffixed"] or not exact):
        partial = [i for i in exact + partial if i not in literal]
        exact = literal
    return pd.concat([frame.loc[exact].assign(match="exact"), frame.loc[partial].assign(match="partial")])


def _normal(text: pd.Series | str):
    if isinstance(text, str):
        return SPACES.sub(" ", text).strip().lower()
    return text.str.replace(SPACES, " ", regex=True).str.lower()


def _printed_as(frame: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose published statement prints `query` as written (spaces aside) and, if it is a number, not
    as part of a longer number."""
    form = re.escape(_normal(query))
    pattern = rf"(?<![\w.,]){form}(?![\d])" if re.search(r"\d", query) else form
    return _normal(frame["statement"]).str.contains(pattern, regex=True)


def _mentions(frame: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose statement, sentences or findings contain the word or phrase `query` (a hyphen read as a
    space: 'top-5' finds the English edition's 'top 5')."""
    columns = ["statement", *(f"sentence_{lang}" for lang in LANGUAGES), "findings", "claim"]
    found = pd.Series(False, index=frame.index)
    for column in columns:
        text = _normal(frame[column]).str.replace("-", " ")
        found |= text.str.contains(re.escape(_normal(query).replace("-", " ")), regex=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="./paper where", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("query", nargs="+", help="a number as printed (40%%, 500 000, 20–30%%), a registry or claim id")
    parser.add_argument("--ledger", default=str(LEDGER))
    args = parser.parse_args()
    query = " ".join(args.query)
    if not Path(args.ledger).exists():
        sys.exit(f"{args.ledger} does not exist yet: run ./paper build first.")
    try:
        rows = where(query, args.ledger)
    except ValueError as error:
        sys.exit(str(error))
    if rows.empty:
        sys.exit(f"No number printed as '{query}' and no registry or claim id '{query}' in {args.ledger}.")
    print(describe(rows, query), end="")


# Fields of a number that are the same wherever it is printed; shown once, then its places.
NUMBER_FIELDS = (
    "registry_id", "kind", "unit", "provenance", "findings", "source_check", "formula", "citation_key", "cited_locator",
    "source_status", "raw_file", "raw_row", "raw_column", "source_line", "source_lines", "statement", f"sentence_{PUBLISHED_LANG}",
)  # fmt: skip


def describe(rows: pd.DataFrame, query: str) -> str:
    """`where`'s answer as text: per match kind, each number once with every place it is printed, then other rows."""
    out = []
    for match, group in rows.groupby("match", sort=False):
        numbers = group[group["category"] == "data"]
        others = group[group["category"] != "data"]
        count = numbers["registry_id"].nunique() + len(others)
        out.append(f"== {match} match{'es' if count != 1 else ''} for '{query}': {count} ==\n")
        for _, places in numbers.groupby("registry_id", sort=False):
            first = places.iloc[0]
            out += [f"{key:>15}: {first[key]}" for key in NUMBER_FIELDS if first[key]]
            out.append(f"{'printed':>15}: place: {' | '.join(LANGUAGES)}")
            for _, p in places.iterrows():
                part = p["claim"].split("@")[0].partition(".")[2]  # low, high or thousands
                label = f"{p['place']} ({part})" if part else p["place"]
                out.append(f"{'':>15}  {label}: {' | '.join(str(p[f'value_{lang}']) for lang in LANGUAGES)}")
            out.append("")
        for _, row in others.iterrows():
            out += [f"{key:>15}: {value}" for key, value in row.items() if value and key != "match"]
            out.append("")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
