// "Add a dataset" / "Add a notebook" on a project page: a new record with its files,
// published and linked into the project by POST /api/projects/<id>/deposits.
import React, { useState } from "react";
import PropTypes from "prop-types";
import { useDropzone } from "react-dropzone";
import { Button, Form, Icon, List, Message, Modal } from "semantic-ui-react";
import { http, errorMessage } from "./api";
import { textToHtml } from "./text";
import { FieldError } from "./fieldError";
import { CreatorRows, NEW_PERSON, creatorErrors } from "./creators";

const KINDS = {
  dataset: { title: "Add a dataset", accept: undefined, hint: "Data files (CSV, TSV, …)" },
  notebook: { title: "Add a notebook", accept: ".ipynb", hint: "Jupyter notebooks (.ipynb)" },
};

function FileDrop({ files, setFiles, accept, hint, errors }) {
  const { getRootProps, getInputProps, isDragActive } = useDropzone({
    accept,
    onDrop: (dropped) => setFiles((old) => [...old, ...dropped]),
  });
  return (
    <Form.Field error={Boolean(errors.files)} required>
      <label htmlFor="cs4od-deposit-files">Files</label>
      <div {...getRootProps({ className: `ui placeholder segment cs4od-dropzone${isDragActive ? " active" : ""}` })}>
        <input id="cs4od-deposit-files" {...getInputProps()} />
        <p><Icon name="upload" /> Drop files here, or click to choose. {hint}</p>
      </div>
      <FieldError messages={errors.files} />
      <List divided className="cs4od-deposit-files">
        {files.map((file, index) => (
          <List.Item key={`${file.name}-${index}`}>
            <List.Content floated="right">
              <Button type="button" size="mini" basic icon="close" aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((old) => old.filter((_f, i) => i !== index))} />
            </List.Content>
            <List.Content>
              {file.name} <span className="text-muted">({file.size} bytes)</span>
              <FieldError messages={errors[`files.${index}`]} />
            </List.Content>
          </List.Item>
        ))}
      </List>
    </Form.Field>
  );
}

FileDrop.propTypes = {
  files: PropTypes.array.isRequired,
  setFiles: PropTypes.func.isRequired,
  accept: PropTypes.string,
  hint: PropTypes.string.isRequired,
  errors: PropTypes.object.isRequired,
};

FileDrop.defaultProps = { accept: undefined };

export function AddRecord({ projectId, kind }) {
  const spec = KINDS[kind];
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [creators, setCreators] = useState([{ ...NEW_PERSON }]);
  const [files, setFiles] = useState([]);
  const [errors, setErrors] = useState({});
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = () => {
    setBusy(true);
    setErrors({});
    setNotice(null);
    const body = new FormData();
    body.append("kind", kind);
    body.append("metadata", JSON.stringify({ title, description: textToHtml(description), creators }));
    files.forEach((file) => body.append("files", file, file.name));
    http
      .post(`/api/projects/${projectId}/deposits`, body, { headers: { "Content-Type": "multipart/form-data" } })
      .then(() => window.location.reload())
      .catch((error) => {
        const found = creatorErrors(error.response?.data?.errors);
        setErrors(found);
        setNotice(Object.keys(found).length ? "Some fields need your attention." : errorMessage(error));
        setBusy(false);
      });
  };

  return (
    <Modal
      open={open}
      onOpen={() => setOpen(true)}
      onClose={() => setOpen(false)}
      trigger={<Button type="button" basic fluid className="rel-mt-1"><Icon name={kind === "dataset" ? "table" : "book"} />{spec.title}</Button>}
      className={`cs4od-add-${kind}`}
    >
      <Modal.Header>{spec.title}</Modal.Header>
      <Modal.Content>
        <Form error={Boolean(notice)} onSubmit={(e) => e.preventDefault()}>
          <Message error content={notice} />
          <Form.Field required error={Boolean(errors["metadata.title"])}>
            <label htmlFor="cs4od-deposit-title">Title</label>
            <input id="cs4od-deposit-title" value={title} onChange={(e) => setTitle(e.target.value)} />
            <FieldError messages={errors["metadata.title"]} />
          </Form.Field>
          <Form.Field required error={Boolean(errors["metadata.description"])}>
            <label htmlFor="cs4od-deposit-description">Description</label>
            <textarea id="cs4od-deposit-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
            <FieldError messages={errors["metadata.description"]} />
          </Form.Field>
          <strong>Authors and creators</strong>
          <FieldError messages={errors["metadata.creators"]} />
          <CreatorRows creators={creators} errors={errors} onChange={setCreators} keepOne />
          <Button type="button" size="small" basic onClick={() => setCreators((old) => [...old, { ...NEW_PERSON }])}>
            <Icon name="plus" />Add another creator
          </Button>
          <FileDrop files={files} setFiles={setFiles} accept={spec.accept} hint={spec.hint} errors={errors} />
        </Form>
      </Modal.Content>
      <Modal.Actions>
        <Button type="button" onClick={() => setOpen(false)} disabled={busy}>Cancel</Button>
        <Button type="button" primary loading={busy} disabled={busy} onClick={submit}>
          <Icon name="upload" />Publish and add to the project
        </Button>
      </Modal.Actions>
    </Modal>
  );
}

AddRecord.propTypes = {
  projectId: PropTypes.string.isRequired,
  kind: PropTypes.oneOf(["dataset", "notebook"]).isRequired,
};
