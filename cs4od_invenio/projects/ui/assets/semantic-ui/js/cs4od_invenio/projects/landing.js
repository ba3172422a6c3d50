// Landing page of a project: the parts its template leaves room for, each rendered into
// its element with the element's data- attributes.
import React from "react";
import ReactDOM from "react-dom";
import { CommunitySubmit } from "./communitySubmit";
import { AddRecord } from "./addRecord";
import { ZenodoImport } from "./zenodoImport";
import { TablePreview } from "./tablePreview";
import { Explorations } from "./explorations";
import { Reproducibility } from "./reproducibility";

/** Renders `render(data)` into each element matching `selector`, `data` being its dataset. */
function mountAll(selector, render) {
  document.querySelectorAll(selector).forEach((element) => ReactDOM.render(render(element.dataset), element));
}

const canManage = (data) => data.canManage === "true";

mountAll("#cs4od-community-submit", (data) => <CommunitySubmit projectId={data.projectId} />);
for (const kind of ["dataset", "notebook"]) {
  mountAll(`#cs4od-add-${kind}`, (data) => <AddRecord projectId={data.projectId} kind={kind} />);
}
mountAll("#cs4od-zenodo-import", (data) => <ZenodoImport projectId={data.projectId} />);
mountAll(".cs4od-table-preview", (data) => <TablePreview recordId={data.recordId} />);
mountAll("#cs4od-explorations", (data) => (
  <Explorations projectId={data.projectId} canManage={canManage(data)} datasets={JSON.parse(data.datasets || "[]")} />
));
mountAll("#cs4od-reproducibility", (data) => (
  <Reproducibility projectId={data.projectId} canManage={canManage(data)} />
));
