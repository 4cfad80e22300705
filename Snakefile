"""Rebuild the article «Гендерное равенство в условиях гиг-экономики: опыт Казахстана» from its sources.

raw sources -> validated tidy tables + number registry -> figures and tables -> Jinja -> Pandoc editions.
"""

from pathlib import Path

from snakemake.utils import min_version

from gigpaper.errors import BuildError
from gigpaper.files import check_settings_file

min_version("9.0")

# The settings read with the project's loader before Snakemake reads them (as `./paper build` reads those given with
# --configfile). A folder or a link in its place is named too; a missing one may be meant (settings given with
# --configfile), and Snakemake says it is missing.
SETTINGS = Path("config/config.yaml")
try:
    if SETTINGS.exists() or SETTINGS.is_symlink():
        check_settings_file(SETTINGS)
except BuildError as error:
    raise SystemExit(f"ERROR in the build settings: {error}")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/manuscript.smk"
include: "workflow/rules/source_check.smk"
include: "workflow/rules/review.smk"


# Everything an author, a reviewer or an editor takes away from one build.
rule all:
    default_target: True
    input:
        final_outputs(),
        rules.check_inputs.output,
