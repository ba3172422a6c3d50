"""Behaviour of the project service, in small components."""

from datetime import datetime, timezone

from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_drafts_resources.services.records.uow import ParentRecordCommitOp
from invenio_i18n import lazy_gettext as _
from invenio_pidstore.errors import PIDDoesNotExistError, PIDUnregistered
from invenio_pidstore.models import PersistentIdentifier
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.services.errors import RecordDeletedException
from invenio_records_resources.services.errors import (
    PermissionDeniedError,
    RecordPermissionDeniedError,
)
from marshmallow import ValidationError

STRICT_FIELDS = (
    "access",
    "metadata.creators",
    "metadata.datasets",
    "metadata.domains",
    "metadata.notebooks",
    "metadata.sdgs",
    "metadata.tags",
    "metadata.zenodo_communities",
)
"""Fields whose invalid values reject even a draft (a draft may only be incomplete)."""

VOCABULARY_FIELDS = {"domains": "scd", "sdgs": "sdg"}
"""Vocabulary-backed metadata fields and the PID type of their vocabulary."""


def nested_errors(errors):
    """``[{"field": "a.0.b", "messages": [...]}]`` → ``{"a": {"0": {"b": [...]}}}``."""
    tree = {}
    for error in errors:
        *parents, leaf = error["field"].split(".")
        node = tree
        for key in parents:
            node = node.setdefault(key, {})
        node.setdefault(leaf, []).extend(error["messages"])
    return tree


class StrictReferencesComponent(ServiceComponent):
    """Reject invalid identifiers, vocabulary terms and links, also in drafts.

    Drafts keep incomplete text (a missing title is reported, not rejected), but a
    malformed ORCID, an unknown SDG or a link to a record the user cannot read is
    refused with a 400 naming the field, so nothing wrong is ever stored.
    """

    def _check(self, identity, data, errors):
        hard = [
            e for e in errors or []
            if any(e["field"] == f or e["field"].startswith(f + ".") for f in STRICT_FIELDS)
        ]
        metadata = (data or {}).get("metadata", {})
        hard += self._unknown_terms(metadata) + self._unreadable_links(identity, metadata)
        if hard:
            raise ValidationError(nested_errors(hard))

    @staticmethod
    def _unknown_terms(metadata):
        found = []
        for field, pid_type in VOCABULARY_FIELDS.items():
            ids = [term.get("id") for term in metadata.get(field, [])]
            known = {
                pid.pid_value
                for pid in PersistentIdentifier.query.filter(
                    PersistentIdentifier.pid_type == pid_type,
                    PersistentIdentifier.pid_value.in_(ids),
                )
            }
            for index, id_ in enumerate(ids):
                if id_ not in known:
                    found.append({
                        "field": f"metadata.{field}.{index}",
                        "messages": [_("Unknown value: %(id)s.", id=id_)],
                    })
        return found

    @staticmethod
    def _unreadable_links(identity, metadata):
        found = []
        for field in ("datasets", "notebooks"):
            for index, link in enumerate(metadata.get(field, [])):
                try:
                    current_rdm_records_service.read(identity, link["id"])
                except (PIDDoesNotExistError, PIDUnregistered, PermissionDeniedError,
                        RecordPermissionDeniedError):
                    found.append({
                        "field": f"metadata.{field}.{index}",
                        "messages": [_(
                            "No published record %(id)s that you can read.", id=link["id"]
                        )],
                    })
                except RecordDeletedException:
                    found.append({
                        "field": f"metadata.{field}.{index}",
                        "messages": [_("Record %(id)s has been deleted.", id=link["id"])],
                    })
        return found

    def create(self, identity, data=None, record=None, errors=None, **kwargs):
        """Check a new draft."""
        self._check(identity, data, errors)

    def update_draft(self, identity, data=None, record=None, errors=None, **kwargs):
        """Check an edited draft."""
        self._check(identity, data, errors)


class ProjectAccessComponent(ServiceComponent):
    """Owner on the parent, visibility on each version."""

    def create(self, identity, data=None, record=None, **kwargs):
        """The creator owns the project; public unless asked otherwise."""
        # The system identity (importers, jobs) owns nothing: its projects have no owner.
        owner = {"user": str(identity.id)} if isinstance(identity.id, int) else {}
        record.parent.access = {"owned_by": owner}
        # New drafts are indexed by the service itself: no bulk reindex of versions.
        self.uow.register(ParentRecordCommitOp(record.parent))
        record.access = {"record": (data.get("access") or {}).get("record", "public")}

    def update_draft(self, identity, data=None, record=None, **kwargs):
        """Visibility can change while editing."""
        if "access" in data:
            record.access = {"record": data["access"].get("record", "public")}

    def publish(self, identity, draft=None, record=None, **kwargs):
        """A published revision takes the draft's visibility."""
        record.access = dict(draft.get("access") or {"record": "public"})

    def edit(self, identity, draft=None, record=None, **kwargs):
        """The draft starts from the published visibility."""
        draft.access = dict(record.get("access") or {"record": "public"})

    def new_version(self, identity, draft=None, record=None, **kwargs):
        """A new version starts from the published visibility."""
        draft.access = dict(record.get("access") or {"record": "public"})


def make_tombstone(identity, reason):
    """What stays visible of a removed project."""
    return {
        "removed_by": {"user": str(identity.id)},
        "removal_date": datetime.now(timezone.utc).isoformat(),
        "reason": reason or "",
    }
