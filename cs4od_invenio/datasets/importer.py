"""Import a Zenodo record: a verified copy as an RDM record, linked into a project.

``request_import`` records what was asked (one row per Zenodo record) and queues the
Celery task; ``run_import`` does the work, in the worker or from the command line:
metadata and file list first (so restricted, embargoed, missing and oversize records
fail before anything is stored), then a draft with every file streamed from Zenodo and
checked against Zenodo's MD5, then publication and the link into the project. When a
step fails the draft is deleted: what was stored before (an earlier copy, the project)
stays as it was.
"""

import time
import uuid
from urllib.parse import urlsplit

from flask import current_app
from invenio_access.permissions import any_user, authenticated_user, system_identity
from invenio_access.utils import get_identity
from invenio_accounts.models import User
from invenio_cache import current_cache
from invenio_db import db
from invenio_pidstore.errors import PIDDoesNotExistError, PIDDeletedError
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_records_resources.proxies import current_service_registry
from invenio_vocabularies.records.api import Vocabulary
from marshmallow import ValidationError
from werkzeug.exceptions import NotFound

from .deposit import link_into_project
from .models import ZenodoImport
from .zenodo import ZENODO_HOSTS, Vocabularies, ZenodoImportError, parse_reference, read_record, to_rdm
from .zenodo_client import ZenodoClient, ZenodoUnavailable

ACTIVE = ("queued", "running")


def client():
    """A client for the configured Zenodo (``CS4OD_ZENODO_URL``)."""
    return ZenodoClient(current_app.config["CS4OD_ZENODO_URL"],
                        timeout=current_app.config["CS4OD_ZENODO_TIMEOUT"])


def zenodo_hosts():
    """Hosts whose record URLs name Zenodo records: Zenodo's and the configured one's."""
    configured = urlsplit(current_app.config["CS4OD_ZENODO_URL"]).netloc.lower()
    return (*ZENODO_HOSTS, configured)


def request_import(identity, reference, project_id=None, user_id=None):
    """Record an import request and return its row (not yet committed).

    ``reference`` is a Zenodo DOI, record URL or id. With ``project_id`` the owner must
    be allowed to manage that project. A request for a Zenodo record whose import is
    still under way returns that import instead of starting a second one.
    """
    try:
        zenodo_id = parse_reference(reference, hosts=zenodo_hosts())
    except ZenodoImportError as error:
        raise ValidationError({"reference": [str(error)]})
    if project_id:
        projects = current_service_registry.get("projects")
        project = projects.record_cls.pid.resolve(project_id)
        projects.require_permission(identity, "manage", record=project)
    row = ZenodoImport.query.filter_by(zenodo_id=zenodo_id).with_for_update().one_or_none()
    if row is None:
        row = ZenodoImport(zenodo_id=zenodo_id)
        db.session.add(row)
    elif row.status in ACTIVE and not _stale(row):
        return row
    row.status = "queued"
    row.message = None
    row.project_id = project_id
    row.user_id = user_id
    row.progress = {"step": "queued"}
    db.session.flush()
    return row


def start_import(identity, reference, project_id):
    """Ask for an import into a project and queue its task; returns the import's state."""
    from .tasks import import_zenodo_record

    user_id = identity.id if isinstance(identity.id, int) else None
    row = request_import(identity, reference, project_id, user_id=user_id)
    queued = row.status == "queued"
    row_id = row.id
    db.session.commit()
    if queued:
        import_zenodo_record.delay(str(row_id))
    row = db.session.get(ZenodoImport, row_id)
    db.session.refresh(row)
    return status(row, project_id)


def import_status(identity, project_id, import_id):
    """The state of import ``import_id`` into project ``project_id`` (404 if another)."""
    projects = current_service_registry.get("projects")
    project = projects.record_cls.pid.resolve(project_id)
    projects.require_permission(identity, "manage", record=project)
    try:
        row = db.session.get(ZenodoImport, uuid.UUID(str(import_id)))
    except ValueError:
        row = None
    if row is None or row.project_id != project_id:
        raise NotFound("No such import for this project.")
    return status(row, project_id)


def _stale(row):
    """An active import whose worker has not reported for a long time (it died)."""
    limit = current_app.config["CS4OD_ZENODO_IMPORT_STALE_AFTER"]
    updated = row.updated.timestamp() if row.updated else 0
    return time.time() - updated > limit


