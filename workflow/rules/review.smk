"""Editions -> the claims ledger, the reviewer report and the checksum manifest."""


# Reviewers trace every printed number to its raw cell and see where the article disagrees with its data.
rule build_claims_ledger:
    input:
        registry="data/processed/numbers.csv",
        online_labour_index="data/processed/online_labour_index.csv",
        gender_by_occupation="data/processed/gender_by_occupation.csv",
        claims="manuscript/claims.yaml",
        bibliography="manuscript/bibliography.yaml",
        article="data/raw/published_article.kk.txt",
        metadata="manuscript/metadata.yaml",
        editions=expand("manuscript/build/paper.{lang}.md", lang=config["editions"]),
        sections=all_section_files,
        labels=expand("manuscript/labels/{lang}.yaml", lang=["en", "kk", "ru"]),
        tables=table_raw_files,
        source_check="data/processed/source_check.csv",
        code=code_of("build_claims_ledger"),
    output:
        ledger="manuscript/build/claims_ledger.csv",
    log:
        "logs/build_claims_ledger.log",
    script:
        "../scripts/build_claims_ledger.py"


# One page a reviewer opens offline: ledger, figures beside their values, sources, errata, checksums.
rule write_review:
    input:
        template="manuscript/templates/review.html.j2",
        ledger="manuscript/build/claims_ledger.csv",
        online_labour_index="data/processed/online_labour_index.csv",
        gender_by_occupation="data/processed/gender_by_occupation.csv",
        figure1=f"figures/figure1.{REVIEW_LANG}.svg",
        figure2=f"figures/figure2.{REVIEW_LANG}.svg",
        figure1_oli="manuscript/build/figure1_oli.en.svg",
        source_check="data/processed/source_check.csv",
        datapackage="data/raw/datapackage.yaml",
        bibliography="manuscript/bibliography.yaml",
        errata="manuscript/errata.yaml",
        metadata="manuscript/metadata.yaml",
        translations=str(paths.TRANSLATION_REPORT),
        outputs=edition_outputs(),
        code=code_of("write_review"),
    output:
        review="manuscript/build/review.html",
    log:
        "logs/write_review.log",
    script:
        "../scripts/write_review.py"


# The bytes every output must have; `./paper verify` rebuilds from a clean copy and compares.
rule write_manifest:
    input:
        files=[*edition_outputs(), "manuscript/build/review.html"],
        code=code_of("write_manifest"),
    output:
        manifest="manuscript/build/SHA256SUMS",
    log:
        "logs/write_manifest.log",
    script:
        "../scripts/write_manifest.py"


# A section, label, number or citation missing from one language fails the build with its name.
rule check_edition_parity:
    input:
        sections=all_section_files,
        labels=expand("manuscript/labels/{lang}.yaml", lang=["en", "kk", "ru"]),
        code=code_of("check_edition_parity"),
    output:
        report="manuscript/build/parity.txt",
    log:
        "logs/check_edition_parity.log",
    params:
        editions=config["editions"],
    script:
        "../scripts/check_edition_parity.py"


# Each ru/en paragraph, label and table cell against the kk text it was translated from
# (manuscript/translations.yaml): a stale one is listed (the build prints it), or stops a strict build.
rule check_translations:
    input:
        record=str(paths.TRANSLATIONS),
        depends=lambda wildcards: [
            *all_section_files(wildcards),
            *expand("manuscript/labels/{lang}.yaml", lang=LANGUAGES),
            *table_raw_files(wildcards),
        ],
        code=code_of("check_translations"),
    output:
        report=str(paths.TRANSLATION_REPORT),
    log:
        "logs/check_translations.log",
    params:
        languages=LANGUAGES,
        strict=config.get("translations_strict", False),
    script:
        "../scripts/check_translations.py"
