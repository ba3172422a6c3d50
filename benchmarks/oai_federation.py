"""OAI-PMH federation (issue 7): direct RDM writes, our ListRecords, and harvest ingest.

In a scratch PostgreSQL database and index prefix of its own (created, then dropped),
with the instance's own configuration otherwise:

- ``create``: ``--records`` records published through the RDM service with
  ``system_identity``, each added to a community and indexed (what the harvest writer
  does per record, minus the mapping);
- ``list``: ``ListRecords`` of that community's set in ``oai_datacite`` from ``/oai2d``,
  served over loopback HTTP, every page, read and parsed by the harvester's own
  ``HttpFetcher`` and page parser (no pacing);
- ``harvest``: ``harvest_community`` over the same HTTP endpoint into another community
  (fetch every page, map DataCite to RDM, write through the service with indexing).

Each phase runs in its own process (application start excluded from its seconds); its
peak RSS (VmHWM) includes imports and the application. The endpoint is served by
Werkzeug's threaded server in a process of its own (production uses uWSGI); its peak RSS
is read after each phase that asked it. Celery tasks that publishing queues go to the
scratch Redis database and are dropped: no worker of the portal sees them.

    .venv/bin/python benchmarks/oai_federation.py --records 300
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(sys.prefix) / "var" / "instance"
SOURCE_SLUG = "bench-source"
SOURCE_SET = f"community-{SOURCE_SLUG}"
TARGET_SLUG = "bench-target"
CONFIG_VARIABLE = "CS4OD_BENCH_CONFIG"
REAL_METADATA = ROOT / "tests" / "data" / "zenodo-api"


def peak_rss_mb(pid="self"):
    """Peak resident memory (VmHWM) of a process in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- the scratch instance -------------------------------------------------------------

def scratch_config(args, port, files_dir):
    """Configuration overrides that keep every write away from the portal's and tests'."""
    redis = args.redis_url.rstrip("/")
    config = {
        "SQLALCHEMY_DATABASE_URI": args.database_uri,
        "SEARCH_INDEX_PREFIX": args.index_prefix,
        "SEARCH_HOSTS": [{"host": "127.0.0.1", "port": args.opensearch_port}],
        "SECRET_KEY": secrets.token_hex(16),
        "SITE_UI_URL": f"http://127.0.0.1:{port}",
        "SITE_API_URL": f"http://127.0.0.1:{port}/api",
        "CS4OD_BENCH_FILES": files_dir,
    }
    for key in ("CACHE_REDIS_URL", "IIIF_CACHE_REDIS_URL", "ACCOUNTS_SESSION_REDIS_URL",
                "CELERY_RESULT_BACKEND", "RATELIMIT_STORAGE_URI",
                "COMMUNITIES_IDENTITIES_CACHE_REDIS_URL", "BROKER_URL",
                "CELERY_BROKER_URL"):
        config[key] = redis
    if args.page_size:
        config["OAISERVER_PAGE_SIZE"] = args.page_size
    return config


def make_app():
    """The instance's application on the scratch configuration (from the parent)."""
    config = json.loads(os.environ[CONFIG_VARIABLE])
    # invenio-config lets INVENIO_* variables override any key: drop the portal's.
    for name in [n for n in os.environ if n.startswith("INVENIO_")]:
        del os.environ[name]
    os.environ["INVENIO_INSTANCE_PATH"] = str(INSTANCE)
    from invenio_app.factory import create_app

    app = create_app(**config)
    stray = sorted(k for k, v in app.config.items()
                   if isinstance(v, str) and v.startswith("redis://")
                   and v != config["CACHE_REDIS_URL"])
    if stray:
        raise SystemExit(f"configuration still points at other Redis databases: {stray}")
    return app


def _vocabulary(type_id, pid_type, filename, ids):
    """InvenioRDM's own entries ``ids`` of one vocabulary, from its fixture file."""
    import csv

    import invenio_rdm_records
    import yaml
    from invenio_access.permissions import system_identity
    from invenio_vocabularies.proxies import current_service as vocabularies

    path = (Path(invenio_rdm_records.__file__).parent / "fixtures" / "data"
            / "vocabularies" / filename)
    vocabularies.create_type(system_identity, type_id, pid_type)
    if filename.endswith(".csv"):
        with path.open() as stream:
            for row in csv.DictReader(stream):
                if row["id"] in ids:
                    vocabularies.create(system_identity, {
                        "id": row["id"], "type": type_id,
                        "title": {"en": row["title__en"]},
                        "props": {"url": row["props__url"], "scheme": row["props__scheme"]},
                    })
        return
    for entry in yaml.safe_load(path.read_text()):
        if entry["id"] in ids:
            vocabularies.create(system_identity, {**entry, "type": type_id})


