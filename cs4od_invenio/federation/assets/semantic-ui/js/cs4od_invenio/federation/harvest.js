// A community's "Zenodo harvest" page, for its curators: choose the Zenodo community and
// a schedule, harvest now, follow the harvest's progress and read each run's report.
import React, { useEffect, useRef, useState } from "react";
import ReactDOM from "react-dom";
import PropTypes from "prop-types";
import { Button, Form, Header, Label, Message, Progress, Segment, Table } from "semantic-ui-react";
import { http, errorMessage, formatWhen as when } from "@js/cs4od_invenio/projects/api";

const SCHEDULES = [
  // Semantic's dropdown shows an empty value as no choice at all: "none" is sent as null.
  { key: "none", value: "none", text: "Only when I press “Harvest now”" },
  { key: "daily", value: "daily", text: "Every day" },
  { key: "weekly", value: "weekly", text: "Every week" },
];

const FORMATS = [
  ["oai_datacite", "DataCite 4 (oai_datacite, Zenodo's richest)"],
  ["oai_datacite3", "DataCite 3 (oai_datacite3)"],
  ["datacite", "DataCite, bare (datacite)"],
].map(([value, text]) => ({ key: value, value, text }));

const STATUS = {
  queued: ["Queued", "grey"],
  running: ["Running", "blue"],
  success: ["Succeeded", "green"],
  partial_success: ["Partly succeeded", "orange"],
  failed: ["Failed", "red"],
  cancelled: ["Cancelled", "grey"],
  cancelling: ["Cancelling", "grey"],
  warning: ["Warning", "orange"],
};

const busy = (run) => run && (run.status === "queued" || run.status === "running");


/** Field messages of a 400 answer, by field name. */
function fieldMessages(error) {
  const found = {};
  (error?.response?.data?.errors || []).forEach(({ field, messages }) => {
    found[field] = [].concat(messages || []).join(" ");
  });
  return found;
}

function SourceForm({ state, onSaved, onCancel }) {
  const source = state.source || {};
  const [community, setCommunity] = useState(source.zenodo_community || "");
  const [schedule, setSchedule] = useState(source.schedule || "none");
  const [baseUrl, setBaseUrl] = useState(
    source.base_url && state.can_set_base_url ? source.base_url : ""
  );
  const [prefix, setPrefix] = useState(source.metadata_prefix || "oai_datacite");
  const [errors, setErrors] = useState({});
  const [saving, setSaving] = useState(false);

  const save = () => {
    setSaving(true);
    setErrors({});
    const body = { zenodo_community: community, schedule: schedule === "none" ? null : schedule };
    body.metadata_prefix = prefix;
    if (state.can_set_base_url && baseUrl.trim()) body.base_url = baseUrl.trim();
    http
      .put(`/api/communities/${state.community.slug}/zenodo-harvest`, body)
      .then(({ data }) => onSaved(data))
      .catch((error) => {
        const fields = fieldMessages(error);
        setErrors(Object.keys(fields).length ? fields : { _form: errorMessage(error) });
      })
      .finally(() => setSaving(false));
  };

  return (
    <Form onSubmit={save} className="cs4od-harvest-form" error={Object.keys(errors).length > 0}>
      <Form.Input
        id="zenodo-community"
        label="Zenodo community"
        placeholder="e.g. covid-19, or https://zenodo.org/communities/covid-19"
        value={community}
        onChange={(e, { value }) => setCommunity(value)}
        error={errors.zenodo_community ? { content: errors.zenodo_community, pointing: "above" } : null}
        required
      />
      <Form.Select
        id="harvest-schedule"
        label="Harvest"
        options={SCHEDULES}
        value={schedule}
        onChange={(e, { value }) => setSchedule(value)}
        error={errors.schedule ? { content: errors.schedule } : null}
      />
      {state.can_set_base_url && (
        <Form.Input
          id="harvest-base-url"
          label="OAI-PMH base URL (administrators; empty for Zenodo)"
          placeholder="https://zenodo.org/oai2d"
          value={baseUrl}
          onChange={(e, { value }) => setBaseUrl(value)}
          error={errors.base_url ? { content: errors.base_url } : null}
        />
      )}
      <Form.Select
        id="harvest-format"
        label="Metadata format (keep DataCite 4 unless the source lacks it)"
        options={FORMATS}
        value={prefix}
        onChange={(e, { value }) => setPrefix(value)}
        error={errors.metadata_prefix ? { content: errors.metadata_prefix } : null}
      />
      {errors._form && <Message error content={errors._form} />}
      {errors._schema && <Message error content={errors._schema} />}
      <Button primary type="submit" loading={saving} disabled={saving || !community.trim()}>
        Save
      </Button>
      {onCancel && (
        <Button type="button" onClick={onCancel}>
          Cancel
        </Button>
      )}
    </Form>
  );
}

SourceForm.propTypes = {
  state: PropTypes.object.isRequired,
  onSaved: PropTypes.func.isRequired,
  onCancel: PropTypes.func,
};

/** "N of M records (P %)" when the source announced how many it lists, else "N records". */
function recordsRead(run) {
  if (!run.expected) return { text: `${run.seen} records`, percent: null };
  const percent = Math.min(100, Math.floor((100 * run.seen) / run.expected));
  return { text: `${run.seen} of ${run.expected} records (${percent} %)`, percent };
}

function RunProgress({ run }) {
  const [text] = STATUS[run.status] || [run.status, "grey"];
  const read = recordsRead(run);
  const counts = `${read.text} read: ${run.created_records} created, ${run.updated_records} updated, ${run.failed_records} failed.`;
  const queued = run.status === "queued";
  return (
    <div className="cs4od-harvest-progress" data-status={run.status}>
      <Progress
        percent={queued ? 5 : read.percent ?? 60}
        indicating={read.percent === null}
        color={read.percent === null ? undefined : "blue"}
        active
        size="small"
      >
        {queued ? "Waiting for a worker…" : `${text}: ${counts}`}
      </Progress>
    </div>
  );
}

