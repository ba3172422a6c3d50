// "Make your analysis reproducible" on a project page: the project's reana.yaml
// (generated from its notebooks and tables, or the owner's edited one), reana-client's
// validation, the bundle to download, and runs on the local runner with their state,
// log and outputs (images shown).
import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { Button, Form, Icon, Label, List, Loader, Message, Segment } from "semantic-ui-react";
import { http, errorMessage } from "./api";

const path = (url) => new URL(url).pathname;
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
      <span className="text-muted">{new Date(run.created).toLocaleString()} · local runner</span>
      {ACTIVE.includes(run.state) && <Loader active inline size="tiny" />}
      {run.message && <p className="cs4od-run-message">{run.message}</p>}
      {images.map(([name, url]) => (
        <figure key={name} className="cs4od-run-output">
          <img src={path(url)} alt={name} />
          <figcaption>{name}</figcaption>
        </figure>
      ))}
      {others.length > 0 && (
        <List horizontal>
          {others.map(([name, url]) => <List.Item key={name}><a href={path(url)}>{name}</a></List.Item>)}
        </List>
      )}
      {run.outputs.missing.length > 0 && <p>Not produced: {run.outputs.missing.join(", ")}</p>}
      {run.log && run.state === "failed" && <pre className="cs4od-run-log">{run.log}</pre>}
    </Segment>
  );
}

Run.propTypes = { run: PropTypes.object.isRequired };

export function Reproducibility({ projectId, canManage }) {
  const base = `/api/projects/${projectId}`;
  const [spec, setSpec] = useState(null);
  const [text, setText] = useState("");
  const [validation, setValidation] = useState(null);
  const [runs, setRuns] = useState([]);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
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

  useEffect(() => {
    loadSpec().catch((e) => setError(errorMessage(e)));
    loadRuns().catch(() => {});
    return () => clearTimeout(timer.current);
  }, [projectId]);

  const act = (name, promise) => {
    setBusy(name);
    setError(null);
    return promise
      .catch((e) => {
        const fields = e.response?.data?.errors;
        if (fields) setValidation({ valid: false, problems: fields.flatMap((f) => f.messages.map((m) => ({ level: "error", message: m }))) });
        else setError(errorMessage(e));
      })
      .finally(() => setBusy(null));
  };
  const validate = () => act("validate", http.post(`${base}/reproducibility/validate`, { reana_yaml: text }).then(({ data }) => setValidation(data)));
  const save = () => act("save", http.put(`${base}/reproducibility`, { reana_yaml: text }).then(({ data }) => { setValidation(data.validation); return loadSpec(); }));
  const reset = () => act("reset", http.delete(`${base}/reproducibility`).then(() => { setValidation(null); return loadSpec(); }));
  const run = () => act("run", http.post(`${base}/runs`).then(loadRuns));

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
        {canManage && (
          <Button type="button" primary onClick={run} loading={busy === "run"} disabled={Boolean(busy) || Boolean(spec.problem)}>
            <Icon name="play" />Run
          </Button>
        )}
      </Form>
      {runs.map((r) => <Run key={r.id} run={r} />)}
    </div>
  );
}

Reproducibility.propTypes = { projectId: PropTypes.string.isRequired, canManage: PropTypes.bool.isRequired };
