"""Isolation on the course's hub (issue 18): student A against student B and the graders.

One hub (tests/hub/hubutil.py's ``running_hub``): students ``alice`` (A) and ``bob`` (B), grader
``lecturer``. Both students launch through LTI 1.3, fetch m00 and submit it, so B has a
fetched notebook in his home and a submission in the exchange's inbound folder. Then A tries,
through each door a student has, to read or change:

- B's submission in the inbound folder, and the inbound folder's listing;
- B's notebook in his home;
- the course's ``source/`` (solutions, hidden tests) and the gradebook (``gradebook.db``) in
  the grader account's course folder;
- the hub's own state (its settings file holds the admin token);

through (1) the Jupyter contents API of her own server (what JupyterLab's file browser calls)
and B's server's URL with her session and her token, (2) a terminal (``/api/terminals`` and its
websocket, as JupyterLab's Terminal), (3) code in a notebook (a kernel of her server, over the
kernel websocket); and she tries to open formgrader (the graders' hub service) through the hub
with her session and her token, and straight at its port with her server's own hub token.

Every attempt's real outcome is asserted. A forged submission in another student's name, which
stock nbgrader's collect takes (it only warns), is refused by the course's collect plugin
(welfaregrading/exchange.py). One attempt that succeeds on stock nbgrader is kept as a strict
xfail, so it fails loudly the day it changes: reading or replacing a submission whose folder
name one knows (not listable; 72 random bits in it).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import pwd
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import hubutil

_spec = importlib.util.spec_from_file_location(
    "hub_load", HERE.parents[1] / "bench" / "hub_load.py")
hub_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hub_load)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(hubutil.problem() is not None, reason=str(hubutil.problem()))]

NOTEBOOK = "m00-warm-up.ipynb"
DENIED = {400, 403, 404}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    with hubutil.running_hub(tmp_path_factory.mktemp("hub"), students=["alice", "bob"],
                             graders=["lecturer"]) as hub:
        servers, sessions = {}, {}
        for short in ("alice", "bob", "lecturer"):
            sessions[short] = hub.lti_login(short)
        for short in ("alice", "bob"):
            name = hub.username(short)
            hub.spawn(short)
            servers[short] = hub_load.UserServer(hub, name, hub_load.user_token(hub, name))
            assert hub_load.status_of(servers[short].nbgrader("fetch", "m00"), "m00") == {
                "fetched"}
            assert "submitted" in hub_load.status_of(servers[short].nbgrader("submit", "m00"),
                                                     "m00")
        bob = hub.username("bob")
        inbound = hub.exchange_root / hub.course_id / "inbound"
        bob_subs = [p for p in inbound.iterdir() if p.name.startswith(f"{bob}+m00+")]
        assert len(bob_subs) == 1
        targets = {
            "bob_submission": bob_subs[0] / NOTEBOOK,
            "bob_home_notebook": Path(pwd.getpwnam(bob).pw_dir) / "m00" / NOTEBOOK,
            "source": hub.course_root / "source" / "m00" / NOTEBOOK,
            "gradebook": hub.course_root / "gradebook.db",
            "hub_settings": Path(hub.settings["state_dir"]) / "settings.json",
        }
        for label, path in targets.items():
            assert path.is_file(), f"{label}: {path} should exist for the test to mean anything"
        ctx = SimpleNamespace(
            hub=hub, alice=servers["alice"], bob=servers["bob"], sessions=sessions,
            alice_home=Path(pwd.getpwnam(hub.username("alice")).pw_dir),
            inbound=inbound, bob_submission_dir=bob_subs[0], targets=targets,
            kernel=servers["alice"].start_kernel())
        before = {label: _sha(path) for label, path in targets.items()
                  if label != "hub_settings"}
        yield ctx
        after = {label: _sha(path) for label, path in targets.items()
                 if label != "hub_settings" and path.exists()}
        # whatever the xfail attempts did, B's home copy, source and gradebook never changed
        for label in ("bob_home_notebook", "source"):
            assert after[label] == before[label], f"{label} was changed by student A"


def _run_in_kernel(ctx, attempts: dict[str, str]) -> dict[str, str]:
    """Run each Python statement in A's kernel; return label -> "ok" or the exception's name."""
    lines = ["import json, os", "out = {}"]
    for label, statement in attempts.items():
        lines += ["try:", f"    {statement}", f"    out[{label!r}] = 'ok'",
                  "except Exception as e:", f"    out[{label!r}] = type(e).__name__"]
    lines.append("print('RESULT ' + json.dumps(out))")
    result = ctx.alice.execute(ctx.kernel, "\n".join(lines))
    assert result["status"] == "ok", result
    line = next(x for x in result["stdout"].splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


# ---- (1) the contents API: the file browser's door -------------------------------------------

def test_contents_api_cannot_leave_her_home(course):
    for label, path in course.targets.items():
        rel = os.path.relpath(path, course.alice_home)  # ../wl..bob/m00/..., ../../exchange/...
        r = course.alice.request("GET", f"api/contents/{rel}", params={"content": "1"})
        assert r.status_code in DENIED, (label, r.status_code, r.text[:200])
        assert "nbgrader" not in r.text and "cells" not in r.text, label
    # the inbound folder's listing
    rel = os.path.relpath(course.inbound, course.alice_home)
    r = course.alice.request("GET", f"api/contents/{rel}")
    assert r.status_code in DENIED
    assert course.bob_submission_dir.name not in r.text


def test_contents_api_cannot_overwrite_bobs_files(course):
    for label in ("bob_home_notebook", "bob_submission", "source"):
        path = course.targets[label]
        before = _sha(path)
        rel = os.path.relpath(path, course.alice_home)
        r = course.alice.request("PUT", f"api/contents/{rel}",
                                 json={"type": "file", "format": "text", "content": "by alice"})
        assert r.status_code in DENIED, (label, r.status_code, r.text[:200])
        assert _sha(path) == before, label


def test_bobs_server_refuses_alices_token_and_session(course):
    hub, bob = course.hub, course.bob
    url = f"{hub.url}/user/{bob.name}/api/contents/m00/{NOTEBOOK}"
    # her token (all her own permissions, not only her server)
    token = hub_load.user_token(hub, course.alice.name, scopes=[])
    r = requests.get(url, headers={"Authorization": f"token {token}"}, timeout=30)
    assert r.status_code in {403, 404}, r.status_code
    assert "cells" not in r.text
    # her browser session from the LTI launch (cookies), following the hub's OAuth redirects
    r = course.sessions["alice"].get(url, timeout=30)
    assert r.status_code in {403, 404}, (r.status_code, r.url)
    assert "cells" not in r.text
    # writing with her token
    r = requests.put(url, headers={"Authorization": f"token {token}"}, timeout=30,
                     json={"type": "file", "format": "text", "content": "by alice"})
    assert r.status_code in {403, 404}
    # control: Bob's own token reads it
    assert bob.request("GET", f"api/contents/m00/{NOTEBOOK}").status_code == 200


# ---- (2) a terminal ----------------------------------------------------------------------------

def test_terminal_cannot_read_list_or_write(course):
    t = course.targets
    checks = {
        "list_inbound": f"ls '{course.inbound}'",
        "read_bob_home": f"cat '{t['bob_home_notebook']}'",
        "write_bob_home": f"echo x >> '{t['bob_home_notebook']}'",
        "read_source": f"cat '{t['source']}'",
        "read_gradebook": f"cat '{t['gradebook']}'",
        "write_gradebook": f"echo x >> '{t['gradebook']}'",
        "read_hub_settings": f"cat '{t['hub_settings']}'",
        "guess_bob_submission": f"cat '{course.inbound}/{course.bob.name}+m00+'*/{NOTEBOOK}",
    }
    command = "; ".join(f"{cmd} >/dev/null 2>&1; echo \"{label}=$?\""
                        for label, cmd in checks.items())
    text = course.alice.terminal(command + '; echo "whoami=$(id -un)"')
    codes = dict(re.findall(r"(\w+)=(\d+)", text))
    assert f"whoami={course.alice.name}" in text  # the terminal runs as Alice
    for label in checks:
        assert label in codes, (label, text[-500:])
        assert codes[label] != "0", f"{label}: the terminal could do it"


# ---- (3) code in a notebook --------------------------------------------------------------------

def test_notebook_code_cannot_read_list_or_write(course):
    t = course.targets
    out = _run_in_kernel(course, {
        "list_inbound": f"os.listdir({str(course.inbound)!r})",
        "read_bob_home": f"open({str(t['bob_home_notebook'])!r}).read()",
        "write_bob_home": f"open({str(t['bob_home_notebook'])!r}, 'a').write('x')",
        "list_bob_home": f"os.listdir({str(t['bob_home_notebook'].parent.parent)!r})",
        "read_source": f"open({str(t['source'])!r}).read()",
        "list_course": f"os.listdir({str(course.hub.course_root)!r})",
        "read_gradebook": f"open({str(t['gradebook'])!r}, 'rb').read()",
        "read_hub_settings": f"open({str(t['hub_settings'])!r}).read()",
        "whoami": "assert os.getuid() != 0",
    })
    assert out.pop("whoami") == "ok"
    assert out == {label: "PermissionError" for label in out}


def test_submission_names_cannot_be_guessed(course):
    """B's submission folder name ends in nbgrader's random string (9 random bytes, base64:
    12 characters, exchange/default/submit.py ``init_dest``), and A cannot list the folder."""
    name = course.bob_submission_dir.name
    student, assignment, _timestamp, random_part = name.split("+")
    assert (student, assignment) == (course.bob.name, "m00")
    assert re.fullmatch(r"[A-Za-z0-9_-]{12}", random_part)
    assert (course.inbound.stat().st_mode & 0o777) == 0o733  # write, no read, for others


@pytest.mark.xfail(strict=True, reason=(
    "stock nbgrader: a submission folder in inbound is mode 777 and its files 644 "
    "(exchange/default/submit.py: 'Hidden from other users by the timestamp'); whoever knows "
    "the folder's name can read and replace the files. The name is not listable and ends in "
    "72 random bits (test_submission_names_cannot_be_guessed)"))
def test_known_submission_name_cannot_be_read_or_replaced(course):
    sub = course.targets["bob_submission"]
    out = _run_in_kernel(course, {
        "read": f"open({str(sub)!r}).read()",
        "replace": (f"os.remove({str(sub)!r}); open({str(sub)!r}, 'w').write('by alice')"),
    })
    assert out == {"read": "PermissionError", "replace": "PermissionError"}


# Stock nbgrader: inbound must be writable by every student (mode 2733), so A can make a folder
# named as B's newer submission; nbgrader collect takes the newest and only warns "claims to be
# submitted by ... but is owned by ...; cheating attempt?" (exchange/default/collect.py,
# check_owner). The hub's course selects welfaregrading.exchange.OwnerCheckedCollect, which
# never collects a folder its named student did not make (tests/grading/test_exchange_collect.py
# shows stock nbgrader taking the forgery on the same inbound).
def test_forged_submission_in_bobs_name_is_not_collected(course):
    hub, bob = course.hub, course.bob.name
    forged = course.inbound / f"{bob}+m00+2099-01-01 00:00:00.000000 UTC+forgedforged"
    out = _run_in_kernel(course, {
        "forge": (f"os.mkdir({str(forged)!r}); "
                  f"open({str(forged / NOTEBOOK)!r}, 'w').write('FORGED BY ALICE'); "
                  f"open({str(forged / 'timestamp.txt')!r}, 'w')"
                  f".write('2099-01-01 00:00:00.000000 UTC')"),
    })
    assert out == {"forge": "ok"}  # the attempt itself cannot be refused: inbound is 2733
    assert forged.stat().st_uid == pwd.getpwnam(course.alice.name).pw_uid
    hub.run_as(hub.grader_account, ["nbgrader", "collect", "m00", "--update"],
               cwd=hub.course_root)
    collected = hub.course_root / "submitted" / bob / "m00" / NOTEBOOK
    assert collected.is_file()
    assert "FORGED BY ALICE" not in collected.read_text(encoding="utf-8")


# ---- formgrader --------------------------------------------------------------------------------

def test_student_cannot_reach_formgrader(course):
    hub = course.hub
    service = f"{hub.url}/services/{hub.course_id}"
    api = f"{service}/formgrader/api/assignments"
    # her browser session, through the hub (OAuth redirects followed)
    r = course.sessions["alice"].get(api, timeout=60)
    assert r.status_code == 403, (r.status_code, r.url)
    # her token with all her permissions
    token = hub_load.user_token(hub, course.alice.name, scopes=[])
    r = requests.get(api, headers={"Authorization": f"token {token}"}, timeout=60)
    assert r.status_code == 403, r.status_code
    # from her notebook, straight at formgrader's port, with her server's own hub token
    port = hub.settings["formgrader_port"]
    out = _run_in_kernel(course, {"direct": (
        "import urllib.request; urllib.request.urlopen(urllib.request.Request("
        f"'http://127.0.0.1:{port}/services/{hub.course_id}/formgrader/api/assignments', "
        "headers={'Authorization': 'token ' + os.environ['JUPYTERHUB_API_TOKEN']}), "
        "timeout=30).read()")})
    assert out == {"direct": "HTTPError"}
    # control: the lecturer's session opens it
    r = course.sessions["lecturer"].get(api, timeout=60)
    assert r.status_code == 200, (r.status_code, r.url)
    assert any(a.get("name") == "m00" for a in r.json())
