// "Make your analysis reproducible" on a project page: the project's reana.yaml
// (generated from its notebooks, tables and saved analyses as a serial or CWL workflow,
// or the owner's edited one), reana-client's validation, the bundle to download, and
// runs on the configured REANA server (with the user's own access token, never shown
// back) or on the local runner, with their state, log and outputs (images shown).
import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { Button, Form, Icon, Label, List, Loader, Message, Segment } from "semantic-ui-react";
import { http, errorMessage, formatWhen, pathOf } from "./api";
import { EXPLORATIONS_CHANGED } from "./savedResults";

const WORKFLOW_LABELS = { serial: "Serial: notebooks with papermill", cwl: "CWL: one tool per step" };
const fieldMessages = (e) => (e.response?.data?.errors || []).flatMap((f) => f.messages).join(" ");

const ACTIVE = ["created", "queued", "pending", "running"];

function Problems({ validation }) {
  if (!validation) return null;
  if (validation.valid && !validation.problems.length) {
    return <Message positive size="small" className="cs4od-spec-valid" content="reana-client finds no problem in this reana.yaml." />;
  }
  return (
    <Message warning={validation.valid} error={!validation.valid} size="small" className="cs4od-spec-problems">
      <Message.Header>{validation.valid ? "Warnings" : "Problems"}</Message.Header>
      <Message.List>
        {validation.problems.map((p) => (
          <Message.Item key={`${p.level}-${p.message}`}>
            <Label size="mini" color={p.level === "error" ? "red" : "yellow"}>{p.level}</Label>{" "}
            {p.message}{p.line ? ` (line ${p.line})` : ""}
          </Message.Item>
        ))}
      </Message.List>
    </Message>
  );
}

Problems.propTypes = { validation: PropTypes.object };
Problems.defaultProps = { validation: null };

function Run({ run }) {
  const images = Object.entries(run.links.outputs).filter(([name]) => /\.(png|svg|jpg)$/i.test(name));
  const others = Object.entries(run.links.outputs).filter(([name]) => !/\.(png|svg|jpg)$/i.test(name));
  return (
    <Segment className="cs4od-run" data-state={run.state}>
      <Label color={run.state === "finished" ? "green" : run.state === "failed" ? "red" : "grey"}>{run.state}</Label>{" "}
      <span className="text-muted cs4od-run-runner">
        {formatWhen(run.created)} ·{" "}
        {run.runner === "reana" ? `REANA${run.workflow ? ` (${run.workflow})` : ""}` : "local runner"}
      </span>
      {ACTIVE.includes(run.state) && <Loader active inline size="tiny" />}
      {run.message && <p className="cs4od-run-message">{run.message}</p>}
      {images.map(([name, url]) => (
        <figure key={name} className="cs4od-run-output">
          <img src={pathOf(url)} alt={name} />
          <figcaption>{name}</figcaption>
        </figure>
      ))}
      {others.length > 0 && (
        <List horizontal>
          {others.map(([name, url]) => <List.Item key={name}><a href={pathOf(url)}>{name}</a></List.Item>)}
        </List>
      )}
      {run.outputs.missing.length > 0 && <p>Not produced: {run.outputs.missing.join(", ")}</p>}
      {run.log && (
        <details className="cs4od-run-details" open={run.state === "failed"}>
          <summary>Log</summary>
          <pre className="cs4od-run-log">{run.log}</pre>
        </details>
      )}
    </Segment>
  );
}

Run.propTypes = { run: PropTypes.object.isRequired };

