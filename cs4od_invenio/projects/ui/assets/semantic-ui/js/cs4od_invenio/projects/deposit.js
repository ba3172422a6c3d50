// The "New project" / "Edit project" form. It saves a draft through the REST API and
// publishes it; the API's field errors are shown next to the fields they concern.
import React, { useEffect, useState } from "react";
import ReactDOM from "react-dom";
import PropTypes from "prop-types";
import { Button, Form, Icon, Message, Radio, Segment } from "semantic-ui-react";
import { http, fieldErrors, errorMessage } from "./api";
import { textToHtml, htmlToText } from "./text";
import { FieldError } from "./fieldError";
import { CreatorRows, NEW_PERSON, creatorErrors, creatorOf, rowOf } from "./creators";
import { ListField, RecordPicker, bySdgNumber, byDomainCode, useVocabulary } from "./fields";

const EMPTY = {
  title: "",
  description: "",
  tags: [],
  domains: [],
  sdgs: [],
  zenodo_communities: [],
  datasets: [],
  notebooks: [],
  creators: [],
  access: "public",
};

const ACCESS = [
  { value: "public", label: "Public: anyone can find and read it" },
  { value: "restricted", label: "Restricted: you, community curators and admins" },
];

/** Form values from a draft as the API returns it. */
function valuesOf(draft) {
  const md = draft.metadata || {};
  const ids = (list) => (list || []).map((x) => x.id);
  return {
    title: md.title || "",
    description: htmlToText(md.description),
    tags: md.tags || [],
    domains: ids(md.domains),
    sdgs: ids(md.sdgs),
    zenodo_communities: ids(md.zenodo_communities),
    datasets: ids(md.datasets),
    notebooks: ids(md.notebooks),
    creators: (md.creators || []).map(rowOf),
    access: draft.access?.record || "public",
  };
}

const linkedOptions = (list) =>
  (list || []).map((r) => ({ key: r.id, value: r.id, text: r.title || r.id }));

/** The JSON the API expects, keeping what the form does not show (Zenodo community titles). */
function payloadOf(values, draft) {
  const md = draft?.metadata || {};
  const zenodoTitles = Object.fromEntries(
    (md.zenodo_communities || []).map((c) => [c.id, c.title])
  );
  const metadata = {
    title: values.title.trim(),
    description: textToHtml(values.description),
    tags: values.tags,
    domains: values.domains.map((id) => ({ id })),
    sdgs: values.sdgs.map((id) => ({ id })),
    zenodo_communities: values.zenodo_communities.map((id) =>
      zenodoTitles[id] ? { id, title: zenodoTitles[id] } : { id }
    ),
    datasets: values.datasets.map((id) => ({ id })),
    notebooks: values.notebooks.map((id) => ({ id })),
  };
  metadata.creators = values.creators.map(creatorOf).filter(Boolean);
  return { metadata, access: { record: values.access } };
}

