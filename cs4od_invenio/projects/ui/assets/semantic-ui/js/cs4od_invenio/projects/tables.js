// The tables a chart, an analysis or a combination can be made of: those of the
// project's datasets that have a preview, so that their columns and types are known.
import { useEffect, useState } from "react";
import { http } from "./api";

/** Tables of the project's datasets that have a preview (so their columns are known). */
export function useTables(datasets) {
  const [tables, setTables] = useState([]);
  useEffect(() => {
    Promise.all(
      datasets.map((id) =>
        http
          .get(`/api/records/${id}/previews`)
          .then(({ data }) => data.hits.filter((h) => h.status === "succeeded").map((h) => ({
            value: `${id}/${h.key}`,
            record_id: id,
            key: h.key,
            columns: h.preview.columns.map((c) => c.name),
            types: Object.fromEntries(h.preview.columns.map((c) => [c.name, c.type])),
          })))
          .catch(() => [])
      )
    ).then((lists) => setTables(lists.flat()));
  }, [datasets.join(",")]);
  return tables;
}

/** Dropdown options of tables, named by their file. */
export const tableOptions = (tables) => tables.map((t) => ({ key: t.value, value: t.value, text: t.key }));

/** A table as a source in the body of a saved result. */
export const sourceOf = (table) => ({ record_id: table?.record_id, key: table?.key });