RunProgress.propTypes = { run: PropTypes.object.isRequired };

function Runs({ runs }) {
  if (!runs.length) return <p>No harvest yet.</p>;
  return (
    // Unstackable in a scrolling box: stacked on a phone, the cells lost their headers.
    <div className="cs4od-preview-scroll" style={{ overflowX: "auto" }}>
    <Table compact celled unstackable className="cs4od-harvest-runs">
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Started</Table.HeaderCell>
          <Table.HeaderCell>Finished</Table.HeaderCell>
          <Table.HeaderCell>Status</Table.HeaderCell>
          <Table.HeaderCell>Created</Table.HeaderCell>
          <Table.HeaderCell>Updated</Table.HeaderCell>
          <Table.HeaderCell>Failed</Table.HeaderCell>
          <Table.HeaderCell>Report</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {runs.map((run) => {
          const [text, color] = STATUS[run.status] || [run.status, "grey"];
          return (
            <Table.Row key={run.id} data-run-status={run.status}>
              <Table.Cell>{when(run.started_at || run.created)}</Table.Cell>
              <Table.Cell>{when(run.finished_at)}</Table.Cell>
              <Table.Cell>
                <Label color={color} size="small">
                  {text}
                </Label>
              </Table.Cell>
              <Table.Cell>{run.created_records}</Table.Cell>
              <Table.Cell>{run.updated_records}</Table.Cell>
              <Table.Cell>{run.failed_records}</Table.Cell>
              <Table.Cell className="cs4od-harvest-report" style={{ whiteSpace: "pre-wrap" }}>
                {run.message || ""}
              </Table.Cell>
            </Table.Row>
          );
        })}
      </Table.Body>
    </Table>
    </div>
  );
}

Runs.propTypes = { runs: PropTypes.array.isRequired };

export function CommunityHarvest({ slug }) {
  const [state, setState] = useState(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState(null);
  const [starting, setStarting] = useState(false);
  const timer = useRef(null);
  const url = `/api/communities/${slug}/zenodo-harvest`;

  const show = (data) => {
    setState(data);
    clearTimeout(timer.current);
    if (busy(data.runs[0])) {
      timer.current = setTimeout(
        () =>
          http
            .get(url)
            .then(({ data: next }) => show(next))
            .catch((e) => setError(errorMessage(e))),
        1500
      );
    }
  };

  useEffect(() => {
    http
      .get(url)
      .then(({ data }) => show(data))
      .catch((e) => setError(errorMessage(e)));
    return () => clearTimeout(timer.current);
  }, []);

  const harvestNow = () => {
    setStarting(true);
    setError(null);
    http
      .post(`${url}/runs`)
      .then(({ data }) => show(data))
      .catch((e) => setError(errorMessage(e)))
      .finally(() => setStarting(false));
  };

  const stopHarvesting = () => {
    setError(null);
    http
      .delete(url)
      .then(({ data }) => show(data))
      .catch((e) => setError(errorMessage(e)));
  };

  if (!state) return error ? <Message error content={error} /> : <Segment loading placeholder />;

  const source = state.source;
  const zenodoSite = source ? source.base_url.replace(/\/oai2d\/?$/, "") : null;
  const current = state.runs[0];

  return (
    <div className="cs4od-community-harvest">
      <Header as="h2">Harvest from Zenodo</Header>
      <p>
        Records of a Zenodo community are copied into this community over OAI-PMH, with a link
        back to Zenodo. Later harvests bring only what changed; records Zenodo no longer lists
        are withdrawn here.
      </p>
      {error && <Message error content={error} />}
      {(!source || !source.active || editing) ? (
        <Segment>
          <SourceForm
            state={state}
            onSaved={(data) => {
              setEditing(false);
              show(data);
            }}
            onCancel={editing ? () => setEditing(false) : null}
          />
        </Segment>
      ) : (
        <Segment className="cs4od-harvest-source">
          <p>
            Harvesting Zenodo community{" "}
            <a href={`${zenodoSite}/communities/${source.zenodo_community}`}>
              <strong>{source.zenodo_community}</strong>
            </a>{" "}
            (OAI-PMH set <code>{source.set_spec}</code> at <code>{source.base_url}</code>,{" "}
            {source.metadata_prefix}) —{" "}
            {source.schedule ? `every ${source.schedule === "daily" ? "day" : "week"}` : "on demand"}.
          </p>
          <p className="cs4od-harvest-counts">
            {state.records} records harvested here
            {state.withdrawn ? `, ${state.withdrawn} withdrawn` : ""}.{" "}
            {state.checkpoint ? `The next harvest asks for changes since ${state.checkpoint}.` : "The next harvest reads the whole set."}
          </p>
          <Button primary icon="cloud download" content="Harvest now" onClick={harvestNow}
            loading={starting} disabled={starting || busy(current)} />
          <Button content="Change" onClick={() => setEditing(true)} />
          <Button basic negative content="Stop harvesting" onClick={stopHarvesting} />
        </Segment>
      )}
      {busy(current) && <RunProgress run={current} />}
      <Header as="h3">Harvests</Header>
      <Runs runs={state.runs} />
    </div>
  );
}

CommunityHarvest.propTypes = { slug: PropTypes.string.isRequired };

const root = document.getElementById("cs4od-community-harvest");
if (root) {
  ReactDOM.render(<CommunityHarvest slug={root.dataset.community} />, root);
}
