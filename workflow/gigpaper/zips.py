"""The ZIP files the build writes (the reference DOCX, the DOCX furniture, the deposit packages).

Members keep the order given and a fixed timestamp, so the same members give the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable

# ZIP's earliest date: no build time in the bytes.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def read_zip(data: bytes | str | os.PathLike) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every member of a ZIP (its bytes, or its path) with its bytes, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def write_zip(
    path: str | os.PathLike, members: Iterable[tuple[str | zipfile.ZipInfo, bytes]], date_time: tuple = FIXED_TIME
) -> None:
    """Write `members` deflated, in order; one given by name is stamped `date_time`, a ZipInfo keeps its own."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            if isinstance(member, str):
                member = zipfile.ZipInfo(member, date_time=date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data)
