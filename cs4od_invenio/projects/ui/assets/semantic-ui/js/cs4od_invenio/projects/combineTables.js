// "Combine tables" on a project page: tables stacked into a new dataset derived from them.
import React, { useState } from "react";
import PropTypes from "prop-types";
import { ExplorationForm, TableField, TitleField } from "./explorationForm";
import { sourceOf } from "./tables";

export function CombineForm({ tables, onSave }) {
  const [chosen, setChosen] = useState([]);
  const [title, setTitle] = useState("");
  const body = () => ({
    kind: "concatenation",
    title,
    sources: chosen.map((value) => sourceOf(tables.find((t) => t.value === value))),
  });
  return (
    <ExplorationForm name="combine" label="Combine tables" icon="clone outline" onSave={() => onSave(body())}
      disabled={chosen.length < 2 || !title.trim()}>
      {(errors) => (
        <>
          <TableField id="cs4od-combine-tables" label="Tables (rows stacked, columns aligned by name)" multiple
            tables={tables} value={chosen} onChange={setChosen} errors={errors} />
          <TitleField id="cs4od-combine-title" label="Title of the combined dataset" value={title} onChange={setTitle}
            errors={errors} />
        </>
      )}
    </ExplorationForm>
  );
}

CombineForm.propTypes = { tables: PropTypes.array.isRequired, onSave: PropTypes.func.isRequired };
