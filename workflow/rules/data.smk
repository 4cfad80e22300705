"""Raw sources -> validated tidy tables -> the number registry."""


# The input check runs in `onstart` (workflow/rules/common.smk); this job only gives Snakemake a
# reason to start when an input was changed or deleted that no other job would notice (a deleted raw
# file, whose outputs are still there), so that the check runs then too. Only `all` asks for it.
rule check_inputs:
    input:
        [str(path) for path in checked_inputs()],
    output:
        touch(str(paths.STATE / "inputs-checked.job")),


# Nothing downstream reads a raw file that the data package has not checked. Every other data step
# waits for these short jobs, so they start first: a figure's table before the others, as its figure is
# the longest job of a clean build (rule plot_figure).
rule validate_source:
    input:
        raw=source_raw_files,
        article=str(paths.PUBLISHED_ARTICLE),
        code=code_of("gigpaper.validate.validate_source"),
    output:
        table=str(paths.processed("{source}")),
    log:
        "logs/validate_source/{source}.log",
    priority: lambda wildcards: 2 if wildcards.source in FIGURE_SOURCES else 1
    params:
        **step_params(
            "validate_source",
            entry=source_entry,
            article_sha256=digest(resource(DESCRIPTOR, "published_article")),
        ),
    shell:
        step("gigpaper.validate.validate_source")


# The manuscript quotes numbers only through this registry. Every edition waits for it: a short job
# started before the longer ones beside it.
rule build_number_registry:
    input:
        online_labour_index=str(paths.processed("online_labour_index")),
        gender_by_occupation=str(paths.processed("gender_by_occupation")),
        article_numbers=str(paths.processed("article_numbers")),
        code=code_of("gigpaper.numbers.build_registry"),
    output:
        registry=str(paths.REGISTRY),
    log:
        "logs/build_number_registry.log",
    priority: 1
    params:
        **step_params(
            "build_number_registry",
            # The works the figures' numbers cite: a param, so that a checksum update reruns nothing here.
            citations=citation_keys_of(DESCRIPTOR),
        ),
    shell:
        step("gigpaper.numbers.build_registry")