def setup():
    """Tables, a files location, indices, the vocabularies the records use, the source
    and target communities."""
    from invenio_access.permissions import system_identity
    from invenio_communities.proxies import current_communities
    from invenio_db import db
    from invenio_files_rest.models import Location
    from invenio_search import current_search, current_search_client

    app = make_app()
    with app.app_context():
        db.create_all()
        db.session.add(Location(name="bench", uri=app.config["CS4OD_BENCH_FILES"],
                                default=True))
        db.session.commit()
        list(current_search.create())
        _vocabulary("resourcetypes", "rsrct", "resource_types.yaml",
                    {"dataset", "software-computationalnotebook"})
        _vocabulary("licenses", "lic", "licenses.csv", {"mit", "cc-by-4.0"})
        _vocabulary("relationtypes", "rlt", "relation_types.yaml",
                    {"isidenticalto", "issupplementto", "ispartof"})
        _vocabulary("datetypes", "dat", "date_types.yaml", {"updated"})
        for slug, title in ((SOURCE_SLUG, "Benchmark source"),
                            (TARGET_SLUG, "Benchmark harvest target")):
            current_communities.service.create(system_identity, {
                "slug": slug,
                "access": {"visibility": "public", "record_submission_policy": "closed"},
                "metadata": {"title": title},
            })
        current_search_client.indices.refresh(index=f"{app.config['SEARCH_INDEX_PREFIX']}*")
    return {}


def teardown():
    """Delete the scratch indices, the OAI sets' percolator index included."""
    from flask import current_app
    from invenio_search import current_search, current_search_client

    with make_app().app_context():
        list(current_search.delete(ignore=[404]))
        prefix = current_app.config["SEARCH_INDEX_PREFIX"]
        for name in current_search_client.indices.get(index=f"{prefix}*"):
            if name.startswith(prefix):
                current_search_client.indices.delete(index=name)
    return {}


# --- the phases -----------------------------------------------------------------------

def payloads():
    """Real metadata to cycle through: the portal's demo table and notebook (REANA's world
    population demo) and two recorded Zenodo datasets (persons with ORCID, DOIs)."""
    from cs4od_site.demo import WORLD_POPULATION, WORLD_POPULATION_NOTEBOOK

    from cs4od_invenio.datasets.zenodo import Vocabularies, read_record, to_rdm

    known = Vocabularies(resource_types={"dataset", "software-computationalnotebook"},
                         licenses={"mit", "cc-by-4.0"},
                         relation_types={"isidenticalto", "issupplementto"})
    pooch = json.loads((REAL_METADATA / "pooch" / "4924875.json").read_text())
    search = json.loads((REAL_METADATA / "cldfzenodo" / "search_5173799.json").read_text())
    found = [to_rdm(read_record(pooch, "4924875"), known)[0],
             to_rdm(read_record(search["hits"]["hits"][0], "5173799"), known)[0]]
    found += [{"access": {"record": "public", "files": "public"},
               "metadata": spec["metadata"]}
              for spec in (WORLD_POPULATION, WORLD_POPULATION_NOTEBOOK)]
    for payload in found:
        payload["files"] = {"enabled": False}
    return found


def create(count):
    """Publish ``count`` records into the source community through the RDM service."""
    from invenio_access.permissions import system_identity
    from invenio_communities.proxies import current_communities
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.proxies import current_record_communities_service

    app = make_app()
    with app.app_context():
        community_id = str(current_communities.service.read(system_identity,
                                                             SOURCE_SLUG).id)
        bases = payloads()
        started = time.perf_counter()
        for number in range(count):
            payload = json.loads(json.dumps(bases[number % len(bases)]))
            payload["metadata"]["title"] += f" ({number + 1})"
            draft = service.create(system_identity, payload)
            record = service.publish(system_identity, draft.id)
            current_record_communities_service.bulk_add(
                system_identity, community_id, [record.id])
            # RDM reindexes a parent's records through a bulk queue: index this one now.
            service.indexer.index(service.record_cls.pid.resolve(record.id))
        service.indexer.refresh()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": count}


def list_records(base_url):
    """Read every page of the source set's ListRecords (oai_datacite)."""
    from cs4od_invenio.federation.fetch import HttpFetcher
    from cs4od_invenio.federation.harvest import iter_pages, list_params

    fetch = HttpFetcher(base_url, min_interval=0, retries=0, timeout=(10, 300))
    started = time.perf_counter()
    sizes = [len(page.records) for page in
             iter_pages(fetch, list_params("ListRecords", "oai_datacite", SOURCE_SET))]
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": sum(sizes), "pages": len(sizes),
            "page_size": max(sizes, default=0)}


def harvest(base_url):
    """Harvest the source set into the target community with ``harvest_community``."""
    from cs4od_invenio.federation.fetch import HttpFetcher
    from cs4od_invenio.federation.writer import harvest_community

    app = make_app()
    with app.app_context():
        fetch = HttpFetcher(base_url, min_interval=0, retries=0, timeout=(10, 300))
        started = time.perf_counter()
        summary = harvest_community(SOURCE_SLUG, target_slug=TARGET_SLUG,
                                    base_url=base_url, set_spec=SOURCE_SET, fetch=fetch)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "records": summary.count("created"),
            "pages": summary.run.pages, "line": summary.line, "error": summary.run.error,
            "failures": summary.failures[:3]}


