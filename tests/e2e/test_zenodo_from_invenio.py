"""Imports from a real InvenioRDM (this instance, served over HTTP), the software Zenodo
runs: restricted, embargoed, hidden and unknown records are refused with their reason.

No recording of a restricted or embargoed Zenodo record exists; InvenioRDM answers for
them what Zenodo answers, so the importer is pointed at it (only the base URL differs).
"""

import datetime

import pytest
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service

from cs4od_invenio.datasets.importer import request_import, run_import
from cs4od_invenio.datasets.models import ZenodoImport
from helpers import dataset_payload

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app_config(app_config, portal_port):
    app_config["CS4OD_ZENODO_URL"] = f"http://127.0.0.1:{portal_port}"
    app_config["CS4OD_ZENODO_TIMEOUT"] = (5, 30)
    return app_config


@pytest.fixture(scope="module")
def served(UserFixture, app, database, portal, location, resource_types_committed):
    """Records of every access kind, committed and served by the portal."""
    user = UserFixture(email="keeper@cs4od.test", password="keeper-password-1")
    user.create(app, database)
    rdm = current_rdm_records_service

    def publish(title, access, files=False):
        payload = {**dataset_payload(title), "files": {"enabled": files}}
        payload["access"] = access
        draft = rdm.create(user.identity, payload)
        return rdm.publish(user.identity, draft.id).id

    future = (datetime.date.today() + datetime.timedelta(days=400)).isoformat()
    ids = {
        "restricted": publish("Clinical notes", {"record": "public", "files": "restricted"}),
        "embargoed": publish("Trial results", {
            "record": "public", "files": "restricted",
            "embargo": {"active": True, "until": future, "reason": "Publication pending"}}),
        "hidden": publish("Private survey", {"record": "restricted", "files": "restricted"}),
    }
    database.session.commit()
    return ids, future


def _import(zenodo_id):
    row_id = request_import(system_identity, zenodo_id).id
    db.session.commit()
    run_import(row_id)
    return db.session.get(ZenodoImport, row_id)


def test_restricted_embargoed_hidden_and_unknown_records_are_refused(served):
    ids, future = served
    current_rdm_records_service.indexer.refresh()
    before = current_rdm_records_service.search(system_identity).total
    expected = {
        ids["restricted"]: f"Zenodo record {ids['restricted']} has restricted files; only "
                           "open records can be imported.",
        ids["embargoed"]: f"Zenodo record {ids['embargoed']} is under embargo until "
                          f"{future}; its files cannot be imported yet.",
        ids["hidden"]: f"Zenodo record {ids['hidden']} is not public; only open records "
                       "can be imported.",
        "99999999": "Zenodo has no record 99999999.",
    }
    for zenodo_id, message in expected.items():
        row = _import(zenodo_id)
        assert (row.status, row.message) == ("failed", message)
    current_rdm_records_service.indexer.refresh()
    assert current_rdm_records_service.search(system_identity).total == before
