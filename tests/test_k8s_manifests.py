"""deploy/k8s: every manifest is valid Kubernetes, and together they run the system as the code expects.

No cluster is needed: each document is validated against the Kubernetes schemas that the kubernetes-validate
package ships (strict: an unknown field is an error), for the oldest and the newest version we support; the rest
reads the manifests as `kubectl apply -k` would take them and checks what a user relies on: probes, limits,
users, secrets that exist, the migration Job, and network policies that deny by default yet let the system work.
`kubectl kustomize` (Kustomize is built into kubectl) builds the whole, as `kubectl apply -k` would.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from notifications.adapters.smtp import SmtpSettings
from notifications.adapters.worker import DeliverySettings
from thidua_console.config import ConsoleSettings
from thidua_shared.config import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]
"""The oldest Kubernetes we support and the newest whose schemas kubernetes-validate ships."""
SERVICES = ["registry", "scoring", "awards", "notifications"]
CONSOLE = "console"
CONSOLE_PORT = 8000
UID = 10001
OTHER_VARIABLES = {"THIDUA_WEBHOOK_KEY_FILE", "FORWARDED_ALLOW_IPS"}
"""Read outside the settings classes: notifications' webhook key, and uvicorn's trusted proxies (the console)."""

Manifest = dict[str, Any]


@functools.cache
def manifests() -> list[Manifest]:
    """Every document of deploy/k8s but the kustomization, read once (tests only read them)."""
    found: list[Manifest] = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name != "kustomization.yaml":
            found.extend(document for document in yaml.safe_load_all(path.read_text()) if document)
    return found


@functools.cache
def kustomization() -> Manifest:
    loaded: Manifest = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    return loaded


def named(kind: str, name: str) -> Manifest:
    matches = [m for m in manifests() if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} in deploy/k8s"
    return matches[0]


def pod_specs() -> Iterator[tuple[str, Manifest]]:
    for manifest in manifests():
        if manifest["kind"] in ("Deployment", "Job"):
            yield f"{manifest['kind']}/{manifest['metadata']['name']}", manifest["spec"]["template"]["spec"]


def containers(pod: Manifest) -> list[Manifest]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def dockerfile(service: str, instruction: str) -> str:
    text = (ROOT / "services" / service / "Dockerfile").read_text()
    match = re.search(rf"^{instruction}\s+(\S+)", text, re.MULTILINE)
    assert match, f"services/{service}/Dockerfile has no {instruction}"
    return match[1]


@functools.cache
def generated_secrets() -> dict[str, dict[str, str]]:
    """The secrets the kustomization generates, by name: each key with the example value (files: a stand-in)."""
    secrets: dict[str, dict[str, str]] = {}
    for generator in kustomization()["secretGenerator"]:
        keys = secrets.setdefault(generator["name"], {})
        for env_file in generator.get("envs", []):
            example = K8S / f"{env_file}.example"
            assert example.is_file(), f"{env_file} has no example beside it ({example.name})"
            for line in example.read_text().splitlines():
                if line.strip() and not line.startswith("#"):
                    key, _, value = line.partition("=")
                    keys[key] = value
        for source in generator.get("files", []):
            key, _, path = source.rpartition("=")
            keys[key or Path(path).name] = f"<{path}>"
    return secrets


def config_map_data() -> dict[str, dict[str, str]]:
    return {m["metadata"]["name"]: m.get("data", {}) for m in manifests() if m["kind"] == "ConfigMap"}


def environment(container: Manifest) -> dict[str, str]:
    """The container's variables as the pod would see them, secrets filled with their examples' values."""
    secrets, config_maps = generated_secrets(), config_map_data()
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(config_maps[source["configMapRef"]["name"]])
        else:
            env.update(secrets[source["secretRef"]["name"]])
    for variable in container.get("env", []):
        if "value" in variable:
            env[variable["name"]] = variable["value"]
        elif "secretKeyRef" in variable.get("valueFrom", {}):
            ref = variable["valueFrom"]["secretKeyRef"]
            if ref["key"] in secrets[ref["name"]] or not ref.get("optional"):
                env[variable["name"]] = secrets[ref["name"]][ref["key"]]
        else:
            ref = variable["valueFrom"]["configMapKeyRef"]
            env[variable["name"]] = config_maps[ref["name"]][ref["key"]]
    return env


def variables_read_by(*classes: type[BaseSettings]) -> set[str]:
    names = set()
    for settings in classes:
        prefix = settings.model_config.get("env_prefix", "")
        for field_name, field in settings.model_fields.items():
            alias = field.validation_alias
            if isinstance(alias, AliasChoices):
                names |= {choice for choice in alias.choices if isinstance(choice, str)}
            else:
                names.add(f"{prefix}{field_name}".upper())
    return names


def settings_from(env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch, settings: type[BaseSettings]) -> Any:
    for name in list(os.environ):
        if name.startswith(("THIDUA_", "KAFKA_")):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return settings()


# --- every document is Kubernetes, and the kustomization holds them all -----------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_is_valid_kubernetes(version: str) -> None:
    problems = []
    for manifest in manifests():
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = "/".join(str(part) for part in error.path)
            problems.append(f"{manifest['kind']}/{manifest['metadata']['name']} at {path}: {error.message}")
    assert not problems, "\n".join(problems)


def test_the_kustomization_applies_every_manifest_in_the_namespace_thidua() -> None:
    files = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(kustomization()["resources"]) == sorted(files)
    assert kustomization()["namespace"] == "thidua"
    assert named("Namespace", "thidua")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_every_image_has_its_version_set_in_the_kustomization() -> None:
    tags = {image["name"]: image["newTag"] for image in kustomization()["images"]}
    for where, pod in pod_specs():
        for container in containers(pod):
            assert container["image"] in tags, f"{where}: {container['image']} has no entry in images:"
    assert set(tags) == {f"ghcr.io/thidua/{name}" for name in [*SERVICES, CONSOLE]}


def test_the_secrets_are_generated_from_files_kept_out_of_git() -> None:
    ignored = (K8S / "secrets" / ".gitignore").read_text().splitlines()
    assert "*" in ignored
    assert "!*.example" in ignored
    for generator in kustomization()["secretGenerator"]:
        sources = [*generator.get("envs", []), *(s.rpartition("=")[2] for s in generator.get("files", []))]
        assert all(source.startswith("secrets/") for source in sources), generator["name"]


def test_kubectl_builds_the_kustomization_with_every_reference_resolved(tmp_path: Path) -> None:
    """What `kubectl apply -k` would send, secrets made from stand-in files: valid, in the namespace thidua,
    every image at its version, and every secret a pod names one that the build generated (with its hash)."""
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (its Kustomize builds deploy/k8s) is not installed"
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy, ignore=lambda folder, names: [
        name for name in names if Path(folder).name == "secrets" and not name.endswith(".example")])
    for generator in kustomization()["secretGenerator"]:
        for env_file in generator.get("envs", []):
            shutil.copy(copy / f"{env_file}.example", copy / env_file)
        for source in generator.get("files", []):
            (copy / source.rpartition("=")[2]).write_text("stand-in")
    built = subprocess.run([kubectl, "kustomize", str(copy)], capture_output=True, text=True, timeout=60,
                           check=False)
    assert built.returncode == 0, built.stderr
    documents = [document for document in yaml.safe_load_all(built.stdout) if document]
    secrets = {d["metadata"]["name"] for d in documents if d["kind"] == "Secret"}
    assert {name.rsplit("-", 1)[0] for name in secrets} == set(generated_secrets())
    tags = {image["name"]: image["newTag"] for image in kustomization()["images"]}
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES_VERSIONS[-1], strict=True)
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == "thidua", document["metadata"]["name"]
        if document["kind"] not in ("Deployment", "Job"):
            continue
        pod = document["spec"]["template"]["spec"]
        named_secrets = {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
        for container in containers(pod):
            image, _, tag = container["image"].rpartition(":")
            assert tags[image] == tag
            named_secrets |= {v["valueFrom"]["secretKeyRef"]["name"] for v in container.get("env", [])
                              if "secretKeyRef" in v.get("valueFrom", {})}
        assert named_secrets <= secrets, f"{document['metadata']['name']}: {sorted(named_secrets - secrets)}"


# --- pods: probes, limits, users, settings --------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_runs_its_module_with_probes_on_health_and_ready(service: str) -> None:
    deployment = named("Deployment", service)
    assert deployment["spec"]["replicas"] == 1, "one relay per province's topics"
    assert deployment["spec"]["strategy"]["type"] == "Recreate", "no second relay while the old one stops"
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    port = int(dockerfile(service, "EXPOSE"))
    assert container["command"] == ["python", "-m", service]
    assert [p["containerPort"] for p in container["ports"]] == [port]
    assert environment(container)["THIDUA_PORT"] == str(port)
    assert_probe(container, "livenessProbe", "/health")
    assert_probe(container, "readinessProbe", "/ready")
    assert_service_reaches(service, container)


def test_the_console_runs_with_probes_on_health_and_reaches_every_service() -> None:
    (container,) = named("Deployment", CONSOLE)["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "thidua_console"]
    assert [p["containerPort"] for p in container["ports"]] == [CONSOLE_PORT]
    assert_probe(container, "livenessProbe", "/health")
    assert_probe(container, "readinessProbe", "/health")
    assert_service_reaches(CONSOLE, container)
    env = environment(container)
    for service in SERVICES:
        port = named("Service", service)["spec"]["ports"][0]["port"]
        assert env[f"THIDUA_{service.upper()}_URL"] == f"http://{service}:{port}"
    provinces = config_map_data()["thidua-config"]["THIDUA_PROVINCES"].split(",")
    assert env["THIDUA_PROVINCE"] in provinces


def assert_probe(container: Manifest, probe: str, path: str) -> None:
    get = container[probe]["httpGet"]
    assert get["path"] == path, f"{container['name']}: {probe} on {get['path']}"
    assert get["port"] in [p.get("name") for p in container["ports"]] + [p["containerPort"] for p in container["ports"]]


def assert_service_reaches(name: str, container: Manifest) -> None:
    service = named("Service", name)
    pod_labels = named("Deployment", name)["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert [p["targetPort"] for p in service["spec"]["ports"]] == [p["name"] for p in container["ports"]]


def test_every_container_has_limits_and_runs_as_the_images_user_on_a_read_only_root() -> None:
    for where, pod in pod_specs():
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["securityContext"]["runAsUser"] == UID == int(dockerfile("registry", "USER").split(":")[0])
        assert pod.get("automountServiceAccountToken") is False, where
        for container in containers(pod):
            limits, requests = container["resources"]["limits"], container["resources"]["requests"]
            assert {"cpu", "memory"} <= limits.keys(), where
            assert {"cpu", "memory"} <= requests.keys(), where
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where


def test_every_secret_and_config_map_a_pod_uses_exists_with_the_key_it_names() -> None:
    secrets, config_maps = generated_secrets(), config_map_data()
    for where, pod in pod_specs():
        for container in containers(pod):
            for source in container.get("envFrom", []):
                ref = source.get("configMapRef") or source["secretRef"]
                assert ref["name"] in (config_maps if "configMapRef" in source else secrets), where
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    key_ref, known = ref["secretKeyRef"], secrets
                elif "configMapKeyRef" in ref:
                    key_ref, known = ref["configMapKeyRef"], config_maps
                else:
                    continue
                assert key_ref["name"] in known, f"{where}: {variable['name']} names no {key_ref['name']}"
                assert key_ref.get("optional") or key_ref["key"] in known[key_ref["name"]], \
                    f"{where}: {variable['name']}: {key_ref['name']} has no {key_ref['key']}"
        for volume in pod.get("volumes", []):
            if "secret" in volume:
                keys = secrets[volume["secret"]["secretName"]]
                assert {item["key"] for item in volume["secret"]["items"]} <= keys.keys(), where


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_gets_its_own_database_and_keeps_its_keys_in_a_secret(
        service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (container,) = named("Deployment", service)["spec"]["template"]["spec"]["containers"]
    env = environment(container)
    readers: list[type[BaseSettings]] = [ServiceSettings]
    if service == "notifications":
        readers += [SmtpSettings, DeliverySettings]
    unknown = {name for name in env if name.startswith(("THIDUA_", "KAFKA_"))} \
        - variables_read_by(*readers) - OTHER_VARIABLES
    assert not unknown, f"{service} is given variables nothing reads: {sorted(unknown)}"
    settings = settings_from(env, monkeypatch, ServiceSettings)
    for reader in readers[1:]:
        settings_from(env, monkeypatch, reader)
    assert settings.database_for(service).startswith("postgresql+asyncpg://")
    assert settings.database_for(service).endswith(f"/thidua_{service}")
    assert settings.auth_database().endswith("/thidua_auth")
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert named("Service", "kafka")
    assert settings.migrate_on_start is False, "the migration Job migrates"
    mounted = mounted_files(named("Deployment", service)["spec"]["template"]["spec"], container)
    key_files = [settings.checkpoint_key_file]
    if service == "notifications":
        key_files.append(Path(env["THIDUA_WEBHOOK_KEY_FILE"]))
    assert all(key_file in mounted for key_file in key_files), f"{service}: {key_files} not in {sorted(mounted)}"


def test_the_console_is_given_only_what_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    (container,) = named("Deployment", CONSOLE)["spec"]["template"]["spec"]["containers"]
    env = environment(container)
    unknown = {name for name in env if name.startswith("THIDUA_")} - variables_read_by(ConsoleSettings)
    assert not unknown, sorted(unknown)
    settings = settings_from(env, monkeypatch, ConsoleSettings)
    assert settings.console_https is True


def mounted_files(pod: Manifest, container: Manifest) -> set[Path]:
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    files = set()
    for mount in container["volumeMounts"]:
        secret = volumes[mount["name"]].get("secret")
        if secret is not None:
            files |= {Path(mount["mountPath"]) / item["path"] for item in secret["items"]}
    return files


# --- the migration Job -------------------------------------------------------------------------------------


def test_the_migration_job_migrates_every_service_one_after_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    pod = named("Job", "thidua-migrate")["spec"]["template"]["spec"]
    steps = containers(pod)
    assert [step["command"] for step in steps] == [["python", "-m", name, "migrate"] for name in SERVICES]
    assert len(pod["containers"]) == 1, "in order: the services share thidua_auth and Alembic takes no lock"
    assert pod["restartPolicy"] == "Never"
    for name, step in zip(SERVICES, steps, strict=True):
        assert step["image"] == f"ghcr.io/thidua/{name}"
        (service,) = named("Deployment", name)["spec"]["template"]["spec"]["containers"]
        migrated, served = environment(step), environment(service)
        assert migrated["THIDUA_DATABASE_URL"] == served["THIDUA_DATABASE_URL"]
        assert migrated["THIDUA_AUTH_DATABASE_URL"] == served["THIDUA_AUTH_DATABASE_URL"]
        key_file = settings_from(migrated, monkeypatch, ServiceSettings).checkpoint_key_file
        assert key_file in mounted_files(pod, step), f"{name}: the migration would make a key of its own"


# --- network policies, read as the cluster would -------------------------------------------------------------
# A small model of NetworkPolicy: a pod selected by no policy of a direction is open that way; one selected by
# any is open only to what some rule allows (peers by namespace and pod selector or ipBlock, ports by number or
# name). Enough for our own manifests: pods of other namespaces are taken as unrestricted by their own policies.

NAMESPACE = "thidua"


class Peer:
    """A pod somewhere (namespace, labels, its port by name and number) or an address outside the cluster."""

    def __init__(self, namespace: str | None, labels: Mapping[str, str], port: tuple[str | None, int],
                 protocol: str = "TCP", address: str | None = None) -> None:
        self.namespace, self.labels, self.port, self.protocol, self.address = (
            namespace, dict(labels), port, protocol, address)
        self.namespace_labels = {"kubernetes.io/metadata.name": namespace} if namespace else {}


def selects(selector: Manifest, labels: Mapping[str, str]) -> bool:
    if not selector.get("matchLabels", {}).items() <= labels.items():
        return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        held = {"In": key in labels and labels[key] in values, "NotIn": labels.get(key) not in values,
                "Exists": key in labels, "DoesNotExist": key not in labels}[operator]
        if not held:
            return False
    return True


def peer_matches(rule_peer: Manifest, peer: Peer) -> bool:
    if "ipBlock" in rule_peer:
        block = rule_peer["ipBlock"]
        if peer.address is None or ipaddress.ip_address(peer.address).version != ipaddress.ip_network(
                block["cidr"]).version:
            return False
        address = ipaddress.ip_address(peer.address)
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in ipaddress.ip_network(e) for e in block.get("except", []))
    if peer.namespace is None:
        return False
    namespace_selector = rule_peer.get("namespaceSelector")
    in_namespace = (peer.namespace == NAMESPACE if namespace_selector is None
                    else selects(namespace_selector, peer.namespace_labels))
    return in_namespace and selects(rule_peer.get("podSelector", {}), peer.labels)


def allows(policies: Sequence[Manifest], policy_type: str, subject: Peer, other: Peer, port_of: Peer) -> bool:
    """Whether ``policies`` (NetworkPolicy specs of ``subject``'s namespace) let it send to (Egress) or receive
    from (Ingress) ``other`` on ``port_of``'s port; a pod no policy of that type selects is not isolated."""
    policies = [spec for spec in policies
                if policy_type in spec["policyTypes"] and selects(spec["podSelector"], subject.labels)]
    if not policies:
        return True
    name, number = port_of.port
    for spec in policies:
        for rule in spec.get(policy_type.lower(), []):
            peers = rule.get("from" if policy_type == "Ingress" else "to")
            ports = rule.get("ports")
            if (peers is None or any(peer_matches(peer, other) for peer in peers)) and (ports is None or any(
                    p.get("protocol", "TCP") == port_of.protocol and p.get("port") in (None, name, number)
                    for p in ports)):
                return True
    return False


def connects(policies: Sequence[Manifest], source: Peer, target: Peer) -> bool:
    """Whether ``source`` may open a connection to ``target``'s port, ``policies`` being those of the namespace
    NAMESPACE (a pod elsewhere is taken as unrestricted by its own namespace's policies)."""
    outgoing = source.namespace != NAMESPACE or allows(policies, "Egress", source, target, target)
    incoming = target.namespace != NAMESPACE or allows(policies, "Ingress", target, source, target)
    return outgoing and incoming


def reaches(source: Peer, target: Peer) -> bool:
    """Whether ``source`` may connect to ``target`` under the network policies of deploy/k8s."""
    return connects([m["spec"] for m in manifests() if m["kind"] == "NetworkPolicy"], source, target)


def our_pods() -> dict[str, Peer]:
    pods = {}
    for manifest in manifests():
        if manifest["kind"] in ("Deployment", "Job"):
            template = manifest["spec"]["template"]
            ports = [p for c in template["spec"]["containers"] for p in c.get("ports", [])] or [{"containerPort": 0}]
            pods[manifest["metadata"]["name"]] = Peer(NAMESPACE, template["metadata"]["labels"],
                                                      (ports[0].get("name"), ports[0]["containerPort"]))
    return pods


INGRESS_CONTROLLER = Peer("ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"}, (None, 0))
PROMETHEUS = Peer("monitoring", {"app.kubernetes.io/name": "prometheus"}, (None, 0))
POSTGRES = Peer("thidua-data", {"app": "postgres"}, (None, 5432))
KAFKA = Peer("thidua-data", {"app": "kafka"}, (None, 9092))
DNS = Peer("kube-system", {"k8s-app": "kube-dns"}, (None, 53), protocol="UDP")
STRANGER = Peer("default", {"app": "stranger"}, (None, 8080))
WEBHOOK_RECEIVER = Peer(None, {}, (None, 443), address="203.0.113.7")


