// React components of InvenioRDM that CS4OD overrides.
import React from "react";
import { Label } from "semantic-ui-react";

// Request lists and request pages name the type of a project inclusion request.
const ProjectInclusionTypeLabel = () => (
  <Label horizontal className="primary theme-secondary" size="small">
    Project inclusion
  </Label>
);

export const overriddenComponents = {
  "RequestTypeLabel.layout.project-community-inclusion": ProjectInclusionTypeLabel,
};
