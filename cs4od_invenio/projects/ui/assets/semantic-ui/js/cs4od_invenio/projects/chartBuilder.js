// "New chart" on a project page: a chart of one table (optionally with wide columns
// turned into rows first), drawn on the server once saved.
import React, { useState } from "react";
import PropTypes from "prop-types";
import { Checkbox, Dropdown, Form } from "semantic-ui-react";
import { FieldError } from "./fieldError";
import { ExplorationForm, TableField, TitleField, columnOptions } from "./explorationForm";
import { sourceOf } from "./tables";

const CHART_TYPES = ["line", "bar", "scatter", "histogram"].map((t) => ({ key: t, value: t, text: t }));
const AGGREGATIONS = [
  { key: "none", value: "", text: "none (every row)" },
  ...["sum", "mean", "count", "min", "max"].map((a) => ({ key: a, value: a, text: a })),
];

export function ChartForm({ tables, onSave }) {
  const [table, setTable] = useState(null);
  const [spec, setSpec] = useState({ type: "line", x: "", y: "", group: "", aggregation: "" });
  const [unpivot, setUnpivot] = useState(false);
  const [wide, setWide] = useState([]);
  const [title, setTitle] = useState("");
  const chosen = tables.find((t) => t.value === table);
  const columns = chosen ? chosen.columns : [];
  const usable = unpivot ? [...columns.filter((c) => !wide.includes(c)), "column", "value"] : columns;
  const set = (field) => (e, { value }) => setSpec((old) => ({ ...old, [field]: value }));

  const body = () => {
    const chart = { type: spec.type, x: spec.x };
    if (spec.y) chart.y = spec.y;
    if (spec.group) chart.group = spec.group;
    if (spec.aggregation) chart.aggregation = spec.aggregation;
    if (unpivot && wide.length) chart.unpivot = { columns: wide, key: "column", value: "value" };
    return { kind: "chart", title, sources: [sourceOf(chosen)], spec: chart };
  };

  return (
    <ExplorationForm name="chart" label="New chart" icon="chart line" onSave={() => onSave(body())}
      disabled={!chosen || !spec.x || !title.trim()}>
      {(errors) => (
        <>
          <TableField id="cs4od-chart-table" tables={tables} value={table} onChange={setTable} errors={errors} />
          {chosen && (
            <>
              <Form.Field>
                <Checkbox id="cs4od-chart-unpivot" label="Some columns are values of one variable (e.g. years): turn them into rows"
                  checked={unpivot} onChange={(e, { checked }) => setUnpivot(checked)} />
              </Form.Field>
              {unpivot && (
                <Form.Field>
                  <label htmlFor="cs4od-chart-wide">Columns to turn into rows (they become “column” and “value”)</label>
                  <Dropdown id="cs4od-chart-wide" multiple search selection options={columnOptions(columns)} value={wide}
                    onChange={(e, { value }) => setWide(value)} />
                </Form.Field>
              )}
              <Form.Group widths="equal">
                <Form.Field>
                  <label htmlFor="cs4od-chart-type">Type</label>
                  <Dropdown id="cs4od-chart-type" selection options={CHART_TYPES} value={spec.type} onChange={set("type")} />
                </Form.Field>
                <Form.Field required>
                  <label htmlFor="cs4od-chart-x">X</label>
                  <Dropdown id="cs4od-chart-x" search selection options={columnOptions(usable)} value={spec.x} onChange={set("x")} />
                </Form.Field>
                <Form.Field>
                  <label htmlFor="cs4od-chart-y">Y</label>
                  <Dropdown id="cs4od-chart-y" search selection clearable options={columnOptions(usable)} value={spec.y} onChange={set("y")} />
                </Form.Field>
              </Form.Group>
              <Form.Group widths="equal">
                <Form.Field>
                  <label htmlFor="cs4od-chart-group">Group</label>
                  <Dropdown id="cs4od-chart-group" search selection clearable options={columnOptions(usable)} value={spec.group} onChange={set("group")} />
                </Form.Field>
                <Form.Field>
                  <label htmlFor="cs4od-chart-aggregation">Aggregation</label>
                  <Dropdown id="cs4od-chart-aggregation" selection options={AGGREGATIONS} value={spec.aggregation} onChange={set("aggregation")} />
                </Form.Field>
              </Form.Group>
              <FieldError messages={errors.spec} />
            </>
          )}
          <TitleField id="cs4od-chart-title" value={title} onChange={setTitle} errors={errors} />
        </>
      )}
    </ExplorationForm>
  );
}

ChartForm.propTypes = { tables: PropTypes.array.isRequired, onSave: PropTypes.func.isRequired };
