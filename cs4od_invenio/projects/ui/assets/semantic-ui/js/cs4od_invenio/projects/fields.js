// Widgets of the project form: multi-value fields, vocabulary options, record pickers.
import React, { useEffect, useState } from "react";
import PropTypes from "prop-types";
import { Dropdown, Form } from "semantic-ui-react";
import { http } from "./api";
import { FieldError } from "./fieldError";
import { hitOptions, useDelayedSearch } from "./delayedSearch";

/**
 * A field of several values: chosen among `options`, or, without options, typed freely
 * (each value becomes an option of its own).
 */
export function ListField({ id, label, value, onChange, error, options, ...dropdownProps }) {
  const free = options === null;
  return (
    <Form.Field error={Boolean(error)}>
      <label htmlFor={id}>{label}</label>
      <Dropdown
        id={id}
        fluid
        multiple
        search
        selection
        allowAdditions={free}
        options={free ? value.map((v) => ({ key: v, value: v, text: v })) : options}
        value={value}
        onChange={(e, data) => onChange(data.value)}
        {...dropdownProps}
      />
      <FieldError messages={error} />
    </Form.Field>
  );
}

ListField.propTypes = {
  id: PropTypes.string.isRequired,
  label: PropTypes.string.isRequired,
  value: PropTypes.array.isRequired,
  onChange: PropTypes.func.isRequired,
  error: PropTypes.array,
  options: PropTypes.array,
};

ListField.defaultProps = { error: null, options: null };

/** Entries of a vocabulary (SDGs, scientific domains) as dropdown options. */
export function useVocabulary(type, compare) {
  const [options, setOptions] = useState([]);
  useEffect(() => {
    http
      .get(`/api/vocabularies/${type}`, { params: { size: 200 } })
      .then(({ data }) => {
        const hits = [...data.hits.hits].sort(compare);
        setOptions(
          hits.map((hit) => ({
            key: hit.id,
            value: hit.id,
            text: type === "sdgs" ? `SDG ${hit.props?.number} · ${hit.title.en}` : `${hit.id} ${hit.title.en}`,
          }))
        );
      })
      .catch(() => setOptions([]));
  }, [type]);
  return options;
}

export const bySdgNumber = (a, b) => Number(a.props?.number) - Number(b.props?.number);
export const byDomainCode = (a, b) =>
  a.id.localeCompare(b.id, undefined, { numeric: true });

/** Records of this repository, found by title as one types. */
export function RecordPicker({ id, label, value, initialOptions, onChange, error, filter }) {
  const [options, setOptions] = useState(initialOptions);
  useEffect(() => setOptions((old) => merge(old, initialOptions)), [initialOptions]);

  const { search, searchProps } = useDelayedSearch(
    (query) =>
      http.get("/api/records", { params: { q: query, size: 10, ...filter } }).then(({ data }) => {
        const found = hitOptions(data.hits.hits, (hit) => hit.metadata.resource_type?.title?.en || "");
        setOptions((old) => merge(old.filter((o) => value.includes(o.value)), found));
      }),
    250
  );

  return (
    <ListField
      id={id}
      label={label}
      value={value}
      onChange={onChange}
      error={error}
      options={options}
      placeholder="Type to search this repository…"
      noResultsMessage="No record found."
      {...searchProps}
      onFocus={() => options.length === value.length && search("")}
    />
  );
}

RecordPicker.propTypes = {
  id: PropTypes.string.isRequired,
  label: PropTypes.string.isRequired,
  value: PropTypes.array.isRequired,
  initialOptions: PropTypes.array.isRequired,
  onChange: PropTypes.func.isRequired,
  error: PropTypes.array,
  filter: PropTypes.object,
};

RecordPicker.defaultProps = { error: null, filter: {} };

function merge(a, b) {
  const seen = new Set(a.map((o) => o.value));
  return [...a, ...b.filter((o) => !seen.has(o.value))];
}
