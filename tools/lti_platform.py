"""A local stand-in for a learning platform's LTI 1.3 side, for the hub's trial course and tests.

It plays the platform (Canvas, Moodle, Toledo) in an LTI 1.3 resource-link launch of the course's
JupyterHub (``deploy/jupyterhub_config.py``, jupyterhub-ltiauthenticator's ``LTI13Authenticator``)
on 127.0.0.1, with a test RSA key made at start (never a real platform's key):

1. ``GET /launch?user=<login>`` is the student clicking the course link: the platform starts
   the **third-party initiated login** (IMS Security Framework 1.0, section 5.1.1.1,
   https://www.imsglobal.org/spec/security/v1p0/#step-1-third-party-initiated-login) by sending
   the browser to the tool's login URL with ``iss``, ``login_hint``, ``target_link_uri``,
   ``lti_message_hint``, ``client_id`` and ``lti_deployment_id``.
2. ``GET|POST /authorize`` is the **authentication request** the tool sends back (section
   5.1.1.2: ``scope=openid``, ``response_type=id_token``, ``response_mode=form_post``,
   ``prompt=none``, ``client_id``, ``redirect_uri``, ``login_hint``, ``nonce``, ``state``). The
   platform checks the client id, the registered redirect URI and the login hint, and answers
   with the **authentication response** (section 5.1.1.3): an HTML form that posts ``id_token``
   and ``state`` to the redirect URI by itself (OpenID Connect Form Post Response Mode).
3. The ``id_token`` is a JWT signed RS256 with the key whose ``kid`` the JWKS lists, holding the
   OpenID claims (``iss``, ``sub``, ``aud``, ``exp``, ``iat``, ``nonce``, ``azp``, ``name``,
   ``email``) and the LTI 1.3 claims that IMS LTI Core 1.3 requires of a resource-link launch
   (https://www.imsglobal.org/spec/lti/v1p3/, section 5.3 "Required message claims":
   ``message_type`` = ``LtiResourceLinkRequest``, ``version`` = ``1.3.0``, ``deployment_id``,
   ``target_link_uri``, ``resource_link`` with its ``id``, ``roles``) and the optional
   ``context`` (section 5.4.1), ``tool_platform``, ``lis`` (section D.1: ``person_sourcedid``)
   and ``custom`` (section 5.4.6) claims. The claim names are those ltiauthenticator validates
   (ltiauthenticator/lti13/constants.py ``LTI13_RESOURCE_LINK_REQUEST_REQUIRED_CLAIMS``).
4. ``GET /.well-known/jwks.json`` serves the public key set (RFC 7517) the tool fetches to check
   the signature (``LTI13Authenticator.jwks_endpoint``).

The ``custom`` claim carries ``lms_user_id``, as the Canvas developer-key JSON that
ltiauthenticator's ``/hub/lti13/config`` publishes asks for (custom field
``lms_user_id = $User.id``: Canvas puts its numeric user id there, the ``ID`` column of its
gradebook export). ``deploy/jupyterhub_config.py`` makes that the JupyterHub username.

Run: ``python tools/lti_platform.py --port 0 --tool-url http://127.0.0.1:8000 --users users.json``
(users.json: ``{"<login>": {"lms_user_id": ..., "name": ..., "email": ..., "role":
"Learner"|"Instructor"}}``); it prints one JSON line ``{"url": ..., "jwks": ..., ...}`` once it
listens. Only for trials and tests: it logs anyone in as whoever ``user=`` names.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
# Role URIs: IMS LTI Core 1.3 Appendix A.2.3 (context roles, LIS vocabulary).
ROLES = {
    "Learner": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student"],
    "Instructor": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
                   "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"],
}
# Context type: IMS LTI Core 1.3 Appendix A.1 (course offering).
COURSE_OFFERING = "http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"


class Platform:
    """The platform's state: its key, registration of the one tool, and its users.

    ``users`` maps a login (the ``login_hint``) to ``{"lms_user_id": str, "name": str,
    "email": str, "role": "Learner" | "Instructor"}``; ``tool_url`` is the hub's public URL
    (``http://127.0.0.1:<port>``). Raises ``ValueError`` naming the user and field when a user's
    role is not one of :data:`ROLES` or their ``lms_user_id`` is empty.
    """

    def __init__(self, tool_url: str, users: dict, client_id: str = "welfarelab-hub",
                 deployment_id: str = "1", context_id: str = "welfare-social-innovation",
                 token_lifetime: int = 300):
        for login, user in users.items():
            if user.get("role") not in ROLES:
                raise ValueError(f"user {login!r}: role must be one of {sorted(ROLES)}, "
                                 f"not {user.get('role')!r}")
            if not str(user.get("lms_user_id") or ""):
                raise ValueError(f"user {login!r}: lms_user_id is empty")
        self.tool_url = tool_url.rstrip("/")
        self.users = users
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.context_id = context_id
        self.token_lifetime = token_lifetime
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.url = ""  # set once the server listens
        # ltiauthenticator's endpoints (LTI13Authenticator.login_url / callback_url)
        self.login_initiation_url = f"{self.tool_url}/hub/lti13/oauth_login"
        self.redirect_uris = {f"{self.tool_url}/hub/lti13/oauth_callback"}

    def jwks(self) -> dict:
        """The public key set (RFC 7517 section 5), one RS256 signing key."""
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def login_initiation(self, login: str) -> str:
        """The URL of the tool's OIDC login initiation for ``login`` (Security Framework 5.1.1.1).

        Raises ``KeyError`` when the platform does not know ``login``."""
        if login not in self.users:
            raise KeyError(login)
        query = {"iss": self.url, "login_hint": login,
                 "target_link_uri": f"{self.tool_url}/hub/",
                 "lti_message_hint": secrets.token_urlsafe(8),
                 "client_id": self.client_id, "lti_deployment_id": self.deployment_id}
        return f"{self.login_initiation_url}?{urlencode(query)}"

    def id_token(self, login: str, nonce: str) -> str:
        """The signed ``id_token`` of a resource-link launch for ``login`` (LTI Core 1.3, 5.3)."""
        user = self.users[login]
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": self.client_id, "azp": self.client_id,
            "sub": f"sub-{uuid.uuid5(uuid.NAMESPACE_URL, self.url + '/' + login).hex}",
            "iat": now, "exp": now + self.token_lifetime, "nonce": nonce,
            "name": user.get("name", login), "email": user.get("email", ""),
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": f"{self.tool_url}/hub/",
            LTI + "resource_link": {"id": f"{self.context_id}-hub", "title": "JupyterHub"},
            LTI + "roles": ROLES[user["role"]],
            LTI + "context": {"id": self.context_id, "label": "WELFARE",
                              "title": "Welfare and social innovation",
                              "type": [COURSE_OFFERING]},
            LTI + "tool_platform": {"guid": "welfarelab-stand-in", "name": "Stand-in platform",
                                    "product_family_code": "welfarelab-test"},
            LTI + "lis": {"person_sourcedid": str(user["lms_user_id"]),
                          "course_offering_sourcedid": self.context_id},
            LTI + "custom": {"lms_user_id": str(user["lms_user_id"])},
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


def _form_post(action: str, fields: dict) -> bytes:
    """OpenID Connect Form Post Response Mode: a page that posts ``fields`` to ``action``."""
    inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                     for k, v in fields.items())
    return (f'<!doctype html><html><head><title>Launching</title></head>'
            f'<body onload="document.forms[0].submit()">'
            f'<form method="post" action="{html.escape(action)}">{inputs}'
            f'<noscript><button type="submit">Continue</button></noscript></form>'
            f'</body></html>').encode()


def make_handler(platform: Platform):
    """The HTTP handler class serving ``platform``'s endpoints."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):  # quiet: tests read stdout for the ready line
            sys.stderr.write("lti_platform: " + fmt % args + "\n")

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                  headers: dict | None = None):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _args(self) -> dict:
            query = urlparse(self.path).query
            if self.command == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                query = self.rfile.read(length).decode()
            return {k: v[0] for k, v in parse_qs(query).items()}

        def _route(self):
            path = urlparse(self.path).path
            args = self._args()
            if path == "/.well-known/jwks.json":
                return self._send(200, json.dumps(platform.jwks()).encode(), "application/json")
            if path == "/launch":
                try:
                    url = platform.login_initiation(args.get("user", ""))
                except KeyError:
                    return self._send(404, b"unknown user")
                return self._send(302, b"", headers={"Location": url})
            if path == "/authorize":
                problems = [name for name, ok in (
                    ("scope", args.get("scope") == "openid"),
                    ("response_type", args.get("response_type") == "id_token"),
                    ("response_mode", args.get("response_mode") == "form_post"),
                    ("client_id", args.get("client_id") == platform.client_id),
                    ("redirect_uri", args.get("redirect_uri") in platform.redirect_uris),
                    ("login_hint", args.get("login_hint") in platform.users),
                    ("nonce", bool(args.get("nonce"))),
                    ("state", bool(args.get("state")))) if not ok]
                if problems:
                    return self._send(400, f"invalid authentication request: {problems}".encode(),
                                      "text/plain")
                token = platform.id_token(args["login_hint"], args["nonce"])
                return self._send(200, _form_post(args["redirect_uri"],
                                                  {"id_token": token, "state": args["state"]}))
            if path == "/":
                links = "".join(f'<li><a href="/launch?user={html.escape(u)}">{html.escape(u)}'
                                f' ({html.escape(d["role"])})</a></li>'
                                for u, d in platform.users.items())
                return self._send(200, f"<h1>Stand-in platform</h1><ul>{links}</ul>".encode())
            return self._send(404, b"not found", "text/plain")

        do_GET = _route
        do_POST = _route

    return Handler


def serve(platform: Platform, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Start serving ``platform`` on ``host:port`` (0: a free port) in a daemon thread."""
    server = ThreadingHTTPServer((host, port), make_handler(platform))
    platform.url = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tool-url", required=True, help="the hub's URL, http://127.0.0.1:PORT")
    parser.add_argument("--users", required=True, help="JSON file: login -> user")
    parser.add_argument("--client-id", default="welfarelab-hub")
    parser.add_argument("--deployment-id", default="1")
    args = parser.parse_args(argv)
    with open(args.users, encoding="utf-8") as f:
        users = json.load(f)
    platform = Platform(args.tool_url, users, client_id=args.client_id,
                        deployment_id=args.deployment_id)
    server = serve(platform, args.port)
    print(json.dumps({"url": platform.url, "issuer": platform.url,
                      "authorize_url": platform.url + "/authorize",
                      "jwks_endpoint": platform.url + "/.well-known/jwks.json",
                      "client_id": platform.client_id}), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
