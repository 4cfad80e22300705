"""The environment is pinned once, the same for pip and conda users, and the config is valid."""

from __future__ import annotations

import re

import jsonschema
import yaml
from conftest import ROOT
from gigpaper import catalogue


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = re.fullmatch(r"\s*-?\s*([A-Za-z0-9_.\-]+)==([^\s#]+)\s*", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def test_every_dependency_is_pinned_exactly():
    for name in ("requirements.txt", "requirements-test.txt"):
        for line in (ROOT / name).read_text().splitlines():
            if line.strip() and not line.startswith(("#", "-r ")):
                assert "==" in line, f"{name}: '{line}' is not pinned to one version"


def test_conda_environment_pins_the_same_versions_as_pip():
    pip = pins((ROOT / "requirements.txt").read_text().splitlines())
    pip |= pins((ROOT / "requirements-test.txt").read_text().splitlines())
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pins(pip_section) == pip


def test_constraints_agree_with_requirements():
    constraints = pins((ROOT / "constraints.txt").read_text().splitlines())
    for requirements in ("requirements.txt", "requirements-test.txt"):
        for name, version in pins((ROOT / requirements).read_text().splitlines()).items():
            assert constraints.get(name) == version, f"{requirements} pins {name}=={version}, constraints.txt does not"


def test_config_is_valid_against_its_schema():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    jsonschema.validate(config, catalogue.schema("config"))  # the schema with the catalogue's languages and formats
    assert set(config["editions"]) <= set(config["languages"])


def test_readme_opens_with_the_build_and_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", readme, re.S)
    commands = [
        line.strip() for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert commands[:2] == ["./paper build", "./paper test"]
    assert "./paper test" in (ROOT / ".ci/run").read_text()
