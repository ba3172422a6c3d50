"""reana.yaml validated by reana-client 0.9.6 (own environment) and CS4OD's checks."""

import pytest
import yaml
from repro_helpers import DEMO, worldpopulation_project

from cs4od_invenio.reproducibility.spec import build_spec
from cs4od_invenio.reproducibility.validate import (
    ReanaClientError,
    reana_client_program,
    validate_spec,
)


def messages(result, level="error"):
    return [p["message"] for p in result.problems if p["level"] == level]


@pytest.mark.parametrize("name", ["reana.yaml", "reana-cwl.yaml"])
def test_the_demo_specifications_are_valid(demo_workspace, name):
    result = validate_spec((DEMO / name).read_text(), workspace=demo_workspace)
    assert result.valid
    assert result.problems == []
    assert "Valid REANA specification file." in result.output


@pytest.mark.parametrize("workflow", ["serial", "cwl"])
def test_generated_specifications_are_valid(demo_workspace, workflow):
    spec = build_spec(worldpopulation_project(workflow))
    result = validate_spec(spec.yaml(), workspace=demo_workspace, files=spec.generated)
    assert result.as_dict() == {"valid": True, "problems": []}


def test_a_version_that_is_not_a_string_is_an_error(demo_workspace):
    text = (DEMO / "reana.yaml").read_text().replace("version: 0.3.0", "version: 0.3")
    result = validate_spec(text, workspace=demo_workspace)
    assert not result.valid
    assert messages(result) == [
        "reana.yaml is not a valid REANA specification: 0.3 is not of type 'string'"
    ]


def test_a_missing_workflow_type_is_named(demo_workspace):
    text = (DEMO / "reana.yaml").read_text().replace("  type: serial\n", "")
    result = validate_spec(text, workspace=demo_workspace)
    # reana-client itself only says "Something went wrong"; CS4OD says what.
    assert messages(result) == [
        "workflow.type is required: one of cwl, serial, yadage, snakemake"
    ]


def test_an_unknown_workflow_type_gets_reana_clients_message(demo_workspace):
    text = (DEMO / "reana.yaml").read_text().replace("type: serial", "type: make")
    result = validate_spec(text, workspace=demo_workspace)
    assert messages(result) == [
        "reana.yaml is not a valid REANA specification:"
        " 'make' is not one of ['cwl', 'serial', 'yadage', 'snakemake']"
    ]
    assert result.problems[0]["source"] == "reana-client"


def test_an_input_file_not_in_the_workspace_is_an_error(demo_workspace):
    (demo_workspace / "code" / "worldpopulation.ipynb").unlink()
    result = validate_spec((DEMO / "reana.yaml").read_text(), workspace=demo_workspace)
    assert messages(result) == [
        "inputs.files: file code/worldpopulation.ipynb is not in the workspace"
    ]


def test_a_missing_cwl_workflow_file_is_reported_by_cwltool_too(demo_workspace):
    text = (
        (DEMO / "reana-cwl.yaml")
        .read_text()
        .replace(
            "file: workflow/cwl/worldpopulation.cwl", "file: workflow/cwl/gone.cwl"
        )
    )
    result = validate_spec(text, workspace=demo_workspace)
    assert messages(result) == [
        "workflow.file: file workflow/cwl/gone.cwl is not in the workspace",
        "the CWL workflow cannot be loaded: Not found: 'workflow/cwl/gone.cwl'",
    ]


def test_text_that_is_not_yaml_is_reported_with_line_and_column():
    text = "version: 0.3.0\nworkflow: [serial\n  type: cwl\n"
    result = validate_spec(text)
    (problem,) = result.problems
    assert problem["source"] == "yaml"
    assert (problem["line"], problem["column"]) == (3, 7)
    assert problem["message"] == (
        "reana.yaml is not valid YAML: expected ',' or ']', but got ':'"
        " (line 3, column 7)"
    )


def test_yaml_that_is_not_a_mapping_is_an_error():
    result = validate_spec("- version\n- workflow\n")
    assert messages(result) == [
        "reana.yaml must be a mapping with the keys version, inputs, workflow"
        " and outputs"
    ]


def test_warnings_keep_the_spec_valid_and_are_all_shown(demo_workspace):
    spec = yaml.safe_load((DEMO / "reana.yaml").read_text())
    spec["inputs"]["parameters"]["unused"] = 1
    step = spec["workflow"]["specification"]["steps"][0]
    step["commands"].append("sudo echo ${undefined}")
    spec["comment"] = "not a REANA key"
    result = validate_spec(yaml.safe_dump(spec), workspace=demo_workspace)
    assert result.valid
    assert messages(result, "warning") == [
        "Unexpected properties found in REANA specification file: 'comment'.",
        'REANA input parameter "unused" does not seem to be used.',
        'Serial parameter "undefined" found on step "0" is not defined in input'
        " parameters.",
        'Operation "sudo" found in step "0" might be dangerous.',
    ]


def test_a_missing_reana_client_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CS4OD_REANA_CLIENT", str(tmp_path / "reana-client"))
    assert reana_client_program() == str(tmp_path / "reana-client")
    with pytest.raises(ReanaClientError, match="reana-client is not installed at"):
        validate_spec((DEMO / "reana.yaml").read_text(), workspace=tmp_path)
