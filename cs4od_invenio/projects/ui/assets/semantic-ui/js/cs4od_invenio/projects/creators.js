// Authors and creators in the forms: a person (family and given name, ORCID, affiliation)
// or an organisation (name, affiliation).
import React from "react";
import PropTypes from "prop-types";
import { Button, Form, Segment } from "semantic-ui-react";
import { FieldError } from "./fieldError";

export const NEW_PERSON = { type: "personal", given_name: "", family_name: "", affiliation: "", orcid: "", name: "" };

/**
 * Where the form shows an API error about a creator: "metadata.creators.0.person_or_org
 * .family_name" at the family name of row 0, identifier problems at its ORCID box.
 */
export function creatorErrorKey(field) {
  const match = field.match(/^metadata\.creators\.(\d+)\.(?:person_or_org\.)?(\w+)/);
  if (!match) return field;
  const [, row, name] = match;
  return `metadata.creators.${row}.${name === "identifiers" ? "orcid" : name}`;
}

/** API errors keyed as the form shows them. */
export function creatorErrors(errors) {
  const found = {};
  (errors || []).forEach(({ field, messages }) => {
    const key = creatorErrorKey(field);
    found[key] = [...(found[key] || []), ...[].concat(messages)];
  });
  return found;
}

/** A form row from a creator of the API. */
export function rowOf(creator) {
  const person = creator.person_or_org || {};
  const orcid = (person.identifiers || []).find((i) => i.scheme === "orcid");
  return {
    ...NEW_PERSON,
    type: person.type || "personal",
    given_name: person.given_name || "",
    family_name: person.family_name || "",
    name: person.type === "organizational" ? person.name || "" : "",
    orcid: orcid ? orcid.identifier : "",
    affiliation: (creator.affiliations || [])[0]?.name || "",
  };
}

/** The API's creator from a form row; null for a row left empty. */
export function creatorOf(row) {
  const person =
    row.type === "organizational"
      ? { type: "organizational", name: row.name.trim() }
      : { type: "personal", family_name: row.family_name.trim(), given_name: row.given_name.trim() };
  if (!person.name && !person.family_name && !person.given_name) return null;
  if (row.type !== "organizational" && row.orcid.trim()) {
    person.identifiers = [{ scheme: "orcid", identifier: row.orcid.trim() }];
  }
  const creator = { person_or_org: person };
  if (row.affiliation.trim()) creator.affiliations = [{ name: row.affiliation.trim() }];
  return creator;
}

function CreatorRow({ creator, index, onChange, onRemove, errors }) {
  const at = (name) => errors[`metadata.creators.${index}.${name}`];
  const set = (name) => (e) => onChange({ ...creator, [name]: e.target.value });
  const person = creator.type === "personal";
  return (
    <Segment className="cs4od-creator-row">
      <Form.Group inline>
        <Form.Radio label="Person" checked={person} onChange={() => onChange({ ...creator, type: "personal" })} />
        <Form.Radio label="Organisation" checked={!person} onChange={() => onChange({ ...creator, type: "organizational" })} />
        {onRemove && <Button type="button" size="mini" basic icon="trash" aria-label="Remove this creator" onClick={onRemove} />}
      </Form.Group>
      {person ? (
        <Form.Group widths="equal">
          <Form.Field error={Boolean(at("family_name"))} required>
            <label htmlFor={`creator-${index}-family`}>Family name</label>
            <input id={`creator-${index}-family`} value={creator.family_name} onChange={set("family_name")} />
            <FieldError messages={at("family_name")} />
          </Form.Field>
          <Form.Field>
            <label htmlFor={`creator-${index}-given`}>Given name</label>
            <input id={`creator-${index}-given`} value={creator.given_name} onChange={set("given_name")} />
          </Form.Field>
          <Form.Field error={Boolean(at("orcid"))}>
            <label htmlFor={`creator-${index}-orcid`}>ORCID</label>
            <input id={`creator-${index}-orcid`} placeholder="0000-0002-1825-0097" value={creator.orcid} onChange={set("orcid")} />
            <FieldError messages={at("orcid")} />
          </Form.Field>
        </Form.Group>
      ) : (
        <Form.Field error={Boolean(at("name"))} required>
          <label htmlFor={`creator-${index}-name`}>Name</label>
          <input id={`creator-${index}-name`} value={creator.name} onChange={set("name")} />
          <FieldError messages={at("name")} />
        </Form.Field>
      )}
      <Form.Field>
        <label htmlFor={`creator-${index}-affiliation`}>Affiliation</label>
        <input id={`creator-${index}-affiliation`} value={creator.affiliation} onChange={set("affiliation")} />
      </Form.Field>
    </Segment>
  );
}

CreatorRow.propTypes = {
  creator: PropTypes.object.isRequired,
  index: PropTypes.number.isRequired,
  onChange: PropTypes.func.isRequired,
  onRemove: PropTypes.func,
  errors: PropTypes.object.isRequired,
};

CreatorRow.defaultProps = { onRemove: null };

/** The rows of a list of creators; `onChange` gets the new list; `keepOne` keeps the last row. */
export function CreatorRows({ creators, errors, onChange, keepOne }) {
  const removable = !keepOne || creators.length > 1;
  return creators.map((creator, index) => (
    <CreatorRow
      // eslint-disable-next-line react/no-array-index-key
      key={index}
      creator={creator}
      index={index}
      errors={errors}
      onChange={(row) => onChange(creators.map((c, i) => (i === index ? row : c)))}
      onRemove={removable ? () => onChange(creators.filter((_c, i) => i !== index)) : null}
    />
  ));
}

CreatorRows.propTypes = {
  creators: PropTypes.array.isRequired,
  errors: PropTypes.object.isRequired,
  onChange: PropTypes.func.isRequired,
  keepOne: PropTypes.bool,
};

CreatorRows.defaultProps = { keepOne: false };
