"""Reproducible bundle of a project: a zip that runs with reana-client or locally.

Layout::

    reana.yaml
    README.md          how to run it (REANA, the local runner, by hand)
    code/              notebooks and saved analyses' scripts
    data/              data files; those above the size limit are listed in
                       data/FETCH.md and downloaded by data/fetch.sh
    workflow/cwl/      CWL workflow, tools and job file (cwl workflows)

Entries carry a fixed date, so the same project gives the same bytes.
"""

import logging
import shlex
import zipfile
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)

DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024
"""Data files larger than this are fetched rather than shipped."""
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class BundleError(ValueError):
    """A file the bundle needs is not there."""


def write_bundle(spec, target, *, reana_yaml=None, title=None, max_file_size=None):
    """Write the bundle of ``spec`` (a ``Specification``) as a zip to ``target``.

    ``reana_yaml`` is the user's edited text (default: the generated one). Returns
    ``{"files": [paths in the zip], "fetch": [{"path", "url", "size"}]}``.
    """
    limit = DEFAULT_MAX_FILE_SIZE if max_file_size is None else max_file_size
    text = reana_yaml if reana_yaml is not None else spec.yaml()
    shipped, fetch = {}, []
    for path, source in sorted(spec.sources.items()):
        local = Path(source["path"]) if source.get("path") else None
        size = local.stat().st_size if local and local.is_file() else source.get("size")
        too_big = size is not None and size > limit
        if local and not (too_big and source.get("url")):
            if not local.is_file():
                # The run's reason is shown on the project page: no server paths in it.
                logger.error("bundle: %s is missing (for %s)", local, path)
                raise BundleError(
                    f"{path}: the record's stored file is missing from the repository's "
                    "storage; an administrator can see which in the worker's log"
                )
            shipped[path] = local
        elif source.get("url"):
            fetch.append({"path": path, "url": source["url"], "size": size})
        else:
            raise BundleError(f"{path} has neither a file nor a URL")
    names = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name, data, mode=0o644):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
            names.append(name)

        add("reana.yaml", text)
        add("README.md", readme(text, title, fetch))
        for path, local in shipped.items():
            with open(local, "rb") as handle:
                add(path, handle.read())
        for path, content in sorted(spec.generated.items()):
            add(path, content)
        if fetch:
            add("data/FETCH.md", fetch_notes(fetch))
            add("data/fetch.sh", fetch_script(fetch), mode=0o755)
    return {"files": names, "fetch": fetch}


def _size(size):
    if size is None:
        return "size unknown"
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


def fetch_notes(fetch):
    """data/FETCH.md: the data files to download before running."""
    lines = [
        "# Data files to download",
        "",
        "These files are too large to ship in the bundle. Run `sh data/fetch.sh` from",
        "the bundle's folder (it uses curl), or download each into `data/`:",
        "",
        "| file | size | from |",
        "|---|---|---|",
    ]
    lines += [f"| `{f['path']}` | {_size(f['size'])} | <{f['url']}> |" for f in fetch]
    return "\n".join(lines) + "\n"


def fetch_script(fetch):
    """data/fetch.sh: download the large data files into data/."""
    lines = [
        "#!/bin/sh",
        "# Download the data files too large to ship in this bundle (see FETCH.md).",
        "set -eu",
        'cd "$(dirname "$0")/.."',
    ]
    lines += [
        f"curl -fL --create-dirs -o {shlex.quote(f['path'])} {shlex.quote(f['url'])}"
        for f in fetch
    ]
    return "\n".join(lines) + "\n"


def readme(text, title, fetch):
    """README.md: what is in the bundle and how to run it."""
    try:
        spec = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        spec = {}
    spec = spec if isinstance(spec, dict) else {}
    workflow = spec.get("workflow") if isinstance(spec.get("workflow"), dict) else {}
    outputs = spec.get("outputs") if isinstance(spec.get("outputs"), dict) else {}
    outputs = outputs.get("files") or []
    inputs = spec.get("inputs") if isinstance(spec.get("inputs"), dict) else {}
    job = (inputs.get("parameters") or {}).get("input", "workflow/cwl/job.yml")
    kind = workflow.get("type", "unknown")
    name = "".join(c if c.isalnum() else "-" for c in (title or "cs4od")).strip("-")
    lines = [
        f"# {title or 'CS4OD project'}: reproducible bundle",
        "",
        f"A REANA workflow of type `{kind}`, made by CS4OD. Files:",
        "",
        "- `reana.yaml`: the REANA specification (inputs, workflow, outputs)",
        "- `code/`: notebooks (run with papermill) and analysis scripts",
        "- `data/`: the data files",
    ]
    if kind == "cwl":
        lines.append("- `workflow/cwl/`: the CWL workflow, its tools and `job.yml`")
    if outputs:
        lines += ["", "The run makes: " + ", ".join(f"`{o}`" for o in outputs) + "."]
    if fetch:
        lines += [
            "",
            "## First: download the large data files",
            "",
            "```sh",
            "sh data/fetch.sh",
            "```",
            "",
            "(`data/FETCH.md` lists them.)",
        ]
    lines += [
        "",
        "## Run on REANA",
        "",
        "With reana-client 0.9.6 (`pip install reana-client==0.9.6`) and your server's",
        "address and token:",
        "",
        "```sh",
        "export REANA_SERVER_URL=https://reana.example.org REANA_ACCESS_TOKEN=...",
        "reana-client validate -f reana.yaml",
        f"reana-client run -w {name}",
        f"reana-client status -w {name}",
        f"reana-client download -w {name}",
        "```",
        "",
        "## Run locally",
        "",
        "With CS4OD's local runner (same states, logs and outputs as a REANA run; no",
        "containers: the packages of `scripts/requirements/runner.txt` must be there):",
        "",
        "```sh",
        "python -m cs4od_invenio.reproducibility.runner .",
        "```",
        "",
    ]
    if kind == "cwl":
        lines += [
            "Or with cwltool itself (job file paths are relative to this folder):",
            "",
            "```sh",
            f"cp {job} .job.yml",
            f"cwltool --no-container --outdir outputs {workflow.get('file')} .job.yml",
            "```",
        ]
    else:
        lines += [
            "Or by hand: run each step's `commands` in `reana.yaml`, in order, from",
            "this folder, with each `${name}` replaced by its value from",
            "`inputs.parameters`.",
        ]
    return "\n".join(lines) + "\n"


def unpack_bundle(bundle, workdir):
    """Extract a bundle into ``workdir`` (entries leaving it are refused)."""
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            target = (workdir / info.filename).resolve()
            if not target.is_relative_to(workdir):
                raise BundleError(f"bundle entry {info.filename} points outside")
        for info in archive.infolist():
            path = Path(archive.extract(info, workdir))
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                path.chmod(mode)
    return workdir
