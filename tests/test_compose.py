"""docker-compose.yml, the services' Dockerfiles and deploy/ agree with each other and with the code.

No Docker engine is needed: the compose file is read with its ``${VAR:-default}`` defaults, the
settings the services read come from ``thidua_shared.config.ServiceSettings`` (and any subclass a
service defines), and the topic script runs against a stand-in ``kafka-topics.sh``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import AliasChoices, AliasPath
from pydantic_settings import BaseSettings
from sqlalchemy.engine import make_url

from thidua_shared.config import ServiceSettings
from thidua_shared.kafka import PARTITIONS, dead_letter_topic, topic_for

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SERVICE_PORTS = {"registry": 8001, "scoring": 8002, "awards": 8003, "notifications": 8004}
KAFKA = "kafka"
KAFKA_INIT = "kafka-init"
POSTGRES = "postgres"
INITDB = "/docker-entrypoint-initdb.d"
REQUIRED_VARIABLES = {
    "THIDUA_DATABASE_URL", "THIDUA_AUTH_DATABASE_URL", "THIDUA_PROVINCES", "THIDUA_HOST", "THIDUA_PORT",
    "KAFKA_BOOTSTRAP_SERVERS",
}

# --- reading the compose file as `docker compose config` would, from the defaults --------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose's substitution: ``$$``, ``$VAR``, ``${VAR}``, ``${VAR:-d}``, ``${VAR-d}``, ``${VAR:?e}``."""

    def replace(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        given = env.get(name)
        op, default = match["op"], match["default"] or ""
        if op == ":-":
            return given or default
        if op == "-":
            return default if given is None else given
        if op in (":?", "?") and not given:
            raise AssertionError(f"compose requires {name}: {default}")
        return given or ""

    return _VARIABLE.sub(replace, text)


def _interpolated(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, dict):
        return {_interpolated(key, env): _interpolated(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [_interpolated(item, env) for item in node]
    return node


SECRETS_DIR = "/srv/thidua/secrets"
"""What an operator sets: compose refuses to start without it (see the test below)."""


def load_compose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    resolved = _interpolated(document, {"THIDUA_SECRETS_DIR": SECRETS_DIR, **(env or {})})
    assert isinstance(resolved, dict)
    return resolved


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def environment_of(service: Mapping[str, Any]) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        pairs = (str(item).partition("=") for item in raw)
        return {name: value for name, _, value in pairs}
    return {str(name): _scalar(value) for name, value in raw.items()}


def port_mappings(service: Mapping[str, Any]) -> list[tuple[int, int]]:
    """``(published, target)`` for each entry of ``ports``, short or long syntax."""
    mappings: list[tuple[int, int]] = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            mappings.append((int(entry["published"]), int(entry["target"])))
            continue
        parts = str(entry).split("/")[0].split(":")
        assert len(parts) >= 2, f"port {entry!r} is not published on a fixed host port"
        mappings.append((int(parts[-2]), int(parts[-1])))
    return mappings


def healthcheck_command(service: Mapping[str, Any]) -> str:
    test = (service.get("healthcheck") or {}).get("test")
    assert test, "no healthcheck"
    return " ".join(test[1:]) if isinstance(test, list) else str(test)


def bind_mounts(service: Mapping[str, Any]) -> dict[str, Path]:
    """Container path → host path of the service's bind mounts (``./…`` sources)."""
    mounts: dict[str, Path] = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            source, target = str(volume.get("source", "")), str(volume["target"])
        else:
            source, target, *_ = f"{volume}:".split(":")
        if source.startswith((".", "/")):
            mounts[target] = (ROOT / source).resolve()
    return mounts


# --- what the code reads ----------------------------------------------------------------------------


def settings_classes(service: str) -> list[type[BaseSettings]]:
    """``ServiceSettings`` and every subclass of it that the service's own code defines."""
    classes: list[type[BaseSettings]] = [ServiceSettings]
    source_root = ROOT / "services" / service / "src"
    pattern = re.compile(r"^class\s+(\w+)\((?:[\w.]+\.)?ServiceSettings\)", re.MULTILINE)
    for path in sorted((source_root / service).rglob("*.py")):
        for class_name in pattern.findall(path.read_text(encoding="utf-8")):
            module_name = ".".join(path.relative_to(source_root).with_suffix("").parts)
            found = getattr(importlib.import_module(module_name), class_name)
            assert issubclass(found, BaseSettings)
            classes.append(found)
    return classes


def environment_names(settings: type[BaseSettings]) -> dict[str, tuple[str, ...]]:
    """Field → the environment variable names it is read from (any one of them will do)."""
    prefix = str(settings.model_config.get("env_prefix") or "")
    names: dict[str, tuple[str, ...]] = {}
    for field_name, field in settings.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, AliasChoices):
            choices = tuple(choice for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, AliasPath):
            choices = (str(alias.path[0]),)
        elif isinstance(alias, str):
            choices = (alias,)
        else:
            choices = (prefix + field_name,)
        names[field_name] = tuple(choice.upper() for choice in choices)
    return names


def variables_read_by(service: str) -> dict[str, tuple[str, ...]]:
    read: dict[str, tuple[str, ...]] = {}
    for settings in settings_classes(service):
        for field_name, choices in environment_names(settings).items():
            read[f"{settings.__name__}.{field_name}"] = choices
    return read


def settings_from(environment: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> ServiceSettings:
    """The settings a service builds inside its container (only the compose environment is set)."""
    for name in list(os.environ):
        if name.upper().startswith("THIDUA_") or name.upper() == "KAFKA_BOOTSTRAP_SERVERS":
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return ServiceSettings()


# --- Dockerfiles ------------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """``(KEYWORD, arguments)`` in order, continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def dockerfile_of(compose: Mapping[str, Any], service: str) -> Path:
    build = compose["services"][service]["build"]
    assert isinstance(build, dict), f"{service}: build must name its context and dockerfile"
    context = (COMPOSE_FILE.parent / str(build.get("context", "."))).resolve()
    assert context == ROOT, f"{service}: the build context must be the repository root"
    return context / str(build["dockerfile"])


def init_databases(compose: Mapping[str, Any]) -> set[str]:
    mounts = bind_mounts(compose["services"][POSTGRES])
    scripts = [host for target, host in mounts.items() if target.startswith(INITDB)]
    assert scripts, f"no init script is mounted into {INITDB}"
    created: set[str] = set()
    for script in scripts:
        sql = re.sub(r"--[^\n]*", "", script.read_text(encoding="utf-8"))
        created |= set(re.findall(r'CREATE\s+DATABASE\s+"?(\w+)"?', sql, re.IGNORECASE))
    return created


# --- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    found = compose.get("services")
    assert isinstance(found, dict)
    return found


# --- the four services ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERVICE_PORTS)
def test_each_service_is_built_from_its_own_dockerfile(compose: dict[str, Any], name: str) -> None:
    assert name in compose["services"], f"docker-compose.yml has no service {name}"
    dockerfile = dockerfile_of(compose, name)
    assert dockerfile == ROOT / "services" / name / "Dockerfile"
    assert dockerfile.is_file()


@pytest.mark.parametrize("name", SERVICE_PORTS)
def test_dockerfile_runs_the_service_module_as_a_non_root_user(compose: dict[str, Any], name: str) -> None:
    instructions = dockerfile_instructions(dockerfile_of(compose, name))
    bases = [arguments.split()[0] for keyword, arguments in instructions if keyword == "FROM"]
    assert bases, "no FROM"
    assert bases[-1] == "python:3.11-slim"
    commands = [arguments for keyword, arguments in instructions if keyword == "CMD"]
    assert commands, "no CMD"
    assert json.loads(commands[-1]) == ["python", "-m", name]
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users, "no USER: the service would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")


@pytest.mark.parametrize("name", SERVICE_PORTS)
def test_dockerfile_installs_shared_cli_and_the_service_from_the_repository(
    compose: dict[str, Any], name: str
) -> None:
    instructions = dockerfile_instructions(dockerfile_of(compose, name))
    installs = [arguments for keyword, arguments in instructions
                if keyword == "RUN" and "pip install" in arguments]
    assert installs, "no pip install"
    words = " ".join(installs).split()
    for package in ("./shared", "./cli", f"./services/{name}"):
        assert package in words, f"{package} is not installed"
    for keyword, arguments in instructions:
        if keyword == "COPY" and "--from" not in arguments:
            *sources, _target = [word for word in arguments.split() if not word.startswith("--")]
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the build context"


def test_dockerfiles_differ_only_in_service_name_and_port(compose: dict[str, Any]) -> None:
    shapes = {
        name: dockerfile_of(compose, name).read_text(encoding="utf-8")
        .replace(name, "<name>").replace(str(port), "<port>")
        for name, port in SERVICE_PORTS.items()
    }
    first = shapes["registry"]
    assert all(shape == first for shape in shapes.values()), "the Dockerfiles are not of one shape"


@pytest.mark.parametrize(("name", "port"), SERVICE_PORTS.items())
def test_service_listens_exposes_publishes_and_probes_one_port(
    compose: dict[str, Any], name: str, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = compose["services"][name]
    settings = settings_from(environment_of(service), monkeypatch)
    assert settings.host == "0.0.0.0"
    assert settings.port == port
    exposed = [
        arguments for keyword, arguments in dockerfile_instructions(dockerfile_of(compose, name))
        if keyword == "EXPOSE"
    ]
    assert exposed == [str(port)]
    assert port_mappings(service) == [], f"{name} is published: only the proxy may be"
    assert "internal" in service["networks"]
    urls = re.findall(r"https?://[^\s'\"]+", healthcheck_command(service))
    assert len(urls) == 1, "the healthcheck should probe one URL"
    probe = urlsplit(urls[0])
    assert probe.hostname in ("127.0.0.1", "localhost")
    assert (probe.port, probe.path) == (port, "/health")


@pytest.mark.parametrize("name", SERVICE_PORTS)
def test_every_setting_the_code_reads_is_set_for_the_service(compose: dict[str, Any], name: str) -> None:
    read = variables_read_by(name)
    every_name = {choice for choices in read.values() for choice in choices}
    assert every_name >= REQUIRED_VARIABLES, "ServiceSettings no longer reads what the compose file sets"
    environment = {key.upper() for key in environment_of(compose["services"][name])}
    missing = {field: choices for field, choices in read.items() if not environment & set(choices)}
    assert not missing, f"{name}: not set in docker-compose.yml: {missing}"


@pytest.mark.parametrize("name", SERVICE_PORTS)
def test_service_settings_accept_the_compose_environment(
    compose: dict[str, Any], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = compose["services"]
    settings = settings_from(environment_of(services[name]), monkeypatch)
    assert settings.province_codes == ["HNM"]
    assert settings.migrate_on_start is True
    assert settings.log_json is True
    host, _, kafka_port = settings.kafka_bootstrap_servers.partition(":")
    assert host in services, f"{name}: Kafka at {host}, which is no compose service"
    advertised = environment_of(services[KAFKA])["KAFKA_ADVERTISED_LISTENERS"]
    assert f"://{host}:{kafka_port}" in advertised, "the services use a listener Kafka does not advertise"


@pytest.mark.parametrize("name", SERVICE_PORTS)
def test_service_starts_after_postgres_and_kafka_are_healthy_and_topics_exist(
    compose: dict[str, Any], name: str
) -> None:
    depends_on = compose["services"][name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
    conditions = {dependency: spec.get("condition") for dependency, spec in depends_on.items()}
    assert conditions == {
        POSTGRES: "service_healthy", KAFKA: "service_healthy", KAFKA_INIT: "service_completed_successfully",
    }


# --- PostgreSQL -------------------------------------------------------------------------------------


def test_each_service_has_a_database_of_its_own_that_postgres_creates(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    services = compose["services"]
    created = init_databases(compose)
    postgres_env = environment_of(services[POSTGRES])
    databases: dict[str, str] = {}
    auth_databases: set[str] = set()
    for name in SERVICE_PORTS:
        settings = settings_from(environment_of(services[name]), monkeypatch)
        for url_text in (settings.database_url, settings.auth_database_url):
            url = make_url(url_text)
            assert url.drivername == "postgresql+asyncpg"
            assert (url.host, url.port) == (POSTGRES, 5432)
            assert url.username == postgres_env["POSTGRES_USER"]
            assert url.password is None, f"{name}: a password in the compose file"
            assert url.database in created, f"{name}: the init script does not create {url.database}"
        databases[name] = str(make_url(settings.database_url).database)
        auth_databases.add(str(make_url(settings.auth_database_url).database))
        password_file = environment_of(services[name])["THIDUA_DATABASE_PASSWORD_FILE"]
        assert password_file == postgres_env["POSTGRES_PASSWORD_FILE"] == "/run/secrets/postgres_password"
        assert "postgres_password" in services[name]["secrets"]
    assert "postgres_password" in services[POSTGRES]["secrets"]
    assert len(set(databases.values())) == len(databases), f"services share a database: {databases}"
    assert len(auth_databases) == 1, "the services do not read one token database"
    assert not auth_databases & set(databases.values()), "the token database is also a service's database"


def test_postgres_is_version_16_with_a_healthcheck(services: dict[str, Any]) -> None:
    postgres = services[POSTGRES]
    assert re.fullmatch(r"postgres:16(\.\d+)*(-\w+)?", str(postgres["image"]))
    assert "pg_isready" in healthcheck_command(postgres)


# --- Kafka ------------------------------------------------------------------------------------------


def test_kafka_is_a_single_kraft_node_without_zookeeper(services: dict[str, Any]) -> None:
    assert not [name for name, spec in services.items()
                if "zookeeper" in name or "zookeeper" in str(spec.get("image", ""))]
    kafka = services[KAFKA]
    assert str(kafka["image"]).startswith("apache/kafka:")
    environment = environment_of(kafka)
    assert not [name for name in environment if "ZOOKEEPER" in name]
    assert set(environment["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert environment["CLUSTER_ID"]
    node = environment["KAFKA_NODE_ID"]
    controller = environment["KAFKA_CONTROLLER_LISTENER_NAMES"]
    voter = environment["KAFKA_CONTROLLER_QUORUM_VOTERS"].removeprefix(f"{node}@")
    voter_host, _, voter_port = voter.partition(":")
    assert voter_host == KAFKA
    assert f"{controller}://0.0.0.0:{voter_port}" in environment["KAFKA_LISTENERS"]
    assert "kafka-" in healthcheck_command(kafka)


def _fake_kafka_tools(folder: Path, existing: list[str]) -> Path:
    """``kafka-topics.sh`` (listing ``existing``), ``kafka-configs.sh`` and ``kafka-acls.sh`` stand-ins that
    record every call in ``calls.log``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "existing").write_text("".join(f"{topic}\n" for topic in existing), encoding="utf-8")
    for tool in ("kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh"):
        script = folder / tool
        script.write_text(
            "#!/bin/sh\n"
            f'echo "{tool} $*" >> "{folder}/calls.log"\n'
            f'case " $* " in *" --list "*) cat "{folder}/existing" ;; esac\n',
            encoding="utf-8",
        )
        script.chmod(0o755)
    return folder / "calls.log"


def run_kafka_init(compose: Mapping[str, Any], tmp_path: Path, existing: list[str] | None = None,
                   subscribers: str = "") -> subprocess.CompletedProcess[str]:
    """Runs the init container's command, its mounted scripts read from the repository, against stand-in Kafka
    tools and ``subscribers`` as the secret file of outside subscribers."""
    init = compose["services"][KAFKA_INIT]
    assert str(init["image"]) == str(compose["services"][KAFKA]["image"])
    command = [str(word) for word in (init.get("entrypoint") or []) + (init.get("command") or [])]
    mounts = bind_mounts(init)
    assert {path.name for path in mounts.values()} == {"create-topics.sh", "create-subscribers.sh"}
    for target, host in mounts.items():
        command = [word.replace(target, str(host)) for word in command]
    _fake_kafka_tools(tmp_path / "bin", existing or [])
    secret = tmp_path / "kafka_subscribers"
    secret.write_text(subscribers, encoding="utf-8")
    assert environment_of(init)["THIDUA_KAFKA_SUBSCRIBERS_FILE"] == "/run/secrets/kafka_subscribers"
    assert "kafka_subscribers" in init["secrets"]
    environment = {**environment_of(init), "KAFKA_BIN": str(tmp_path / "bin"), "PATH": "/usr/bin:/bin",
                   "THIDUA_KAFKA_SUBSCRIBERS_FILE": str(secret)}
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60, check=False)


def kafka_calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "bin" / "calls.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def run_topic_init(compose: Mapping[str, Any], tmp_path: Path, existing: list[str] | None = None
                   ) -> list[tuple[str, int, int]]:
    """Runs the init container; the ``(topic, partitions, replicas)`` it creates."""
    finished = run_kafka_init(compose, tmp_path, existing)
    assert finished.returncode == 0, finished.stderr
    created: list[tuple[str, int, int]] = []
    for call in kafka_calls(tmp_path):
        words = call.split()
        if "--create" in words:
            assert words[words.index("--bootstrap-server") + 1] == "kafka:9092"
            created.append((words[words.index("--topic") + 1], int(words[words.index("--partitions") + 1]),
                            int(words[words.index("--replication-factor") + 1])))
    return created


def test_kafka_init_keeps_every_message_forever_on_new_and_existing_topics(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    """The topics are a replay source: Apache Kafka's default retention (7 days) would delete them."""
    existing = topic_for("HNM", "registry")
    run_topic_init(compose, tmp_path, [existing])
    calls = kafka_calls(tmp_path)
    creates = [call for call in calls if "--create" in call]
    assert creates
    assert all("--config retention.ms=-1" in call and "--config retention.bytes=-1" in call for call in creates)
    altered = [call for call in calls if call.startswith("kafka-configs.sh")]
    assert altered == [f"kafka-configs.sh --bootstrap-server kafka:9092 --alter --entity-type topics "
                       f"--entity-name {existing} --add-config retention.ms=-1,retention.bytes=-1"]


def expected_topics(provinces: list[str]) -> set[str]:
    return {name for province in provinces for service in SERVICE_PORTS
            for name in (topic_for(province, service), dead_letter_topic(province, service))}


def test_kafka_init_creates_every_services_topic_and_dead_letter_topic(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    init = compose["services"][KAFKA_INIT]
    assert init["depends_on"][KAFKA]["condition"] == "service_healthy"
    created = run_topic_init(compose, tmp_path)
    assert {topic for topic, _, _ in created} == expected_topics(["HNM"])
    assert len(created) == len(expected_topics(["HNM"]))
    assert {(partitions, replicas) for _, partitions, replicas in created} == {(PARTITIONS, 1)}


def test_the_service_reads_its_database_password_from_the_secret_file(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "postgres_password"
    secret.write_text("Kh0ng-c0-trong-repo\n", encoding="utf-8")
    environment = {**environment_of(compose["services"]["awards"]), "THIDUA_DATABASE_PASSWORD_FILE": str(secret)}
    settings = settings_from(environment, monkeypatch)
    for url in (settings.database_for("awards"), settings.auth_database()):
        assert make_url(url).password == "Kh0ng-c0-trong-repo"


def test_provinces_setting_reaches_the_services_and_the_topics_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compose = load_compose({"THIDUA_PROVINCES": "HNM, nbh"})
    for name in SERVICE_PORTS:
        settings = settings_from(environment_of(compose["services"][name]), monkeypatch)
        assert settings.province_codes == ["HNM", "NBH"]
    created = {topic for topic, _, _ in run_topic_init(compose, tmp_path)}
    assert created == expected_topics(["HNM", "NBH"])


def test_kafka_init_leaves_existing_topics_alone(compose: dict[str, Any], tmp_path: Path) -> None:
    present = sorted(expected_topics(["HNM"]))
    created = run_topic_init(compose, tmp_path, existing=present[:3])
    assert sorted(topic for topic, _, _ in created) == present[3:]


# --- the compose file as a whole --------------------------------------------------------------------


def test_every_mounted_file_exists(services: dict[str, Any]) -> None:
    for name, spec in services.items():
        for target, host in bind_mounts(spec).items():
            assert host.exists(), f"{name}: {host} (mounted at {target}) does not exist"


def test_every_dependency_is_a_service_of_the_file(services: dict[str, Any]) -> None:
    for name, spec in services.items():
        for dependency in spec.get("depends_on") or {}:
            assert dependency in services, f"{name} depends on unknown {dependency}"


# --- secure defaults --------------------------------------------------------------------------------


def test_compose_refuses_to_start_without_the_secrets_folder() -> None:
    with pytest.raises(AssertionError, match="compose requires THIDUA_SECRETS_DIR: set THIDUA_SECRETS_DIR to the"):
        load_compose({"THIDUA_SECRETS_DIR": ""})


def test_no_password_or_key_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    """Every secret is a file of the instance's secrets folder, mounted as a Docker secret."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    written = re.findall(r"(?m)^\s*([A-Z_]*(?:PASSWORD|SECRET)[A-Z_]*):\s*(?!/run/secrets/|\$\$\{file:/run/secrets/)\S",
                         text)
    assert not written, f"set in the file, not read from a secret: {written}"
    assert "POSTGRES_PASSWORD:" not in text
    for name, secret in compose["secrets"].items():
        assert str(secret["file"]).startswith(f"{SECRETS_DIR}/"), f"secret {name} is not in the secrets folder"
    used = {secret for spec in compose["services"].values() for secret in spec.get("secrets", [])}
    assert used == set(compose["secrets"]), "a secret declared and never used, or used and never declared"


def test_only_the_proxy_and_kafkas_authenticated_listener_are_reachable_from_outside(
        compose: dict[str, Any]) -> None:
    services = compose["services"]
    published = {name for name, spec in services.items() if port_mappings(spec)}
    on_loopback = {name for name, spec in services.items()
                   if all(str(entry).startswith("127.0.0.1:") for entry in spec.get("ports") or [])}
    assert published - on_loopback == {"proxy", KAFKA}
    assert published & on_loopback == {"grafana"}, "only the operators' dashboard, on the host's loopback"
    assert sorted(port for port, _ in port_mappings(services["proxy"])) == [80, 443]
    assert port_mappings(services[KAFKA]) == [(9094, 9094)]
    assert compose["networks"]["internal"]["internal"] is True
    for name in (POSTGRES, KAFKA_INIT, "console", "prometheus", *SERVICE_PORTS):
        expected = ["internal", "outside"] if name == "notifications" else ["internal"]
        assert services[name]["networks"] == expected, f"{name} on {services[name]['networks']}"


def test_kafka_offers_outside_subscribers_scram_over_tls_with_acls_and_a_key_password_from_a_file(
        compose: dict[str, Any]) -> None:
    environment = environment_of(compose["services"][KAFKA])
    listeners = dict(item.split("://") for item in environment["KAFKA_LISTENERS"].split(","))
    assert listeners["EXTERNAL"] == "0.0.0.0:9094"
    protocols = dict(item.split(":") for item in environment["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols == {"PLAINTEXT": "PLAINTEXT", "CONTROLLER": "PLAINTEXT", "EXTERNAL": "SASL_SSL"}
    assert environment["KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert "ScramLoginModule required" in environment["KAFKA_LISTENER_NAME_EXTERNAL_SCRAM___SHA___512_SASL_JAAS_CONFIG"]
    assert environment["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert environment["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert environment["KAFKA_LISTENER_NAME_EXTERNAL_SSL_KEYSTORE_LOCATION"] == "/run/secrets/kafka_external_pem"
    # `$${file:…}` in the file: Compose hands Kafka `${file:…}`, which its file config provider reads.
    assert environment["KAFKA_LISTENER_NAME_EXTERNAL_SSL_KEY_PASSWORD"] == \
        "${file:/run/secrets/kafka_tls_properties:key.password}"
    assert environment["KAFKA_CONFIG_PROVIDERS"] == "file"


def test_outside_subscribers_get_a_principal_each_and_read_only_the_topics_they_are_given(
        compose: dict[str, Any], tmp_path: Path) -> None:
    compose = load_compose({"THIDUA_PROVINCES": "HNM,NBH"})
    finished = run_kafka_init(compose, tmp_path, subscribers=(
        "# principal password services\n"
        "cong-thong-tin  Pa55word-1  awards notifications\n"
        "\n"
        "so-noi-vu  Pa55word-2  registry\n"))
    assert finished.returncode == 0, finished.stderr
    calls = [call for call in kafka_calls(tmp_path) if not call.startswith("kafka-topics.sh")
             and "--entity-type topics" not in call]
    scram = [call for call in calls if "--entity-type users" in call]
    assert [call.split("--entity-name ")[1].split()[0] for call in scram] == ["cong-thong-tin", "so-noi-vu"]
    assert "SCRAM-SHA-512=[iterations=8192,password=Pa55word-1]" in scram[0]
    reads = {(call.split("User:")[1].split()[0], call.split("--topic ")[1])
             for call in calls if "--topic " in call}
    portal = {("cong-thong-tin", f"thidua.{p}.{s}") for p in ("hnm", "nbh") for s in ("awards", "notifications")}
    assert reads == portal | {("so-noi-vu", f"thidua.{p}.registry") for p in ("hnm", "nbh")}
    acls = [call for call in calls if call.startswith("kafka-acls.sh")]
    assert all("--operation Read --operation Describe" in call for call in acls)
    assert not [call for call in acls if re.search(r"--operation (Write|Create|Alter|Delete|All)", call)]
    groups = [call for call in acls if "--group" in call]
    assert [call.split("--group ")[1] for call in groups] == [
        "cong-thong-tin --resource-pattern-type prefixed", "so-noi-vu --resource-pattern-type prefixed"]


@pytest.mark.parametrize(("line", "said"), [
    ("Cong-Thong-Tin  pw  awards", "a principal is lower-case letters"),
    ("portal  pa,ss[  awards", "the password must be letters"),
    ("portal  pass", "name the services whose events it reads"),
    ("portal  pass  payroll", "no service 'payroll'"),
])
def test_a_wrong_subscriber_line_stops_kafka_init_saying_what_to_fix(
        compose: dict[str, Any], tmp_path: Path, line: str, said: str) -> None:
    finished = run_kafka_init(compose, tmp_path, subscribers=line + "\n")
    assert finished.returncode != 0
    assert said in finished.stderr


def test_make_secrets_makes_every_secret_compose_needs_once_and_keeps_them(
        compose: dict[str, Any], tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    folder = tmp_path / "secrets"
    script = ROOT / "deploy" / "make-secrets.sh"
    made = subprocess.run(["sh", str(script), str(folder)], capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": os.environ["PATH"], "THIDUA_KAFKA_EXTERNAL_HOST": "kafka.hnm.gov.vn"})
    assert made.returncode == 0, made.stderr
    needed = {Path(str(secret["file"])).name for secret in compose["secrets"].values()}
    assert needed <= {path.name for path in folder.iterdir()}
    assert folder.stat().st_mode & 0o777 == 0o700
    password = (folder / "postgres_password").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"[A-Za-z0-9]{40}", password)
    pem = (folder / "kafka_external.pem").read_bytes()
    key_password = (folder / "kafka_tls.properties").read_text(encoding="utf-8").strip().removeprefix("key.password=")
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in pem, "Kafka's PEM key store wants an encrypted PKCS#8 key"
    load_pem_private_key(pem, password=key_password.encode())
    certificate = x509.load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERTIFICATE-----"):])
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["kafka.hnm.gov.vn"]
    again = subprocess.run(["sh", str(script), str(folder)], capture_output=True, text=True, timeout=60, check=True)
    assert "postgres_password exists; kept" in again.stdout
    assert (folder / "postgres_password").read_text(encoding="utf-8").strip() == password


def test_the_console_reaches_the_services_inside_and_signs_sessions_with_the_secret(
        compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from thidua_console.config import ConsoleSettings

    console = compose["services"]["console"]
    assert console["build"]["dockerfile"] == "console/Dockerfile"
    environment = environment_of(console)
    secret = tmp_path / "console_secret"
    secret.write_text("k" * 40 + "\n", encoding="utf-8")
    for name in list(os.environ):
        if name.upper().startswith("THIDUA_"):
            monkeypatch.delenv(name)
    for name, value in {**environment, "THIDUA_CONSOLE_SECRET_FILE": str(secret)}.items():
        monkeypatch.setenv(name, value)
    settings = ConsoleSettings()
    assert settings.console_secret == "k" * 40
    assert settings.console_https is True
    for service, port in SERVICE_PORTS.items():
        assert urlsplit(settings.service_url(service)).netloc == f"{service}:{port}"


def test_the_proxy_sends_each_api_to_its_service_and_the_rest_to_the_console(compose: dict[str, Any]) -> None:
    proxy = compose["services"]["proxy"]
    environment = environment_of(proxy)
    for service, port in SERVICE_PORTS.items():
        assert environment[f"THIDUA_{service.upper()}_UPSTREAM"] == f"{service}:{port}"
    assert environment["THIDUA_CONSOLE_UPSTREAM"] == "console:8000"
    assert environment["THIDUA_TLS"] == "internal", "a self-signed certificate by default"
    caddyfile = bind_mounts(proxy)["/etc/caddy/Caddyfile"]
    text = caddyfile.read_text(encoding="utf-8")
    for variable in environment:
        assert f"{{${variable}" in text, f"the Caddyfile never reads {variable}"


def test_the_monitoring_profile_scrapes_every_service_with_the_alert_rules_and_shows_the_dashboard(
        compose: dict[str, Any]) -> None:
    services = compose["services"]
    prometheus, grafana = services["prometheus"], services["grafana"]
    assert prometheus["profiles"] == grafana["profiles"] == ["monitoring"]
    mounts = bind_mounts(prometheus)
    configuration = yaml.safe_load(mounts["/etc/prometheus/prometheus.yml"].read_text(encoding="utf-8"))
    targets = {target for job in configuration["scrape_configs"] for config in job["static_configs"]
               for target in config["targets"]}
    assert targets == {f"{name}:{port}" for name, port in SERVICE_PORTS.items()}
    for rules in configuration["rule_files"]:
        assert f"/etc/prometheus/{rules}" in mounts
    dashboards = bind_mounts(grafana)
    assert dashboards["/var/lib/grafana/dashboards/thidua.json"].name == "grafana-dashboard.json"
    provider = yaml.safe_load((dashboards["/etc/grafana/provisioning/dashboards"] / "thidua.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    assert environment_of(grafana)["GF_SECURITY_ADMIN_PASSWORD__FILE"] == "/run/secrets/grafana_admin_password"