/** The signed-in user's REANA access token: set, replace or remove; never shown. */
function ReanaToken({ status, onChange }) {
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const send = (request) => {
    setBusy(true);
    setError(null);
    return request
      .then(({ data }) => { setValue(""); onChange(data); })
      .catch((e) => setError(fieldMessages(e) || errorMessage(e)))
      .finally(() => setBusy(false));
  };
  const save = () => send(http.put("/api/user/reana-token", { token: value }));
  const remove = () => send(http.delete("/api/user/reana-token"));
  return (
    <Form.Field className="cs4od-reana-token">
      <label htmlFor="cs4od-reana-token-input">REANA access token</label>
      <p className="text-muted">
        Runs on <a href={status.server}>{status.server}</a> use your own token (REANA shows it on your
        profile page). It is kept encrypted and never shown again.
      </p>
      <div className="ui action input">
        <input id="cs4od-reana-token-input" type="password" autoComplete="off" value={value}
          placeholder={status.set ? "Replace the token" : "Paste your token"}
          onChange={(e) => setValue(e.target.value)} />
        <Button type="button" onClick={save} loading={busy} disabled={busy || !value.trim()}>
          {status.set ? "Replace token" : "Save token"}
        </Button>
      </div>
      {status.set && (
        <p className="cs4od-reana-token-status">
          <Icon name="lock" color="green" />
          Set on {formatWhen(status.updated)}{" "}
          <Button type="button" basic size="mini" onClick={remove} disabled={busy}>Remove</Button>
        </p>
      )}
      {error && <Message error size="small" content={error} />}
    </Form.Field>
  );
}

ReanaToken.propTypes = { status: PropTypes.object.isRequired, onChange: PropTypes.func.isRequired };

