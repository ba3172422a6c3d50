"""A local HTTP proxy in front of an OAI-PMH base URL that spoils some of its answers.

Every request is forwarded to the upstream base URL (same query string) and, with a
seeded random generator, about ``rate`` of the answers are spoiled instead of passed on.
The kinds of fault, drawn with equal chance:

- ``drop``: the connection is closed without any answer;
- ``stall``: no answer for ``stall_seconds`` (beyond the client's read timeout), then
  the connection is closed;
- ``delay``: the true answer, after a short ``delay_seconds``;
- ``truncate``: the true status, with the body cut short (one half of the draws also
  cut the ``Content-Length`` so the answer is well framed, the other half announce the
  full length and close early);
- ``error``: a bare 500, 502 or 504;
- ``busy``: a bare 503 with ``Retry-After: <retry_after>``.

``injected`` counts what was done by kind (``passed`` for untouched answers).
``spoil_next(*kinds)`` scripts the faults of the next requests (one kind each) before
anything else; ``expire_tokens(n, body)`` scripts another fault: the next ``n`` requests
that carry a ``resumptionToken`` are answered with ``body`` (HTTP 422), e.g. a real
recorded ``badResumptionToken`` answer, as if the token had expired.

Run it by hand in front of any repository::

    PYTHONPATH=tests python -m standins.oai_fault_proxy https://zenodo.org/oai2d --seed 3 --port 8099
"""

import argparse
import random
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlsplit
from urllib.request import urlopen

from standins.serving import BackgroundServer

KINDS = ("drop", "stall", "delay", "truncate", "error", "busy")


class OAIFaultProxy(BackgroundServer):
    """Serve on 127.0.0.1 from a background thread; ``base_url`` is the harvest URL."""

    def __init__(
        self,
        upstream,
        *,
        seed=0,
        rate=0.1,
        kinds=KINDS,
        stall_seconds=1.0,
        delay_seconds=0.05,
        retry_after=1,
        port=0,
    ):
        """Forward to ``upstream``; spoil ``rate`` of the answers with ``kinds``."""
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        self.upstream = upstream
        self.rate = rate
        self.kinds = tuple(kinds)
        self.stall_seconds = stall_seconds
        self.delay_seconds = delay_seconds
        self.retry_after = retry_after
        self.port = port
        self.injected = Counter()
        self.requests = []
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._expiries = []
        self._scripted = []

    @property
    def base_url(self):
        """The OAI-PMH base URL to harvest through the proxy."""
        return self.address + (urlsplit(self.upstream).path or "/")

    def expire_tokens(self, count, body):
        """Answer the next ``count`` resumption requests with ``body`` and HTTP 422."""
        with self._lock:
            self._expiries.extend([body] * count)

    def spoil_next(self, *kinds):
        """Spoil the next requests with ``kinds``, in order, whatever the draw says.

        ``truncate`` sends a well-framed cut body; ``truncate-early`` announces the
        full length and closes the connection early; ``passed`` lets one through.
        """
        unknown = set(kinds) - set(KINDS) - {"truncate-early", "passed"}
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        with self._lock:
            self._scripted.extend(
                ("truncate", 0.75) if kind == "truncate-early" else (kind, 0.25)
                for kind in kinds
            )

    def _draw(self, query):
        with self._lock:
            self.requests.append(query)
            if self._scripted:
                kind, extra = self._scripted.pop(0)
                self.injected[kind] += 1
                return kind, extra
            if "resumptionToken" in query and self._expiries:
                self.injected["expired"] += 1
                return "expired", self._expiries.pop(0)
            # Both numbers are drawn on every request so that a seed gives the same
            # faults to the same requests whatever the kinds of the earlier ones.
            spoil, pick, cut = (
                self._rng.random(),
                self._rng.randrange(len(self.kinds)),
                self._rng.random(),
            )
            kind = self.kinds[pick] if spoil < self.rate else "passed"
            self.injected[kind] += 1
            return kind, cut

    def _forward(self, query_string):
        url = self.upstream + (f"?{query_string}" if query_string else "")
        try:
            with urlopen(url, timeout=30) as answer:  # noqa: S310 (a test stand-in)
                return answer.status, answer.headers.get("Content-Type"), answer.read()
        except HTTPError as answer:
            return answer.code, answer.headers.get("Content-Type"), answer.read()

    def start(self):
        """Listen on ``port`` (a free one by default)."""
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                query_string = urlsplit(self.path).query
                kind, extra = proxy._draw(
                    dict(parse_qsl(query_string, keep_blank_values=True))
                )
                try:
                    self._answer(kind, extra, query_string)
                except (BrokenPipeError, ConnectionResetError, socket.timeout):
                    # The client gave up first (it timed out): nothing to tell it.
                    pass
                self.close_connection = True

            def _answer(self, kind, extra, query_string):
                if kind == "drop":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if kind == "stall":
                    time.sleep(proxy.stall_seconds)
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if kind in ("error", "busy"):
                    status = 503 if kind == "busy" else (500, 502, 504)[int(extra * 3)]
                    self.send_response(status)
                    if kind == "busy":
                        self.send_header("Retry-After", str(proxy.retry_after))
                    self._body(b"", "text/plain")
                    return
                if kind == "expired":
                    self.send_response(422)
                    self._body(extra, "text/xml; charset=utf-8")
                    return
                if kind == "delay":
                    time.sleep(proxy.delay_seconds)
                status, content_type, body = proxy._forward(query_string)
                self.send_response(status)
                if kind != "truncate":
                    self._body(body, content_type)
                    return
                # Keep at most 90%: the document's closing tags are always lost.
                cut = body[: int(len(body) * 0.9 * (0.1 + 0.9 * extra))]
                if extra < 0.5:
                    self._body(cut, content_type)
                else:
                    self.send_header("Content-Type", content_type or "text/xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(cut)
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)

            def _body(self, body, content_type):
                self.send_header("Content-Type", content_type or "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return self.serve(Handler, self.port)


def main(argv=None):
    """Run the proxy in the foreground until interrupted; print the counts at the end."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", help="OAI-PMH base URL to forward to")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument(
        "--stall",
        type=float,
        default=30.0,
        help="seconds a stalled answer is held back",
    )
    args = parser.parse_args(argv)
    proxy = OAIFaultProxy(
        args.upstream,
        seed=args.seed,
        rate=args.rate,
        port=args.port,
        stall_seconds=args.stall,
    ).start()
    print(f"{proxy.base_url} -> {args.upstream}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        proxy.stop()
        print(dict(proxy.injected))


if __name__ == "__main__":
    main()
