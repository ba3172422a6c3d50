// Calls to CS4OD's REST API from the project pages, and the error shapes it answers with.
import axios from "axios";

/** Cookie-authenticated JSON calls with Invenio's CSRF header. */
export const http = axios.create({
  withCredentials: true,
  xsrfCookieName: "csrftoken",
  xsrfHeaderName: "X-CSRFToken",
  headers: { Accept: "application/json", "Content-Type": "application/json" },
});

/** A date and time as "26 Nov 2026, 14:04" (the visitor's time zone; month by name). */
export const formatWhen = (iso) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "—";

/** The path of an API link, fetched from the page's own origin. */
export const pathOf = (url) => new URL(url).pathname;

/** The fields of the project form, in the dotted names the REST API uses in errors. */
export const FORM_FIELDS = [
  "metadata.title",
  "metadata.description",
  "metadata.tags",
  "metadata.domains",
  "metadata.sdgs",
  "metadata.zenodo_communities",
  "metadata.datasets",
  "metadata.notebooks",
  "metadata.creators",
  "access.record",
];

/**
 * Field errors of an API answer ({errors: [{field, messages}]}) keyed by form field:
 * "metadata.sdgs.0" belongs to "metadata.sdgs". Errors of unknown fields go to "_form".
 */
export function fieldErrors(errors) {
  const byField = {};
  (errors || []).forEach(({ field, messages }) => {
    const name = FORM_FIELDS.find((f) => field === f || field.startsWith(f + ".")) || "_form";
    const text = [].concat(messages || []).flatMap((m) =>
      typeof m === "string" ? [m] : Object.values(m).flat()
    );
    const detail = name === "_form" ? text.map((t) => `${field}: ${t}`) : text;
    byField[name] = [...(byField[name] || []), ...detail];
  });
  return byField;
}

/** A readable message of a failed call. */
export function errorMessage(error) {
  const data = error?.response?.data;
  if (data?.message) return data.message;
  if (error?.response) return `The server answered ${error.response.status}.`;
  return error?.message || "The request failed.";
}

/** Plain text of an HTML description (for result lists). */
export function stripHtml(html) {
  if (!html) return "";
  // Paragraphs and line breaks become spaces, not nothing.
  const spaced = html.replace(/<\/(p|div|li|h[1-6])>|<br\s*\/?>/gi, "$& ");
  const text = new DOMParser().parseFromString(spaced, "text/html").body.textContent || "";
  return text.replace(/\s+/g, " ").trim();
}