export function Reproducibility({ projectId, canManage }) {
  const base = `/api/projects/${projectId}`;
  const [spec, setSpec] = useState(null);
  const [text, setText] = useState("");
  const [validation, setValidation] = useState(null);
  const [runs, setRuns] = useState([]);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [token, setToken] = useState(null);
  const [runner, setRunner] = useState(null);
  const timer = useRef(null);

  const loadSpec = () =>
    http.get(`${base}/reproducibility`).then(({ data }) => {
      setSpec(data);
      setText(data.reana_yaml);
    });
  const loadRuns = () =>
    http.get(`${base}/runs`).then(({ data }) => {
      setRuns(data.hits);
      clearTimeout(timer.current);
      if (data.hits.some((r) => ACTIVE.includes(r.state))) timer.current = setTimeout(loadRuns, 2000);
    });

  // A reana.yaml generated from the project follows its saved results (not one being edited).
  const current = useRef({});
  current.current = { spec, text };
  useEffect(() => {
    const follow = () => {
      const { spec: shown, text: typed } = current.current;
      if (!shown || (shown.generated && typed === shown.reana_yaml)) loadSpec().catch(() => {});
    };
    window.addEventListener(EXPLORATIONS_CHANGED, follow);
    return () => window.removeEventListener(EXPLORATIONS_CHANGED, follow);
  }, [projectId]);

  useEffect(() => {
    loadSpec().catch((e) => setError(errorMessage(e)));
    loadRuns().catch(() => {});
    if (canManage) http.get("/api/user/reana-token").then(({ data }) => setToken(data)).catch(() => {});
    return () => clearTimeout(timer.current);
  }, [projectId]);

  const act = (name, promise) => {
    setBusy(name);
    setError(null);
    return promise
      .catch((e) => {
        const fields = e.response?.data?.errors;
        if (fields && !fields.some((f) => f.field === "reana_yaml")) setError(fieldMessages(e));
        else if (fields) setValidation({ valid: false, problems: fields.flatMap((f) => f.messages.map((m) => ({ level: "error", message: m }))) });
        else setError(errorMessage(e));
      })
      .finally(() => setBusy(null));
  };
  const validate = () => act("validate", http.post(`${base}/reproducibility/validate`, { reana_yaml: text }).then(({ data }) => setValidation(data)));
  const save = () => act("save", http.put(`${base}/reproducibility`, { reana_yaml: text }).then(({ data }) => { setValidation(data.validation); return loadSpec(); }));
  const reset = () => act("reset", http.delete(`${base}/reproducibility`).then(() => { setValidation(null); return loadSpec(); }));
  const chosen = runner || spec?.runners?.[0] || "local";
  const run = () => act("run", http.post(`${base}/runs`, { runner: chosen }).then(loadRuns));
  const setWorkflow = (workflow) =>
    act("workflow", http.put(`${base}/reproducibility`, { workflow }).then(() => { setValidation(null); return loadSpec(); }));

  if (error && !spec) return <Message warning size="small" content={error} />;
  if (!spec) return <Loader active inline size="small" />;
  return (
    <div className="cs4od-reproducibility">
      {spec.problem && <Message info size="small" content={`No reana.yaml can be generated yet: ${spec.problem}.`} />}
      <p className="text-muted">
        {spec.generated ? "Generated from the project's notebooks and tables." : "Edited by the project's owner."}{" "}
        Runs with <code>reana-client run</code> on a REANA cluster, or here on the local runner.
      </p>
      <Form onSubmit={(e) => e.preventDefault()}>
        {canManage && spec.workflow_types && (
          <Form.Field className="cs4od-workflow-type">
            <label htmlFor="cs4od-workflow-type">Workflow type of the generated reana.yaml</label>
            <select id="cs4od-workflow-type" className="ui dropdown" value={spec.workflow}
              disabled={Boolean(busy)} onChange={(e) => setWorkflow(e.target.value)}>
              {spec.workflow_types.map((t) => <option key={t} value={t}>{WORKFLOW_LABELS[t] || t}</option>)}
            </select>
            {!spec.generated && <p className="text-muted">Your edited reana.yaml applies until you go back to the generated one.</p>}
          </Form.Field>
        )}
        <Form.Field>
          <label htmlFor="cs4od-reana-yaml">reana.yaml</label>
          <textarea id="cs4od-reana-yaml" className="cs4od-reana-yaml" rows={14} value={text} readOnly={!canManage}
            spellCheck={false} onChange={(e) => setText(e.target.value)} />
        </Form.Field>
        <Problems validation={validation} />
        {error && <Message error size="small" content={error} />}
        <Button type="button" basic onClick={validate} loading={busy === "validate"} disabled={Boolean(busy)}>
          <Icon name="check" />Validate
        </Button>
        {canManage && (
          <>
            <Button type="button" basic onClick={save} loading={busy === "save"} disabled={Boolean(busy) || text === spec.reana_yaml}>
              <Icon name="save" />Save
            </Button>
            {!spec.generated && (
              <Button type="button" basic onClick={reset} loading={busy === "reset"} disabled={Boolean(busy)}>
                <Icon name="undo" />Back to the generated one
              </Button>
            )}
          </>
        )}
        <a className="ui basic button" href={`${base}/reproducibility/bundle.zip`}><Icon name="download" />Download the bundle</a>
        {canManage && token?.server && spec.runners.includes("reana") && (
          <>
            <ReanaToken status={token} onChange={setToken} />
            <Form.Group inline className="cs4od-runner" role="radiogroup" aria-label="Where to run">
              <Form.Radio id="cs4od-run-on-reana" label="Run on REANA" name="cs4od-runner" value="reana" checked={chosen === "reana"}
                onChange={() => setRunner("reana")} />
              <Form.Radio id="cs4od-run-here" label="Run here" name="cs4od-runner" value="local" checked={chosen === "local"}
                onChange={() => setRunner("local")} />
            </Form.Group>
          </>
        )}
        {canManage && (
          <Button type="button" primary onClick={run} loading={busy === "run"}
            disabled={Boolean(busy) || Boolean(spec.problem) || (chosen === "reana" && !token?.set)}>
            <Icon name="play" />{chosen === "reana" ? "Run on REANA" : "Run"}
          </Button>
        )}
        {canManage && chosen === "reana" && token && !token.set && (
          <p className="text-muted">Set your REANA access token to run on REANA.</p>
        )}
      </Form>
      {runs.map((r) => <Run key={r.id} run={r} />)}
    </div>
  );
}

Reproducibility.propTypes = { projectId: PropTypes.string.isRequired, canManage: PropTypes.bool.isRequired };