def status(row, project_id=None):
    """The JSON a user sees for an import: state, reason, progress and the copy."""
    progress = dict(row.progress or {})
    live = current_cache.get(_progress_key(row.id)) if row.status == "running" else None
    if live:
        progress.update(live)
    result = {
        "id": str(row.id),
        "zenodo_id": row.zenodo_id,
        "status": row.status,
        "message": row.message,
        "progress": progress,
        "record_id": row.record_id,
        "project_id": row.project_id,
        "updated": row.updated.isoformat() if row.updated else None,
    }
    ui = current_app.config["SITE_UI_URL"]
    api = current_app.config["SITE_API_URL"]
    links = {}
    if project_id:
        links["self"] = f"{api}/projects/{project_id}/zenodo-imports/{row.id}"
    if row.record_id:
        links["record"] = f"{api}/records/{row.record_id}"
        links["record_html"] = f"{ui}/records/{row.record_id}"
    result["links"] = links
    return result


def _progress_key(import_id):
    return f"cs4od:zenodo-import:{import_id}"


def _identity(row):
    """The identity of the user who asked (their copy, their project), else the system."""
    user = db.session.get(User, row.user_id) if row.user_id else None
    if user is None:
        return system_identity
    identity = get_identity(user)
    identity.provides.update({any_user, authenticated_user})
    return identity


def _known(vocabulary_type, candidates):
    """Those of ``candidates`` that are entries of the vocabulary here."""
    known = set()
    for candidate in candidates:
        if not candidate:
            continue
        try:
            Vocabulary.pid.resolve((vocabulary_type, candidate))
        except (PIDDoesNotExistError, PIDDeletedError):
            continue
        except Exception:  # an unknown vocabulary type: nothing of it is known
            continue
        known.add(candidate)
    return known


def _vocabularies(zrecord):
    """The vocabulary ids the record could map to that this instance has."""
    metadata = zrecord.data.get("metadata") or {}
    rtype = metadata.get("resource_type") or {}
    rtypes = {rtype.get("id"), rtype.get("type"), "dataset",
              f"{rtype.get('type')}-{rtype.get('subtype')}"}
    licences = {(r.get("id") or "").lower() for r in metadata.get("rights") or []}
    license_ = metadata.get("license")
    if license_:
        licences.add((license_.get("id") if isinstance(license_, dict) else license_
                      or "").lower())
    relations = {"isidenticalto"}
    for entry in metadata.get("related_identifiers") or []:
        relation = entry.get("relation_type") or entry.get("relation") or ""
        relations.add((relation.get("id") if isinstance(relation, dict)
                       else relation).lower())
    return Vocabularies(
        resource_types=_known("resourcetypes", rtypes),
        licenses=_known("licenses", licences),
        relation_types=_known("relationtypes", relations),
    )


class _Progress:
    """Progress of a running import: in the row between steps, live bytes in the cache."""

    def __init__(self, row, hook=None):
        self.row = row
        self.hook = hook
        self.state = dict(row.progress or {})
        self.last_push = 0.0

    def step(self, name, **values):
        self.state.update(step=name, **values)
        self.row.progress = dict(self.state)
        db.session.commit()
        if self.hook:
            self.hook(dict(self.state))

    def bytes(self, count):
        self.state["bytes_done"] = self.state.get("bytes_done", 0) + count
        now = time.monotonic()
        if now - self.last_push > 0.5:
            self.last_push = now
            current_cache.set(_progress_key(self.row.id), {
                "bytes_done": self.state["bytes_done"], "step": self.state.get("step")},
                timeout=3600)
        if self.hook:
            self.hook(dict(self.state))


def _existing_copy(identity, row):
    """The latest version of the copy made by an earlier import, if it still exists."""
    if not row.record_id:
        return None
    try:
        return current_rdm_records_service.read_latest(system_identity, row.record_id)
    except Exception:  # deleted or removed meanwhile: make a new copy
        return None


def _upload(identity, draft_id, zrecord, zenodo, progress):
    """Stream every file from Zenodo into the draft, each checked against its MD5."""
    files = current_rdm_records_service.draft_files
    max_size = current_app.config["CS4OD_ZENODO_MAX_FILE_SIZE"]
    files.init_files(identity, draft_id, [{"key": f.key} for f in zrecord.files])
    for index, zfile in enumerate(zrecord.files):
        progress.step("files", current_file=zfile.key)
        stream = zenodo.open(zfile, max_size, progress=progress.bytes)
        try:
            files.set_file_content(identity, draft_id, zfile.key, stream,
                                   content_length=zfile.size)
        finally:
            stream.close()
        stored = files.commit_file(identity, draft_id, zfile.key).to_dict()
        if stored.get("checksum") != zfile.checksum:
            raise ZenodoImportError(
                f"{zfile.key} was stored with checksum {stored.get('checksum')}, "
                f"Zenodo lists {zfile.checksum}.")
        progress.step("files", files_done=index + 1)


