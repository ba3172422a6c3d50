"""Harvest a Zenodo community over OAI-PMH: reader -> transformer -> (writer), per record.

Built on invenio-vocabularies' datastream pieces (``BaseReader``, ``BaseTransformer``,
``StreamEntry``, ``TransformerError``) so that the app side can add a writer that goes
through the RDM records service with ``system_identity``:

    reader = OAIPMHRecordReader(fetch.HttpFetcher(ZENODO_OAI), set_spec="user-cs4od")
    for entry in process(reader, [DataCiteTransformer(ZENODO_OAI)], [writer]):
        ...

A writer is an invenio-vocabularies ``BaseWriter``: ``write(stream_entry)`` receives
``stream_entry.entry`` as a ``Harvested`` and ``stream_entry.op_type`` as ``"upsert"``
(``entry.record`` is RDM record input, ``entry.provenance`` says where it came from) or
``"delete"`` (the source marked the record deleted; ``entry.record`` is None).
"""

import logging
from dataclasses import dataclass, field
from typing import Optional

from invenio_vocabularies.datastreams.datastreams import StreamEntry
from invenio_vocabularies.datastreams.errors import TransformerError, WriterError
from invenio_vocabularies.datastreams.readers import BaseReader
from invenio_vocabularies.datastreams.transformers import BaseTransformer

from . import oai
from .datacite import datacite_to_rdm, missing_required
from .fetch import HarvestError
from .reasons import error_text

logger = logging.getLogger(__name__)

ZENODO_OAI = "https://zenodo.org/oai2d"


def list_params(
    verb="ListRecords",
    metadata_prefix="oai_datacite",
    set_spec=None,
    from_=None,
    until=None,
):
    """The query of the first request of a list."""
    params = {"verb": verb, "metadataPrefix": metadata_prefix}
    for key, value in (("set", set_spec), ("from", from_), ("until", until)):
        if value:
            params[key] = value
    return params


def fetch_page(fetch, params):
    """The page answering ``params``, through ``fetch.page`` when the fetcher has it.

    A plain ``fetch(params) -> bytes`` gets no second try at a page that is not OAI-PMH.
    """
    page = getattr(fetch, "page", None)
    if page is not None:
        return page(params)
    return oai.parse_page(fetch(params))


def iter_pages(fetch, params, max_pages=None, max_restarts=2, on_restart=None):
    """Yield the pages of a list request, following resumption tokens to the end.

    When the server says a resumption token is bad (Zenodo's expire after about two
    minutes) the list starts again from its first request, at most ``max_restarts``
    times; ``on_restart(number, error)`` is told each time. Pages before a restart are
    yielded again by the server: the caller skips what it already has.
    """
    first = dict(params)
    restarts = 0
    seen = set()
    count = 0
    while True:
        try:
            page = fetch_page(fetch, params)
        except oai.OAIError as error:
            if error.code == "noRecordsMatch":
                return
            if (
                error.code == "badResumptionToken"
                and "resumptionToken" in params
                and "resumptionToken" not in first
            ):
                if restarts < max_restarts:
                    restarts += 1
                    if on_restart is not None:
                        on_restart(restarts, error)
                    params, seen, count = dict(first), set(), 0
                    continue
                raise HarvestError(
                    f"the list was restarted {restarts} times and its resumption token "
                    f"was refused again: {error}"
                ) from error
            raise HarvestError(f"OAI-PMH error for {params}: {error}") from error
        except oai.NotOAIResponse as error:
            raise HarvestError(
                f"not an OAI-PMH answer for {params}: {error}"
            ) from error
        yield page
        count += 1
        token = page.resumption_token
        if token is None or (max_pages is not None and count >= max_pages):
            return
        if token.value in seen:
            raise HarvestError(f"the server repeated resumption token {token.value!r}")
        seen.add(token.value)
        params = {"verb": page.verb, "resumptionToken": token.value}


