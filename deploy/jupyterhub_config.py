"""JupyterHub for the WELFARE course on one machine (issue 18): every piece a well-kept component,
configured here, nothing re-implemented.

- JupyterHub 6 with configurable-http-proxy (npm) in front; the hub runs as root.
- LocalProcessSpawner: each student's server runs as their own system user (JupyterHub docs,
  "Spawners": LocalProcessSpawner), JupyterLab as the default UI, in the students' environment:
  a venv holding environment.yml's pins (the student runtime), with nbgrader's instructor
  extensions (formgrader, course list, create assignment) switched off there, as nbgrader's
  installation docs describe (docs/source/user_guide/installation.rst, "jupyter labextension
  disable @jupyter/nbgrader:formgrader ..." and "jupyter server extension disable
  nbgrader.server_extensions.formgrader ..."; deploy/hubctl.py writes the same settings).
- nbgrader's exchange in one shared folder with the course's course_id
  (``welfare-social-innovation``, nbgrader_config.py).
- A course roster: group ``graders`` (the lecturer and TAs) and group ``students``; only users on
  it may log in (``Authenticator.allowed_users``).
- Formgrader as a hub service run by one grader account, reachable by the ``graders`` group only
  (nbgrader docs, docs/source/configuration/jupyterhub_config.rst "One Class, Multiple
  Graders": a shared notebook server as a service, a separate grader account; access granted by
  a role with the scope ``access:services!service=<name>``, JupyterHub docs "Roles and scopes").
- jupyterhub-idle-culler as a hub service with the role its README gives it.
- LTI 1.3 login with jupyterhub-ltiauthenticator's ``LTI13Authenticator`` (its docs: issuer,
  client_id, authorize_url, jwks_endpoint, username_key).

**Which id becomes the username.** ``username_key = "custom_lms_user_id"``: the value of
``lms_user_id`` in the launch's custom claim (``https://purl.imsglobal.org/spec/lti/claim/custom``),
the custom field ltiauthenticator's own tool configuration (``/hub/lti13/config``) asks Canvas for
as ``$User.id``, the Canvas user id. That is the ``ID`` column of Canvas's gradebook export, on
which welfaregrading/roster.py and platform_export.py match students, and the id in the file
names of Canvas's submission download (welfaregrading/collect.py): so nbgrader's student id
(the system user's name, nbgrader.utils.get_username) is the platform's gradebook id, and the
lecturer's grade export needs no mapping. (``sub``, the platform's default, is an opaque LTI id
that appears in no gradebook export.) On Moodle, set the tool's custom parameter
``lms_user_id=$User.id`` the same way.

All machine-specific values come from a JSON settings file named by the environment variable
``WELFARELAB_HUB_SETTINGS`` (written by deploy/hubctl.py; its ``settings()`` documents every key).
"""

import json
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when JupyterHub loads this file)

_path = os.environ.get("WELFARELAB_HUB_SETTINGS")
if not _path:
    sys.exit("WELFARELAB_HUB_SETTINGS is not set: start the hub with deploy/hubctl.py "
             "(make hub-start), which writes the settings file and names it there.")
S = json.loads(Path(_path).read_text(encoding="utf-8"))
COURSE_ID = S["course_id"]  # nbgrader_config.py's c.CourseDirectory.course_id

# ---- Hub, proxy, state ----------------------------------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{S['port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [S["proxy_command"]]
c.JupyterHub.db_url = f"sqlite:///{S['state_dir']}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{S['state_dir']}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{S['state_dir']}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# ---- Students' servers: their own system user, JupyterLab, the student environment ------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.default_url = "/lab"
# The env's own python runs jupyterhub-singleuser (its scripts' shebangs are not used).
c.Spawner.cmd = [f"{S['student_env']}/bin/python", "-m", "jupyterhub.singleuser"]
# nbgrader's exchange root and course_id reach the students from the env's own
# etc/jupyter/nbgrader_config.py (deploy/hubctl.py writes it).
c.Spawner.environment = {"PATH": f"{S['student_env']}/bin:/usr/local/bin:/usr/bin:/bin",
                         **S.get("python_env", {})}
c.Spawner.start_timeout = S.get("start_timeout", 60)
c.Spawner.http_timeout = S.get("http_timeout", 60)

# ---- LTI 1.3 login (jupyterhub-ltiauthenticator) ----------------------------------------------
c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
lti = S["lti"]
c.LTI13Authenticator.issuer = lti["issuer"]
c.LTI13Authenticator.client_id = [lti["client_id"]]
c.LTI13Authenticator.authorize_url = lti["authorize_url"]
c.LTI13Authenticator.jwks_endpoint = lti["jwks_endpoint"]
c.LTI13Authenticator.username_key = "custom_lms_user_id"  # see the docstring
c.LTI13Authenticator.uri_scheme = lti.get("uri_scheme", "auto")

# ---- The course roster -------------------------------------------------------------------------
roster = S["roster"]
c.Authenticator.allowed_users = set(roster["graders"]) | set(roster["students"])
c.Authenticator.admin_users = set(roster.get("admins", []))
c.JupyterHub.load_groups = {
    "graders": {"users": list(roster["graders"])},
    "students": {"users": list(roster["students"])},
}

# ---- Services: formgrader (graders only) and the idle culler -----------------------------------
grader = S["grader_account"]
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{S['formgrader_port']}",
        "command": [f"{S['grader_env']}/bin/python", "-m", "jupyterhub.singleuser"],
        "user": grader["name"],
        "cwd": grader["home"],
        "environment": {"JUPYTERHUB_DEFAULT_URL": "/lab/tree/formgrader",
                        "PATH": f"{S['grader_env']}/bin:/usr/local/bin:/usr/bin:/bin",
                        "HOME": grader["home"], **S.get("python_env", {})},
        "oauth_no_confirm": True,
        # JupyterHub 6 stops with exit code 1 when a managed service is not up within its
        # timeout (30 s by default); a formgrader server on a busy machine needed more.
        "timeout": S.get("service_timeout", 180),
    },
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={S.get('cull_idle_seconds', 3600)}"],
    },
]
if S.get("admin_token"):
    # A token for the course's own scripts and tests (deploy/hubctl.py, tests/hub/): create
    # servers and users through the REST API, nothing else.
    c.JupyterHub.services.append({"name": "course-admin", "api_token": S["admin_token"]})
c.JupyterHub.load_roles = [
    {   # nbgrader docs: the graders' group reaches the course's formgrader service, nobody else
        "name": f"formgrader-{COURSE_ID}",
        "groups": ["graders"],
        "scopes": [f"access:services!service={COURSE_ID}"],
    },
    {   # jupyterhub-idle-culler README, "As a hub-managed service"
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
]
if S.get("admin_token"):
    c.JupyterHub.load_roles.append({
        "name": "course-admin",
        "scopes": ["admin:users", "admin:servers", "admin:groups", "access:servers",
                   "read:hub", "tokens"],
        "services": ["course-admin"],
    })
