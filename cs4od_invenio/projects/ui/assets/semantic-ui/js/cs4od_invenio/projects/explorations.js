// "Charts and analyses" on a project page: the explorations saved on the project
// (GET /api/projects/<id>/explorations), and for its owner a chart builder, an
// analysis builder (group-by, resampling over time, descriptive statistics) and
// "combine tables" (concatenation). Each is computed by a background task; its state is
// polled until it is done. Charts are the SVG drawn on the server, shown as an image
// (nothing in an image runs); analysis results are tables of text cells.
import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { Button, Checkbox, Dropdown, Form, Icon, Loader, Message, Segment } from "semantic-ui-react";
import { http, errorMessage } from "./api";
import { FieldError } from "./fieldError";

const path = (url) => new URL(url).pathname;
const CHART_TYPES = ["line", "bar", "scatter", "histogram"].map((t) => ({ key: t, value: t, text: t }));
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
const SHOWN_ROWS = 100;
const AGGREGATIONS = [
  { key: "none", value: "", text: "none (every row)" },
  ...["sum", "mean", "count", "min", "max"].map((a) => ({ key: a, value: a, text: a })),
];

/** Tables of the project's datasets that have a preview (so their columns are known). */
function useTables(datasets) {
  const [tables, setTables] = useState([]);
  useEffect(() => {
    Promise.all(
      datasets.map((id) =>
        http
          .get(`/api/records/${id}/previews`)
          .then(({ data }) => data.hits.filter((h) => h.status === "succeeded").map((h) => ({
            value: `${id}/${h.key}`,
            record_id: id,
            key: h.key,
            columns: h.preview.columns.map((c) => c.name),
            types: Object.fromEntries(h.preview.columns.map((c) => [c.name, c.type])),
          })))
          .catch(() => [])
      )
    ).then((lists) => setTables(lists.flat()));
  }, [datasets.join(",")]);
  return tables;
}

