"""Each edition's JATS, PDF and figures -> the package a journal deposits."""


# A journal takes one package per article: the XML and every file its links name, side by side.
rule package_deposit:
    input:
        jats="manuscript/build/paper.{lang}.xml",
        pdf="manuscript/build/paper.{lang}.pdf",
        figures=expand("figures/{figure}.{{lang}}.svg", figure=FIGURES),
        code=code_of("package_deposit"),
    output:
        package="manuscript/build/deposit/paper.{lang}.zip",
    log:
        "logs/package_deposit/{lang}.log",
    script:
        "../scripts/package_deposit.py"
