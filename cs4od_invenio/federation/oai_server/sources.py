"""What ``/oai2d`` serves: InvenioRDM records and CS4OD projects, each from its index.

A source says which documents of its index are exposed (public ones, live or deleted),
which are deleted, what their OAI identifier is, in which formats they are disseminated
and in which sets they are. Records keep InvenioRDM's identifiers
(``oai:<prefix>:<recid>``), serializers and set percolation; projects are
``oai:<prefix>:project/<id>``, in the formats of ``CS4OD_OAI_PROJECT_FORMATS``, in the
projects set and in every set whose query matches them in the projects index (a
community's set, ``parent.communities.ids:<id>``, matches the projects it accepted).
"""

from flask import current_app
from invenio_base.utils import obj_or_import_string
from invenio_oaiserver.models import OAISet
from invenio_oaiserver.percolator import sets_search_all
from invenio_oaiserver.query import query_string_parser
from invenio_pidstore.fetchers import FetchedPID
from invenio_search import current_search_client
from invenio_search.engine import dsl
from invenio_search.utils import build_alias_name

SET_QUERIES_PER_SEARCH = 500
"""Set queries asked at once when finding the sets of a page of projects."""


def projects_set():
    """The projects set (``spec``, ``name``, ``description``), or None when disabled."""
    return current_app.config.get("CS4OD_OAI_PROJECTS_SET") or None


def stored_sets():
    """The OAI sets of the database (communities' and administrators'), by spec."""
    virtual = (projects_set() or {}).get("spec")
    return [s for s in OAISet.query.order_by(OAISet.spec).all() if s.spec != virtual]


def stored_set(spec):
    """The stored set ``spec``, or None."""
    return OAISet.query.filter(OAISet.spec == spec).one_or_none()


class Source:
    """Documents of one index exposed over OAI-PMH."""

    alias = None
    """Search alias (without the instance's index prefix)."""

    def __init__(self, app_config):
        """Read the formats and identifier prefix from the configuration."""
        self.prefix = app_config["OAISERVER_ID_PREFIX"]

    @property
    def index(self):
        """The alias with the instance's prefix."""
        return build_alias_name(self.alias)

    def owns(self, hit_index):
        """Whether a hit's concrete index belongs to this source."""
        return hit_index == self.index or hit_index.startswith(self.index + "-")

    def exposed(self):
        """Query of the exposed documents, deleted ones included, within this index."""
        return dsl.Q("terms", _index=[self.index]) & self.visible()

    def set_query(self, spec):
        """Query of the set's members in this index, or None for an unknown set."""
        virtual = projects_set()
        if virtual and spec == virtual["spec"]:
            return dsl.Q("match_all") if self.in_projects_set else dsl.Q("match_none")
        stored = stored_set(spec)
        if stored is None:
            return None
        return dsl.Q(query_string_parser(stored.search_pattern))

    def formats(self):
        """``{metadataPrefix: serializer}`` of the formats this source disseminates."""
        raise NotImplementedError

    def serialize(self, prefix, source):
        """The ``<metadata>`` content of one document in a format."""
        pid = FetchedPID(provider=None, pid_type="oai", pid_value=self.identifier(source))
        return self.formats()[prefix](pid, {"_source": source})


class RecordsSource(Source):
    """InvenioRDM's published records, as InvenioRDM serves them."""

    alias = "rdmrecords-records"
    in_projects_set = False

    def visible(self):
        """Public records with an OAI identifier; deleted ones stay as tombstones."""
        return dsl.Q("exists", field="pids.oai.identifier") & dsl.Q(
            "term", **{"access.record": "public"})

    def is_deleted(self, source):
        """Deleted through InvenioRDM (its tombstone stays)."""
        return bool(source.get("is_deleted"))

    def identifier(self, source):
        """``oai:<prefix>:<recid>``, as InvenioRDM minted it."""
        return source["pids"]["oai"]["identifier"]

    def lookup(self, identifier):
        """Query of the record with this OAI identifier, or None if it cannot be one."""
        head = f"oai:{self.prefix}:"
        if not identifier.startswith(head) or "/" in identifier[len(head):]:
            return None
        return dsl.Q("term", id=identifier[len(head):])

    def formats(self):
        """Every configured format; CS4OD_OAI_RECORD_FORMATS replaces some serializers."""
        overrides = current_app.config.get("CS4OD_OAI_RECORD_FORMATS") or {}
        return {
            prefix: obj_or_import_string(overrides.get(prefix) or fmt["serializer"])
            for prefix, fmt in current_app.config["OAISERVER_METADATA_FORMATS"].items()
        }

    def sets(self, sources):
        """Sets of each document, by InvenioRDM's percolator queries."""
        return sets_search_all(sources)


class ProjectsSource(Source):
    """Published CS4OD projects; removed ones stay as tombstones."""

    alias = "projects-records"
    in_projects_set = True
    local_prefix = "project/"

    def visible(self):
        """Public projects."""
        return dsl.Q("term", **{"access.record": "public"})

    def is_deleted(self, source):
        """Removed with a reason (ProjectService.delete keeps a tombstone)."""
        return bool(source.get("tombstone"))

    def identifier(self, source):
        """``oai:<prefix>:project/<id>``."""
        return f"oai:{self.prefix}:{self.local_prefix}{source['id']}"

    def lookup(self, identifier):
        """Query of the project with this OAI identifier, or None if it cannot be one."""
        head = f"oai:{self.prefix}:{self.local_prefix}"
        if not identifier.startswith(head):
            return None
        return dsl.Q("term", id=identifier[len(head):])

    def formats(self):
        """The formats of CS4OD_OAI_PROJECT_FORMATS."""
        return {prefix: obj_or_import_string(serializer) for prefix, serializer
                in current_app.config["CS4OD_OAI_PROJECT_FORMATS"].items()}

    def sets(self, sources):
        """The projects set, and every stored set whose query matches the project."""
        virtual = projects_set()
        found = {s["id"]: [virtual["spec"]] if virtual else [] for s in sources}
        stored = stored_sets()
        for start in range(0, len(stored), SET_QUERIES_PER_SEARCH):
            chunk = stored[start:start + SET_QUERIES_PER_SEARCH]
            should = []
            for oai_set in chunk:
                # Each set's query is named after it: a hit tells which sets it is in.
                ((kind, body),) = query_string_parser(oai_set.search_pattern).to_dict().items()
                should.append({kind: {**body, "_name": oai_set.spec}})
            search = (
                dsl.Search(using=current_search_client, index=self.index)
                .filter("terms", id=list(found))
                .query(dsl.Q("bool", should=should, minimum_should_match=1))
                .source(["id"])
                .extra(size=len(found))
            )
            for hit in search.execute():
                found[hit.id].extend(sorted(hit.meta.matched_queries or []))
        return [found[s["id"]] for s in sources]


def sources(app_config):
    """The sources of this repository, records first."""
    return [RecordsSource(app_config), ProjectsSource(app_config)]
