"""Remember the result of per-file work by the content it is computed from: a repeated input check
re-does only the work of the files that changed.

`remembered(kind, parts, compute)` returns what `compute()` returned before for the same `kind` and
`parts` (a file's text or bytes, the schema it is checked against, the descriptor entry...), else
runs it. Only a result is remembered, never an error: a bad file is checked afresh every time, so it
gets the same message as from a cold check, and the checks still run (and blame) in their order.
Each call returns a fresh copy (a pickle of the result), so a caller may change what it gets.

Results are kept in this process (the tests, the preview server) and, with `on_disk=True`, under
paths.STATE / "memo" so that the build's `onstart` check, a new process, re-does after a one-file edit
only that file's work. A disk entry is keyed also on the code that computes it (the gigpaper
package, the catalogue, the schemas) and the versions of Python and of every installed library, so a
change to any of them is a miss, never a stale result. The folder is the build's own state, like
Snakemake's records beside it; deleting it costs one full check.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from gigpaper import paths
from gigpaper.atomic import atomic_path

T = TypeVar("T")

FOLDER = paths.STATE / "memo"
IN_MEMORY = 512  # results kept in this process, the least recently used dropped first
ON_DISK = 256  # entries kept per kind on disk, likewise

_memory: OrderedDict[str, bytes] = OrderedDict()
_enabled = True


def key(*parts: str | bytes) -> str:
    """A digest of `parts` in order (each length-prefixed, so no two lists of parts share one)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def as_json(value: Any) -> str:
    """A key part for a parsed value (a descriptor entry): the same data, the same text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@cache
def code() -> str:
    """What computes every result: the package's modules, the catalogue and schemas, Python and the libraries."""
    sources = sorted(Path(__file__).parent.glob("*.py")) + [paths.CATALOGUE, *sorted(paths.SCHEMAS.glob("*.yaml"))]
    parts: list[str | bytes] = [sys.version, *installed_libraries()]
    for source in sources:
        parts += [source.name, source.read_bytes() if source.is_file() else b""]
    return key(*parts)


def installed_libraries() -> list[str]:
    """Every library installed beside this Python, by the name and version its metadata folder has
    (`pyyaml-6.0.2.dist-info`). Read from the folders, not with importlib.metadata, whose import alone
    is 0.06-0.13 s of every step that loads the catalogue."""
    found = []
    for folder in sys.path:
        if Path(folder).name in ("site-packages", "dist-packages") and os.path.isdir(folder):
            found += sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
    return found


def remembered(kind: str, parts: Iterable[str | bytes], compute: Callable[[], T], *, on_disk: bool = False) -> T:
    """`compute()`, or a copy of what it returned before for the same `kind` and `parts`."""
    if not _enabled:
        return compute()
    digest = key(kind, *parts)
    blob = _memory.get(digest)
    if blob is None and on_disk:
        blob = _read(kind, digest)
    if blob is not None:
        try:
            value = pickle.loads(blob)  # noqa: S301 - written by this module, in this project's state folder
        except Exception:  # noqa: BLE001 - a damaged disk entry (a disk full when written) is a miss
            blob = None
        else:
            _keep(digest, blob)
            return value
    value = compute()
    blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _keep(digest, blob)
    if on_disk:
        _write(kind, digest, blob)
    return value


@contextmanager
def cold() -> Iterator[None]:
    """Within the block nothing is recalled or remembered: the work as a first check does it."""
    global _enabled
    _enabled = False
    try:
        yield
    finally:
        _enabled = True


@contextmanager
def new_process() -> Iterator[None]:
    """Within the block, what this process remembers is set aside: only the disk is recalled, as by a new process."""
    global _memory
    kept, _memory = _memory, OrderedDict()
    try:
        yield
    finally:
        _memory = kept


def _keep(digest: str, blob: bytes) -> None:
    _memory[digest] = blob
    _memory.move_to_end(digest)
    while len(_memory) > IN_MEMORY:
        _memory.popitem(last=False)


def _disk_path(kind: str, digest: str) -> Path:
    return FOLDER / kind / key(code(), digest)


def _read(kind: str, digest: str) -> bytes | None:
    path = _disk_path(kind, digest)
    try:
        blob = path.read_bytes()
        os.utime(path)  # recently used: pruned last
    except OSError:
        return None
    return blob


def _write(kind: str, digest: str, blob: bytes) -> None:
    """Written whole or not at all (jobs running side by side may write the same entry)."""
    path = _disk_path(kind, digest)
    try:
        with atomic_path(path, record=False) as partial:
            partial.write_bytes(blob)
        entries = list(path.parent.iterdir())
        if len(entries) > ON_DISK:
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for old in entries[: len(entries) - ON_DISK]:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk: the next check computes it again
