"""Raw sources -> validated tidy tables -> the number registry."""


# Nothing downstream reads a raw file that the data package has not checked.
rule validate_source:
    input:
        raw=source_raw_files,
        article=str(paths.PUBLISHED_ARTICLE),
        code=code_of("validate_source"),
    output:
        table=str(paths.processed("{source}")),
    log:
        "logs/validate_source/{source}.log",
    params:
        entry=source_entry,
        article_sha256=resource(DESCRIPTOR, "published_article")["sha256"],
    script:
        "../scripts/validate_source.py"


# The manuscript quotes numbers only through this registry.
rule build_number_registry:
    input:
        online_labour_index=str(paths.processed("online_labour_index")),
        gender_by_occupation=str(paths.processed("gender_by_occupation")),
        article_numbers=str(paths.processed("article_numbers")),
        code=code_of("build_number_registry"),
    output:
        registry=str(paths.REGISTRY),
    log:
        "logs/build_number_registry.log",
    params:
        # The works the figures' numbers cite: a param, so that a checksum update reruns nothing here.
        citations=citation_keys_of(DESCRIPTOR),
    script:
        "../scripts/build_number_registry.py"
