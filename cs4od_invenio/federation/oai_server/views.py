"""The ``/oai2d`` view: every answer, errors included, is an OAI-PMH document with HTTP 200.

The spec (3.6) reports errors inside the response; HTTP status codes are for the
transport. Stock invenio-oaiserver answers errors with 422. As the spec asks (3.2),
the ``<request>`` element of a ``badVerb`` or ``badArgument`` answer carries no
attributes; other answers echo the request's arguments.
"""

from datetime import datetime, timezone

from flask import current_app, make_response, request, url_for
from lxml import etree

from .arguments import BAD_ARGUMENT, BAD_VERB, OAIError, parse
from .verbs import NS, VERBS, XSI, element


def _envelope(echo):
    root = etree.Element(f"{{{NS}}}OAI-PMH", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    element(root, "responseDate", datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    element(root, "request", url_for("invenio_oaiserver.response", _external=True), **echo)
    return root


def oai2d():
    """Answer one OAI-PMH request (GET, or POST with form-encoded arguments)."""
    granularity = current_app.config["OAISERVER_GRANULARITY"]
    try:
        verb, args = parse(request.values, granularity)
    except OAIError as error:
        root = _envelope({})
        element(root, "error", error.message, code=error.code)
        return _xml(root)

    root = _envelope({"verb": verb, **args})
    try:
        VERBS[verb](root, args)
    except OAIError as error:
        if error.code in (BAD_VERB, BAD_ARGUMENT):
            root = _envelope({})
        else:
            del root[2:]
        element(root, "error", error.message, code=error.code)
    return _xml(root)


def _xml(root):
    response = make_response(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    response.headers["Content-Type"] = "text/xml; charset=utf-8"
    return response
