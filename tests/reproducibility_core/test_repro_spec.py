"""reana.yaml built from a project description: serial (papermill) and CWL."""

import re

import pytest
import yaml
from repro_helpers import CSV_NAME, worldpopulation_project

from cs4od_invenio.reproducibility.spec import SpecError, build_spec


def test_serial_spec_runs_the_notebook_with_papermill_and_its_parameters():
    spec = build_spec(worldpopulation_project("serial"))
    reana = spec.reana
    assert reana["version"] == "0.3.0"
    assert reana["inputs"]["files"] == [
        "code/worldpopulation.ipynb",
        f"data/{CSV_NAME}",
    ]
    assert reana["inputs"]["parameters"] == {
        "input_file": f"data/{CSV_NAME}",
        "output_file": "outputs/plot.png",
        "region": "Africa",
        "year_min": 1500,
        "year_max": 2012,
    }
    (step,) = reana["workflow"]["specification"]["steps"]
    assert reana["workflow"]["type"] == "serial"
    assert step["environment"] == "docker.io/reanahub/reana-env-jupyter:3.0.0"
    assert step["commands"] == [
        "mkdir -p outputs && papermill code/worldpopulation.ipynb"
        ' outputs/worldpopulation.ipynb -p input_file "${input_file}"'
        ' -p output_file "${output_file}" -p region "${region}"'
        ' -p year_min "${year_min}" -p year_max "${year_max}"'
    ]
    assert reana["outputs"]["files"] == [
        "outputs/plot.png",
        "outputs/worldpopulation.ipynb",
    ]
    # The text a user edits is the same specification, in the order written here.
    assert yaml.safe_load(spec.yaml()) == reana
    assert spec.yaml().startswith("version: 0.3.0\ninputs:\n")
    assert spec.sources["code/worldpopulation.ipynb"]["path"].endswith(
        "worldpopulation.ipynb"
    )


def test_cwl_spec_has_a_workflow_a_tool_per_step_and_a_job_file():
    spec = build_spec(worldpopulation_project("cwl"))
    reana = spec.reana
    assert reana["workflow"] == {"type": "cwl", "file": "workflow/cwl/workflow.cwl"}
    assert reana["inputs"]["directories"] == ["workflow/cwl"]
    assert reana["inputs"]["parameters"] == {"input": "workflow/cwl/job.yml"}
    assert set(spec.generated) == {
        "workflow/cwl/workflow.cwl",
        "workflow/cwl/worldpopulation.cwl",
        "workflow/cwl/job.yml",
    }
    job = yaml.safe_load(spec.generated["workflow/cwl/job.yml"])
    # The CSV is a File input; the plot a bare name (a tool writes in its own folder).
    assert job["input_file"] == {"class": "File", "path": f"data/{CSV_NAME}"}
    assert job["worldpopulation_notebook"] == {
        "class": "File",
        "path": "code/worldpopulation.ipynb",
    }
    assert job["output_file"] == "plot.png"
    assert job["year_min"] == 1500
    tool = yaml.safe_load(spec.generated["workflow/cwl/worldpopulation.cwl"])
    assert tool["class"] == "CommandLineTool"
    assert tool["baseCommand"] == ["papermill"]
    assert tool["inputs"]["year_min"] == "int"
    assert tool["inputs"]["input_file"] == "File"
    # Docker is a hint: REANA pulls the image, the local runner runs without one.
    assert "requirements" not in tool
    assert tool["hints"][0]["dockerPull"].startswith(
        "docker.io/reanahub/reana-env-jupyter"
    )
    assert tool["outputs"]["files"]["outputBinding"]["glob"] == [
        "worldpopulation.ipynb",
        "plot.png",
    ]
    workflow = yaml.safe_load(spec.generated["workflow/cwl/workflow.cwl"])
    assert workflow["steps"]["worldpopulation"]["run"] == "worldpopulation.cwl"
    assert set(workflow["inputs"]) == set(job)


def test_saved_analysis_becomes_a_script_step_writing_json():
    code = (
        "import sys\nimport pandas as pd\nprint(pd.read_csv(sys.argv[1]).to_json())\n"
    )
    project = worldpopulation_project(
        analyses=[{"name": "Share by region", "code": code, "data": CSV_NAME}]
    )
    spec = build_spec(project)
    assert spec.generated["code/Share-by-region.py"] == code
    assert "code/Share-by-region.py" in spec.reana["inputs"]["files"]
    step = spec.reana["workflow"]["specification"]["steps"][1]
    assert step["name"] == "Share-by-region"
    assert step["commands"] == [
        "mkdir -p outputs && python code/Share-by-region.py"
        f" data/{CSV_NAME} > outputs/Share-by-region.json"
    ]
    assert "outputs/Share-by-region.json" in spec.reana["outputs"]["files"]

    cwl = build_spec({**project, "workflow": "cwl"})
    tool = yaml.safe_load(cwl.generated["workflow/cwl/Share-by-region.cwl"])
    assert tool["baseCommand"] == ["python"]
    assert tool["stdout"] == "Share-by-region.json"


