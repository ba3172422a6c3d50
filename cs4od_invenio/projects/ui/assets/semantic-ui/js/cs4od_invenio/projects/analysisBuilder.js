// "Analyse" on a project page: a group-by, a resampling over time or descriptive
// statistics of one table, computed on the server once saved.
import React, { useState } from "react";
import PropTypes from "prop-types";
import { Button, Dropdown, Form, Icon } from "semantic-ui-react";
import { FieldError } from "./fieldError";
import { ExplorationForm, TableField, TitleField } from "./explorationForm";
import { sourceOf } from "./tables";

const FUNCTIONS = ["sum", "mean", "count", "min", "max"].map((f) => ({ key: f, value: f, text: f }));
const ANALYSES = [
  { key: "group_by", value: "group_by", text: "Group and aggregate" },
  { key: "resample", value: "resample", text: "Resample over time" },
  { key: "describe", value: "describe", text: "Describe columns (count, mean, std, min, max)" },
];
const PERIODS = ["month", "year"].map((p) => ({ key: p, value: p, text: p }));
const NUMERIC = ["integer", "number"];
// Time columns: dates, or text such as Eurostat's week labels (2020W05).
const TIME_TYPES = ["date", "datetime", "text"];
// Never changed in place: rows are replaced when edited.
const NEW_AGGREGATION = { column: "", function: "sum" };

export function AnalysisForm({ tables, onSave }) {
  const [table, setTable] = useState(null);
  const [kind, setKind] = useState("group_by");
  const [by, setBy] = useState([]);
  const [time, setTime] = useState("");
  const [to, setTo] = useState("month");
  const [aggregations, setAggregations] = useState([NEW_AGGREGATION]);
  const [described, setDescribed] = useState([]);
  const [title, setTitle] = useState("");
  const chosen = tables.find((t) => t.value === table);
  const columns = chosen ? chosen.columns : [];
  const typed = (types) => columns.filter((c) => types.includes(chosen.types[c]));
  const options = (names) => names.map((c) => ({ key: c, value: c, text: c, description: chosen.types[c] }));
  const clear = () => {
    setBy([]);
    setTime("");
    setAggregations([NEW_AGGREGATION]);
    setDescribed([]);
  };
  const chooseTable = (value) => {
    // Columns chosen from another table would not be there.
    setTable(value);
    clear();
  };
  // Saved: the next analysis starts from an empty form (on the same table).
  const save = () => onSave(body()).then(() => { clear(); setTitle(""); });
  const setAggregation = (index, field) => (e, { value }) =>
    setAggregations((old) => old.map((a, i) => (i === index ? { ...a, [field]: value } : a)));

  const spec = () => {
    if (kind === "describe") return { kind, columns: described };
    const body = { kind, by, aggregations: aggregations.filter((a) => a.column) };
    if (kind === "resample") Object.assign(body, { time, to });
    return body;
  };
  const complete =
    kind === "describe"
      ? described.length > 0
      : aggregations.some((a) => a.column) && (kind === "resample" ? Boolean(time) : by.length > 0);
  const body = () => ({ kind: "analysis", title, sources: [sourceOf(chosen)], spec: spec() });

  return (
    <ExplorationForm name="analysis" label="Analyse" icon="calculator" onSave={save}
      disabled={!chosen || !complete || !title.trim()}>
      {(errors) => (
        <>
          <Form.Group widths="equal">
            <TableField id="cs4od-analysis-table" tables={tables} value={table} onChange={chooseTable} errors={errors} />
            <Form.Field required>
              <label htmlFor="cs4od-analysis-kind">Analysis</label>
              <Dropdown id="cs4od-analysis-kind" selection options={ANALYSES} value={kind} onChange={(e, { value }) => setKind(value)} />
            </Form.Field>
          </Form.Group>
          {chosen && kind === "resample" && (
            <Form.Group widths="equal">
              <Form.Field required>
                <label htmlFor="cs4od-analysis-time">Time column (dates or week labels)</label>
                <Dropdown id="cs4od-analysis-time" search selection options={options(typed(TIME_TYPES))} value={time}
                  onChange={(e, { value }) => setTime(value)} />
              </Form.Field>
              <Form.Field required>
                <label htmlFor="cs4od-analysis-to">Per</label>
                <Dropdown id="cs4od-analysis-to" selection options={PERIODS} value={to} onChange={(e, { value }) => setTo(value)} />
              </Form.Field>
            </Form.Group>
          )}
          {chosen && kind !== "describe" && (
            <>
              <Form.Field required={kind === "group_by"}>
                <label htmlFor="cs4od-analysis-by">{kind === "resample" ? "Also group by (optional)" : "Group by"}</label>
                <Dropdown id="cs4od-analysis-by" multiple search selection value={by} onChange={(e, { value }) => setBy(value)}
                  options={options(columns.filter((c) => c !== time))} />
              </Form.Field>
              {aggregations.map((aggregation, index) => (
                // eslint-disable-next-line react/no-array-index-key
                <Form.Group key={index} widths="equal" className="cs4od-analysis-aggregation">
                  <Form.Field required={index === 0}>
                    <label htmlFor={`cs4od-analysis-function-${index}`}>Function</label>
                    <Dropdown id={`cs4od-analysis-function-${index}`} selection options={FUNCTIONS} value={aggregation.function}
                      onChange={setAggregation(index, "function")} />
                  </Form.Field>
                  <Form.Field required={index === 0}>
                    <label htmlFor={`cs4od-analysis-column-${index}`}>Of the column</label>
                    <Dropdown id={`cs4od-analysis-column-${index}`} search selection value={aggregation.column}
                      onChange={setAggregation(index, "column")}
                      options={options(aggregation.function === "count" ? columns : typed(NUMERIC))} />
                  </Form.Field>
                  {aggregations.length > 1 && (
                    // Aligned with the fields beside it, under their labels.
                    <Form.Field width={2} style={{ paddingTop: "1.7em" }}>
                      <Button type="button" icon="close" basic aria-label={`Remove aggregation ${index + 1}`}
                        onClick={() => setAggregations((old) => old.filter((a, i) => i !== index))} />
                    </Form.Field>
                  )}
                </Form.Group>
              ))}
              <Button type="button" size="small" basic onClick={() => setAggregations((old) => [...old, NEW_AGGREGATION])}>
                <Icon name="plus" />Another aggregation
              </Button>
            </>
          )}
          {chosen && kind === "describe" && (
            <Form.Field required>
              <label htmlFor="cs4od-analysis-columns">Columns (numbers)</label>
              <Dropdown id="cs4od-analysis-columns" multiple search selection value={described}
                onChange={(e, { value }) => setDescribed(value)} options={options(typed(NUMERIC))} />
            </Form.Field>
          )}
          <FieldError messages={errors.spec} />
          <TitleField id="cs4od-analysis-title" value={title} onChange={setTitle} errors={errors} className="rel-mt-1" />
        </>
      )}
    </ExplorationForm>
  );
}

AnalysisForm.propTypes = { tables: PropTypes.array.isRequired, onSave: PropTypes.func.isRequired };
