#!/bin/bash
# Print the exact pins of environment.yml's pip: section, one per line (pip's requirements format).
# environment.yml is the student runtime (what Binder installs); this is how `make venv` and
# tests/test_runtime_env.py read it with pip alone, before any venv exists (the student edition's
# start.py uses the same pattern). The developers' tools are pinned apart, in requirements-dev.txt.
set -euo pipefail
sed -n 's/^[[:space:]]*-[[:space:]]*\([A-Za-z0-9_.-]*==[^[:space:]#]*\).*$/\1/p' "${1:-environment.yml}"
