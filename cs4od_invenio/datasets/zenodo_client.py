"""Zenodo's REST API over HTTP: one record's JSON and its files, streamed and verified."""

import hashlib
import io

import requests

from .zenodo import ZenodoImportError, same_origin


class ZenodoUnavailable(ZenodoImportError):
    """Zenodo could not be reached or answered with a temporary error; worth retrying."""


class ZenodoClient:
    """Reads records and files from the Zenodo at ``base_url`` (e.g. https://zenodo.org)."""

    def __init__(self, base_url, timeout=(10, 120), session=None):
        """A client with connect/read timeouts in seconds."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "CS4OD Zenodo import")

    def _get(self, url, what, **kwargs):
        try:
            response = self.session.get(url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise ZenodoUnavailable(f"Zenodo ({self.base_url}) did not answer in time "
                                    f"while fetching {what}.")
        except requests.RequestException as error:
            raise ZenodoUnavailable(
                f"Zenodo ({self.base_url}) could not be reached while fetching {what}: "
                f"{type(error).__name__}.")
        if response.status_code == 429 or response.status_code >= 500:
            response.close()
            wait = response.headers.get("Retry-After")
            hint = f"; it asks to wait {wait} s" if wait else ""
            raise ZenodoUnavailable(
                f"Zenodo answered HTTP {response.status_code} for {what}{hint}.")
        return response

    def record(self, record_id):
        """The JSON of record ``record_id``; ``ZenodoImportError`` with a reason if not."""
        url = f"{self.base_url}/api/records/{record_id}"
        response = self._get(url, f"record {record_id}",
                             headers={"Accept": "application/json"})
        status = response.status_code
        if status == 404:
            raise ZenodoImportError(f"Zenodo has no record {record_id}.")
        if status == 410:
            raise ZenodoImportError(f"Zenodo record {record_id} was deleted.")
        if status in (401, 403):
            raise ZenodoImportError(
                f"Zenodo record {record_id} is not public; only open records can be "
                "imported.")
        if status != 200:
            raise ZenodoImportError(
                f"Zenodo answered HTTP {status} for record {record_id}.")
        try:
            return response.json()
        except ValueError:
            raise ZenodoImportError(f"Zenodo's answer for record {record_id} is not JSON.")

    def open(self, zenodo_file, max_size, progress=None):
        """A readable stream of a file's bytes that checks size and MD5 as it is read.

        Reading past the listed size, ending early, or ending with another MD5 raises
        ``ZenodoImportError``; ``progress(n)`` is called with each chunk's length.
        """
        if zenodo_file.size > max_size:
            raise ZenodoImportError(
                f"{zenodo_file.key} is {zenodo_file.size:,} bytes; imports are limited "
                f"to {max_size:,} bytes per file.")
        if not same_origin(zenodo_file.url, self.base_url):
            raise ZenodoImportError(
                f"Zenodo links {zenodo_file.key} to another site ({zenodo_file.url}); "
                "files are only fetched from Zenodo itself.")
        response = self._get(zenodo_file.url, zenodo_file.key, stream=True)
        if response.status_code in (401, 403):
            response.close()
            raise ZenodoImportError(
                f"Zenodo refused the download of {zenodo_file.key} (HTTP "
                f"{response.status_code}): the file is not public.")
        if response.status_code != 200:
            response.close()
            raise ZenodoImportError(
                f"Zenodo answered HTTP {response.status_code} for {zenodo_file.key}.")
        return VerifiedStream(response, zenodo_file, progress)


class VerifiedStream(io.RawIOBase):
    """The body of a download, checked against the size and MD5 Zenodo listed."""

    def __init__(self, response, zenodo_file, progress=None):
        """Wrap a streamed ``requests`` response."""
        self.response = response
        self.file = zenodo_file
        self.progress = progress
        self.md5 = hashlib.md5()
        self.received = 0
        self.finished = False

    def readable(self):
        """A readable stream."""
        return True

    def readinto(self, buffer):
        """Fill ``buffer`` from the download; check the whole file at its end."""
        if self.finished:
            return 0
        try:
            chunk = self.response.raw.read(len(buffer), decode_content=True)
        except Exception as error:  # urllib3 ProtocolError, ReadTimeoutError, ...
            raise ZenodoUnavailable(
                f"The download of {self.file.key} was interrupted after "
                f"{self.received:,} of {self.file.size:,} bytes ({type(error).__name__}).")
        if not chunk:
            self._check_end()
            return 0
        self.received += len(chunk)
        if self.received > self.file.size:
            raise ZenodoImportError(
                f"Zenodo sent more than the {self.file.size:,} bytes it lists for "
                f"{self.file.key}.")
        self.md5.update(chunk)
        buffer[: len(chunk)] = chunk
        if self.progress:
            self.progress(len(chunk))
        return len(chunk)

    def _check_end(self):
        self.finished = True
        self.response.close()
        if self.received != self.file.size:
            raise ZenodoUnavailable(
                f"The download of {self.file.key} ended after {self.received:,} of "
                f"{self.file.size:,} bytes.")
        got = f"md5:{self.md5.hexdigest()}"
        if got != self.file.checksum:
            raise ZenodoImportError(
                f"{self.file.key} does not match its checksum: Zenodo lists "
                f"{self.file.checksum}, the bytes received give {got}.")

    def close(self):
        """Release the connection."""
        self.response.close()
        super().close()
