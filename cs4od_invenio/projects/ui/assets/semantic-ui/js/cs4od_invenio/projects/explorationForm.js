// What the forms that save a result on a project share: a collapsible form showing the
// API's field errors, and its table and title fields.
import React, { useState } from "react";
import PropTypes from "prop-types";
import { Button, Dropdown, Form, Icon, Message, Segment } from "semantic-ui-react";
import { errorMessage } from "./api";
import { FieldError } from "./fieldError";
import { tableOptions } from "./tables";

export const columnOptions = (columns) => columns.map((c) => ({ key: c, value: c, text: c }));

/** Messages of a refused save by field ({errors: [{field, messages}]}), else under "_form". */
function saveErrors(error) {
  const fields = {};
  (error.response?.data?.errors || []).forEach(({ field, messages }) => { fields[field] = messages; });
  if (!Object.keys(fields).length) fields._form = [errorMessage(error)];
  return fields;
}

/** A collapsible form; `onSave` returns the POST promise; API field errors are shown. */
export function ExplorationForm({ name, label, icon, onSave, disabled, children }) {
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const save = () => {
    setBusy(true);
    setErrors({});
    onSave()
      .then(() => setOpen(false))
      .catch((error) => setErrors(saveErrors(error)))
      .finally(() => setBusy(false));
  };
  if (!open) {
    return (
      <Button type="button" basic onClick={() => setOpen(true)} className={`cs4od-open-${name}`}>
        <Icon name={icon} />{label}
      </Button>
    );
  }
  return (
    <Segment className={`cs4od-${name}-form`}>
      <h3 className="ui small header"><Icon name={icon} />{label}</h3>
      <Form error={Boolean(errors._form)} onSubmit={(e) => e.preventDefault()}>
        <Message error content={(errors._form || []).join(" ")} />
        {children(errors)}
        <Button type="button" primary loading={busy} disabled={busy || disabled} onClick={save}>Save</Button>
        <Button type="button" onClick={() => setOpen(false)} disabled={busy}>Cancel</Button>
      </Form>
    </Segment>
  );
}

ExplorationForm.propTypes = {
  name: PropTypes.string.isRequired,
  label: PropTypes.string.isRequired,
  icon: PropTypes.string.isRequired,
  onSave: PropTypes.func.isRequired,
  disabled: PropTypes.bool.isRequired,
  children: PropTypes.func.isRequired,
};

/** The table (or, `multiple`, the tables) a result is made of, with the API's errors about it. */
export function TableField({ id, label, multiple, tables, value, onChange, errors }) {
  const messages = errors.sources || errors["sources.0"];
  return (
    <Form.Field required error={Boolean(messages)}>
      <label htmlFor={id}>{label}</label>
      <Dropdown id={id} multiple={multiple} selection options={tableOptions(tables)} value={value}
        onChange={(e, data) => onChange(data.value)} placeholder={multiple ? "Choose two or more tables" : "Choose a table"} />
      {multiple && value.length === 1 && !messages && (
        <p className="text-muted cs4od-field-hint">Choose at least one more table to combine with it.</p>
      )}
      <FieldError messages={messages} />
    </Form.Field>
  );
}

TableField.propTypes = {
  id: PropTypes.string.isRequired,
  label: PropTypes.string,
  multiple: PropTypes.bool,
  tables: PropTypes.array.isRequired,
  value: PropTypes.oneOfType([PropTypes.string, PropTypes.array]),
  onChange: PropTypes.func.isRequired,
  errors: PropTypes.object.isRequired,
};

TableField.defaultProps = { label: "Table", multiple: false, value: null };

/** The title a result is saved under. */
export function TitleField({ id, label, value, onChange, errors, className }) {
  return (
    <Form.Field required error={Boolean(errors.title)} className={className}>
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} />
      <FieldError messages={errors.title} />
    </Form.Field>
  );
}

TitleField.propTypes = {
  id: PropTypes.string.isRequired,
  label: PropTypes.string,
  value: PropTypes.string.isRequired,
  onChange: PropTypes.func.isRequired,
  errors: PropTypes.object.isRequired,
  className: PropTypes.string,
};

TitleField.defaultProps = { label: "Title", className: undefined };
