#!/bin/bash
# Print the exact pins of environment.yml's pip: section, one per line (pip's requirements format).
# environment.yml is the single dependency list; this is how `make` reads it before any venv exists.
set -euo pipefail
sed -n 's/^[[:space:]]*-[[:space:]]*\([A-Za-z0-9_.-]*==[^[:space:]#]*\).*$/\1/p' "${1:-environment.yml}"
