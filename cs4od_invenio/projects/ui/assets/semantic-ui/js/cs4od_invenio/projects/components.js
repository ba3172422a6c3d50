// Result items and small search widgets shared by the project search apps.
import React from "react";
import PropTypes from "prop-types";
import { Item, Label, Icon, Header, Segment } from "semantic-ui-react";
import { stripHtml } from "./api";

const truncate = (text, size) => (text.length > size ? text.slice(0, size - 1) + "…" : text);

export const SdgBadge = ({ sdg }) => {
  const number = sdg.props?.number || sdg.id.replace("sdg", "");
  const title = sdg.title?.en || sdg.id;
  return (
    <Label
      size="tiny"
      className="cs4od-sdg"
      title={title}
      style={{ backgroundColor: sdg.props?.colour || "#666", color: "#fff" }}
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
