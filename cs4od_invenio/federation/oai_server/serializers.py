"""OAI-PMH serializers: projects in every format they have, and records' DataCite fixed.

Every serializer is called like invenio-oaiserver's, ``serializer(pid, hit)``, with the
OAI identifier as ``pid.pid_value`` and the search hit (``hit["_source"]``).
"""

from datacite import schema45
from dcxml import simpledc
from flask import current_app
from invenio_rdm_records import oai as rdm_oai
from lxml import etree

from .mapping import project_datacite, project_dublin_core

DATACITE_NS = "http://datacite.org/schema/kernel-4"
OAI_DATACITE_NS = "http://schema.datacite.org/oai/oai-1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _ui_url(path):
    return current_app.config["SITE_UI_URL"].rstrip("/") + path


def project_page(id_):
    """The landing page of a project."""
    return _ui_url(f"/projects/{id_}")


def record_page(id_):
    """The landing page of a record."""
    return _ui_url(f"/records/{id_}")


def _publisher():
    return current_app.config.get("THEME_SITENAME") or "CS4OD"


def _type_general(resource_type_id):
    """DataCite general type of an RDM resource type (from RDM's vocabulary)."""
    if not resource_type_id:
        return None
    from invenio_rdm_records.resources.serializers.utils import get_vocabulary_props

    props = get_vocabulary_props(
        "resourcetypes", ["props.datacite_general", "props.datacite_type"], resource_type_id)
    return props.get("datacite_general")


def with_identifier(resource, url):
    """Give a kernel-4 ``<resource>`` without ``<identifier>`` its landing page as one.

    Kernel 4.5 requires an identifier; a record without a DOI (DataCite is off here)
    would otherwise be schema-invalid.
    """
    if not resource.xpath("*[local-name()='identifier']"):
        # The datacite package builds elements without a namespace and declares the
        # kernel-4 namespace as default on <resource>: follow the element's own style.
        namespace = etree.QName(resource).namespace
        identifier = etree.Element(
            f"{{{namespace}}}identifier" if namespace else "identifier",
            identifierType="URL")
        identifier.text = url
        resource.insert(0, identifier)
    return resource


def oai_datacite_envelope(resource):
    """The ``oai_datacite`` 1.1 wrapper around a kernel-4.5 resource."""
    root = etree.Element(
        f"{{{OAI_DATACITE_NS}}}oai_datacite",
        nsmap={None: OAI_DATACITE_NS, "xsi": XSI_NS},
        attrib={f"{{{XSI_NS}}}schemaLocation":
                f"{OAI_DATACITE_NS} http://schema.datacite.org/oai/oai-1.1/oai.xsd"},
    )
    etree.SubElement(root, f"{{{OAI_DATACITE_NS}}}schemaVersion").text = "4.5"
    etree.SubElement(root, f"{{{OAI_DATACITE_NS}}}datacentreSymbol").text = (
        current_app.config.get("DATACITE_DATACENTER_SYMBOL") or "")
    etree.SubElement(root, f"{{{OAI_DATACITE_NS}}}payload").append(resource)
    return root


#
# Projects
#
def project_datacite_etree(pid, hit):
    """A project as a DataCite kernel-4.5 ``<resource>``."""
    project = hit["_source"]
    data = project_datacite(
        project,
        landing_page=project_page(project["id"]),
        record_page=record_page,
        publisher=_publisher(),
        oai_identifier=pid.pid_value,
        type_general=_type_general,
    )
    return with_identifier(schema45.dump_etree(data), data["url"])


def project_oai_datacite_etree(pid, hit):
    """A project in the ``oai_datacite`` wrapper."""
    return oai_datacite_envelope(project_datacite_etree(pid, hit))


def project_dc_etree(pid, hit):
    """A project as ``oai_dc``."""
    project = hit["_source"]
    return simpledc.dump_etree(project_dublin_core(
        project, landing_page=project_page(project["id"]), record_page=record_page,
        publisher=_publisher()))


#
# Records: InvenioRDM's serializers, with the identifier that kernel 4.5 requires
#
def _payload_resource(root):
    # InvenioRDM's elements carry no namespace in memory (only a default one declared).
    if etree.QName(root).localname == "resource":
        return root
    return root.xpath("*[local-name()='payload']/*[local-name()='resource']")[0]


def record_datacite_etree(pid, hit):
    """InvenioRDM's ``datacite`` answer, with an identifier when the record has no DOI."""
    root = rdm_oai.datacite_etree(pid, hit)
    with_identifier(_payload_resource(root), record_page(hit["_source"]["id"]))
    return root


def record_oai_datacite_etree(pid, hit):
    """InvenioRDM's ``oai_datacite`` answer, with an identifier when the record has no DOI."""
    root = rdm_oai.oai_datacite_etree(pid, hit)
    with_identifier(_payload_resource(root), record_page(hit["_source"]["id"]))
    return root
