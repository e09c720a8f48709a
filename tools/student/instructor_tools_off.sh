#!/bin/bash
# Turn off nbgrader's instructor-only parts for students: formgrader, create assignment, and the
# course and assignment lists (which need a JupyterHub exchange). The Validate button stays on.
# Writes two config files into the environment (JUPYTER_PREFIX, default: this Python's prefix):
#   etc/jupyter/labconfig/page_config.json          (JupyterLab plugins disabled and locked)
#   etc/jupyter/jupyter_server_config.d/zz-welfarelab-student.json  (server extensions off)
set -e
PREFIX="${JUPYTER_PREFIX:-$(python -c 'import sys; print(sys.prefix)')}"
python - "$PREFIX" <<'PY'
import json, sys
from pathlib import Path

etc = Path(sys.argv[1]) / "etc" / "jupyter"
plugins = [f"@jupyter/nbgrader:{p}" for p in
           ("formgrader", "create-assignment", "course-list", "assignment-list")]
page = etc / "labconfig" / "page_config.json"
page.parent.mkdir(parents=True, exist_ok=True)
config = json.loads(page.read_text()) if page.exists() else {}
for key in ("disabledExtensions", "lockedExtensions"):
    config.setdefault(key, {}).update({p: True for p in plugins})
page.write_text(json.dumps(config, indent=2))

server = etc / "jupyter_server_config.d" / "zz-welfarelab-student.json"
server.parent.mkdir(parents=True, exist_ok=True)
off = {f"nbgrader.server_extensions.{e}": False
       for e in ("formgrader", "course_list", "assignment_list")}
server.write_text(json.dumps({"ServerApp": {"jpserver_extensions": off}}, indent=2))
print(f"nbgrader instructor tools turned off in {etc}")
PY
