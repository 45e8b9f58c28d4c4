#!/usr/bin/env bash
# Refresh the lock files after changing a dependency in a pyproject.toml or requirements-dev.txt:
#   .venv/bin/pip install uv==0.13.8 && bash tools/lock.sh
# requirements-dev.lock: everything the tests need (the system, the embedded broker, the tools), hashed.
# requirements.lock: what the production images hold, at the same versions (resolved within the dev lock).
# Both are resolved for Python 3.11 on every platform (--universal), so the CLI installs on Windows too.
# tests/test_lock.py fails when a lock no longer matches the packages' declared dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-.venv/bin/uv}
own=(thidua thidua-contracts thidua-shared thidua-console thidua-registry thidua-scoring thidua-awards
     thidua-notifications)
skip=()
for name in "${own[@]}"; do skip+=(--no-emit-package "$name"); done
common=(--universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command "bash tools/lock.sh")
"$uv" pip compile requirements-dev.txt "${common[@]}" "${skip[@]}" -o requirements-dev.lock
"$uv" pip compile deploy/images.in "${common[@]}" "${skip[@]}" -c requirements-dev.lock -o requirements.lock
