"""A community's curators set up its Zenodo harvest: an invenio-jobs job whose runs they
start and follow over REST (Celery runs eagerly in tests), with a page of their own."""

from urllib.parse import urlsplit

import pytest
import requests
from invenio_access.permissions import system_identity
from invenio_jobs.models import Job, Run, RunStatusEnum
from invenio_rdm_records.proxies import current_rdm_records_service

from cs4od_invenio.federation import sources
from cs4od_invenio.federation.jobs import JOB_ID
from helpers import token_for

URL = "/api/communities/open-health/zenodo-harvest"
LISA = "https://zenodo.org/communities/lisa7-posters"


@pytest.fixture()
def zenodo_oai(app, replay, monkeypatch):
    """The recorded Zenodo OAI-PMH answers, served where CS4OD_ZENODO_URL points (in the
    UI and the REST API applications)."""
    server = replay("legacy")
    parts = urlsplit(server.base_url)
    for one in (app, app.wsgi_app.mounts["/api"]):
        monkeypatch.setitem(
            one.config, "CS4OD_ZENODO_URL", f"{parts.scheme}://{parts.netloc}"
        )
        monkeypatch.setitem(
            one.config, "CS4OD_HARVEST_HTTP", {"min_interval": 0, "retries": 0}
        )
    return server


def _auth(user, db):
    return {"authorization": f"Bearer {token_for(user, db)}"}


def _harvest_now(client, auth):
    """Set up the harvest of the recorded user-lisa7-posters, in oai_datacite3; run it."""
    client.put(
        URL,
        headers=auth,
        json={"zenodo_community": "lisa7-posters", "metadata_prefix": "oai_datacite3"},
    )
    client.post(URL + "/runs", headers=auth)


def _community_records(community):
    current_rdm_records_service.indexer.refresh()
    found = current_rdm_records_service.search(
        system_identity,
        params={"q": f"parent.communities.ids:{community.id}", "size": 50},
    )
    return [hit["metadata"]["title"] for hit in found.hits]


def test_curator_sets_up_a_scheduled_harvest_and_reads_its_report(
    app, client, db, community, curator, zenodo_oai, harvest_vocabularies
):
    """The Zenodo community page URL is understood; the run harvests and reports."""
    auth = _auth(curator, db)
    answer = client.put(
        URL,
        headers=auth,
        json={
            "zenodo_community": LISA,
            "schedule": "weekly",
            "metadata_prefix": "oai_datacite3",
        },
    )
    assert answer.status_code == 200, answer.json
    source = answer.json["source"]
    assert source["zenodo_community"] == "lisa7-posters"
    assert source["set_spec"] == "user-lisa7-posters"
    assert source["base_url"] == zenodo_oai.base_url
    assert source["schedule"] == "weekly"
    assert answer.json["runs"] == []

    job = Job.query.filter_by(task=JOB_ID).one()
    assert job.active and job.schedule == {"type": "interval", "weeks": 1}

    started = client.post(URL + "/runs", headers=auth)
    assert started.status_code == 202, started.json

    state = client.get(URL, headers=auth).json
    run = state["runs"][0]
    # The recording has one page of ten posters; its next page was never recorded.
    assert run["status"] == "partial_success"
    assert (run["seen"], run["created_records"], run["updated_records"]) == (10, 10, 0)
    assert "created 10, updated 0, deleted 0, failed 0" in run["message"]
    assert "Stopped early" in run["message"] and "HTTP 404" in run["message"]
    assert "Traceback" not in run["message"]
    assert run["started_by"] == int(curator.id)
    assert state["records"] == 10
    assert zenodo_oai.requests[0]["set"] == "user-lisa7-posters"

    titles = _community_records(community)
    assert len(titles) == 10 and "Catalog management at CDS" in titles


class WatchingSession(requests.Session):
    """Real HTTP to the stand-in; before each next page is asked for, ``watch()`` is
    noted (what the curators' API says of the run at that moment)."""

    def __init__(self, watch):
        super().__init__()
        self.watch = watch
        self.watched = []

    def get(self, url, params=None, **kwargs):
        if params and "resumptionToken" in params:
            self.watched.append(self.watch())
        return super().get(url, params=params, **kwargs)


