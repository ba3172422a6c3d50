"""Every OAI-PMH error condition: the spec's code, in a schema-valid answer with HTTP 200.

Stock invenio-oaiserver answers errors with HTTP 422, which clients such as Sickle
treat as a transport failure; an unknown format was ``badArgument`` there.
"""

import pytest
from oai_checks import NS, error_code, identifiers, publish_project

RECORD = "oai:cs4od.local:abcde-12345"


def request_attributes(tree):
    return dict(tree.find("oai:request", NS).attrib)


BAD_VERB = [
    {},
    {"verb": "ListEverything"},
    {"verb": ["Identify", "Identify"]},
]
BAD_ARGUMENT = [
    {"verb": "ListRecords"},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
    {"verb": "GetRecord", "identifier": RECORD},
    {"verb": "Identify", "set": "projects"},
    {"verb": "ListSets", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_datacite"]},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2024-13-01"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2024-01-01T10:00:00"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "yesterday"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc",
     "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc",
     "from": "2024-02-01", "until": "2024-01-01"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "no spaces allowed"},
    {"verb": "ListRecords", "metadataPrefix": "oai dc"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
]


@pytest.mark.parametrize("params", BAD_VERB)
def test_bad_verb(oai, params, app):
    tree = oai(**params)
    assert error_code(tree) == "badVerb"
    assert request_attributes(tree) == {}


@pytest.mark.parametrize("params", BAD_ARGUMENT)
def test_bad_argument(oai, params, app):
    tree = oai(**params)
    assert error_code(tree) == "badArgument"
    assert request_attributes(tree) == {}


def test_arguments_may_be_posted(oai, app):
    tree = oai(method="post", verb="Identify")
    assert tree.find("oai:Identify", NS) is not None
    assert error_code(oai(method="post", verb="ListRecords")) == "badArgument"


def test_formats_items_and_sets_that_do_not_exist(oai, app, search_clear):
    for params in ({"verb": "ListRecords", "metadataPrefix": "mods"},
                   {"verb": "ListIdentifiers", "metadataPrefix": "mods"},
                   {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": RECORD}):
        tree = oai(**params)
        assert error_code(tree) == "cannotDisseminateFormat"
        # Errors other than badVerb and badArgument echo the request.
        assert request_attributes(tree) == params

    for params in ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": RECORD},
                   {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "nothing"},
                   {"verb": "ListMetadataFormats",
                    "identifier": "oai:cs4od.local:project/abcde-12345"}):
        assert error_code(oai(**params)) == "idDoesNotExist"

    for params in ({"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                   {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "projects"},
                   {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "unknown"}):
        assert error_code(oai(**params)) == "noRecordsMatch"


def test_a_repository_without_sets(oai, app, monkeypatch, search_clear):
    monkeypatch.setitem(app.config, "CS4OD_OAI_PROJECTS_SET", None)
    assert error_code(oai(verb="ListSets")) == "noSetHierarchy"
    tree = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="projects")
    assert error_code(tree) == "noSetHierarchy"


@pytest.fixture()
def paged(app, monkeypatch, projects_service, owner, community, vocabularies, search_clear):
    """Two projects, two sets and pages of one item: lists come with resumption tokens."""
    monkeypatch.setitem(app.config, "OAISERVER_PAGE_SIZE", 1)
    return [publish_project(projects_service, owner, title=f"Project {n}") for n in (1, 2)]


def test_resumption_tokens(oai, app, monkeypatch, paged):
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find("oai:ListIdentifiers/oai:resumptionToken", NS)
    assert (token.get("cursor"), token.get("completeListSize")) == ("0", "2")
    assert token.get("expirationDate").endswith("Z")

    second = oai(verb="ListIdentifiers", resumptionToken=token.text)
    last = second.find("oai:ListIdentifiers/oai:resumptionToken", NS)
    # The last page of a list of pages ends with an empty token.
    assert (last.text, last.get("cursor"), last.get("completeListSize")) == (None, "1", "2")
    assert len(set(identifiers(first) + identifiers(second))) == 2

    sets = oai(verb="ListSets")
    token_of_sets = sets.find("oai:ListSets/oai:resumptionToken", NS)
    more_sets = oai(verb="ListSets", resumptionToken=token_of_sets.text)
    assert [t.xpath("//oai:setSpec/text()", namespaces=NS) for t in (sets, more_sets)] == [
        ["projects"], ["community-open-health"]]
    assert more_sets.find("oai:ListSets/oai:resumptionToken", NS).text is None

    # A token is bound to its verb, cannot be altered and expires.
    assert error_code(oai(verb="ListRecords", resumptionToken=token.text)) == (
        "badResumptionToken")
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=token.text[:-2])) == (
        "badResumptionToken")
    assert error_code(oai(verb="ListSets", resumptionToken="anything")) == (
        "badResumptionToken")
    monkeypatch.setitem(app.config, "OAISERVER_RESUMPTION_TOKEN_EXPIRE_TIME", -1)
    tree = oai(verb="ListIdentifiers", resumptionToken=token.text)
    assert error_code(tree) == "badResumptionToken"
    assert request_attributes(tree) == {"verb": "ListIdentifiers",
                                        "resumptionToken": token.text}


def test_misconfigured_formats_are_refused_at_start():
    from flask import Flask

    from cs4od_invenio.federation.oai_server import ENDPOINT, init_app

    app = Flask("misconfigured")
    app.view_functions[ENDPOINT] = lambda: None
    app.config.update(OAISERVER_METADATA_FORMATS={"oai_dc": {}},
                      CS4OD_OAI_PROJECT_FORMATS={"oai_dc": "x:y", "mods": "x:y"})
    with pytest.raises(RuntimeError, match="CS4OD_OAI_PROJECT_FORMATS.*mods"):
        init_app(app)
