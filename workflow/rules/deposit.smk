"""Each edition's JATS, PDF and figures -> the package a journal deposits."""


# A journal takes one package per article: the XML and every file its links name, side by side.
rule package_deposit:
    input:
        jats=str(paths.BUILD / "paper.{lang}.xml"),
        pdf=str(paths.BUILD / "paper.{lang}.pdf"),
        figures=expand(str(paths.FIGURES / "{figure}.{{lang}}.svg"), figure=FIGURES),
        code=code_of("package_deposit"),
    output:
        package=str(paths.DEPOSIT / "paper.{lang}.zip"),
    log:
        "logs/package_deposit/{lang}.log",
    script:
        "../scripts/package_deposit.py"