def test_a_script_reading_two_tables_and_writing_files():
    data = worldpopulation_project()["data"] + [
        {"name": "other.csv", "path": "/tmp/other.csv", "size": 3}]
    project = worldpopulation_project(data=data, analyses=[{
        "name": "Both tables", "code": "print(1)",
        "data": [CSV_NAME, "other.csv"], "outputs": ["both.csv"]}])
    step = build_spec(project).reana["workflow"]["specification"]["steps"][1]
    assert step["commands"] == [
        "mkdir -p outputs && python code/Both-tables.py"
        f" data/{CSV_NAME} data/other.csv outputs/both.csv"]

    cwl = build_spec({**project, "workflow": "cwl"})
    tool = yaml.safe_load(cwl.generated["workflow/cwl/Both-tables.cwl"])
    assert tool["arguments"] == [
        "$(inputs.script.path)", "$(inputs.data_1.path)", "$(inputs.data_2.path)",
        "both.csv"]
    assert "stdout" not in tool
    assert tool["outputs"]["files"]["outputBinding"]["glob"] == ["both.csv"]
    job = yaml.safe_load(cwl.generated["workflow/cwl/job.yml"])
    assert job["Both_tables_data_2"] == {"class": "File", "path": "data/other.csv"}
    assert "outputs/both.csv" in cwl.reana["outputs"]["files"]

    with pytest.raises(SpecError, match="not a plain file name"):
        build_spec(worldpopulation_project(analyses=[{
            "name": "x", "code": "print(1)", "data": CSV_NAME,
            "outputs": ["../escape.csv"]}]))


def test_a_parameter_shared_with_different_values_is_named_per_notebook():
    first = worldpopulation_project()["notebooks"][0]
    second = {**first, "name": "europe.ipynb", "parameters": {**first["parameters"]}}
    second["parameters"]["region"] = "Europe"
    spec = build_spec(worldpopulation_project(notebooks=[first, second]))
    parameters = spec.reana["inputs"]["parameters"]
    assert parameters["worldpopulation_region"] == "Africa"
    assert parameters["europe_region"] == "Europe"
    assert parameters["year_min"] == 1500  # same value in both: one parameter
    steps = spec.reana["workflow"]["specification"]["steps"]
    assert '-p region "${europe_region}"' in steps[1]["commands"][0]


def test_a_large_data_file_given_by_url_is_a_source_to_fetch():
    data = [
        {"name": "big.csv", "url": "https://example.org/big.csv", "size": 5_000_000_000}
    ]
    spec = build_spec(worldpopulation_project(data=data))
    assert spec.sources["data/big.csv"] == {
        "url": "https://example.org/big.csv",
        "size": 5_000_000_000,
    }
    assert "data/big.csv" in spec.reana["inputs"]["files"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"workflow": "snakemake"}, "workflow type 'snakemake' is not supported"),
        ({"notebooks": []}, "no notebook and no saved analysis"),
        ({"outputs": ["/etc/passwd"]}, "must be a file directly in outputs/"),
        ({"outputs": ["outputs/../x.png"]}, "must be a file directly in outputs/"),
        ({"data": [{"name": "x.csv"}]}, "data file x.csv has neither a path nor a URL"),
        ({"data": [{"name": "../x.csv", "path": "/x"}]}, "is not a plain file name"),
        (
            {"analyses": [{"name": "a", "code": "print(1)", "data": "nope.csv"}]},
            "analysis 'a' names no data file",
        ),
    ],
)
def test_a_description_that_cannot_become_a_spec_says_why(changes, message):
    with pytest.raises(SpecError, match=re.escape(message)):
        build_spec(worldpopulation_project(**changes))


def test_a_parameter_value_that_would_break_the_command_line_is_refused():
    project = worldpopulation_project()
    project["notebooks"][0]["parameters"]["region"] = 'Africa"; rm -rf ~; "'
    with pytest.raises(SpecError, match="contains a quote"):
        build_spec(project)
