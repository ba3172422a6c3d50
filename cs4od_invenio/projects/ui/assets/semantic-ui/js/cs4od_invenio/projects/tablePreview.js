// The preview of a linked dataset's tables on a project page, from
// GET /api/records/<id>/previews: columns with their types and statistics, the first
// rows. Previews are made by background tasks; while one is being made it is polled.
// Cell content is data: React renders it as text, never as markup.
import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { Dropdown, Icon, Label, Loader, Message } from "semantic-ui-react";
import { http, errorMessage } from "./api";

const POLL_MS = 2000;
const POLL_LIMIT = 90;

function number(value) {
  if (value === null || value === undefined) return "";
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 3 });
}

export function columnSummary(column) {
  const stats = column.stats || {};
  const parts = [];
  if (column.type === "number" || column.type === "integer") {
    parts.push(`${number(stats.min)} – ${number(stats.max)}`);
    if (stats.mean !== undefined && stats.mean !== null) parts.push(`mean ${number(stats.mean)}`);
  } else if (column.type === "date" || column.type === "datetime") {
    if (stats.min) parts.push(`${stats.min} – ${stats.max}`);
  } else if (stats.distinct) {
    parts.push(stats.distinct.exact ? `${number(stats.distinct.count)} distinct` : `more than ${number(stats.distinct.more_than)} distinct`);
  }
  if (stats.nulls) parts.push(`${number(stats.nulls)} empty`);
  return parts.join(" · ");
}

function PreviewTable({ preview }) {
  return (
    <div className="cs4od-preview-body">
      <p className="text-muted">
        {number(preview.row_count)} rows × {number(preview.columns_total)} columns ({preview.format})
        {preview.columns_truncated ? `; the first ${preview.columns.length} columns are described` : ""}
      </p>
      {(preview.warnings || []).map((warning) => (
        <Message warning size="small" className="cs4od-preview-warning" key={warning} content={warning} />
      ))}
      <div className="cs4od-preview-scroll">
        <table className="ui very compact small celled unstackable table cs4od-preview-table">
          <thead>
            <tr>
              {preview.columns.map((column) => (
                <th key={column.name} scope="col">
                  <div>{column.name}</div>
                  <Label size="mini" basic>{column.type}</Label>
                  <div className="cs4od-column-stats">{columnSummary(column)}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row, index) => (
              // eslint-disable-next-line react/no-array-index-key
              <tr key={index}>
                {preview.columns.map((column, col) => (
                  <td key={column.name}>{row[col] === null || row[col] === undefined ? "" : String(row[col])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

PreviewTable.propTypes = { preview: PropTypes.object.isRequired };

export function TablePreview({ recordId }) {
  const [hits, setHits] = useState(null);
  const [error, setError] = useState(null);
  const [key, setKey] = useState(null);
  const [open, setOpen] = useState(false);
  const polls = useRef(0);
  const timer = useRef(null);

  useEffect(() => {
    const load = () =>
      http
        .get(`/api/records/${recordId}/previews`)
        .then(({ data }) => {
          setHits(data.hits);
          setKey((old) => old || (data.hits[0] && data.hits[0].key));
          const waiting = data.hits.some((h) => h.status === "pending" || h.status === "running");
          if (waiting && polls.current < POLL_LIMIT) {
            polls.current += 1;
            timer.current = setTimeout(load, POLL_MS);
          }
        })
        .catch((e) => setError(errorMessage(e)));
    load();
    return () => clearTimeout(timer.current);
  }, [recordId]);

  if (error) return <Message size="small" warning content={`No preview: ${error}`} />;
  if (!hits || hits.length === 0) return null;
  const hit = hits.find((h) => h.key === key) || hits[0];
  const rows = hit.preview ? hit.preview.row_count : null;
  return (
    <div className="cs4od-table-preview-box" data-status={hit.status}>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="cs4od-preview-toggle">
        <Icon name={open ? "caret down" : "caret right"} />
        <Icon name="table" /> Preview of {hit.key}
        {rows !== null && <span className="text-muted"> ({number(rows)} rows)</span>}
      </button>
      {open && (
      <div className="cs4od-preview-content">
        {hits.length > 1 && (
          <Dropdown
            selection
            compact
            aria-label="Table to preview"
            value={hit.key}
            options={hits.map((h) => ({ key: h.key, value: h.key, text: h.key }))}
            onChange={(e, { value }) => setKey(value)}
          />
        )}
        {(hit.status === "pending" || hit.status === "running") && (
          <Loader active inline size="small" content="Preparing the preview…" />
        )}
        {hit.status === "failed" && (
          <Message warning size="small" header={`No preview of ${hit.key}`} content={hit.message} />
        )}
        {hit.status === "succeeded" && <PreviewTable preview={hit.preview} />}
      </div>
      )}
    </div>
  );
}

TablePreview.propTypes = { recordId: PropTypes.string.isRequired };
