// "Charts and analyses" on a project page: the results saved on the project, and for its
// owner the builders of new ones (a chart, an analysis, tables combined into a dataset).
import React from "react";
import PropTypes from "prop-types";
import { Loader, Message } from "semantic-ui-react";
import { useSavedResults, SavedResult } from "./savedResults";
import { useTables } from "./tables";
import { ChartForm } from "./chartBuilder";
import { AnalysisForm } from "./analysisBuilder";
import { CombineForm } from "./combineTables";

export function Explorations({ projectId, canManage, datasets }) {
  const { items, error, save, remove } = useSavedResults(projectId);
  const tables = useTables(canManage ? datasets : []);

  if (error) return <Message warning size="small" content={error} />;
  if (items === null) return <Loader active inline size="small" />;
  return (
    <div className="cs4od-explorations">
      {items.length === 0 && <p className="text-muted">None yet.</p>}
      {items.map((item) => (
        <SavedResult key={item.id} exploration={item} canManage={canManage} onDelete={remove}
          datasets={canManage ? datasets : null} />
      ))}
      {canManage && tables.length > 0 && (
        <div className="cs4od-exploration-forms">
          <ChartForm tables={tables} onSave={save} />
          <AnalysisForm tables={tables} onSave={save} />
          {tables.length > 1 && <CombineForm tables={tables} onSave={save} />}
        </div>
      )}
    </div>
  );
}

Explorations.propTypes = {
  projectId: PropTypes.string.isRequired,
  canManage: PropTypes.bool.isRequired,
  datasets: PropTypes.array.isRequired,
};
