"""What the input check computed, kept for the rules that publish it: each result is computed once per build.

The check (gigpaper.checks) keeps each tidy table, the registry and the parity report under a key of
everything that decides its bytes: the paths and bytes of the files its rule reads, the rule's params,
and the code (gigpaper.memo's digest of this package, the catalogue, the schemas, Python and the
libraries). A rule computes the key from its own inputs and publishes the kept bytes; with none under
that key it computes the result itself, so a result of other inputs or other code is never published.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gigpaper import atomic, memo, paths

STORE = paths.STATE / "checked"


def key(what: str, files: dict[str, bytes], *params: Any) -> str:
    """The key of a result: what it is, the files it is made from (path: bytes), the params, and the code
    that computes it (memo's digest of the package, catalogue, schemas, Python and libraries)."""
    parts: list[str | bytes] = [memo.code(), what]
    for path in sorted(files):
        parts += [path, files[path]]
    return memo.key(*parts, memo.as_json(params))


def read(files: Iterable[str]) -> dict[str, bytes]:
    return {str(path): Path(path).read_bytes() for path in files}


def keep(results: dict[str, str]) -> None:
    """Keep the check's results (key: text) in place of those of the last check."""
    STORE.mkdir(parents=True, exist_ok=True)
    for name, text in results.items():
        atomic.write_text(STORE / name, text, record=False)
    for old in STORE.iterdir():
        if old.name not in results:
            old.unlink()


def publish(output: str, what: str, files: dict[str, bytes], *params: Any) -> bool:
    """Write the check's result for these inputs to `output`; False (nothing written) if none is kept."""
    kept = STORE / key(what, files, *params)
    try:
        data = kept.read_bytes()
    except FileNotFoundError:
        return False
    with atomic.atomic_path(output) as tmp:
        tmp.write_bytes(data)
    return True
