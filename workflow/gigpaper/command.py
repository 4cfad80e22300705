"""Run a `./paper` command's module (`python -m gigpaper.command where 40`), as `python -m gigpaper.where 40`
would, but with a mistake in what the module reads as it is imported (workflow/catalogue.yaml) said in
one line, as the build says it, not as a traceback."""

from __future__ import annotations

import runpy
import sys

from gigpaper.errors import BuildError


def main() -> None:
    module = sys.argv.pop(1)
    try:
        runpy.run_module(f"gigpaper.{module}", run_name="__main__", alter_sys=True)
    except BuildError as error:
        sys.exit(f"ERROR: {error}")


if __name__ == "__main__":
    main()