function ExplorationResult({ exploration }) {
  const result = exploration.result || {};
  if (exploration.kind === "chart") {
    return (
      <>
        <img className="cs4od-chart" src={path(exploration.links.svg)} alt={exploration.title} />
        <p>
          <a href={path(exploration.links.png)} download>PNG</a>
          {" · "}
          <a href={path(exploration.links.code)}>Python code</a>
        </p>
      </>
    );
  }
  if (exploration.kind === "analysis") {
    const rows = result.rows || [];
    return (
      <>
        <p className="text-muted cs4od-analysis-summary">
          {describeAnalysis(exploration.spec)} · {rows.length.toLocaleString()} {rows.length === 1 ? "row" : "rows"}
          {rows.length > SHOWN_ROWS ? `, the first ${SHOWN_ROWS} shown` : ""}
        </p>
        <div className="cs4od-preview-scroll">
          <table className="ui very compact small celled collapsing unstackable table cs4od-analysis-table">
            <thead><tr>{result.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
            <tbody>
              {rows.slice(0, SHOWN_ROWS).map((row, index) => (
                // eslint-disable-next-line react/no-array-index-key
                <tr key={index}>
                  {row.map((cell, col) => (
                    <td key={result.columns[col]} className={typeof cell === "number" ? "right aligned" : undefined}>{cellText(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="rel-mt-1"><a href={path(exploration.links.code)}>Python code (pandas)</a></p>
      </>
    );
  }
  const report = result.report || {};
  return (
    <>
      <p>
        {report.rows?.toLocaleString()} rows, {report.columns?.length} columns, published as{" "}
        <a href={`/records/${result.record_id}`}>a new dataset</a> derived from its sources.
      </p>
      {(report.inputs || []).filter((i) => i.missing_columns.length || i.added_columns.length).map((i) => (
        <p key={i.name} className="text-muted">
          {i.name}: {i.missing_columns.length ? `lacks ${i.missing_columns.join(", ")}` : ""}
          {i.added_columns.length ? ` adds ${i.added_columns.join(", ")}` : ""}
        </p>
      ))}
      {(report.type_conflicts || []).map((c) => (
        <p key={c.column} className="text-muted">{c.column}: {c.types.join(" and ")} → {c.resolved_as}</p>
      ))}
    </>
  );
}

ExplorationResult.propTypes = { exploration: PropTypes.object.isRequired };

/** A cell as plain text (React escapes it): numbers with at most 6 decimals. */
function cellText(cell) {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number" && !Number.isInteger(cell)) {
    return cell.toLocaleString("en", { maximumFractionDigits: 6, useGrouping: false });
  }
  return String(cell);
}

/** One line saying what an analysis computes, e.g. "sum of value by geo, per month of time". */
function describeAnalysis(spec = {}) {
  if (spec.kind === "describe") return `Statistics of ${(spec.columns || []).join(", ")}`;
  const aggregations = (spec.aggregations || []).map((a) => `${a.function} of ${a.column}`).join(", ");
  const by = (spec.by || []).length ? ` by ${spec.by.join(", ")}` : "";
  const per = spec.kind === "resample" ? ` per ${spec.to} of ${spec.time}` : "";
  return aggregations + by + per;
}

function ExplorationItem({ exploration, canManage, onDelete }) {
  if (exploration.restricted) {
    return (
      <Segment className="cs4od-exploration">
        <Icon name="lock" /> A {exploration.kind} of tables you do not have access to.
      </Segment>
    );
  }
  return (
    <Segment className="cs4od-exploration" data-status={exploration.status} data-kind={exploration.kind}>
      <h3 className="ui small header">{exploration.title}</h3>
      {(exploration.status === "queued" || exploration.status === "running") && (
        <Loader active inline size="small" content={exploration.status === "queued" ? "Waiting for a worker…" : "Computing…"} />
      )}
      {exploration.status === "failed" && (
        <Message warning size="small" header={`This ${exploration.kind} could not be made`} content={exploration.message} />
      )}
      {exploration.status === "succeeded" && <ExplorationResult exploration={exploration} />}
      {(exploration.result?.notes || []).map((note) => <p key={note} className="text-muted">{note}</p>)}
      {canManage && (
        <Button type="button" size="mini" basic onClick={() => onDelete(exploration)}>
          <Icon name="trash alternate outline" />Remove
        </Button>
      )}
    </Segment>
  );
}

ExplorationItem.propTypes = {
  exploration: PropTypes.object.isRequired,
  canManage: PropTypes.bool.isRequired,
  onDelete: PropTypes.func.isRequired,
};

const columnOptions = (columns) => columns.map((c) => ({ key: c, value: c, text: c }));

function ChartForm({ tables, onSave }) {
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
    return { kind: "chart", title, sources: [{ record_id: chosen?.record_id, key: chosen?.key }], spec: chart };
  };

  return (
    <ExplorationForm name="chart" label="New chart" onSave={() => onSave(body())} disabled={!chosen || !spec.x || !title.trim()}>
      {(errors) => (
        <>
          <Form.Field required error={Boolean(errors.sources)}>
            <label htmlFor="cs4od-chart-table">Table</label>
            <Dropdown id="cs4od-chart-table" selection options={tables.map((t) => ({ key: t.value, value: t.value, text: t.key }))}
              value={table} onChange={(e, { value }) => setTable(value)} placeholder="Choose a table" />
            <FieldError messages={errors.sources || errors["sources.0"]} />
          </Form.Field>
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
          <Form.Field required error={Boolean(errors.title)}>
            <label htmlFor="cs4od-chart-title">Title</label>
            <input id="cs4od-chart-title" value={title} onChange={(e) => setTitle(e.target.value)} />
            <FieldError messages={errors.title} />
          </Form.Field>
        </>
      )}
    </ExplorationForm>
  );
}

ChartForm.propTypes = { tables: PropTypes.array.isRequired, onSave: PropTypes.func.isRequired };

function AnalysisForm({ tables, onSave }) {
  const [table, setTable] = useState(null);
  const [kind, setKind] = useState("group_by");
  const [by, setBy] = useState([]);
  const [time, setTime] = useState("");
  const [to, setTo] = useState("month");
  const [aggregations, setAggregations] = useState([{ column: "", function: "sum" }]);
  const [described, setDescribed] = useState([]);
  const [title, setTitle] = useState("");
  const chosen = tables.find((t) => t.value === table);
  const columns = chosen ? chosen.columns : [];
  const typed = (types) => columns.filter((c) => types.includes(chosen.types[c]));
  const options = (names) => names.map((c) => ({ key: c, value: c, text: c, description: chosen.types[c] }));
  const clear = () => {
    setBy([]);
    setTime("");
    setAggregations([{ column: "", function: "sum" }]);
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
  const body = () => ({ kind: "analysis", title, sources: [{ record_id: chosen?.record_id, key: chosen?.key }], spec: spec() });

  return (
    <ExplorationForm name="analysis" label="Analyse" onSave={save} disabled={!chosen || !complete || !title.trim()}>
      {(errors) => (
        <>
          <Form.Group widths="equal">
            <Form.Field required error={Boolean(errors.sources || errors["sources.0"])}>
              <label htmlFor="cs4od-analysis-table">Table</label>
              <Dropdown id="cs4od-analysis-table" selection options={tables.map((t) => ({ key: t.value, value: t.value, text: t.key }))}
                value={table} onChange={(e, { value }) => chooseTable(value)} placeholder="Choose a table" />
              <FieldError messages={errors.sources || errors["sources.0"]} />
            </Form.Field>
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
              <Button type="button" size="small" basic onClick={() => setAggregations((old) => [...old, { column: "", function: "sum" }])}>
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
          <Form.Field required error={Boolean(errors.title)} className="rel-mt-1">
            <label htmlFor="cs4od-analysis-title">Title</label>
            <input id="cs4od-analysis-title" value={title} onChange={(e) => setTitle(e.target.value)} />
            <FieldError messages={errors.title} />
          </Form.Field>
        </>
      )}
    </ExplorationForm>
  );
}

AnalysisForm.propTypes = { tables: PropTypes.array.isRequired, onSave: PropTypes.func.isRequired };

function CombineForm({ tables, onSave }) {
  const [chosen, setChosen] = useState([]);
  const [title, setTitle] = useState("");
  const body = () => ({
    kind: "concatenation",
    title,
    sources: chosen.map((value) => tables.find((t) => t.value === value)).map((t) => ({ record_id: t.record_id, key: t.key })),
  });
  return (
    <ExplorationForm name="combine" label="Combine tables" onSave={() => onSave(body())} disabled={chosen.length < 2 || !title.trim()}>
      {(errors) => (
        <>
          <Form.Field required error={Boolean(errors.sources)}>
            <label htmlFor="cs4od-combine-tables">Tables (rows stacked, columns aligned by name)</label>
            <Dropdown id="cs4od-combine-tables" multiple selection value={chosen} onChange={(e, { value }) => setChosen(value)}
              options={tables.map((t) => ({ key: t.value, value: t.value, text: t.key }))} />
            <FieldError messages={errors.sources} />
          </Form.Field>
          <Form.Field required error={Boolean(errors.title)}>
            <label htmlFor="cs4od-combine-title">Title of the combined dataset</label>
            <input id="cs4od-combine-title" value={title} onChange={(e) => setTitle(e.target.value)} />
            <FieldError messages={errors.title} />
          </Form.Field>
        </>
      )}
    </ExplorationForm>
  );
}

CombineForm.propTypes = { tables: PropTypes.array.isRequired, onSave: PropTypes.func.isRequired };

/** A collapsible form; `onSave` returns the POST promise; API field errors are shown. */
function ExplorationForm({ name, label, onSave, disabled, children }) {
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const save = () => {
    setBusy(true);
    setErrors({});
    onSave()
      .then(() => setOpen(false))
      .catch((error) => {
        const fields = {};
        (error.response?.data?.errors || []).forEach(({ field, messages }) => { fields[field] = messages; });
        if (!Object.keys(fields).length) fields._form = [errorMessage(error)];
        setErrors(fields);
      })
      .finally(() => setBusy(false));
  };
  if (!open) {
    return (
      <Button type="button" basic onClick={() => setOpen(true)} className={`cs4od-open-${name}`}>
        <Icon name={{ chart: "chart line", analysis: "calculator" }[name] || "clone outline"} />{label}
      </Button>
    );
  }
  return (
    <Segment className={`cs4od-${name}-form`}>
      <Form error={Boolean(errors._form)} onSubmit={(e) => e.preventDefault()}>
        <Message error content={(errors._form || []).join(" ")} />
        {children(errors)}
        <Button type="button" primary loading={busy} disabled={busy || disabled} onClick={save}>Save</Button>
        <Button type="button" onClick={() => setOpen(false)} disabled={busy}>Cancel</Button>
      </Form>
    </Segment>
  );
}

ExplorationForm.propTypes = {
  name: PropTypes.string.isRequired,
  label: PropTypes.string.isRequired,
  onSave: PropTypes.func.isRequired,
  disabled: PropTypes.bool.isRequired,
  children: PropTypes.func.isRequired,
};

/** Sent on the window when the project's saved results change. */
export const EXPLORATIONS_CHANGED = "cs4od:explorations-changed";

export function Explorations({ projectId, canManage, datasets }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const timer = useRef(null);
  const tables = useTables(canManage ? datasets : []);
  const base = `/api/projects/${projectId}/explorations`;

  const done = useRef(null);

  const load = () =>
    http
      .get(base)
      .then(({ data }) => {
        setItems(data.hits);
        // Saved results are steps of the project's reana.yaml: tell its panel.
        const succeeded = data.hits.filter((h) => h.status === "succeeded").map((h) => h.id).sort().join();
        if (done.current !== null && done.current !== succeeded) {
          window.dispatchEvent(new Event(EXPLORATIONS_CHANGED));
        }
        done.current = succeeded;
        clearTimeout(timer.current);
        if (data.hits.some((h) => h.status === "queued" || h.status === "running")) {
          timer.current = setTimeout(load, 1500);
        }
      })
      .catch((e) => setError(errorMessage(e)));

  useEffect(() => {
    load();
    return () => clearTimeout(timer.current);
  }, [projectId]);

  const save = (body) => http.post(base, body).then(load);
  const remove = (exploration) => http.delete(`${base}/${exploration.id}`).then(load);

  if (error) return <Message warning size="small" content={error} />;
  if (items === null) return <Loader active inline size="small" />;
  return (
    <div className="cs4od-explorations">
      {items.length === 0 && <p className="text-muted">None yet.</p>}
      {items.map((item) => (
        <ExplorationItem key={item.id} exploration={item} canManage={canManage} onDelete={remove} />
      ))}
      {canManage && tables.length > 0 && (
        <div className="cs4od-exploration-forms">
          <ChartForm tables={tables} onSave={save} />
          <AnalysisForm tables={tables} onSave={save} />
          {tables.length > 1 && <CombineForm tables={tables} onSave={save} />}
        </div>
      )}
    </div>
  );
}

Explorations.propTypes = {
  projectId: PropTypes.string.isRequired,
  canManage: PropTypes.bool.isRequired,
  datasets: PropTypes.array.isRequired,
};