def test_the_network_policies_deny_by_default() -> None:
    spec = named("NetworkPolicy", "default-deny")["spec"]
    assert spec["podSelector"] == {}
    assert sorted(spec["policyTypes"]) == ["Egress", "Ingress"]
    assert "ingress" not in spec
    assert "egress" not in spec
    pods = our_pods()
    for name, pod in pods.items():
        assert not reaches(STRANGER, pod), f"a pod of another namespace reaches {name}"
    for source in SERVICES:
        for target in SERVICES:
            assert not reaches(pods[source], pods[target]), f"{source} reaches {target}: services never call"
    assert not reaches(pods["registry"], WEBHOOK_RECEIVER)


def test_the_network_policies_let_the_system_work() -> None:
    pods = our_pods()
    served = [pods[name] for name in [*SERVICES, CONSOLE]]
    assert all(reaches(INGRESS_CONTROLLER, pod) for pod in served), "the ingress reaches the console and APIs"
    assert all(reaches(PROMETHEUS, pod) for pod in served), "Prometheus scrapes every pod"
    assert all(reaches(pods[CONSOLE], pods[name]) for name in SERVICES), "the console reaches every API"
    for name in [*SERVICES, "thidua-migrate"]:
        assert reaches(pods[name], POSTGRES), f"{name} reaches PostgreSQL"
    assert all(reaches(pods[name], KAFKA) for name in SERVICES), "every service reaches Kafka"
    assert all(reaches(pod, DNS) for pod in pods.values()), "every pod resolves names"
    assert reaches(pods["notifications"], WEBHOOK_RECEIVER), "notifications deliver webhooks and mail"


# --- the ingress -------------------------------------------------------------------------------------------


def test_the_ingress_serves_the_console_and_every_api_over_tls() -> None:
    spec = named("Ingress", "thidua")["spec"]
    hosts = {rule["host"]: rule["http"]["paths"] for rule in spec["rules"]}
    (tls,) = spec["tls"]
    assert tls["secretName"]
    assert set(tls["hosts"]) == set(hosts)
    backends = set()
    for paths in hosts.values():
        for path in paths:
            backend = path["backend"]["service"]
            port_names = [p["name"] for p in named("Service", backend["name"])["spec"]["ports"]]
            assert backend["port"]["name"] in port_names
            backends.add(backend["name"])
    assert backends == {*SERVICES, CONSOLE}
