"""Previews of tabular files: which files, their state, and making one with the engine.

Previews are made by Celery tasks when a record is published (or when someone asks for
a file that has none yet); the engine streams the file, so any size fits in bounded
memory. Each preview is stored with the checksum of the file it describes.
"""

import os
import shutil
import tempfile
import time
from urllib.parse import unquote, urlsplit

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.records.api import RDMRecord

from .engine import TabularError, preview
from .models import TabularPreview


def is_tabular(key):
    """Whether a file name has an extension the engine previews."""
    return key.lower().endswith(tuple(current_app.config["CS4OD_PREVIEW_EXTENSIONS"]))


def tabular_files(record):
    """``{key: checksum}`` of the record's files that get a preview."""
    entries = (record.get("files") or {}).get("entries") or {}
    return {key: entry.get("checksum") for key, entry in entries.items() if is_tabular(key)}


def _stale(row):
    limit = current_app.config["CS4OD_PREVIEW_STALE_AFTER"]
    return row.status == "running" and row.updated and (
        time.time() - row.updated.timestamp() > limit)


def schedule(record_id, record_dict=None):
    """Rows for the record's tabular files that need a (new) preview; returns their keys.

    A file whose preview was made (or failed) for the same content, or is being made,
    is left alone; a preview left "running" by a worker that died is made again.
    """
    if record_dict is None:
        record_dict = current_rdm_records_service.read(system_identity, record_id).to_dict()
    wanted = tabular_files(record_dict)
    rows = {r.file_key: r for r in TabularPreview.query.filter_by(record_id=record_id)}
    todo = []
    for key, checksum in wanted.items():
        row = rows.get(key)
        if row is None:
            row = TabularPreview(record_id=record_id, file_key=key, checksum=checksum)
            db.session.add(row)
        elif row.checksum == checksum and row.status in ("succeeded", "failed", "pending") \
                or (row.status == "running" and not _stale(row)):
            continue  # made, or being made, of this content (ask again with POST)
        row.status, row.message, row.result, row.checksum = "pending", None, None, checksum
        todo.append(key)
    return todo


def status(row):
    """What a reader sees of one preview."""
    state, message = row.status, row.message
    if _stale(row):
        state = "failed"
        message = "The worker making this preview stopped; ask for it again."
    data = {"key": row.file_key, "status": state, "message": message,
            "checksum": row.checksum,
            "updated": row.updated.isoformat() if row.updated else None}
    if state == "succeeded":
        data["preview"] = row.result
    return data


def disk_path(uri):
    """The filesystem path of a file location URI (``/x`` or ``file:///x``), else None."""
    if not uri:
        return None
    parts = urlsplit(uri)
    if parts.scheme == "file":
        uri = unquote(parts.path)
    elif parts.scheme:
        return None
    return uri if os.path.isfile(uri) else None


def _local_path(record, key):
    """A filesystem path of the file's bytes (a temporary copy if not on local disk)."""
    file_instance = record.files[key].object_version.file
    path = disk_path(file_instance.uri)
    if path:
        return path, None
    folder = tempfile.mkdtemp(prefix="cs4od-preview-")
    path = os.path.join(folder, os.path.basename(key) or "table")
    with file_instance.storage().open() as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    return path, folder


def make(record_id, key):
    """Make the preview of one file now; the row ends succeeded or failed.

    ``OSError`` (storage not reachable) is raised for the task to retry; every other
    problem is stored as the reason.
    """
    row = TabularPreview.query.filter_by(record_id=record_id, file_key=key).one_or_none()
    if row is None or row.status == "succeeded":
        return row
    row.status = "running"
    row.attempts = (row.attempts or 0) + 1
    db.session.commit()
    folder = None
    try:
        record = RDMRecord.pid.resolve(record_id)
        path, folder = _local_path(record, key)
        config = current_app.config
        row.result = preview(path, name=key, max_rows=config["CS4OD_PREVIEW_ROWS"],
                             max_columns=config["CS4OD_PREVIEW_COLUMNS"])
        row.status, row.message = "succeeded", None
    except TabularError as error:
        row.status, row.message, row.result = "failed", error.message, {
            "error": error.as_dict()}
    except OSError:
        row.status = "pending"
        db.session.commit()
        raise
    except Exception as error:  # a bug must not leave the preview "running"
        current_app.logger.exception("preview of %s/%s failed", record_id, key)
        row.status, row.result = "failed", None
        row.message = f"The preview could not be made ({type(error).__name__})."
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    db.session.commit()
    return row
