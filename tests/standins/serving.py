"""What the HTTP stand-ins share: a threading server on 127.0.0.1 in a background thread."""

import threading
from http.server import ThreadingHTTPServer


class BackgroundServer:
    """Serve a request handler class on loopback; ``start()``/``stop()`` or ``with``."""

    _server = None
    _thread = None

    def serve(self, handler, port=0):
        """Listen on ``port`` (a free one by default) with ``handler``; return self."""
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        # A short poll interval keeps stop() quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    @property
    def address(self):
        """``http://127.0.0.1:<port>`` of the listening server."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self):
        """Close the port and wait for the serving thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
