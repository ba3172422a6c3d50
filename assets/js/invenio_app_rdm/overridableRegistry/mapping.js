// React components of InvenioRDM that CS4OD overrides (none yet).
export const overriddenComponents = {};
