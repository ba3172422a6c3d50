// Descriptions typed as plain text, stored as HTML paragraphs.

const escapeHtml = (text) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Plain text typed in the form becomes paragraphs; text with HTML tags is kept as is. */
export function textToHtml(text) {
  const trimmed = (text || "").trim();
  if (!trimmed || /<[a-z][\s\S]*>/i.test(trimmed)) return trimmed;
  return trimmed
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** The inverse for descriptions made only of paragraphs and line breaks. */
export function htmlToText(html) {
  const value = (html || "").trim();
  const withoutParagraphs = value.replace(/<\/?p>|<br\s*\/?>/gi, "");
  if (/<[a-z][\s\S]*>/i.test(withoutParagraphs)) return value;
  const text = value
    .replace(/<\/p>\s*<p>/gi, "\n\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/?p>/gi, "");
  return new DOMParser().parseFromString(text, "text/html").documentElement.textContent;
}
