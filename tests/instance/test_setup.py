"""The instance set-up step runs on every start: it must not break what exists."""

from invenio_search.proxies import current_search_client

from cs4od_site.cli import _ensure_indices


def _indices():
    return set(current_search_client.indices.get(index="cs4od-test-*"))


def test_index_step_creates_only_missing_indices(app, search):
    """A second start adds no duplicate index behind an existing alias."""
    before = _indices()
    assert before, "pytest-invenio created the test indices"
    assert _ensure_indices() == []
    assert _indices() == before


def test_index_step_recreates_a_missing_index(app, search):
    """An index removed by hand (or brought by a new module) is created again."""
    alias = "cs4od-test-requests-request-v1.0.0"
    (index,) = current_search_client.indices.get_alias(name=alias)
    current_search_client.indices.delete(index=index)
    assert not current_search_client.indices.exists_alias(name=alias)
    assert _ensure_indices() == ["requests-request-v1.0.0"]
    assert current_search_client.indices.exists_alias(name=alias)
