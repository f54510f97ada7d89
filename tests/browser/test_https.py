"""The local Looker's HTTPS + HTTP/2 mode, as Chromium reaches it: a CORS API call travels over h2 on a
certificate trusted by its key alone; another self-signed certificate is still refused; plain HTTP/1.1
(the suite's default Looker) keeps working."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import trustme

from local_looker.process import LocalLooker, free_port

# fetch a URL with the bearer token; answer the status and the body's display_name
CALL = """async ([url, token]) => {
  const response = await fetch(url, { headers: { Authorization: "Bearer " + token } });
  return { status: response.status, name: (await response.json()).display_name };
}"""


@pytest.fixture(scope="module")
def https_looker(site):
    server = LocalLooker(free_port(), free_port(), site.origin, https=True)
    yield server
    server.stop()


def admin_token(looker) -> str:
    return looker.admin.headers["Authorization"].partition(" ")[2]


def call_from_page(page, site, looker) -> dict:
    """The call's answer and the protocol its response came over, as DevTools saw it (a cross-origin
    resource's `nextHopProtocol` in Resource Timing reads "" without Timing-Allow-Origin, which Looker
    does not send)."""
    url = looker.api_url + "/api/4.0/user"
    page.goto(site.origin + "/favicon.ico")  # any page on the allowlisted origin
    devtools = page.context.new_cdp_session(page)
    protocols = []
    devtools.on("Network.responseReceived",
                lambda event: protocols.append(event["response"].get("protocol"))
                if event["response"]["url"] == url and event["type"] == "Fetch" else None)
    devtools.send("Network.enable")
    answer = page.evaluate(CALL, [url, admin_token(looker)])
    page.wait_for_timeout(50)  # the response's DevTools event may trail the promise by a moment
    return {**answer, "protocol": protocols[-1] if protocols else None}


def test_cors_call_over_https_uses_http2(page, site, https_looker):
    assert https_looker.api_url.startswith("https://")
    answer = call_from_page(page, site, https_looker)
    assert answer == {"status": 200, "name": "Ada Admin", "protocol": "h2"}


def test_plain_http1_still_works(page, site, looker):
    assert looker.api_url.startswith("http://")
    assert call_from_page(page, site, looker) == {"status": 200, "name": "Ada Admin", "protocol": "http/1.1"}


@pytest.fixture
def stranger():
    """An HTTPS server on 127.0.0.1 with some other self-signed certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)

    class Hello(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_only_that_certificate_is_trusted(page, site, stranger):
    page.goto(site.origin + "/favicon.ico")
    outcome = page.evaluate("async (url) => { try { await fetch(url); return 'loaded'; }"
                            " catch (error) { return 'refused'; } }", stranger)
    assert outcome == "refused"
