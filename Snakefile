"""Rebuild the article «Гендерное равенство в условиях гиг-экономики: опыт Казахстана» from its sources.

raw sources -> validated tidy tables + number registry -> figures and tables -> Jinja -> Pandoc editions.
"""

from snakemake.utils import min_version

min_version("9.0")


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
