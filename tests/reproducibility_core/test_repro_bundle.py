"""The reproducible bundle: a zip with reana.yaml, code, data, workflow and a README."""

import io
import zipfile

import pytest
from repro_helpers import CSV, CSV_NAME, DEMO, worldpopulation_project

from cs4od_invenio.reproducibility.bundle import (
    BundleError,
    unpack_bundle,
    write_bundle,
)
from cs4od_invenio.reproducibility.spec import build_spec
from cs4od_invenio.reproducibility.validate import validate_spec


def bundle_of(project, **options):
    target = io.BytesIO()
    manifest = write_bundle(build_spec(project), target, **options)
    return zipfile.ZipFile(io.BytesIO(target.getvalue())), manifest, target.getvalue()


def test_a_cwl_bundle_holds_spec_code_data_workflow_and_readme():
    archive, manifest, _ = bundle_of(worldpopulation_project("cwl"), title="World pop")
    assert sorted(archive.namelist()) == [
        "README.md",
        "code/worldpopulation.ipynb",
        f"data/{CSV_NAME}",
        "reana.yaml",
        "workflow/cwl/job.yml",
        "workflow/cwl/workflow.cwl",
        "workflow/cwl/worldpopulation.cwl",
    ]
    assert manifest["fetch"] == []
    assert (
        archive.read("reana.yaml").decode()
        == build_spec(worldpopulation_project("cwl")).yaml()
    )
    assert archive.read(f"data/{CSV_NAME}") == CSV.read_bytes()
    assert (
        archive.read("code/worldpopulation.ipynb")
        == (DEMO / "code" / "worldpopulation.ipynb").read_bytes()
    )
    readme = archive.read("README.md").decode()
    assert readme.startswith("# World pop: reproducible bundle")
    assert "reana-client run -w World-pop" in readme
    assert "python -m cs4od_invenio.reproducibility.runner ." in readme
    assert "cwltool --no-container --outdir outputs workflow/cwl/workflow.cwl" in readme


def test_the_same_project_gives_the_same_bytes():
    assert (
        bundle_of(worldpopulation_project())[2]
        == bundle_of(worldpopulation_project())[2]
    )


def test_the_users_edited_reana_yaml_goes_into_the_bundle():
    edited = build_spec(worldpopulation_project()).yaml().replace("Africa", "Europe")
    archive, _, _ = bundle_of(worldpopulation_project(), reana_yaml=edited)
    assert "region: Europe" in archive.read("reana.yaml").decode()


def test_large_data_files_are_fetched_not_shipped(tmp_path):
    data = [
        {"name": CSV_NAME, "path": str(CSV), "url": "https://example.org/pop.csv"},
        {"name": "small.csv", "path": str(CSV)},
    ]
    project = worldpopulation_project(data=data)
    archive, manifest, raw = bundle_of(project, max_file_size=CSV.stat().st_size - 1)
    names = archive.namelist()
    # Too big and downloadable: fetched; too big but with no URL: shipped anyway.
    assert f"data/{CSV_NAME}" not in names
    assert "data/small.csv" in names
    assert manifest["fetch"] == [
        {
            "path": f"data/{CSV_NAME}",
            "url": "https://example.org/pop.csv",
            "size": CSV.stat().st_size,
        }
    ]
    script = archive.read("data/fetch.sh").decode()
    assert (
        f"curl -fL --create-dirs -o data/{CSV_NAME} https://example.org/pop.csv"
        in script
    )
    assert f"| `data/{CSV_NAME}` | 574 bytes | <https://example.org/pop.csv> |" in (
        archive.read("data/FETCH.md").decode()
    )
    assert "sh data/fetch.sh" in archive.read("README.md").decode()
    (tmp_path / "b.zip").write_bytes(raw)
    workdir = unpack_bundle(tmp_path / "b.zip", tmp_path / "run")
    assert (workdir / "data" / "fetch.sh").stat().st_mode & 0o111


def test_a_missing_notebook_file_is_an_error(tmp_path):
    project = worldpopulation_project()
    project["notebooks"][0]["path"] = str(tmp_path / "gone.ipynb")
    with pytest.raises(BundleError, match="code/worldpopulation.ipynb: the record's "
                       "stored file is missing") as error:
        write_bundle(build_spec(project), io.BytesIO())
    # The reason is shown to visitors of the project page: no server path in it.
    assert str(tmp_path) not in str(error.value)


def test_unpacking_refuses_entries_outside_the_folder(tmp_path):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("../outside.txt", "x")
    with pytest.raises(BundleError, match="points outside"):
        unpack_bundle(tmp_path / "evil.zip", tmp_path / "run")
    assert not (tmp_path / "outside.txt").exists()


@pytest.mark.parametrize("workflow", ["serial", "cwl"])
def test_an_unpacked_bundle_passes_reana_client_validate(tmp_path, workflow):
    _, _, raw = bundle_of(worldpopulation_project(workflow))
    (tmp_path / "b.zip").write_bytes(raw)
    workdir = unpack_bundle(tmp_path / "b.zip", tmp_path / "run")
    result = validate_spec((workdir / "reana.yaml").read_text(), workspace=workdir)
    assert result.problems == []