def test_a_run_under_way_carries_the_size_the_source_announced(
    app, client, db, community, curator, zenodo_oai, harvest_vocabularies, monkeypatch
):
    """The first page announces a list of 21 records: while the next one is asked for,
    the run says so (the page shows "N of 21 records"); its report replaces it."""
    session = WatchingSession(
        lambda: sources.describe(curator.identity, "open-health")["runs"][0]
    )
    for one in (app, app.wsgi_app.mounts["/api"]):
        monkeypatch.setitem(
            one.config,
            "CS4OD_HARVEST_HTTP",
            {"min_interval": 0, "retries": 0, "session": session},
        )
    auth = _auth(curator, db)
    _harvest_now(client, auth)

    (under_way,) = session.watched
    assert under_way["status"] == "running"
    assert (under_way["expected"], under_way["seen"]) == (21, 0)
    assert under_way["message"] == "The source announces 21 records."
    run = client.get(URL, headers=auth).json["runs"][0]
    assert run["status"] == "partial_success" and run["expected"] is None
    assert "created 10" in run["message"]


def test_a_source_that_fails_at_once_gives_a_failed_run_with_the_reason(
    app, client, db, community, curator, zenodo_oai, harvest_vocabularies
):
    """Nothing recorded for this set: the first page is a 404, nothing is written."""
    auth = _auth(curator, db)
    client.put(URL, headers=auth, json={"zenodo_community": "no-such-community"})
    client.post(URL + "/runs", headers=auth)

    run = client.get(URL, headers=auth).json["runs"][0]
    assert run["status"] == "failed"
    assert "HTTP 404" in run["message"]
    assert "Traceback" not in run["message"]
    assert _community_records(community) == []


def test_records_that_fail_are_counted_once(
    app, client, db, community, curator, zenodo_oai, harvest_vocabularies
):
    """Without the 'has part' relation type here, nine posters fail: the run counts nine."""
    from invenio_vocabularies.proxies import current_service as vocabulary_service

    haspart = vocabulary_service.read(system_identity, ("relationtypes", "haspart"))
    vocabulary_service.delete(system_identity, ("relationtypes", haspart.id))
    vocabulary_service.indexer.refresh()
    auth = _auth(curator, db)
    _harvest_now(client, auth)

    run = client.get(URL, headers=auth).json["runs"][0]
    assert (run["seen"], run["created_records"], run["failed_records"]) == (10, 1, 9)
    assert "created 1, updated 0, deleted 0, failed 9" in run["message"]


def test_bad_settings_are_refused_field_by_field_and_keep_the_old_ones(
    app, client, db, community, curator, zenodo_oai
):
    auth = _auth(curator, db)
    assert (
        client.put(
            URL, headers=auth, json={"zenodo_community": "lisa7-posters"}
        ).status_code
        == 200
    )

    answer = client.put(
        URL,
        headers=auth,
        json={"zenodo_community": "Not a community!", "schedule": "hourly"},
    )
    assert answer.status_code == 400
    fields = {e["field"]: " ".join(e["messages"]) for e in answer.json["errors"]}
    assert "lowercase letters" in fields["zenodo_community"]
    assert "daily, weekly" in fields["schedule"]

    # Another server is for administrators only (the server would fetch any URL).
    answer = client.put(
        URL,
        headers=auth,
        json={"zenodo_community": "other", "base_url": "http://127.0.0.1:9/oai2d"},
    )
    assert answer.status_code == 400
    assert answer.json["errors"][0]["field"] == "base_url"

    assert (
        client.get(URL, headers=auth).json["source"]["zenodo_community"]
        == "lisa7-posters"
    )


def test_only_the_communitys_curators_may_see_or_run_its_harvest(
    app, client, db, community, owner, curator, stranger, admin, zenodo_oai
):
    assert client.get(URL).status_code == 401
    strange = _auth(stranger, db)
    assert client.get(URL, headers=strange).status_code == 403
    assert (
        client.put(URL, headers=strange, json={"zenodo_community": "x"}).status_code
        == 403
    )
    assert client.post(URL + "/runs", headers=strange).status_code == 403

    assert client.get(URL, headers=_auth(owner, db)).status_code == 200
    admin_state = client.put(
        URL,
        headers=_auth(admin, db),
        json={"zenodo_community": "x", "base_url": zenodo_oai.base_url},
    )
    assert admin_state.status_code == 200 and admin_state.json["can_set_base_url"]
    assert client.get(URL, headers=_auth(curator, db)).json["can_set_base_url"] is False


