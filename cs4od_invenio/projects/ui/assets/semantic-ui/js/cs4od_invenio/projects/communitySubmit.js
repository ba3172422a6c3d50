// "Submit to a community" on a project page: its owner asks a community to include it;
// the community's curators review the request.
import React, { useEffect, useState } from "react";
import PropTypes from "prop-types";
import { Button, Dropdown, Form, Message } from "semantic-ui-react";
import { http, errorMessage } from "./api";
import { hitOptions, useDelayedSearch } from "./delayedSearch";

export function CommunitySubmit({ projectId }) {
  const [options, setOptions] = useState([]);
  const [community, setCommunity] = useState(null);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const { search, searchProps } = useDelayedSearch(
    (query) =>
      http
        .get("/api/communities", { params: { q: query, size: 20, sort: query ? "bestmatch" : "newest" } })
        .then(({ data }) => setOptions(hitOptions(data.hits.hits, (c) => c.slug)))
        .catch((e) => setError(errorMessage(e))),
    200
  );

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
          options={options}
          value={community}
          placeholder="Choose a community"
          noResultsMessage="No community found."
          {...searchProps}
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
