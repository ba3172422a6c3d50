"""The RDM record service component that asks for previews when a record is published."""

from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.uow import TaskOp

from .tasks import schedule_previews


class TabularPreviewComponent(ServiceComponent):
    """Queue the previews of a record's tabular files after it is published."""

    def publish(self, identity, draft=None, record=None, **kwargs):
        """Register the task; it runs once the publication is committed."""
        self.uow.register(TaskOp(schedule_previews, record.pid.pid_value))
