// Landing page of a project: its owner submits it to a community for review.
import React, { useEffect, useRef, useState } from "react";
import ReactDOM from "react-dom";
import PropTypes from "prop-types";
import { Button, Dropdown, Form, Message } from "semantic-ui-react";
import { http, errorMessage } from "./api";
import { AddRecord } from "./addRecord";
import { ZenodoImport } from "./zenodoImport";
import { TablePreview } from "./tablePreview";
import { Explorations } from "./explorations";
import { Reproducibility } from "./reproducibility";

export function CommunitySubmit({ projectId }) {
  const [options, setOptions] = useState([]);
  const [community, setCommunity] = useState(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(false);
  const timer = useRef(null);

  const search = (query) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setLoading(true);
      http
        .get("/api/communities", { params: { q: query, size: 20, sort: query ? "bestmatch" : "newest" } })
        .then(({ data }) =>
          setOptions(
            data.hits.hits.map((c) => ({
              key: c.id,
              value: c.id,
              text: c.metadata.title,
              description: c.slug,
            }))
          )
        )
        .catch((e) => setError(errorMessage(e)))
        .finally(() => setLoading(false));
    }, 200);
  };

  useEffect(() => search(""), []);

  const submit = () => {
    setBusy(true);
    setError(null);
    const body = { communities: [{ id: community }] };
    if (comment.trim()) body.comment = comment.trim();
    http
      .post(`/api/projects/${projectId}/communities`, body)
      .then(() => window.location.reload())
      .catch((e) => {
        setError(errorMessage(e));
        setBusy(false);
      });
  };

  return (
    <Form className="cs4od-community-submit rel-mt-1" error={Boolean(error)} onSubmit={(e) => e.preventDefault()}>
      <Form.Field>
        <label htmlFor="cs4od-community-choice">Submit to a community</label>
        <Dropdown
          id="cs4od-community-choice"
          fluid
          search
          selection
          loading={loading}
          options={options}
          value={community}
          placeholder="Choose a community"
          noResultsMessage="No community found."
          onSearchChange={(e, { searchQuery }) => search(searchQuery)}
          onChange={(e, data) => setCommunity(data.value)}
        />
      </Form.Field>
      <Form.Field>
        <label htmlFor="cs4od-community-comment">Message to the curators (optional)</label>
        <textarea
          id="cs4od-community-comment"
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Form.Field>
      <Message error content={error} />
      <Button type="button" primary fluid disabled={!community || busy} loading={busy} onClick={submit}>
        Submit for review
      </Button>
    </Form>
  );
}

CommunitySubmit.propTypes = { projectId: PropTypes.string.isRequired };

const root = document.getElementById("cs4od-community-submit");
if (root) {
  ReactDOM.render(<CommunitySubmit projectId={root.dataset.projectId} />, root);
}

for (const kind of ["dataset", "notebook"]) {
  const element = document.getElementById(`cs4od-add-${kind}`);
  if (element) {
    ReactDOM.render(<AddRecord projectId={element.dataset.projectId} kind={kind} />, element);
  }
}

const zenodo = document.getElementById("cs4od-zenodo-import");
if (zenodo) {
  ReactDOM.render(<ZenodoImport projectId={zenodo.dataset.projectId} />, zenodo);
}

document.querySelectorAll(".cs4od-table-preview").forEach((element) => {
  ReactDOM.render(<TablePreview recordId={element.dataset.recordId} />, element);
});

const explorations = document.getElementById("cs4od-explorations");
if (explorations) {
  ReactDOM.render(
    <Explorations
      projectId={explorations.dataset.projectId}
      canManage={explorations.dataset.canManage === "true"}
      datasets={JSON.parse(explorations.dataset.datasets || "[]")}
    />,
    explorations
  );
}

const reproducibility = document.getElementById("cs4od-reproducibility");
if (reproducibility) {
  ReactDOM.render(
    <Reproducibility
      projectId={reproducibility.dataset.projectId}
      canManage={reproducibility.dataset.canManage === "true"}
    />,
    reproducibility
  );
}