class OAIPMHRecordReader(BaseReader):
    """Read the records (``oai.Record``) of a ListRecords (or ListIdentifiers) list."""

    def __init__(
        self,
        fetch,
        *,
        metadata_prefix="oai_datacite",
        set_spec=None,
        from_=None,
        until=None,
        prefetch=True,
        max_pages=None,
        max_restarts=2,
        verb="ListRecords",
        on_announced=None,
        **kwargs,
    ):
        """``fetch(params) -> bytes`` does the HTTP; ``prefetch`` reads all pages first.

        Zenodo's resumption tokens expire after about two minutes, so by default every
        page is fetched before the first record goes down the pipeline (community sets
        are small); records of pages fetched before a failure are still yielded. A list
        restarted after an expired token (``max_restarts``) yields each version of a
        record (identifier and datestamp) once. ``on_announced(expected)`` is told the
        list's size as soon as its first page is read.
        """
        self.fetch = fetch
        self.params = list_params(verb, metadata_prefix, set_spec, from_, until)
        self.prefetch = prefetch
        self.max_pages = max_pages
        self.max_restarts = max_restarts
        self.pages = 0
        self.restarts = []
        """Why the list was started again (one message per restart)."""
        self.expected = None
        """The list's size as the first page announced it (completeListSize), if any."""
        self.on_announced = on_announced
        super().__init__(origin=None, **kwargs)

    def _iter(self, fp, *args, **kwargs):
        raise NotImplementedError("the OAI-PMH reader reads from fetch(), not a file")

    def _announced(self, pages):
        for number, page in enumerate(pages):
            if number == 0:
                token = page.resumption_token
                self.expected = (
                    token.complete_list_size if token is not None else len(page.records)
                )
                if self.on_announced is not None:
                    self.on_announced(self.expected)
            yield page

    def read(self, item=None, *args, **kwargs):
        """Yield every record of every page."""
        if item is not None:
            raise NotImplementedError("the OAI-PMH reader cannot follow another reader")
        pages = self._announced(
            iter_pages(
                self.fetch,
                self.params,
                self.max_pages,
                self.max_restarts,
                on_restart=lambda number, error: self.restarts.append(str(error)),
            )
        )
        if not self.prefetch:
            yielded = set()
            for page in pages:
                self.pages += 1
                yield from self._new(page, yielded)
            return
        fetched, failure = [], None
        try:
            for page in pages:
                fetched.append(page)
        except HarvestError as error:
            failure = error
        self.pages = len(fetched)
        yielded = set()
        for page in fetched:
            yield from self._new(page, yielded)
        if failure is not None:
            raise failure

    @staticmethod
    def _new(page, yielded):
        for record in page.records:
            key = (record.header.identifier, record.header.datestamp)
            if key not in yielded:
                yielded.add(key)
                yield record


@dataclass
class Harvested:
    """A harvested record for a writer: RDM input (None if deleted), report, provenance."""

    header: oai.Header
    record: Optional[dict]
    report: list = field(default_factory=list)
    provenance: dict = field(default_factory=dict)

    @property
    def deleted(self):
        """The source reported the record as deleted."""
        return self.header.deleted


