// "Import from Zenodo" on a project page: POST /api/projects/<id>/zenodo-imports queues
// the import; its state is polled until it succeeds (the page reloads with the record)
// or fails (the reason is shown, the project is unchanged).
import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { Button, Form, Icon, Message, Modal, Progress } from "semantic-ui-react";
import { http, errorMessage, pathOf } from "./api";
import { FieldError } from "./fieldError";

const STEPS = {
  queued: "Waiting for a worker…",
  metadata: "Reading the record on Zenodo…",
  files: "Copying files and checking their checksums…",
  publishing: "Publishing the copy…",
  linking: "Adding it to the project…",
  done: "Done.",
};

export function ImportProgress({ state }) {
  const progress = state.progress || {};
  const total = progress.bytes_total || 0;
  const done = progress.bytes_done || 0;
  const percent = total ? Math.round((100 * done) / total) : state.status === "succeeded" ? 100 : 0;
  return (
    <div className="cs4od-import-progress" data-status={state.status}>
      {progress.title && <p><strong>{progress.title}</strong></p>}
      <Progress percent={percent} indicating={state.status === "running" || state.status === "queued"}
        success={state.status === "succeeded"} error={state.status === "failed"} size="small">
        {STEPS[progress.step] || state.status}
        {progress.files_total ? ` ${progress.files_done || 0} of ${progress.files_total} files, ${done.toLocaleString()} of ${total.toLocaleString()} bytes.` : ""}
      </Progress>
      {state.message && state.status !== "failed" && <Message info size="small" content={state.message} />}
    </div>
  );
}

ImportProgress.propTypes = { state: PropTypes.object.isRequired };

export function ZenodoImport({ projectId }) {
  const [open, setOpen] = useState(false);
  const [reference, setReference] = useState("");
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [state, setState] = useState(null);
  const timer = useRef(null);

  useEffect(() => () => clearTimeout(timer.current), []);

  // Show an import's state; reload when it is done, ask again while it runs.
  const show = (data) => {
    setState(data);
    if (data.status === "succeeded") {
      timer.current = setTimeout(() => window.location.reload(), 800);
    } else if (data.status === "failed") {
      setNotice(data.message);
    } else {
      const url = pathOf(data.links.self);
      timer.current = setTimeout(
        () => http.get(url).then(({ data: next }) => show(next)).catch((error) => setNotice(errorMessage(error))),
        1000
      );
    }
  };

  const submit = () => {
    setErrors({});
    setNotice(null);
    setState({ status: "queued", progress: { step: "queued" } });
    http
      .post(`/api/projects/${projectId}/zenodo-imports`, { reference })
      .then(({ data }) => show(data))
      .catch((error) => {
        const fields = {};
        (error.response?.data?.errors || []).forEach(({ field, messages }) => {
          fields[field] = [].concat(messages);
        });
        setErrors(fields);
        setNotice(Object.keys(fields).length ? null : errorMessage(error));
        setState(null);
      });
  };

  const busy = state && (state.status === "queued" || state.status === "running");
  return (
    <Modal
      open={open}
      onOpen={() => setOpen(true)}
      onClose={() => !busy && setOpen(false)}
      trigger={<Button type="button" basic fluid className="rel-mt-1"><Icon name="cloud download" />Import from Zenodo</Button>}
      className="cs4od-zenodo-import"
    >
      <Modal.Header>Import a record from Zenodo</Modal.Header>
      <Modal.Content>
        <Form error={Boolean(notice)} onSubmit={(e) => { e.preventDefault(); if (!busy && reference.trim()) submit(); }}>
          <Form.Field required error={Boolean(errors.reference)}>
            <label htmlFor="cs4od-zenodo-reference">Zenodo DOI, record URL or record id</label>
            <input id="cs4od-zenodo-reference" value={reference} disabled={busy}
              placeholder="10.5281/zenodo.4924875 or https://zenodo.org/records/4924875"
              onChange={(e) => setReference(e.target.value)} />
            <FieldError messages={errors.reference} />
          </Form.Field>
          <p className="text-muted">
            The record and its files are copied here, every file checked against Zenodo&apos;s checksum. The copy
            points back to the Zenodo DOI; it gets no DOI of its own. Importing the same record again updates the copy.
          </p>
          {state && <ImportProgress state={state} />}
          <Message error header="The record was not imported" content={notice} />
        </Form>
      </Modal.Content>
      <Modal.Actions>
        <Button type="button" onClick={() => setOpen(false)} disabled={busy}>Close</Button>
        <Button type="button" primary loading={busy} disabled={busy || !reference.trim()} onClick={submit}>
          <Icon name="cloud download" />Import
        </Button>
      </Modal.Actions>
    </Modal>
  );
}

ZenodoImport.propTypes = { projectId: PropTypes.string.isRequired };
