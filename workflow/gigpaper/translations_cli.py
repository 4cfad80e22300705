"""`./paper translations`: list the stale translations with the kk change as a word diff; accept them;
export and import translators' PO files.

  ./paper translations                    each stale ru/en unit, the kk change beside it
  ./paper translations --accept FILE:LINE the translation at FILE:LINE (or all of a kk FILE:LINE) is up to date
  ./paper translations --accept all       every translation is up to date
  ./paper translations --export           manuscript/build/translations/<lang>.po, one per language
  ./paper translations --import FILE      write a translated PO file back; its non-fuzzy entries are up to date
"""

from __future__ import annotations

import argparse
import sys

from gigpaper.errors import BuildError
from gigpaper.files import load_yaml
from gigpaper.paths import CONFIG
from gigpaper.translations import (
    MOVED,
    NO_RECORD,
    RECORD,
    accept,
    load_record,
    moved_from,
    recorded_source,
    stale_units,
    translation_units,
    unpaired_paragraphs,
    write_record,
)
from gigpaper.worddiff import terminal


def show(record: dict, units: list, languages: list[str]) -> int:
    stale = stale_units(record, units)
    for unit in stale:
        old = recorded_source(record, unit)
        print(f"{unit.where} translates {unit.source_path}:{unit.source_line}")
        if before := moved_from(record, unit):
            print(f"  kk moved: {MOVED.format(before).removeprefix('moved here since ')}; its translation goes here")
        elif old is None:
            print(f"  kk: ({NO_RECORD})")
            print(f"      {unit.source}")
        else:
            print(f"  kk change: {terminal(old, unit.source)}")
        print(f"  {unit.lang}: {unit.text}\n")
    if stale:
        print(f"{len(stale)} of {len(units)} translations are stale. When one is updated: "
              "./paper translations --accept FILE:LINE (or --accept all).")  # fmt: skip
    unpaired = unpaired_paragraphs(languages, load_record(RECORD))
    if not stale and not unpaired:
        print(f"All {len(units)} translations follow their kk source.")
    elif not stale:  # not "All ...": the lines below say that some paragraphs have no counterpart
        print(f"The {len(units)} paired translations follow their kk source; these paragraphs pair with none:")
    for line in unpaired:
        print(line)
    return len(stale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="./paper translations", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--accept", metavar="FILE:LINE|all")
    action.add_argument("--export", action="store_true")
    action.add_argument("--import", dest="import_file", metavar="FILE")
    args = parser.parse_args(argv)
    languages = load_yaml(CONFIG)["languages"]
    try:
        record = load_record(RECORD)
        units = translation_units(languages, record)
        if args.accept:
            chosen = accept(record, units, args.accept)
            write_record(record, RECORD)
            print("\n".join(f"up to date: {u.where} (translates {u.source_path}:{u.source_line})" for u in chosen))
            print(f"{RECORD}: {len(chosen)} translation(s) recorded as up to date.")
        elif args.export:
            from gigpaper.translation_po import export_po

            for lang in dict.fromkeys(u.lang for u in units):
                path, count, fuzzy, new = export_po(record, units, lang)
                print(
                    f"{path}: {count} entries, {fuzzy} fuzzy (stale)" + (f", {new} new (to translate)" if new else "")
                )
        elif args.import_file:
            from gigpaper.translation_po import import_po

            written, recorded = import_po(record, units, args.import_file)
            write_record(record, RECORD)
            print(
                f"{args.import_file}: {len(written)} translation(s) written back, {len(recorded)} recorded as up to date."
            )
            print("\n".join(f"  written: {u.where}" for u in written))
        else:
            show(record, units, languages)
    except BuildError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
