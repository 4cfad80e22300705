"""The catalogue is the one place a language or a figure is added: no .py or .smk file changes.

Each test adds one to a built copy of the project, as the README's recipe says, and builds it again, as an
author would.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import zipfile
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


def code(project: Path) -> dict[str, bytes]:
    """Every .py and .smk file of the project, by path."""
    return {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*") if p.suffix in (".py", ".smk")}


def unchanged(before: dict[str, bytes], project: Path) -> bool:
    after = code(project)
    return all(after.get(name) == content for name, content in before.items())


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
    entry = {"name": "Kazakh (Latin script)", "script": "Latn", "numbers": kk["numbers"], "thousand": latin(kk["thousand"]),
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
            line = re.search(rf'\n( +)en: \{{path: {re.escape(en)}, hash: "sha256:[0-9a-f]+"\}}', package)
            package = package.replace(
                line.group(0), f'{line.group(0)}\n{line.group(1)}{NEW}: {{path: {target}, hash: "sha256:{"0" * 64}"}}'
            )
    descriptor.write_text(package, encoding="utf-8")
    record_checksums(project)


def test_a_fourth_language_is_its_catalogue_entry_and_its_own_text(built_copy):
    project = built_copy
    before = code(project)
    add_language(project)
    assert code(project) == before, "adding a language added or changed a .py or .smk file"
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


# A figure drawn from a table the build already makes, by a function the catalogue names by dotted path.
DRAW_MODULE = '''"""Figure 3 of a test: women's share of each occupation, one dot each."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from gigpaper.figures import STYLE, TEXT_WIDTH_INCHES, occupation_order  # noqa: E402


def draw_women_share(table, labels, lang):
    women = table[table["gender"] == "women"].set_index("occupation")["share_pct"]
    order = occupation_order(table)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(TEXT_WIDTH_INCHES, 2.5), layout="constrained")
        for position, occupation in enumerate(order):
            (dot,) = ax.plot([women[occupation]], [position], "o")
            dot.set_gid(f"women:{occupation}:{women[occupation]:g}")
        ax.set_yticks(range(len(order)), [labels["occupations"][o] for o in order])
        ax.set_xlabel(labels["figures"]["figure3"]["x_title"])
    return fig