def serve(port):
    """Serve the scratch instance on loopback until terminated."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", int(port), make_app(), threaded=True)
    print("ready", flush=True)
    server.serve_forever()


def child(name, argument):
    """Run one phase and print its figures as JSON."""
    phases = {"setup": lambda _: setup(), "teardown": lambda _: teardown(),
              "create": lambda n: create(int(n)), "list": list_records,
              "harvest": harvest}
    if name == "serve":
        return serve(argument)
    figures = phases[name](argument)
    figures["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))


# --- the run --------------------------------------------------------------------------

def run(name, argument, env):
    """Run one phase in a fresh interpreter; its figures."""
    result = subprocess.run(
        [sys.executable, __file__, "--child", name, str(argument)],
        capture_output=True, text=True, cwd=ROOT, env=env,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"phase {name} failed (exit {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port():
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port, env):
    """The serving process, once it answers."""
    server = subprocess.Popen(
        [sys.executable, __file__, "--child", "serve", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=env,
    )
    if server.stdout.readline().strip() != "ready":
        server.kill()
        raise SystemExit("the OAI-PMH server did not start")
    return server


def flush_redis(url):
    """Empty the scratch Redis database."""
    import redis

    redis.Redis.from_url(url).flushdb()


def main():
    """Create the scratch instance, run the phases, drop everything, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--page-size", type=int, default=None,
                        help="OAISERVER_PAGE_SIZE (default: the instance's)")
    pg_port = os.environ.get("CS4OD_PG_PORT", "5432")
    parser.add_argument(
        "--database-uri",
        default=f"postgresql+psycopg2://cs4od:cs4od@127.0.0.1:{pg_port}/cs4od_bench_oai")
    parser.add_argument("--index-prefix", default="cs4od-bench-oai-")
    parser.add_argument(
        "--redis-url",
        default=f"redis://127.0.0.1:{os.environ.get('CS4OD_REDIS_PORT', '6379')}/12",
        help="a Redis database of its own: emptied before and after the run")
    parser.add_argument("--opensearch-port", type=int,
                        default=int(os.environ.get("CS4OD_OPENSEARCH_PORT", "9200")))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    from sqlalchemy_utils import create_database, database_exists, drop_database

    for name, value in (("database", args.database_uri.rsplit("/", 1)[-1]),
                        ("index prefix", args.index_prefix)):
        if "bench" not in value:
            raise SystemExit(f"the scratch {name} must have 'bench' in its name: {value}")
    port = free_port()
    files_dir = tempfile.mkdtemp(prefix="cs4od-bench-oai-files-")
    env = {**os.environ, CONFIG_VARIABLE: json.dumps(
        scratch_config(args, port, files_dir))}
    base_url = f"http://127.0.0.1:{port}/oai2d"
    if database_exists(args.database_uri):
        drop_database(args.database_uri)
    create_database(args.database_uri)
    flush_redis(args.redis_url)
    server = None
    figures = {}
    load = os.getloadavg()
    try:
        run("setup", "-", env)
        figures["create (RDM service)"] = run("create", args.records, env)
        server = start_server(port, env)
        figures["ListRecords (HTTP)"] = run("list", base_url, env)
        figures["ListRecords (HTTP)"]["server_rss_mb"] = peak_rss_mb(server.pid)
        figures["harvest_community"] = run("harvest", base_url, env)
        figures["harvest_community"]["server_rss_mb"] = peak_rss_mb(server.pid)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        try:
            run("teardown", "-", env)
        finally:
            drop_database(args.database_uri)
            flush_redis(args.redis_url)
            shutil.rmtree(files_dir, ignore_errors=True)

    listed, harvested = figures["ListRecords (HTTP)"], figures["harvest_community"]
    print(f"{args.records} records; oai_datacite ListRecords: {listed['records']} records "
          f"in {listed['pages']} pages of up to {listed['page_size']}; harvest: "
          f"{harvested['line']} in {harvested['pages']} pages")
    print("load average (1, 5, 15 min) at start {:.1f} {:.1f} {:.1f}, at end "
          "{:.1f} {:.1f} {:.1f} on {} CPUs".format(*load, *os.getloadavg(), os.cpu_count()))
    print(f"{'phase':<22}{'records':>9}{'seconds':>10}{'records/s':>11}"
          f"{'peak RSS MB':>13}{'server RSS MB':>15}")
    for name, data in figures.items():
        server_rss = f"{data['server_rss_mb']:.0f}" if "server_rss_mb" in data else "-"
        print(f"{name:<22}{data['records']:>9}{data['seconds']:>10.1f}"
              f"{data['records'] / data['seconds']:>11.1f}{data['peak_rss_mb']:>13.0f}"
              f"{server_rss:>15}")
    created = figures["create (RDM service)"]
    ratio = (harvested["records"] / harvested["seconds"]) / (
        created["records"] / created["seconds"])
    print(f"harvest speed / direct creation speed: {ratio:.2f}")
    if listed["records"] != args.records or harvested["records"] != args.records:
        raise SystemExit(f"expected {args.records} records listed and created: "
                         f"{harvested.get('error') or harvested.get('failures')}")


if __name__ == "__main__":
    main()
