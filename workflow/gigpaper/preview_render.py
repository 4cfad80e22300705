"""The preview's fast path: what `./paper build` does for one edition's HTML after a save of prose alone.

`./paper preview` runs these in warm worker processes (imports, pandas, Jinja, the catalogue loaded
once), the input check in one and the page in the other, side by side. They call the build's own
functions with the build's own files, so the page is the one `./paper build` writes for the same
sources. They write only in the preview's folder, a temporary folder out of the project: the build's
outputs, Snakemake's records and the build's records of what its steps wrote (gigpaper.atomic records
every file written inside the project) are never touched, so the next build reruns what the saves
changed, as it would without a preview.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from gigpaper import catalogue, checks, paths
from gigpaper.errors import BuildError
from gigpaper.files import load_labels, load_yaml
from gigpaper.manuscript import render_markdown
from gigpaper.pandoc import render_edition
from gigpaper.tables import render_tables

# The format the preview shows: Pandoc's HTML writer, with the catalogue's defaults files.
FORMAT = "html"


def warm() -> None:
    """A worker's start: the build's modules are imported with this one, pandas here."""
    import pandas  # noqa: F401 - the input check reads CSV with it: imported once, here


def settings() -> dict[str, Any]:
    """The build settings as `./paper build` reads them (config/config.yaml, the schema's defaults)."""
    return catalogue.settings(load_yaml(paths.CONFIG))


def check_inputs() -> str | None:
    """The build's input check, as its `onstart` runs it: None, or its message worded by the build itself."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        try:
            checks.check_inputs_or_exit(settings())
        except SystemExit:
            return stderr.getvalue().strip()
    return None


def drawn_labels(labels: str | Path) -> dict[str, Any]:
    """What the figures draw of one language's labels (a change there redraws them: a build's job)."""
    tree = load_labels(labels)
    return {figure: catalogue.figure_labels(figure, tree) for figure in catalogue.FIGURES}


def render_page(edition: str, folder: str, labels_at_build: str) -> tuple[str, str]:
    """The edition's page, written in `folder`, from the current prose and the last build's registry,
    figures and bibliography.

    ("page", path of the HTML), ("error", the build's message), or ("build", why the build must make it).
    """
    try:
        if drawn_labels(paths.labels_file(edition)) != drawn_labels(labels_at_build):
            return "build", f"{paths.labels_file(edition)}: a label its figures draw changed"
    except (BuildError, KeyError, TypeError) as error:  # a broken labels file: the input check names it
        return "build", f"{paths.labels_file(edition)}: {error}"
    config = settings()
    inputs = catalogue.markdown_inputs(edition, tables=Path(folder))
    markdown = Path(folder) / f"paper.{edition}.md"
    page = Path(folder) / f"paper.{edition}.html"
    log = io.StringIO()  # Pandoc's warnings, as a build's rule log keeps them
    step = "render_tables"
    try:
        with contextlib.redirect_stderr(log):
            # rule render_tables: a caption or a note of the labels is printed in the tables.
            render_tables(
                tables=[str(paths.processed(table.source)) for table in catalogue.TABLES.values()],
                registry=str(paths.REGISTRY), labels=str(paths.labels_file(edition)), lang=edition,
                markdown=inputs["tables"],
            )  # fmt: skip
            step = "render_markdown"  # with rule render_markdown's inputs
            render_markdown(**inputs, lang=edition, editions=list(config["editions"]), markdown=str(markdown))
            step = "render_edition"  # rule render_edition, its formats narrowed to the HTML
            render_edition(
                markdown=str(markdown), bibliography=str(paths.BUILD / f"references.{edition}.json"),
                common=catalogue.PANDOC_COMMON, formats={FORMAT: catalogue.formats()[FORMAT].entry()},
                source_date_epoch=config["source_date_epoch"], **{FORMAT: str(page)},
            )  # fmt: skip
    except BuildError as error:
        return "error", f"ERROR in rule {step}: {error}"  # as gigpaper.entry words a step's error
    finally:
        (Path(folder) / "render.log").write_text(log.getvalue(), encoding="utf-8")
    return "page", str(page)