def _copy(identity, row, zrecord, payload, zenodo, progress):
    """Make or update the copy; returns the published RDM record."""
    rdm = current_rdm_records_service
    existing = _existing_copy(identity, row)
    if existing is None:
        draft = rdm.create(identity, payload)
        upload = bool(zrecord.files)
    else:
        stored = {key: entry.get("checksum") for key, entry in
                  (existing.to_dict().get("files", {}).get("entries") or {}).items()}
        wanted = {f.key: f.checksum for f in zrecord.files}
        if stored == wanted:
            draft = rdm.edit(identity, existing.id)  # metadata only
            upload = False
        else:
            draft = rdm.new_version(identity, existing.id)  # files changed on Zenodo
            upload = bool(zrecord.files)
        draft = rdm.update_draft(identity, draft.id, {
            **payload, "files": {"enabled": payload["files"]["enabled"]}})
    try:
        # "Missing uploaded files" is expected before the upload; publish checks again.
        problems = [e for e in draft.errors or [] if not e["field"].startswith("files")]
        if problems:
            fields = "; ".join(f"{e['field']}: {' '.join(map(str, e['messages']))}"
                               for e in problems)
            raise ZenodoImportError(
                f"The Zenodo metadata does not fit this repository ({fields}).")
        if upload:
            _upload(identity, draft.id, zrecord, zenodo, progress)
        progress.step("publishing")
        return rdm.publish(identity, draft.id)
    except Exception:
        db.session.rollback()
        rdm.delete_draft(identity, draft.id)
        raise


def run_import(import_id, progress_hook=None, zenodo=None):
    """Carry out the import ``import_id``; returns its row, succeeded or failed.

    ``ZenodoUnavailable`` (network, Zenodo 5xx) is raised after the row is marked, so
    that a task can retry; every other problem leaves the row failed with its reason.
    """
    row = db.session.get(ZenodoImport, import_id)
    identity = _identity(row)
    zenodo = zenodo or client()
    row.status, row.message = "running", None
    progress = _Progress(row, progress_hook)
    progress.step("metadata")
    try:
        zrecord = read_record(zenodo.record(row.zenodo_id), row.zenodo_id)
        max_size = current_app.config["CS4OD_ZENODO_MAX_FILE_SIZE"]
        for zfile in zrecord.files:
            if zfile.size > max_size:
                raise ZenodoImportError(
                    f"{zfile.key} is {zfile.size:,} bytes; imports are limited to "
                    f"{max_size:,} bytes per file.")
        payload, notes = to_rdm(zrecord, _vocabularies(zrecord))
        progress.step("files", files_total=len(zrecord.files), files_done=0,
                      bytes_total=sum(f.size for f in zrecord.files), bytes_done=0,
                      title=zrecord.title)
        earlier = row.record_id
        record = _copy(identity, row, zrecord, payload, zenodo, progress)
        row.record_id = record.id
        if row.project_id:
            progress.step("linking")
            field = ("notebooks" if record.data["metadata"]["resource_type"]["id"]
                     == "software-computationalnotebook" else "datasets")
            replaces = [earlier] if earlier and earlier != record.id else []
            link_into_project(identity, row.project_id, field, record.id, replaces)
        row.status = "succeeded"
        row.message = ("Not carried over: " + "; ".join(notes) + ".") if notes else None
        progress.step("done")
    except ZenodoImportError as error:
        _fail(row, str(error))
        if isinstance(error, ZenodoUnavailable):
            raise
    except ValidationError as error:
        _fail(row, f"The Zenodo metadata does not fit this repository: {error.messages}")
    except Exception as error:
        current_app.logger.exception("Zenodo import %s failed", row.zenodo_id)
        _fail(row, f"The import stopped on an unexpected error ({type(error).__name__});"
                   " nothing was changed.")
        raise
    finally:
        current_cache.delete(_progress_key(row.id))
    return row


def _fail(row, message):
    db.session.rollback()
    row = db.session.merge(row)
    row.status = "failed"
    row.message = message
    db.session.commit()
