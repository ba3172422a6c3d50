// Result items and small search widgets shared by the project search apps.
import React from "react";
import PropTypes from "prop-types";
import { Input, Item, Label, Icon, Header, Segment } from "semantic-ui-react";
import { stripHtml } from "./api";

const truncate = (text, size) => (text.length > size ? text.slice(0, size - 1) + "…" : text);

/** WCAG relative luminance of "#rgb" or "#rrggbb". */
function luminance(colour) {
  let digits = colour.replace("#", "");
  if (digits.length === 3) digits = digits.split("").map((d) => d + d).join("");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(digits.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Dark or white text, whichever reads better on `background` (as the page's template does). */
export function readableTextColour(background, dark = "#1b1c1d", light = "#ffffff") {
  const bg = luminance(background);
  if (Number.isNaN(bg)) return light;
  const onDark = (luminance(light) + 0.05) / (bg + 0.05);
  const onLight = (bg + 0.05) / (luminance(dark) + 0.05);
  return onDark >= onLight ? light : dark;
}

export const SdgBadge = ({ sdg }) => {
  const number = sdg.props?.number || sdg.id.replace("sdg", "");
  const title = sdg.title?.en || sdg.id;
  return (
    <Label
      size="tiny"
      className="cs4od-sdg"
      title={title}
      style={{ backgroundColor: sdg.props?.colour || "#666", color: readableTextColour(sdg.props?.colour || "#666") }}
    >
      SDG {number} · {title}
    </Label>
  );
};

SdgBadge.propTypes = { sdg: PropTypes.object.isRequired };

const creatorNames = (creators) =>
  (creators || [])
    .map((c) => c.person_or_org?.name || [c.person_or_org?.family_name, c.person_or_org?.given_name].filter(Boolean).join(", "))
    .filter(Boolean)
    .join("; ");

export const ProjectResultItem = ({ result }) => {
  const md = result.metadata || {};
  const isDraft = result.is_published === false;
  const url = isDraft ? `/projects/${result.id}/edit` : `/projects/${result.id}`;
  const datasets = (md.datasets || []).length;
  const notebooks = (md.notebooks || []).length;
  return (
    <Item className="cs4od-project-result" data-id={result.id}>
      <Item.Content>
        <Item.Extra className="labels-actions">
          {isDraft && <Label size="tiny" color="orange">Draft</Label>}
          {result.is_published && result.has_draft && (
            <Label size="tiny" basic color="orange">Unpublished changes</Label>
          )}
          {result.access?.record === "restricted" ? (
            <Label size="tiny" color="red"><Icon name="lock" />Restricted</Label>
          ) : (
            <Label size="tiny" color="green"><Icon name="lock open" />Public</Label>
          )}
          {(md.sdgs || []).map((sdg) => <SdgBadge key={sdg.id} sdg={sdg} />)}
        </Item.Extra>
        <Item.Header as="a" href={url}>{md.title || "Untitled project"}</Item.Header>
        {md.creators && <Item.Meta>{creatorNames(md.creators)}</Item.Meta>}
        <Item.Description>{truncate(stripHtml(md.description), 300)}</Item.Description>
        <Item.Extra>
          {(md.domains || []).map((d) => (
            <Label key={d.id} size="tiny" basic color="blue">{d.title?.en || d.id}</Label>
          ))}
          {(md.tags || []).map((tag) => (
            <Label key={tag} size="tiny" basic>{tag}</Label>
          ))}
          <span className="cs4od-counts">
            <Icon name="table" />{datasets} dataset{datasets === 1 ? "" : "s"}
            {" · "}
            <Icon name="book" />{notebooks} notebook{notebooks === 1 ? "" : "s"}
            {result.updated && <> · updated {result.updated.slice(0, 10)}</>}
          </span>
        </Item.Extra>
      </Item.Content>
    </Item>
  );
};

ProjectResultItem.propTypes = { result: PropTypes.object.isRequired };

// React-SearchKit writes "result(s) found" after the number.
export const ProjectCount = ({ totalResults }) => (
  <span className="cs4od-count">{totalResults}</span>
);

ProjectCount.propTypes = { totalResults: PropTypes.number.isRequired };

export const ProjectEmptyResults = ({ queryString, resetQuery }) => (
  <Segment placeholder textAlign="center" className="cs4od-empty-results">
    <Header icon>
      <Icon name="search" />
      {queryString ? `No projects match "${queryString}".` : "No projects here yet."}
    </Header>
    {queryString && (
      <button type="button" className="ui button" onClick={() => resetQuery()}>
        Clear the query
      </button>
    )}
  </Segment>
);

ProjectEmptyResults.propTypes = {
  queryString: PropTypes.string,
  resetQuery: PropTypes.func,
};

ProjectEmptyResults.defaultProps = { queryString: "", resetQuery: () => {} };

export const ProjectSearchError = ({ error }) => (
  <Segment placeholder textAlign="center" className="cs4od-search-error">
    <Header icon>
      <Icon name="warning sign" />
      {error?.response?.data?.message || "The search failed."}
    </Header>
  </Segment>
);

ProjectSearchError.propTypes = { error: PropTypes.object };
ProjectSearchError.defaultProps = { error: {} };

/** The search box of a project search app, like the portal's record search box. */
export const projectSearchBar = (placeholder) => {
  const ProjectSearchBar = ({ queryString, onInputChange, onBtnSearchClick, onKeyPress }) => (
    <Input
      fluid
      className="cs4od-project-searchbar"
      action={{ icon: "search", onClick: onBtnSearchClick, className: "search", "aria-label": "Search" }}
      placeholder={placeholder}
      aria-label={placeholder}
      value={queryString}
      onChange={(event, { value }) => onInputChange(value)}
      onKeyPress={onKeyPress}
    />
  );
  ProjectSearchBar.propTypes = {
    queryString: PropTypes.string.isRequired,
    onInputChange: PropTypes.func.isRequired,
    onBtnSearchClick: PropTypes.func.isRequired,
    onKeyPress: PropTypes.func.isRequired,
  };
  return ProjectSearchBar;
};
