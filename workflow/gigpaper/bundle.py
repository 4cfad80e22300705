"""`./paper bundle`: the whole evidence in one file, an RO-Crate (https://w3id.org/ro/crate).

manuscript/build/paper.ro-crate.zip holds the project's sources and every output of the last build.
Its ro-crate-metadata.json names the article it rebuilds (DOI, published title, the authors the metadata
names), and describes each raw source (licence, origin, SHA-256, its data-package
resource), the workflow as a ComputationalWorkflow (Snakefile, rules, package, pinned requirements),
every output with its SHA-256, the claims ledger and the review page, and the build's own run
(date, Snakemake and Pandoc versions). Unzipped anywhere, `./paper verify` inside it rebuilds from
the sources and compares every output byte for byte.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import mimetypes
import re
import sys
from pathlib import Path
from typing import Any

from gigpaper import run_snakemake
from gigpaper.atomic import atomic_path
from gigpaper.datapackage import load_descriptor, resource_files, sha256_of
from gigpaper.files import load_yaml
from gigpaper.manifest import edited_outputs, read_manifest
from gigpaper.paths import DESCRIPTOR, LEDGER, MANIFEST, METADATA, RAW, REVIEW
from gigpaper.verify import source_files

BUNDLE = Path("manuscript/build/paper.ro-crate.zip")
# The workflow's parts, as a reader looks for them (every other source file is part of the crate too).
WORKFLOW_PARTS = ("workflow/rules/*.smk", "workflow/gigpaper/*.py", "workflow/schemas/*.yaml",
                  "config/config.yaml", "requirements.txt", "constraints.txt", "pyproject.toml", "paper")  # fmt: skip
CODE_LICENSE = {"@id": "https://spdx.org/licenses/MIT", "@type": "CreativeWork", "name": "MIT License"}


def _file(crate: Any, project: Path, path: str, properties: dict[str, Any]) -> Any:
    kind = mimetypes.guess_type(path)[0]
    return crate.add_file(
        project / path, dest_path=path,
        properties={"sha256": sha256_of(project / path), **({"encodingFormat": kind} if kind else {}), **properties},
    )  # fmt: skip


def _raw_sources(crate: Any, project: Path) -> dict[str, Any]:
    """Each file of the data package, with its licence, origin, SHA-256 and the resource it belongs to."""
    entities = {}
    for resource in load_descriptor(project / DESCRIPTOR)["resources"]:
        for name, recorded in resource_files(resource).items():
            path = str(RAW / name)
            origin = [s["path"] for s in resource.get("sources", []) if s.get("path", "").startswith("http")]
            properties = {
                "name": f"{resource['name']}: {name}", "description": " ".join(str(resource.get("description", "")).split()),
                "identifier": f"{DESCRIPTOR}#{resource['name']}", "subjectOf": {"@id": str(DESCRIPTOR)},
                "recordedSha256": recorded or "",
                # A licence only where the data package states one; the rest keep their publishers' terms.
                **({"license": resource["license"]} if resource.get("license") else
                   {"usageInfo": "no licence stated: the publisher's terms apply (see README.md)"}),
                **({"sameAs": origin} if origin else {}),
                **({"citation": resource["citation_key"]} if resource.get("citation_key") else {}),
            }  # fmt: skip
            entities[path] = _file(crate, project, path, properties)
    return entities


def _one_or_all(names: Any) -> str | list[str]:
    """A name written alike in every language once, else each way it is written."""
    distinct = list(dict.fromkeys(names))
    return distinct[0] if len(distinct) == 1 else distinct


def _article(crate: Any, meta: dict[str, Any]) -> Any:
    """The article the crate rebuilds, by its DOI, under its published title, with the authors once the metadata
    names them (each by ORCID where given); a name written in several languages is given in each."""
    people = []
    for number, author in enumerate(meta["authors"], start=1):
        affiliation = {"@id": f"#affiliation-{number}", "@type": "Organization"}
        crate.add_jsonld({**affiliation, "name": _one_or_all(author["affiliation"].values())})
        person = {
            "@id": f"https://orcid.org/{author['orcid']}" if author.get("orcid") else f"#author-{number}",
            "@type": "Person", "name": author["name"], "affiliation": {"@id": affiliation["@id"]},
        }  # fmt: skip
        if author.get("email"):
            person["email"] = author["email"]
        people.append({"@id": crate.add_jsonld(person).id})
    doi = f"https://doi.org/{meta['doi']}"
    published = [title for lang, title in meta["title"].items() if meta["title_status"][lang] == "published"]
    article = {"@id": doi, "@type": "ScholarlyArticle", "identifier": doi, "datePublished": meta["year"]}
    article["name"] = _one_or_all(published or meta["title"].values())
    if people:
        article["author"] = people
    return crate.add_jsonld(article)


def build_crate(project: Path) -> Any:
    """The crate of a built `project`, in memory (write it with write_zip)."""
    import pypandoc
    import snakemake
    from rocrate.rocrate import ROCrate  # only this command needs it

    manifest = project / MANIFEST
    if not manifest.exists():
        raise SystemExit(f"{MANIFEST} does not exist yet: run ./paper build first.")
    outputs = sorted(read_manifest(manifest))
    edited = edited_outputs(outputs + [str(MANIFEST)], root=project)
    if edited:
        raise SystemExit("Not bundled: " + "; ".join(f"{p}: {why}" for p, why in edited.items()))
    meta = load_yaml(project / METADATA)
    crate = ROCrate()
    crate.name = f"{meta['title']['en']} — the article rebuilt from its sources"
    crate.description = (
        f"The sources, the workflow and every output of the rebuild of the article doi:{meta['doi']} "
        "(three editions in four formats, the claims ledger and the reviewer page). The code is under the MIT "
        "licence; the article's text and the data keep their own terms (README.md, LICENSE)."
    )
    crate.add_jsonld(dict(CODE_LICENSE))  # add_jsonld consumes its argument
    crate.root_dataset["about"] = {"@id": _article(crate, meta).id}
    crate.root_dataset["license"] = {"@id": CODE_LICENSE["@id"]}

    raw = _raw_sources(crate, project)
    workflow = crate.add_workflow(
        project / "Snakefile", dest_path="Snakefile", main=True, lang="snakemake",
        properties={"name": "Snakefile: raw sources to the editions, the ledger and the review page",
                    "sha256": sha256_of(project / "Snakefile"), "license": {"@id": CODE_LICENSE["@id"]}},
    )  # fmt: skip
    parts = []
    for path in source_files(project):
        if path in raw or path == "Snakefile":
            continue
        entity = _file(crate, project, path, {"name": path})
        if any(fnmatch.fnmatch(path, pattern) for pattern in WORKFLOW_PARTS):
            parts.append(entity)
    workflow["hasPart"] = parts

    described = {
        str(LEDGER): ("Claims ledger", "every number the editions print, its provenance, findings and source check"),
        str(REVIEW): ("Reviewer page", "the findings, every number, the figures beside the public data; offline"),
        str(MANIFEST): ("SHA256SUMS", "the SHA-256 of every output; ./paper verify compares a clean rebuild with it"),
    }
    results = []
    for path in [*outputs, str(MANIFEST)]:
        name, description = described.get(path, (path, ""))
        results.append(
            _file(crate, project, path, {"name": name, **({"description": description} if description else {})})
        )
    when = datetime.datetime.fromtimestamp(manifest.stat().st_mtime, datetime.UTC).replace(microsecond=0)
    versions = {"Snakemake": snakemake.__version__, "Pandoc": pypandoc.get_pandoc_version()}
    tools = [
        crate.add_jsonld({"@id": f"#{tool.lower()}", "@type": "SoftwareApplication", "name": tool, "version": version})
        for tool, version in versions.items()
    ]
    crate.add_action(
        workflow, identifier="#build", object=list(raw.values()), result=results,
        properties={"name": "The build that made these outputs (./paper build)", "endTime": when.isoformat()},
    )  # fmt: skip
    crate.get("#build")["instrument"] = [workflow, *tools]
    return crate


def bundle(project: Path | None = None, out: Path = BUNDLE) -> Path:
    """Write the crate of `project` (the working directory) to `out` as a zip, replacing it only when complete."""
    project = (project or Path.cwd()).resolve()
    crate = build_crate(project)
    target = project / out
    with atomic_path(target, record=False) as tmp:  # not an output of the build: verify does not look for it
        crate.write_zip(tmp)
    return target


# A job's reason in Snakemake's plan that names the files changed since the job ran.
UPDATED = re.compile(r"^\s*reason: Updated input files: (.+)$", re.M)


def stale_outputs() -> str | None:
    """Why the last build's outputs are not what the sources make now, as Snakemake's plan says (None: they
    are): a crate of newer sources beside older outputs would fail its own verify."""
    plan = run_snakemake.start(Path.cwd(), "--dry-run")
    said, _ = plan.communicate()
    if plan.returncode == 0 and "Nothing to be done" in said:
        return None
    errors = [line for line in said.splitlines() if line.startswith("ERROR")]
    # Each job's reason names the files the author changed ("reason: Updated input files: a, b"): said, so that
    # an edit made after the build and forgotten is found.
    changed = sorted({name for found in UPDATED.findall(said) for name in found.split(", ")})
    where = f" ({', '.join(changed)})" if changed else ""
    return "\n".join(errors) if errors else f"the sources changed since the last build{where}; run ./paper build first."


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="./paper bundle", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.parse_args()
    if why := stale_outputs():
        sys.exit(f"Not bundled: {why}")
    written = bundle()
    print(f"{written.relative_to(Path.cwd().resolve())}: the sources, the workflow and every output, as an RO-Crate.")


if __name__ == "__main__":
    sys.exit(main())
