"""Which project modules a step's module imports, directly or through other modules.

Each rule lists them as its `code` input, so that editing a module reruns exactly the steps that run it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from gigpaper.paths import CATALOGUE

PACKAGE = "gigpaper"
PACKAGE_DIR = Path("workflow") / PACKAGE


# The import statements of the package, found by a pattern first: parsing them alone instead of whole
# modules saves about 0.4 s of every Snakemake run (its rules list their code when the Snakefile is read).
IMPORT_STATEMENT = re.compile(
    rf"^[ \t]*(?:from[ \t]+{PACKAGE}\b[^\n(]*(?:\([^)]*\))?|import[ \t]+{PACKAGE}\.[^\n]*)", re.M
)


@cache
def _direct_imports(path: Path) -> frozenset[str]:
    """Project modules that `path` imports anywhere (top level or inside a function)."""
    names = set()
    for statement in IMPORT_STATEMENT.findall(path.read_text(encoding="utf-8")):
        try:
            nodes = ast.parse(statement.strip()).body
        except SyntaxError:  # such words in a docstring's prose
            continue
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == PACKAGE:  # from gigpaper import atomic, templating
                    names.update(alias.name for alias in node.names)
                elif node.module.startswith(PACKAGE + "."):
                    names.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                names.update(a.name.split(".")[1] for a in node.names if a.name.startswith(PACKAGE + "."))
    return frozenset(name for name in names if (PACKAGE_DIR / f"{name}.py").exists())


@cache
def imported_modules(module: str | Path) -> tuple[str, ...]:
    """`module` and every project module it needs, as sorted paths (the package's __init__ included)."""
    seen: set[str] = set()
    pending = set(_direct_imports(Path(module)))
    while pending:
        name = pending.pop()
        seen.add(name)
        pending |= _direct_imports(PACKAGE_DIR / f"{name}.py") - seen
    modules = [str(PACKAGE_DIR / f"{name}.py") for name in seen]
    if "catalogue" in seen:  # the module reads its facts from this file: it is part of its code
        modules.append(str(CATALOGUE))
    return tuple(sorted([str(module), str(PACKAGE_DIR / "__init__.py"), *modules]))
