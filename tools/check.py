"""The whole test command: lint, types, import rules, then every test suite. Exit non-zero on any failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

STEPS: list[tuple[str, list[str]]] = [
    ("ruff", [str(BIN / "ruff"), "check", "."]),
    ("mypy --strict", [str(BIN / "mypy"), "contracts/src", "contracts/tests", "shared/src", "shared/tests",
                       "services", "cli", "console", "tests", "bench", "tools", "examples"]),
    ("import rules", [str(BIN / "lint-imports")]),
    # Four workers on two cores: most of a test's time is spent waiting on the broker and the databases
    # (a consumer joining its group, a service stopping), not computing. Each worker has its own broker.
    ("tests", [str(BIN / "pytest"), "-q", "-ra", "-n", "4", *sys.argv[1:]]),
]


DEBIAN_PACKAGES = {"chromium": "chromium", "caddy": "caddy"}
"""Programs the tests drive, by the Debian package that has them: the console's browser tests drive Chromium (the
Playwright download is not reachable), the proxy's test runs Caddy."""


def ensure_debian_packages() -> None:
    """Install the packages of :data:`DEBIAN_PACKAGES` that are missing, when this user may (root, apt-get).
    Otherwise the tests that need them say what is missing and fail; they are never skipped."""
    missing = [package for program, package in DEBIAN_PACKAGES.items()
               if not os.environ.get(f"THIDUA_{program.upper()}") and shutil.which(program) is None]
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(f"== missing: {' '.join(missing)}; install Debian's packages: apt-get install {' '.join(missing)}",
              flush=True)
        return
    print(f"== installing Debian's packages for the tests: {' '.join(missing)}", flush=True)
    quiet = {"DEBIAN_FRONTEND": "noninteractive", **os.environ}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if subprocess.call(install, env=quiet, stdout=subprocess.DEVNULL) != 0:
        subprocess.call(["apt-get", "update", "-q"], env=quiet, stdout=subprocess.DEVNULL)
        subprocess.call(install, env=quiet, stdout=subprocess.DEVNULL)


def main() -> int:
    ensure_debian_packages()
    failed: list[str] = []
    for name, command in STEPS:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        code = subprocess.call(command, cwd=ROOT)
        print(f"== {name}: {'ok' if code == 0 else f'FAILED ({code})'} in {time.monotonic() - started:.0f}s",
              flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
