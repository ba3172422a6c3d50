// The project search apps: /projects, "My projects" and a community's "Projects" tab.
import { createSearchAppInit } from "@js/invenio_search_ui";
import {
  ContribSearchAppFacets,
  ContribBucketAggregationElement,
  ContribBucketAggregationValuesElement,
} from "@js/invenio_search_ui/components";
import { parametrize } from "react-overridable";
import {
  ProjectResultItem,
  ProjectCount,
  ProjectEmptyResults,
  ProjectSearchError,
  projectSearchBar,
} from "./components";

const Facets = parametrize(ContribSearchAppFacets, { toggle: false, help: false });

const componentsOf = (appName, placeholder) => ({
  [`${appName}.SearchBar.element`]: projectSearchBar(placeholder),
  [`${appName}.BucketAggregation.element`]: ContribBucketAggregationElement,
  [`${appName}.BucketAggregationValues.element`]: ContribBucketAggregationValuesElement,
  [`${appName}.SearchApp.facets`]: Facets,
  [`${appName}.ResultsList.item`]: ProjectResultItem,
  [`${appName}.Count.element`]: ProjectCount,
  [`${appName}.EmptyResults.element`]: ProjectEmptyResults,
  [`${appName}.Error.element`]: ProjectSearchError,
});

createSearchAppInit(
  {
    ...componentsOf("Cs4od.ProjectsSearch", "Search projects…"),
    ...componentsOf("Cs4od.MyProjects", "Search my projects…"),
    ...componentsOf("Cs4od.CommunityProjects", "Search this community's projects…"),
  },
  true,
  "invenio-search-config",
  true
);
