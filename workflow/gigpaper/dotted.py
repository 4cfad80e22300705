"""A function named by its dotted path, as a rule names its step and the catalogue a figure's drawing and a format's finisher.

Apart from gigpaper.catalogue, so that a step that only calls such a function (render_edition, with the
DOCX finisher) does not load and check the catalogue on import (0.13 CPU-s).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def dotted_function(dotted: str) -> Callable[..., Any]:
    """A function named by dotted path: in the package, or a module under workflow/ beside it."""
    module, _, name = dotted.rpartition(".")
    workflow = str(Path("workflow").resolve())
    if workflow not in sys.path:
        sys.path.append(workflow)  # after the installed package: a module there never shadows it
    return getattr(importlib.import_module(module), name)
