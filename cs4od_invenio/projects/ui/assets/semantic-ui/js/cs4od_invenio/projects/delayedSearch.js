// Dropdowns that search as one types: one request once typing pauses, not one per key.
import { useEffect, useRef, useState } from "react";

/**
 * `search(query)` runs `run(query)` (a promise) `delay` ms after its last call;
 * `searchProps` make a Dropdown search so, and show when a search runs.
 */
export function useDelayedSearch(run, delay) {
  const [loading, setLoading] = useState(false);
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  const search = (query) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setLoading(true);
      run(query).finally(() => setLoading(false));
    }, delay);
  };
  const onSearchChange = (e, { searchQuery }) => search(searchQuery);
  return { search, searchProps: { loading, onSearchChange } };
}

/** Search hits (records, communities) as dropdown options named by their title. */
export const hitOptions = (hits, describe) =>
  hits.map((hit) => ({ key: hit.id, value: hit.id, text: hit.metadata.title, description: describe(hit) }));
