"""Write the derived recordings of this folder from real ones (see ../README.md).

Run from anywhere: ``python tests/data/zenodo-oai/derived/derive.py``. The records and
headers are cut out of Zenodo's real 2015 ``user-lisa7-posters`` page byte for byte;
only the paging (which records go on which page, the resumption tokens) and the choice
of records differ from what Zenodo sent.
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = (HERE.parent / "legacy"
          / "zenodio__lisa7-posters_ListRecords_oai_datacite3_set-user-lisa7-posters_2015.xml")
NO_RECORDS_MATCH = HERE.parent / "2026" / "list_records-3.xml"
BASE = "http://zenodo.org/oai2d"
SET = "user-lisa7-posters"
PREFIX = "oai_datacite3"

text = SOURCE.read_text(encoding="utf-8")
HEAD = text[: text.index("<request ")]
RECORDS = re.findall(r"<record>.*?</record>", text, re.S)
HEADERS = [re.search(r"<header>.*?</header>", r, re.S).group(0) for r in RECORDS]
IDS = [re.search(r"<identifier>(.*?)</identifier>", h).group(1) for h in HEADERS]
LATEST = max(re.search(r"<datestamp>(.*?)</datestamp>", h).group(1) for h in HEADERS)


def _page(verb, request, items, token, cursor, size):
    attributes = " ".join(f'{k}="{v}"' for k, v in request.items())
    if token:
        end = (f'<resumptionToken cursor="{cursor}" completeListSize="{size}">'
               f"{token}</resumptionToken>")
    else:
        # The last page of a list: an empty token with the list's size.
        end = f'<resumptionToken cursor="{cursor}" completeListSize="{size}"/>'
    return (f"{HEAD}<request {attributes}>{BASE}</request><{verb}>\n"
            + "\n".join(items) + f"{end}</{verb}>\n</OAI-PMH>\n")


def _list(folder, verb, items, per_page, name, index):
    """Write ``items`` as pages of ``per_page`` chained by tokens; index each request."""
    first = {"verb": verb, "set": SET, "metadataPrefix": PREFIX}
    request, query = first, f"verb={verb}&set={SET}&metadataPrefix={PREFIX}"
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)]
    for number, chunk in enumerate(chunks, 1):
        token = f"{name}-page{number + 1}" if number < len(chunks) else None
        file = f"{name}-{number}.xml"
        (folder / file).write_text(
            _page(verb, request, chunk, token, (number - 1) * per_page, len(items)),
            encoding="utf-8")
        index.append({"file": file, "uri": f"{BASE}?{query}", "status": 200})
        request = {"verb": verb, "resumptionToken": token}
        query = f"verb={verb}&resumptionToken={token}"


def _no_change(folder, index):
    """The incremental harvest from the checkpoint finds nothing (noRecordsMatch, 422)."""
    (folder / "list_records-from.xml").write_bytes(NO_RECORDS_MATCH.read_bytes())
    index.append({"file": "list_records-from.xml", "status": 422,
                  "uri": f"{BASE}?verb=ListRecords&set={SET}&metadataPrefix={PREFIX}"
                         f"&from={LATEST}"})


def _folder(name, build):
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    index = []
    build(folder, index)
    (folder / "INDEX.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")


def paged(folder, index):
    """The ten posters in pages of three, and their headers in pages of four."""
    _list(folder, "ListRecords", RECORDS, 3, "list_records", index)
    _list(folder, "ListIdentifiers", HEADERS, 4, "list_identifiers", index)


def later(folder, index):
    """Later: nothing changed since, 10165 is no longer listed, 10314 is listed deleted."""
    _no_change(folder, index)
    headers = []
    for identifier, header in zip(IDS, HEADERS):
        if identifier == "oai:zenodo.org:10165":
            continue
        if identifier == "oai:zenodo.org:10314":
            header = header.replace("<header>", '<header status="deleted">', 1)
        headers.append(header)
    _list(folder, "ListIdentifiers", headers, 4, "list_identifiers", index)


def glitch(folder, index):
    """A listing that holds only three of the ten posters (a glitch, or a mass removal)."""
    _no_change(folder, index)
    _list(folder, "ListIdentifiers", HEADERS[:3], 4, "list_identifiers", index)


if __name__ == "__main__":
    _folder("lisa7-paged", paged)
    _folder("lisa7-later", later)
    _folder("lisa7-glitch", glitch)