def test_one_harvest_at_a_time_and_none_before_a_source_is_chosen(
    app, client, db, community, curator, zenodo_oai
):
    auth = _auth(curator, db)
    answer = client.post(URL + "/runs", headers=auth)
    assert answer.status_code == 400
    assert answer.json["errors"][0]["field"] == "zenodo_community"

    client.put(URL, headers=auth, json={"zenodo_community": "lisa7-posters"})
    job = Job.query.filter_by(task=JOB_ID).one()
    queued = Run.create(job=job, status=RunStatusEnum.QUEUED, title="queued elsewhere")
    db.session.add(queued)
    db.session.commit()
    answer = client.post(URL + "/runs", headers=auth)
    assert answer.status_code == 409
    assert "already queued or under way" in answer.json["message"]

    # Stopping the harvest keeps what was harvested and the history, but no schedule.
    stopped = client.delete(URL, headers=auth).json
    assert (
        stopped["source"]["active"] is False and stopped["source"]["schedule"] is None
    )
    assert len(stopped["runs"]) == 1


def test_the_page_and_its_tab_are_for_curators(
    app, client, db, community, curator, stranger
):
    """Curators see the tab and the page; others neither."""
    curator.login(client)
    page = client.get("/communities/open-health/zenodo-harvest")
    assert page.status_code == 200
    assert b'id="cs4od-community-harvest"' in page.data
    assert b'data-community="open-health"' in page.data
    tab = client.get("/communities/open-health/requests")
    assert b"/communities/open-health/zenodo-harvest" in tab.data

    other = stranger.login(app.test_client())
    assert other.get("/communities/open-health/zenodo-harvest").status_code == 403
    assert (
        b"zenodo-harvest"
        not in other.get("/communities/open-health", follow_redirects=True).data
    )


def test_a_harvest_scheduled_after_the_scheduler_started_runs(
    app, db, client, community, curator, zenodo_oai, harvest_vocabularies, monkeypatch
):
    """The jobs scheduler re-reads the jobs table: a harvest a curator schedules on a
    running portal is started when due, without restarting beat."""
    import time

    from cs4od_invenio.scheduler import RunScheduler

    celery = app.extensions["flask-celeryext"].celery
    # Beat runs in the application the Celery app was made for: this module's (whose
    # configuration points at the replay), whichever module's app came before.
    monkeypatch.setattr(celery, "flask_app", app)
    scheduler = RunScheduler(app=celery, lazy=True)
    scheduler.setup_schedule()
    assert scheduler.schedule == {}
    assert scheduler.tick() <= RunScheduler.sync_every

    client.put(
        URL,
        headers=_auth(curator, db),
        json={
            "zenodo_community": "lisa7-posters",
            "schedule": "daily",
            "metadata_prefix": "oai_datacite3",
        },
    )
    job = Job.query.filter_by(task=JOB_ID).one()
    job.schedule = {
        "type": "interval",
        "seconds": 1,
    }  # daily, as far as a test can wait
    db.session.commit()

    scheduler._last_sync = time.monotonic() - RunScheduler.sync_every - 1
    scheduler.tick()
    assert list(scheduler.schedule) == [job.id]
    time.sleep(1.2)
    scheduler.tick()

    run = Run.query.filter_by(job_id=job.id).one()
    assert run.status == RunStatusEnum.PARTIAL_SUCCESS
    assert run.inserted_entries == 10


def test_a_run_that_finds_another_under_way_does_nothing_and_says_why(
    app, db, client, community, curator, zenodo_oai, harvest_vocabularies
):
    """Two runs of one harvest never write the same records at once (the scheduler does
    not know whether the last one is over)."""
    from datetime import datetime, timezone

    from invenio_jobs.proxies import current_runs_service

    client.put(
        URL,
        headers=_auth(curator, db),
        json={"zenodo_community": "lisa7-posters", "metadata_prefix": "oai_datacite3"},
    )
    job = Job.query.filter_by(task=JOB_ID).one()
    running = Run.create(
        job=job,
        status=RunStatusEnum.RUNNING,
        title="under way",
        started_at=datetime.now(timezone.utc),
    )
    db.session.add(running)
    db.session.commit()

    result = current_runs_service.create(
        system_identity, str(job.id), {"title": "scheduled"}
    )
    run = db.session.get(Run, result.id)
    assert run.status == RunStatusEnum.FAILED
    assert "another harvest of this community is under way" in run.message
    assert zenodo_oai.requests == []
    assert _community_records(community) == []
