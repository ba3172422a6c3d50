// The results saved on a project (GET /api/projects/<id>/explorations): charts, analyses
// and combined tables, each computed by a background task whose state is polled until it
// is done. Charts are the SVG drawn on the server, shown as an image (nothing in an image
// runs); analysis results are tables of text cells.
import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { Button, Icon, Loader, Message, Segment } from "semantic-ui-react";
import { http, errorMessage, pathOf } from "./api";

/** Sent on the window when the project's saved results change. */
export const EXPLORATIONS_CHANGED = "cs4od:explorations-changed";

const SHOWN_ROWS = 100;
const pending = (item) => item.status === "queued" || item.status === "running";

/**
 * The project's saved results, polled while some are being computed, with `save` (POST)
 * and `remove`; each change of the succeeded ones is sent as EXPLORATIONS_CHANGED.
 */
export function useSavedResults(projectId) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const timer = useRef(null);
  const done = useRef(null);
  const base = `/api/projects/${projectId}/explorations`;

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
        if (data.hits.some(pending)) {
          timer.current = setTimeout(load, 1500);
        }
      })
      .catch((e) => setError(errorMessage(e)));

  useEffect(() => {
    load();
    return () => clearTimeout(timer.current);
  }, [projectId]);

  const save = (body) => http.post(base, body).then(load);
  const remove = (item) => http.delete(`${base}/${item.id}`).then(load);
  return { items, error, save, remove };
}

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

function ChartResult({ exploration }) {
  return (
    <>
      {/* Full size in a tab of its own: on a phone the axis labels are too small to read. */}
      <a href={pathOf(exploration.links.svg)} target="_blank" rel="noopener noreferrer" title="Open the chart full size">
        <img className="cs4od-chart" src={pathOf(exploration.links.svg)} alt={exploration.title} />
      </a>
      <p>
        <a href={pathOf(exploration.links.png)} download>PNG</a>
        {" · "}
        <a href={pathOf(exploration.links.code)}>Python code</a>
      </p>
    </>
  );
}

function AnalysisResult({ exploration }) {
  const result = exploration.result || {};
  const columns = result.columns || [];
  const rows = result.rows || [];
  return (
    <>
      <p className="text-muted cs4od-analysis-summary">
        {describeAnalysis(exploration.spec)} · {rows.length.toLocaleString()} {rows.length === 1 ? "row" : "rows"}
        {rows.length > SHOWN_ROWS ? `, the first ${SHOWN_ROWS} shown` : ""}
      </p>
      <div className="cs4od-preview-scroll">
        <table className="ui very compact small celled collapsing unstackable table cs4od-analysis-table">
          <thead><tr>{columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
          <tbody>
            {rows.slice(0, SHOWN_ROWS).map((row, index) => (
              // eslint-disable-next-line react/no-array-index-key
              <tr key={index}>
                {row.map((cell, col) => (
                  <td key={columns[col]} className={typeof cell === "number" ? "right aligned" : undefined}>{cellText(cell)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="rel-mt-1"><a href={pathOf(exploration.links.code)}>Python code (pandas)</a></p>
    </>
  );
}

function CombinedResult({ exploration, datasets }) {
  const result = exploration.result || {};
  const report = result.report || {};
  return (
    <>
      <p>
        {report.rows?.toLocaleString()} rows, {report.columns?.length} columns, published as{" "}
        <a href={`/records/${result.record_id}`}>a new dataset</a> derived from its sources.
        {datasets && !datasets.includes(result.record_id) && (
          <span className="cs4od-reload-hint">
            {" "}It is now one of this project&apos;s datasets:{" "}
            <a href={window.location.pathname}>reload the page</a> to see it in the list.
          </span>
        )}
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

ChartResult.propTypes = { exploration: PropTypes.object.isRequired };
AnalysisResult.propTypes = ChartResult.propTypes;
CombinedResult.propTypes = { ...ChartResult.propTypes, datasets: PropTypes.array };
CombinedResult.defaultProps = { datasets: null };

/** What a result of each kind shows; concatenations are the other kind. */
const RESULTS = { chart: ChartResult, analysis: AnalysisResult };

/** One saved result: its state while computed, why it failed, or what it gave. */
export function SavedResult({ exploration, canManage, onDelete, datasets }) {
  if (exploration.restricted) {
    return (
      <Segment className="cs4od-exploration">
        <Icon name="lock" /> A {exploration.kind} of tables you do not have access to.
      </Segment>
    );
  }
  const Result = RESULTS[exploration.kind] || CombinedResult;
  return (
    <Segment className="cs4od-exploration" data-status={exploration.status} data-kind={exploration.kind}>
      <h3 className="ui small header">{exploration.title}</h3>
      {pending(exploration) && (
        <Loader active inline size="small" content={exploration.status === "queued" ? "Waiting for a worker…" : "Computing…"} />
      )}
      {exploration.status === "failed" && (
        <Message warning size="small" header={`This ${exploration.kind} could not be made`} content={exploration.message} />
      )}
      {exploration.status === "succeeded" && <Result exploration={exploration} datasets={datasets} />}
      {(exploration.result?.notes || []).map((note) => <p key={note} className="text-muted">{note}</p>)}
      {canManage && (
        <Button type="button" size="mini" basic onClick={() => onDelete(exploration)}>
          <Icon name="trash alternate outline" />Remove
        </Button>
      )}
    </Segment>
  );
}

SavedResult.propTypes = {
  exploration: PropTypes.object.isRequired,
  canManage: PropTypes.bool.isRequired,
  onDelete: PropTypes.func.isRequired,
  /** The ids of the datasets the page lists (a combined table not among them is new). */
  datasets: PropTypes.array,
};

SavedResult.defaultProps = { datasets: null };