class DataCiteTransformer(BaseTransformer):
    """Turn an OAI-PMH record with DataCite metadata into a ``Harvested`` entry."""

    def __init__(self, base_url=ZENODO_OAI, metadata_prefix="oai_datacite", **kwargs):
        """``base_url`` and ``metadata_prefix`` go into each record's provenance."""
        self.base_url = base_url
        self.metadata_prefix = metadata_prefix
        super().__init__(**kwargs)

    def apply(self, stream_entry, *args, **kwargs):
        """Map the record; raise ``TransformerError`` when it cannot become an RDM record."""
        source = stream_entry.entry
        header = source.header
        provenance = {
            "source": self.base_url,
            "metadata_prefix": self.metadata_prefix,
            "oai_identifier": header.identifier,
            "datestamp": header.datestamp,
            "set_specs": list(header.set_specs),
        }
        if header.deleted:
            # Deleted records may still carry metadata (seen on Zenodo): it is not mapped.
            stream_entry.entry = Harvested(header, None, [], provenance)
            stream_entry.op_type = "delete"
            return stream_entry
        stream_entry.entry = Harvested(header, None, [], provenance)
        if source.metadata is None:
            raise TransformerError("the source gives no metadata for it")
        try:
            mapped = datacite_to_rdm(
                source.metadata,
                oai_identifier=header.identifier,
                datestamp=header.datestamp,
            )
        except ValueError as error:
            raise TransformerError(str(error)) from error
        provenance.update(mapped.provenance)
        stream_entry.entry = Harvested(header, mapped.record, mapped.report, provenance)
        stream_entry.op_type = "upsert"
        missing = missing_required(mapped.record)
        if missing:
            raise TransformerError(
                "the source lacks what RDM requires: " + ", ".join(missing)
            )
        return stream_entry


def process(reader, transformers=(), writers=()):
    """Yield one ``StreamEntry`` per record; a bad record never stops the others.

    Errors of a record are in ``entry.errors``. A failure of the source itself (HTTP,
    OAI-PMH error, not OAI-PMH) ends the generator with ``HarvestError`` after the
    records already read.
    """
    for item in reader.read():
        entry = StreamEntry(item)
        for transformer in transformers:
            entry = _apply(transformer.apply, entry, TransformerError)
            if entry.errors:
                break
        if not entry.errors:
            for writer in writers:
                entry = _apply(writer.write, entry, WriterError)
        yield entry


def _apply(step, entry, expected):
    """``step(entry)`` (a transformer's or writer's), its failure kept in the entry's errors.

    ``expected`` errors give their message (the curators read it in the run's report);
    anything else is said in words (``error_text``), logged, and kept as ``entry.exc``.
    """
    try:
        return step(entry)
    except expected as error:
        entry.errors.append(str(error))
    # A mapping bug on one odd record must not cost the run its other records.
    except Exception as error:  # noqa: BLE001
        logger.warning(
            "harvest: %s failed on %s",
            type(step.__self__).__name__,
            getattr(getattr(entry.entry, "header", None), "identifier", "?"),
            exc_info=True,
        )
        entry.errors.append(error_text(error))
        entry.exc = error
    return entry


@dataclass
class HarvestRun:
    """What a run did: every entry, and the error that ended it early, if any."""

    entries: list = field(default_factory=list)
    error: Optional[str] = None
    pages: int = 0
    restarts: list = field(default_factory=list)
    """Why the list was started again from its first request (expired tokens)."""

    @property
    def failed(self):
        """Entries with errors."""
        return [e for e in self.entries if e.errors]

    @property
    def deleted(self):
        """Entries the source reported as deleted."""
        return [e for e in self.entries if e.op_type == "delete" and not e.errors]

    @property
    def upserted(self):
        """Entries mapped (and written, when there are writers) without errors."""
        return [e for e in self.entries if e.op_type == "upsert" and not e.errors]

    @property
    def latest_datestamp(self):
        """The newest header datestamp seen: the ``from`` of the next incremental run."""
        stamps = [
            e.entry.header.datestamp
            for e in self.entries
            if getattr(e.entry, "header", None) and e.entry.header.datestamp
        ]
        return max(stamps) if stamps else None


def run(reader, transformers=(), writers=(), wrap=None):
    """Process everything the reader gives and return a ``HarvestRun``.

    ``wrap`` may wrap the stream of entries (a progress bar, a run's progress).
    """
    result = HarvestRun()
    entries = process(reader, transformers, writers)
    try:
        for entry in wrap(entries) if wrap is not None else entries:
            result.entries.append(entry)
    except HarvestError as error:
        result.error = str(error)
    result.pages = getattr(reader, "pages", 0)
    result.restarts = list(getattr(reader, "restarts", []))
    return result
