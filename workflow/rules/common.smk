"""Configuration, the input check, and the helpers that name each rule's files."""

import compileall
import functools
import importlib.util

from snakemake.io import IOFile

# The project's modules compiled to bytecode before anything imports them, as pip compiles an installed
# package: every step is a new process, which otherwise compiles the modules it imports from source where
# Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE). Only a changed module is compiled again.
compileall.compile_dir(
    importlib.util.find_spec("gigpaper").submodule_search_locations[0], quiet=2
)

from gigpaper.errors import BuildError

try:  # workflow/catalogue.yaml is read with the workflow it shapes: a mistake in it is one message too
    from gigpaper import catalogue
except BuildError as error:
    raise SystemExit(f"ERROR in the workflow catalogue: {error}")
from gigpaper import paths
from gigpaper.catalogue import (
    EDITION_FORMATS,
    FIGURE_FORMATS,
    FIGURES,
    PUBLISHED_LANG,
    TABLES,
)
from gigpaper.checks import (
    checked_inputs,
    check_inputs_or_exit,
    workflow_descriptor_or_exit,
)
from gigpaper.datapackage import (
    citation_keys_of,
    digest,
    resource,
    resource_files,
    tidy_sources,
)
from gigpaper.entry import (
    collect_step_errors,
    print_step_errors,
    step,
    step_params,
    stop_late_steps_with_the_build,
)
from gigpaper.files import load_labels
from gigpaper.imports import imported_modules
from gigpaper.manifest import refuse_edited_outputs_or_exit
from gigpaper.outputs import (
    keep_last_good_outputs,
    print_findings,
    print_findings_when_nothing_to_do,
    remove_unmade,
)
from gigpaper.scheduling import (
    params_compared_without_pandas,
    without_collection_at_exit,
    without_job_rate_limit,
)

params_compared_without_pandas()
try:  # the settings select from workflow/catalogue.yaml and take the schema's defaults
    catalogue.settings(
        config, workflow.config_settings.config, workflow.config_settings.configfiles
    )
except BuildError as error:
    raise SystemExit(f"ERROR in the build settings: {error}")
keep_last_good_outputs.mark_put_back_for_rebuild()
print_findings_when_nothing_to_do()
without_collection_at_exit()
# Every file the build wrote is still what it wrote: a hand edit is never built on nor recorded. (It
# reads only the build's own records, so a bad input does not stop --list-rules or --dag here.)
refuse_edited_outputs_or_exit()
# The data package shapes the workflow (one job per source), so it alone is read with the Snakefile;
# every other input is checked in `onstart` below, so that --list-rules, --dag, --summary and --lint
# still show the workflow of a tree with a bad input.
DESCRIPTOR = workflow_descriptor_or_exit()
SOURCES = tidy_sources(DESCRIPTOR)
try:  # the catalogue's figures and tables name its tables and their columns
    catalogue.check_sources(DESCRIPTOR, SOURCES)
except BuildError as error:
    raise SystemExit(f"ERROR in the workflow catalogue: {error}")
LANGUAGES = config["languages"]
EDITIONS = config["editions"]
# The reviewer page shows the figures in the catalogue's review language where the build draws it.
REVIEW_LANG = next(c for c in (catalogue.REVIEW_LANG, *LANGUAGES) if c in LANGUAGES)
# The data package's tables the figures are drawn from (their jobs go first: rule validate_source).
FIGURE_SOURCES = {figure.source for figure in FIGURES.values()}


wildcard_constraints:
    lang="|".join(LANGUAGES),
    fmt="|".join(EDITION_FORMATS),
    source="|".join(SOURCES),
    table="|".join(TABLES),
    figure="|".join(FIGURES),


def code_of(function, *modules):
    """A step's module, every project module it imports and what starts it: editing one reruns exactly its steps."""
    found = set(imported_modules(paths.ENTRY))
    for module in (catalogue.module_file(function), *modules):
        found.update(imported_modules(module))
    return sorted(found)


def data_schemas():
    """The data package's schemas, which gigpaper.oli reads (columns, occupations): a param of its rules,
    so that they rerun when a schema changes and a checksum update reruns nothing."""
    return [entry.get("schema") for entry in DESCRIPTOR["resources"]]


def source_entry(wildcards):
    return resource(DESCRIPTOR, wildcards.source)


def source_raw_files(wildcards):
    # A file the data package names that is not there is named by the input check (onstart), not by Snakemake's
    # MissingInputException as it plans the job; --list-rules, --dag and --summary still show the workflow.
    return [
        str(paths.RAW / name)
        for name in resource_files(source_entry(wildcards))
        if (paths.RAW / name).exists()
    ]


def table_source(table):
    return str(paths.processed(TABLES[table].source))


def figure_source(wildcards):
    return str(paths.processed(FIGURES[wildcards.figure].source))


def figure_code(wildcards):
    return code_of(
        "gigpaper.figures.plot_figure",
        catalogue.module_file(FIGURES[wildcards.figure].draw),
    )


def figure_files(figures, langs):
    return expand(
        str(paths.FIGURES / "{figure}.{lang}.{ext}"),
        figure=figures,
        lang=langs,
        ext=FIGURE_FORMATS,
    )


def figure_labels(wildcards):
    """What one figure draws of each language's labels: a param, not the label files, so that a caption
    edit (which the manuscript prints) or another figure's label redraws nothing, and a drawn label
    edit redraws that figure alone (Snakemake reruns a job whose params changed)."""
    return {lang: drawn_labels(wildcards.figure, lang) for lang in LANGUAGES}


