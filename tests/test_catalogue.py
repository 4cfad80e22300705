"""The catalogue is the one place a language or a figure is added: no .py or .smk file changes.

Each test adds one to a copy of the project, as the README's recipe says, and builds it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml
from conftest import record_checksums, snakemake

# Kazakh in the Latin script (the 2021 alphabet), letter by letter: a pseudo-edition made from the kk files.
LATIN = dict(
    zip(
        "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
        ["a", "ä", "b", "v", "g", "ğ", "d", "e", "io", "j", "z", "i", "i", "k", "q", "l", "m", "n", "ñ", "o", "ö",
         "p", "r", "s", "t", "u", "ū", "ü", "f", "h", "h", "s", "ch", "ş", "şş", "", "y", "ı", "", "e", "iu", "ia"],
        strict=True,
    )
)  # fmt: skip
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
NEW = "kk-Latn"


def latin(text: str) -> str:
    def letter(char: str) -> str:
        lower = LATIN.get(char.lower(), char)
        return lower.capitalize() if char.isupper() else lower

    return "".join(letter(char) for char in text)


def project_files(project: Path) -> set[str]:
    return {str(p.relative_to(project)) for p in project.rglob("*") if p.suffix in (".py", ".smk")}


def code_digest(project: Path) -> str:
    digest = hashlib.sha256()
    for name in sorted(project_files(project)):
        digest.update(name.encode() + (project / name).read_bytes())
    return digest.hexdigest()


def with_new_language(value: Any) -> Any:
    """Every text given per language ({kk:, ru:, en:}) gains the new language's, transliterated from kk."""
    if isinstance(value, dict):
        value = {key: with_new_language(item) for key, item in value.items()}
        if {"kk", "ru", "en"} <= set(value):
            value[NEW] = with_new_language_text(value["kk"])
        return value
    if isinstance(value, list):
        return [with_new_language(item) for item in value]
    return value


def with_new_language_text(value: Any) -> Any:
    if isinstance(value, str):
        return latin(value)
    if isinstance(value, dict):
        return {key: with_new_language_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_new_language_text(item) for item in value]
    return value


def rewrite_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(change(data), allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def add_language(project: Path) -> None:
    """The README's recipe "add a language": its catalogue entry, then its own text in every place text is kept."""
    catalogue = project / "workflow/catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    kk = yaml.safe_load(text)["languages"]["kk"]
    entry = {"name": "Kazakh (Latin script)", "script": "Latn", "numbers": kk["numbers"],
             "number_words": {value: latin(word) for value, word in kk["number_words"].items()}}  # fmt: skip
    block = yaml.safe_dump({NEW: entry}, allow_unicode=True, sort_keys=False, default_flow_style=True, width=1000)
    catalogue.write_text(text.replace("\n  ru:\n", f"\n  {block.strip()[1:-1]}\n  ru:\n", 1), encoding="utf-8")
    # Its text: the sections, its abstract, its labels.
    (project / f"manuscript/text/{NEW}").mkdir()
    for path in sorted((project / "manuscript/text/kk").glob("*.md")):
        (project / f"manuscript/text/{NEW}" / path.name).write_text(latin(path.read_text("utf-8")), encoding="utf-8")
    abstracts = project / "manuscript/text/abstracts"
    (abstracts / f"{NEW}.md").write_text(latin((abstracts / "kk.md").read_text("utf-8")), encoding="utf-8")
    labels = project / "manuscript/labels"
    (labels / f"{NEW}.yaml").write_text(latin((labels / "kk.yaml").read_text("utf-8")), encoding="utf-8")
    # Its words in the files that hold every language's: names, metadata, bibliography, translated table cells.
    for name in ("manuscript/labels/languages.yaml", "manuscript/metadata.yaml", "manuscript/bibliography.yaml"):
        rewrite_yaml(project / name, with_new_language)
    descriptor = project / "data/raw/datapackage.yaml"
    package = descriptor.read_text(encoding="utf-8")
    for resource in yaml.safe_load(package)["resources"]:
        if "translations" in resource:
            source, target = project / "data/raw" / resource["path"], resource["path"].replace(".csv", f".{NEW}.csv")
            en = resource["translations"]["en"]["path"]
            with open(project / "data/raw" / en, encoding="utf-8", newline="") as handle:
                columns = next(csv.reader(handle))  # a translation holds the id and the translated columns
            with open(source, encoding="utf-8", newline="") as handle:
                rows = [[latin(row[column]) for column in columns] for row in csv.DictReader(handle)]
            with open(project / "data/raw" / target, "w", encoding="utf-8", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows([columns, *rows])
            line = re.search(rf"\n( +)en: \{{path: {re.escape(en)}, sha256: [0-9a-f]+\}}", package)
            package = package.replace(
                line.group(0), f"{line.group(0)}\n{line.group(1)}{NEW}: {{path: {target}, sha256: {'0' * 64}}}"
            )
    descriptor.write_text(package, encoding="utf-8")
    record_checksums(project)


def test_a_fourth_language_is_its_catalogue_entry_and_its_own_text(project):
    code = code_digest(project)
    add_language(project)
    assert code_digest(project) == code, "adding a language changed a .py or .smk file"
    snakemake(project, "--config", f"languages=[kk,ru,en,{NEW}]", f"editions=[kk,{NEW}]")

    build = project / "manuscript/build"
    for fmt in ("html", "pdf", "docx", "xml"):
        assert (build / f"paper.{NEW}.{fmt}").stat().st_size > 10_000, fmt
    body = (build / f"paper.{NEW}.md").read_text(encoding="utf-8")
    body = body[body.index("{#sec-introduction}") : body.index("{#references")]
    assert "Qazaqstan" in body and not CYRILLIC.search(body), "the body is Kazakh in the Latin script"
    assert f'lang="{NEW}"' in (build / f"paper.{NEW}.html").read_text(encoding="utf-8")
    for figure in ("figure1", "figure2"):
        for ext in ("svg", "png", "pdf"):
            assert (project / f"figures/{figure}.{NEW}.{ext}").is_file()
    for table in ("table1", "table2"):
        assert not CYRILLIC.search((build / f"tables/{table}.{NEW}.md").read_text(encoding="utf-8"))

    with open(build / "claims_ledger.csv", encoding="utf-8") as handle:
        ledger = list(csv.DictReader(handle))
    printed = [row for row in ledger if row["category"] == "data" and row[f"value_{NEW}"]]
    assert len(printed) > 50 and all(row[f"value_{NEW}"] == latin(row["value_kk"]) for row in printed), (
        "the new edition prints every number kk prints, where kk prints it"
    )
    assert NEW in (build / "parity.txt").read_text(encoding="utf-8")
