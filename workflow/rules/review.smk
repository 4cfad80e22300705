"""Editions -> the claims ledger, the reviewer report and the checksum manifest."""


# Reviewers trace every printed number to its raw cell and see where the article disagrees with its data.
rule build_claims_ledger:
    input:
        registry=str(paths.REGISTRY),
        online_labour_index=str(paths.processed("online_labour_index")),
        gender_by_occupation=str(paths.processed("gender_by_occupation")),
        claims=str(paths.CLAIMS),
        bibliography=str(paths.BIBLIOGRAPHY),
        article=str(paths.PUBLISHED_ARTICLE),
        metadata=str(paths.METADATA),
        editions=expand(str(paths.BUILD / "paper.{lang}.md"), lang=EDITIONS),
        sections=all_section_files,
        labels=label_files(),
        tables=table_raw_files,
        source_check=str(paths.SOURCE_CHECK),
        datapackage=str(paths.DESCRIPTOR),
        oli_worker_shares=str(paths.OLI_SHARES),
        code=code_of("gigpaper.ledger.build_ledger"),
    output:
        ledger=str(paths.LEDGER),
    log:
        "logs/build_claims_ledger.log",
    params:
        **step_params(
            "build_claims_ledger",
        ),
    shell:
        step("gigpaper.ledger.build_ledger")


# One page a reviewer opens offline: ledger, figures beside their values, sources, errata, checksums; and the
# bytes every output must have, which `./paper verify` rebuilds from a clean copy and compares. One job: every
# file the manifest lists is an input of the page, or the page itself.
rule write_review_and_manifest:
    input:
        template=str(paths.TEMPLATES / "review.html.j2"),
        ledger=str(paths.LEDGER),
        figures=expand(
            str(paths.FIGURES / "{figure}.{lang}.svg"),
            figure=FIGURES,
            lang=REVIEW_LANG,
        ),
        figure_tables=[
            str(paths.processed(figure.source)) for figure in FIGURES.values()
        ],
        figure1_oli=str(paths.OLI_CHART),
        source_check=str(paths.SOURCE_CHECK),
        datapackage=str(paths.DESCRIPTOR),
        bibliography=str(paths.BIBLIOGRAPHY),
        errata=str(paths.ERRATA),
        metadata=str(paths.METADATA),
        translations=str(paths.TRANSLATION_REPORT),
        outputs=[*edition_outputs(), *intermediate_outputs()],
        code=code_of("gigpaper.review.write_review_and_manifest"),
    output:
        review=str(paths.REVIEW),
        manifest=str(paths.MANIFEST),
    log:
        "logs/write_review_and_manifest.log",
    params:
        **step_params(
            "write_review_and_manifest",
        ),
    shell:
        step("gigpaper.review.write_review_and_manifest")


# A section, label, number or citation missing from one language fails the build with its name.
rule check_edition_parity:
    input:
        sections=all_section_files,
        labels=label_files(),
        code=code_of("gigpaper.parity.check_parity"),
    output:
        report=str(paths.PARITY),
    log:
        "logs/check_edition_parity.log",
    params:
        **step_params("check_edition_parity", editions=EDITIONS),
    shell:
        step("gigpaper.parity.check_parity")


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
        code=code_of("gigpaper.translations.check_translations"),
    output:
        report=str(paths.TRANSLATION_REPORT),
    log:
        "logs/check_translations.log",
    params:
        **step_params(
            "check_translations",
            languages=LANGUAGES,
            strict=config.get("translations_strict", False),
        ),
    shell:
        step("gigpaper.translations.check_translations")