def drawn_labels(figure, lang):
    try:
        return catalogue.figure_labels(figure, labels_of(lang))
    except (BuildError, KeyError, TypeError):
        # A broken labels file: the input check in `onstart` names it before any job runs, and
        # --list-rules, --dag and --summary still show the workflow meanwhile.
        return None


@functools.cache
def labels_of(lang):
    """One language's labels, read once per workflow however many figures ask for them."""
    return load_labels(paths.labels_file(lang))


def section_files(lang):
    return [str(p) for p in paths.section_files(lang)]


def all_section_files(wildcards):
    return [path for lang in catalogue.LANGUAGES for path in section_files(lang)]


def label_files(langs=catalogue.LANGUAGES):
    return [str(paths.labels_file(lang)) for lang in langs]


def edition_format_inputs(wildcards):
    """What Pandoc reads for each format of an edition: defaults, template, filters, styles, figures."""
    chosen = [catalogue.formats()[fmt] for fmt in config["formats"]]
    return {
        "depends": [
            *catalogue.common_pandoc_files(),
            # Pandoc's terms in a language it does not ship, from its data directory (gigpaper.pandoc).
            *map(str, sorted(paths.PANDOC.glob(f"translations/{wildcards.lang}.yaml"))),
            *figure_files(FIGURES, wildcards.lang),
            *(fmt.defaults for fmt in chosen),
            *(path for fmt in chosen for path in fmt.pandoc_files()),
            *(fmt.reference for fmt in chosen if fmt.reference),
        ]
    }


def edition_code():
    """The step's code, and the modules of the functions that finish a chosen format (the DOCX furniture)."""
    chosen = [catalogue.formats()[fmt] for fmt in config["formats"]]
    finishers = [catalogue.module_file(fmt.finish) for fmt in chosen if fmt.finish]
    return code_of("gigpaper.deposit.render_edition_and_package", *finishers)


def table_raw_files(wildcards):
    return [
        str(paths.RAW / name)
        for table in TABLES.values()
        for name in resource_files(resource(DESCRIPTOR, table.source))
    ]


def edition_package():
    """The deposit package that an edition's render_edition job writes beside its formats, when the build
    makes the JATS and the PDF it packs."""
    if not {"xml", "pdf"} <= set(config["formats"]):
        return {}
    return {"package": str(paths.DEPOSIT / "paper.{lang}.zip")}


def deposit_packages():
    return expand(list(edition_package().values()), lang=EDITIONS)


def edition_outputs():
    """Every file an author, an editor or a reviewer takes away, but the report and the manifest."""
    return [
        *[str(paths.processed(source)) for source in SOURCES],
        str(paths.REGISTRY),
        *figure_files(FIGURES, LANGUAGES),
        *expand(str(paths.TABLES / "{table}.{lang}.md"), table=TABLES, lang=LANGUAGES),
        *expand(str(paths.BUILD / "paper.{lang}.md"), lang=EDITIONS),
        *expand(
            str(paths.BUILD / "paper.{lang}.{fmt}"),
            lang=EDITIONS,
            fmt=config["formats"],
        ),
        *deposit_packages(),
        str(paths.LEDGER),
        str(paths.PARITY),
        str(paths.TRANSLATION_REPORT),
        *([str(paths.AS_PUBLISHED)] if PUBLISHED_LANG in EDITIONS else []),
        str(paths.SOURCE_CHECK),
        str(paths.OLI_SHARES),
        str(paths.OLI_CHART),
    ]


def intermediate_outputs():
    """Files the build writes only to make others from: checked and recorded like every output."""
    references = [
        fmt.reference
        for fmt in map(catalogue.formats().get, config["formats"])
        if fmt.reference
    ]
    return [
        *expand(str(paths.BUILD / "references.{lang}.json"), lang=EDITIONS),
        *references,
    ]


def final_outputs():
    # Intermediates are targets too: one deleted (as the build's advice on an edited one says) is made again.
    return [
        *edition_outputs(),
        *intermediate_outputs(),
        str(paths.REVIEW),
        str(paths.MANIFEST),
    ]


# A failed build leaves the outputs of the last good build as they were, not a mix of old and new.
# Every input is vetted when jobs are about to run and before any output is touched: a bad one stops
# the build here, with one message.
onstart:
    check_inputs_or_exit(config)
    keep_last_good_outputs.snapshot()
    collect_step_errors(paths.STEP_ERRORS)
    without_job_rate_limit(workflow)
    stop_late_steps_with_the_build()


onerror:
    # Snakemake's records of this build's jobs describe the files they wrote, not the last good build's put back
    # in their place: without a record (as `--cleanup-metadata` leaves a file), the next build makes them again.
    for put_back in keep_last_good_outputs.restore():
        workflow.persistence.cleanup_metadata(IOFile(put_back))
    print_step_errors(paths.STEP_ERRORS)


onsuccess:
    keep_last_good_outputs.discard()
    # What the settings and the catalogue no longer make goes, unless the command line changed the settings for
    # this run (one edition built alone to proofread, the preview's HTML): the file's settings still make the rest.
    given = workflow.config_settings
    if not (given.config or given.configfiles):
        remove_unmade(final_outputs())
    # Every build says which translations are stale, also one that had nothing to rerun.
    print_findings()
