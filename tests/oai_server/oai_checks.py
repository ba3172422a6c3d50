"""Helpers of the OAI-PMH tests: schema validation of answers, reading them, content."""

from pathlib import Path

from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import (
    current_rdm_records_service,
    current_record_communities_service,
)
from invenio_requests.proxies import current_requests_service
from lxml import etree
from projects_fixtures import refresh

from helpers import dataset_payload, project_data

XSD = Path(__file__).resolve().parent.parent / "data" / "xsd"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "datacite": "http://datacite.org/schema/kernel-4",
    "oai_datacite": "http://schema.datacite.org/oai/oai-1.1/",
}


def load_schemas():
    """The OAI-PMH envelope (with oai_dc and oai_datacite) and the DataCite kernel 4.5."""
    wrapper = XSD / "oai-pmh-schemas" / "local-offline" / "wrapper-all.xsd"
    kernel = XSD / "datacite" / "meta" / "kernel-4.5" / "metadata.xsd"
    return (etree.XMLSchema(etree.parse(str(wrapper))),
            etree.XMLSchema(etree.parse(str(kernel))))


def validate(schemas, text):
    """Parse an answer and validate it, DataCite payloads on their own.

    The oai_datacite schema lets its payload through unchecked (``xs:anyType``), so
    every kernel-4 ``<resource>`` is validated against the kernel itself.
    """
    envelope, kernel = schemas
    tree = etree.fromstring(text)
    envelope.assertValid(tree)
    for resource in tree.iterfind(".//datacite:resource", NS):
        kernel.assertValid(etree.ElementTree(etree.fromstring(etree.tostring(resource))))
    return tree


def error_code(tree):
    """The code of the answer's error (None if it has none)."""
    errors = tree.findall("oai:error", NS)
    return errors[0].get("code") if errors else None


def identifiers(tree):
    """The identifiers of the headers of an answer, in order."""
    return [h.findtext("oai:identifier", namespaces=NS) for h in tree.iterfind(".//oai:header", NS)]


def publish_dataset(owner, title, resource_type="dataset"):
    """A public, metadata-only dataset (or notebook)."""
    payload = {**dataset_payload(title), "files": {"enabled": False}}
    payload["metadata"]["resource_type"] = {"id": resource_type}
    draft = current_rdm_records_service.create(owner.identity, payload)
    record = current_rdm_records_service.publish(owner.identity, draft.id)
    current_rdm_records_service.indexer.refresh()
    return record


def publish_project(projects_service, owner, **metadata):
    """A public project of the owner, with the given metadata."""
    draft = projects_service.create(owner.identity, project_data(**metadata))
    project = projects_service.publish(owner.identity, draft.id)
    refresh()
    return project


def accept_into(projects_service, owner, curator, project, community):
    """The owner submits the project to the community, its curator accepts it."""
    request = projects_service.submit_to_community(owner.identity, project.id, community.id)
    current_requests_service.execute_action(curator.identity, request.id, "accept")
    refresh()


def add_record_to(record, community):
    """Put a record into a community (as an administrator would, in bulk)."""
    service = current_rdm_records_service
    current_record_communities_service.bulk_add(system_identity, community.id, [record.id])
    # InvenioRDM reindexes the parent's records through a bulk queue: index it now.
    service.indexer.index(service.record_cls.pid.resolve(record.id))
    service.indexer.refresh()