'''
FIGURE3_LABELS = {
    "kk": ("Платформадағы әйелдер үлесі", "Әйелдер үлесі, %"),
    "ru": ("Доля женщин на платформах", "Доля женщин, %"),
    "en": ("Women's share on the platforms", "Women's share, %"),
}


def add_figure(project: Path) -> None:
    """The README's recipe "add a figure": its catalogue entry, its draw function, its labels."""
    catalogue = project / "workflow/catalogue.yaml"
    entry = (
        "  figure3:\n    number: 3\n    source: gender_by_occupation\n    draw: extra_figures.draw_women_share\n"
        "    texts: [x_title]\n    labels: {occupations: occupation}\n"
    )
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("\n# Each table:", f"\n{entry}\n# Each table:", 1), encoding="utf-8")
    (project / "workflow/extra_figures.py").write_text(DRAW_MODULE, encoding="utf-8")
    for lang, (caption, x_title) in FIGURE3_LABELS.items():
        labels = project / f"manuscript/labels/{lang}.yaml"
        block = f'  figure3:\n    caption: "{caption}"\n    note: "@ppmi2024"\n    alt: "{caption}"\n    x_title: "{x_title}"\n'
        labels.write_text(
            labels.read_text(encoding="utf-8").replace("\nfigures:\n", f"\nfigures:\n{block}", 1), "utf-8"
        )


def test_a_third_figure_is_its_catalogue_entry_its_draw_function_and_its_labels(built_copy):
    project = built_copy
    before = code(project)
    add_figure(project)
    assert unchanged(before, project), "adding a figure changed a .py or .smk file"
    assert set(code(project)) - set(before) == {"workflow/extra_figures.py"}, "its draw function is its one new file"
    snakemake(project)

    with open(project / "data/processed/gender_by_occupation.csv", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    women = {f"women:{row['occupation']}:{float(row['share_pct']):g}" for row in table if row["gender"] == "women"}
    for lang in FIGURE3_LABELS:
        for ext in ("svg", "png", "pdf"):
            assert (project / f"figures/figure3.{lang}.{ext}").stat().st_size > 1000, (lang, ext)
        svg = (project / f"figures/figure3.{lang}.svg").read_text(encoding="utf-8")
        assert set(re.findall(r'<g id="(women:[^"]+)"', svg)) == women, lang
    review = (project / "manuscript/build/review.html").read_text(encoding="utf-8")
    assert "<h3>Figure 3</h3>" in review

    # Its drawn label is its own: editing it redraws figure 3 alone; its caption redraws no figure.
    ru = project / "manuscript/labels/ru.yaml"
    original = ru.read_text(encoding="utf-8")
    ru.write_text(original.replace('x_title: "Доля женщин, %"', 'x_title: "Доля женщин (%)"'), encoding="utf-8")
    plan = snakemake(project, "--dry-run").stdout
    assert re.findall(r"^rule plot_figure:\n(?: {4}.*\n)*? {4}wildcards: figure=(\w+)", plan, re.M) == ["figure3"]
    ru.write_text(original.replace('caption: "Доля женщин на платформах"', 'caption: "Доля женщин"'), encoding="utf-8")
    assert "rule plot_figure:" not in snakemake(project, "--dry-run").stdout


def test_an_output_format_is_its_catalogue_entry_its_defaults_file_and_the_setting(built_copy):
    """The README's recipe "add an output format", here OpenDocument: no .py or .smk file changes."""
    project = built_copy
    before = code(project)
    catalogue = project / "workflow/catalogue.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(
        text.replace("\n# Options every format shares", "\n  odt: {defaults: manuscript/pandoc/odt.yaml}\n# Options every format shares", 1),
        encoding="utf-8",
    )  # fmt: skip
    (project / "manuscript/pandoc/odt.yaml").write_text(
        "# OpenDocument, for LibreOffice.\nto: odt\nfilters: [manuscript/pandoc/docx-png-figures.lua]\n",
        encoding="utf-8",
    )
    config = project / "config/config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("formats: [html, pdf, docx, xml]", "formats: [html, pdf, docx, xml, odt]"),
        encoding="utf-8",
    )  # fmt: skip
    assert unchanged(before, project), "adding a format changed a .py or .smk file"
    snakemake(project, "manuscript/build/paper.en.odt")

    with zipfile.ZipFile(project / "manuscript/build/paper.en.odt") as odt:
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = odt.read("content.xml").decode("utf-8")
    assert "Gender equality in the gig economy" in content
    # The edition's other formats come from the same job, as before.
    assert (project / "manuscript/build/paper.en.pdf").read_bytes().startswith(b"%PDF")


def import_catalogue(project: Path) -> subprocess.CompletedProcess[str]:
    """A new process (as a Snakemake run or job is) imports the project's catalogue and says whether it checked it
    with jsonschema."""
    code = "import sys; import gigpaper.catalogue; print('jsonschema' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(project / "workflow")}
    return subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True)


def test_a_catalogue_check_that_passed_is_not_repeated_and_a_changed_catalogue_is_checked_again(project):
    first = import_catalogue(project)
    assert first.stdout.split() == ["True"], first.stderr  # the first process checks it
    again = import_catalogue(project)
    assert again.stdout.split() == ["False"], again.stderr  # the same bytes: the pass is remembered
    catalogue = project / "workflow/catalogue.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace("figure_formats: [svg, png, pdf]",
                                                                       "figure_formats: [svg, png, gif]"), "utf-8")  # fmt: skip
    edited = import_catalogue(project)
    assert edited.returncode != 0
    message = "workflow/catalogue.yaml, line 42, key 'figure_formats[3]': found 'gif'; expected one of svg, png, pdf."
    assert message in edited.stderr