export function ProjectForm({ projectId }) {
  const [draft, setDraft] = useState(null);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const [loading, setLoading] = useState(Boolean(projectId));
  const sdgOptions = useVocabulary("sdgs", bySdgNumber);
  const domainOptions = useVocabulary("scientificdomains", byDomainCode);

  useEffect(() => {
    if (!projectId) return;
    // The draft of the project; editing a published project makes one.
    http
      .get(`/api/projects/${projectId}/draft`)
      .catch((error) => {
        if (error.response?.status === 404) {
          return http.post(`/api/projects/${projectId}/draft`);
        }
        throw error;
      })
      .then(({ data }) => {
        setDraft(data);
        setValues(valuesOf(data));
      })
      .catch((error) => setNotice({ error: true, text: errorMessage(error) }))
      .finally(() => setLoading(false));
  }, [projectId]);

  // A changed field loses its error message: the user is answering it.
  const set = (name) => (value) => {
    setValues((old) => ({ ...old, [name]: value }));
    setErrors((old) => {
      const rest = { ...old };
      delete rest[`metadata.${name}`];
      delete rest[name];
      return rest;
    });
  };
  const err = (name) => errors[`metadata.${name}`] || errors[name];

  const save = async (publish) => {
    setBusy(true);
    setNotice(null);
    setErrors({});
    try {
      const payload = payloadOf(values, draft);
      const { data } = draft
        ? await http.put(`/api/projects/${draft.id}/draft`, payload)
        : await http.post("/api/projects", payload);
      setDraft(data);
      if (!projectId) {
        window.history.replaceState(null, "", `/projects/${data.id}/edit`);
      }
      const draftErrors = { ...creatorErrors(data.errors), ...fieldErrors(data.errors) };
      if (!publish) {
        setErrors(draftErrors);
        setNotice({ success: true, text: "Draft saved. Only you can see it until it is published." });
        return;
      }
      await http.post(`/api/projects/${data.id}/draft/actions/publish`);
      window.location.assign(`/projects/${data.id}`);
    } catch (error) {
      const apiErrors = error.response?.data?.errors;
      const found = { ...creatorErrors(apiErrors), ...fieldErrors(apiErrors) };
      setErrors(found);
      setNotice({
        error: true,
        text: Object.keys(found).length
          ? "Some fields need your attention: see the messages next to them."
          : errorMessage(error),
        list: found._form,
      });
    } finally {
      setBusy(false);
    }
  };

  // Unpublished changes of a published project are discarded (it stays as published);
  // a project never published is deleted with its draft.
  const discard = async () => {
    const published = draft.is_published;
    const question = published
      ? "Discard your unpublished changes? The project stays as it was published."
      : "Delete this draft? It has never been published, so nothing of it is kept.";
    if (!window.confirm(question)) return;
    setBusy(true);
    setNotice(null);
    try {
      await http.delete(`/api/projects/${draft.id}/draft`);
      window.location.assign(published ? `/projects/${draft.id}` : "/me/projects");
    } catch (error) {
      setNotice({ error: true, text: errorMessage(error) });
      setBusy(false);
    }
  };

  if (loading) return <div className="ui active centered inline loader" />;

  return (
    <Form className="cs4od-project-form" onSubmit={(e) => e.preventDefault()} error={Boolean(notice?.error)} success={Boolean(notice?.success)}>
      {notice && (
        <Message
          error={notice.error}
          success={notice.success}
          content={notice.text}
          list={notice.list}
          className="cs4od-form-notice"
        />
      )}
      <Segment>
        <Form.Field required error={Boolean(err("title"))}>
          <label htmlFor="project-title">Title</label>
          <input
            id="project-title"
            name="title"
            value={values.title}
            onChange={(e) => set("title")(e.target.value)}
            placeholder="The question the project is about"
          />
          <FieldError messages={err("title")} />
        </Form.Field>

        <Form.Field required error={Boolean(err("description"))}>
          <label htmlFor="project-description">Description</label>
          <textarea
            id="project-description"
            name="description"
            rows={6}
            value={values.description}
            onChange={(e) => set("description")(e.target.value)}
            placeholder="What the project studies, with which data and methods. Blank lines separate paragraphs."
          />
          <FieldError messages={err("description")} />
        </Form.Field>

        {[
          ["tags", "Tags", { additionLabel: "Add tag: ", noResultsMessage: "Type a tag and press Enter." }],
          ["domains", "Scientific domains", { options: domainOptions, placeholder: "OECD Fields of Science and Technology" }],
          ["sdgs", "Sustainable Development Goals", { options: sdgOptions, placeholder: "UN SDGs the project contributes to" }],
          ["zenodo_communities", "Zenodo communities", {
            additionLabel: "Add community: ",
            noResultsMessage: "Type a community identifier (as in zenodo.org/communities/…) and press Enter.",
          }],
        ].map(([name, label, props]) => (
          <ListField
            key={name}
            id={`project-${name.replace("_", "-")}`}
            label={label}
            value={values[name]}
            onChange={set(name)}
            error={err(name)}
            {...props}
          />
        ))}
      </Segment>

      <Segment>
        {[
          ["datasets", "Datasets", { resource_type: "dataset" }],
          ["notebooks", "Notebooks", {}],
        ].map(([name, label, filter]) => (
          <RecordPicker
            key={name}
            id={`project-${name}`}
            label={label}
            value={values[name]}
            initialOptions={linkedOptions(draft?.metadata?.[name])}
            onChange={set(name)}
            error={err(name)}
            filter={filter}
          />
        ))}
      </Segment>

      <Segment className="cs4od-project-creators">
        <strong>Authors</strong>
        <CreatorRows creators={values.creators} errors={errors} onChange={set("creators")} />
        <div>
          <Button type="button" size="small" basic className="rel-mt-1"
            onClick={() => set("creators")([...values.creators, { ...NEW_PERSON }])}>
            <Icon name="plus" />Add an author
          </Button>
        </div>
      </Segment>

      <Segment>
        <Form.Group inline role="radiogroup" aria-labelledby="project-access-label">
          <strong id="project-access-label" className="rel-mr-1">Visibility</strong>
          {ACCESS.map(({ value, label }) => (
            <Form.Field key={value}>
              <Radio
                label={label}
                name="access"
                value={value}
                checked={values.access === value}
                onChange={() => set("access")(value)}
              />
            </Form.Field>
          ))}
        </Form.Group>
        <FieldError messages={err("access.record")} />
      </Segment>

      <div className="cs4od-form-actions">
        <Button type="button" disabled={busy} onClick={() => save(false)} icon labelPosition="left">
          <Icon name="save" />
          Save draft
        </Button>
        <Button type="button" primary disabled={busy} loading={busy} onClick={() => save(true)} icon labelPosition="left">
          <Icon name="upload" />
          Publish
        </Button>
        {draft && (
          <Button type="button" basic negative disabled={busy} onClick={discard} icon labelPosition="left"
            className="cs4od-discard">
            <Icon name="trash alternate outline" />
            {draft.is_published ? "Discard changes" : "Delete draft"}
          </Button>
        )}
        {draft && draft.is_published === false && (
          <span className="text-muted cs4od-draft-id"> Draft {draft.id}</span>
        )}
      </div>
    </Form>
  );
}

ProjectForm.propTypes = { projectId: PropTypes.string };
ProjectForm.defaultProps = { projectId: null };

const root = document.getElementById("cs4od-project-form");
if (root) {
  ReactDOM.render(<ProjectForm projectId={JSON.parse(root.dataset.projectId)} />, root);
}
