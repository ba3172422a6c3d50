"""Talk to an OAI-PMH server over HTTP: paced requests, retries, Retry-After.

``HttpFetcher(base_url)`` is the ``fetch`` of the harvest pipeline (``harvest.py``):
``fetch(params)`` is the body of the answer, ``fetch.page(params)`` the parsed page.
A server that fails for good raises ``FetchError``, a ``HarvestError``.
"""

import email.utils
import time
from datetime import datetime, timezone

import requests

from . import oai


class HarvestError(Exception):
    """The harvest cannot go on (the server failed, answered an error, or not in OAI-PMH)."""


class FetchError(HarvestError):
    """An HTTP request to the OAI-PMH server failed for good."""


# Statuses whose body is an OAI-PMH answer: Zenodo and invenio-oaiserver send errors
# with 422, other servers with 400.
OAI_BODY_STATUSES = (200, 400, 422)
RETRY_STATUSES = (429, 500, 502, 503, 504)
# No answer, or an answer cut short on the wire: worth another request.
TRANSPORT_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def retry_after_seconds(value, now=None):
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class HttpFetcher:
    """GET an OAI-PMH base URL with a timeout, paced requests, retries and Retry-After."""

    def __init__(
        self,
        base_url,
        *,
        session=None,
        timeout=(10, 120),
        retries=4,
        backoff=2.0,
        max_wait=300.0,
        min_interval=2.0,
        sleep=time.sleep,
        clock=time.monotonic,
        user_agent="CS4OD OAI-PMH harvester",
    ):
        """Zenodo allows about 30 requests a minute: ``min_interval`` keeps under it."""
        self.base_url = base_url
        self.session = session or requests.Session()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval
        self.sleep = sleep
        self.clock = clock
        self.headers = {"User-Agent": user_agent}
        self._last = None

    def _pace(self):
        if self._last is not None:
            wait = self.min_interval - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def __call__(self, params):
        """The body of the answer to ``params``; raise ``FetchError`` if there is none."""
        return self._get(params, None)

    def page(self, params):
        """The answer to ``params`` parsed as an ``oai.Page``.

        A body that is not an OAI-PMH document (cut short, HTML, garbage) is asked for
        again like a failed request, within the same retries and backoff; an OAI-PMH
        error answer raises ``oai.OAIError`` at once.
        """
        return self._get(params, oai.parse_page)

    def _get(self, params, parse):
        problem = None
        for attempt in range(self.retries + 1):
            self._pace()
            wait = self.backoff * 2**attempt
            try:
                response = self.session.get(
                    self.base_url,
                    params=params,
                    timeout=self.timeout,
                    headers=self.headers,
                )
            except TRANSPORT_ERRORS as error:
                problem = f"{type(error).__name__}: {error}"
            else:
                if response.status_code in OAI_BODY_STATUSES:
                    if parse is None:
                        return response.content
                    try:
                        return parse(response.content)
                    except oai.NotOAIResponse as error:
                        problem = f"not an OAI-PMH answer for {params}: {error}"
                else:
                    problem = f"HTTP {response.status_code} for {response.url}"
                    if response.status_code not in RETRY_STATUSES:
                        raise FetchError(problem)
                    asked = retry_after_seconds(response.headers.get("Retry-After"))
                    if asked is not None:
                        if asked > self.max_wait:
                            raise FetchError(
                                f"{problem}: Retry-After {asked:.0f}s is too long"
                            )
                        wait = asked
            if attempt < self.retries:
                self.sleep(min(wait, self.max_wait))
        raise FetchError(f"gave up after {self.retries + 1} attempts: {problem}")
