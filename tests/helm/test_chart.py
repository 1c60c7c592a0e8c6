"""The Helm chart, linted and rendered in-process (Helm 4's Go SDK in a wheel, no helm
binary, no cluster, no network), and every manifest validated against the Kubernetes
OpenAPI schemas of a current release in strict mode (unknown fields are errors)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python as helm
import kubernetes_validate
import pytest
import yaml

from config.settings import REPO_ROOT

CHART = REPO_ROOT / "helm" / "trackmycrime"
KUBERNETES = "1.37.0"
REQUIRED = {"baseDomain": "trackmycrime.example", "secret": {"name": "trackmycrime"}}
ADMIN_ONLY = "ADMIN_DATABASE_URL"
# Gateway API is a CRD: kubernetes-validate ships only the built-in kinds' schemas.
CRD_KINDS = {"HTTPRoute"}


def _file(name: str) -> dict[str, Any]:
    return yaml.safe_load((CHART / name).read_text())


def _everything_on() -> dict[str, Any]:
    values = _file("values-production.yaml")
    values["httpRoute"] = {"enabled": True, "parentRefs": [{"name": "public", "namespace": "gw"}]}
    values["ingress"]["extraHosts"] = [{"host": "report.kent.police.uk", "tlsSecretName": "kent"}]
    return values


VALUE_SETS = {
    "defaults": lambda: dict(REQUIRED),
    "development": lambda: _file("values-development.yaml"),
    "production": lambda: _file("values-production.yaml"),
    "everything-on": _everything_on,
}

pytestmark = pytest.mark.unit  # no database, no network


@pytest.fixture(scope="module")
def chart() -> Iterator[helm.Chart]:
    with helm.Chart.load(CHART) as loaded:
        yield loaded


def render(chart: helm.Chart, values: dict[str, Any], upgrade: bool = False) -> list[dict]:
    """Every object the chart renders (NOTES.txt aside), parsed."""
    files = chart.render(
        values, name="tmc", namespace="trackmycrime", is_install=not upgrade, is_upgrade=upgrade
    )
    docs = []
    for name, text in sorted(files.items()):
        if name.endswith(".yaml"):
            docs.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return docs


@pytest.fixture(scope="module", params=sorted(VALUE_SETS))
def rendered(request: pytest.FixtureRequest, chart: helm.Chart) -> list[dict]:
    return render(chart, VALUE_SETS[request.param]())


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    """Every pod template: Deployments' and the migration Job's."""
    workloads = of_kind(docs, "Deployment") | of_kind(docs, "Job")
    return {name: doc["spec"]["template"]["spec"] for name, doc in workloads.items()}


def containers(spec: dict) -> list[dict]:
    return spec.get("initContainers", []) + spec["containers"]


def env_names(container: dict) -> set[str]:
    return {entry["name"] for entry in container.get("env", [])}


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_lint_is_clean_in_strict_mode(name: str) -> None:
    report = helm.lint(CHART, VALUE_SETS[name](), strict=True, kube_version=f"v{KUBERNETES}")
    assert report["errors"] == []
    problems = [m for m in report["messages"] if m["severity"] >= 2]  # warning or error
    assert problems == []


def test_every_manifest_is_valid_for_current_kubernetes(rendered: list[dict]) -> None:
    kinds = {doc["kind"] for doc in rendered}
    assert {"Deployment", "Job", "Service", "Ingress", "ServiceAccount"} <= kinds
    for doc in rendered:
        if doc["kind"] in CRD_KINDS:
            continue
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_the_gateway_route_serves_both_hosts_when_enabled(chart: helm.Chart) -> None:
    (route,) = of_kind(render(chart, _everything_on()), "HTTPRoute").values()
    assert route["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert route["spec"]["hostnames"][:2] == ["trackmycrime.police.uk", "*.trackmycrime.police.uk"]
    assert route["spec"]["parentRefs"] == [{"name": "public", "namespace": "gw"}]
    assert of_kind(render(chart, dict(REQUIRED)), "HTTPRoute") == {}


def test_migrations_are_a_pre_install_and_pre_upgrade_hook(rendered: list[dict]) -> None:
    (job,) = of_kind(rendered, "Job").values()
    notes = job["metadata"]["annotations"]
    assert notes["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert notes["helm.sh/hook-weight"] == "0"
    assert "before-hook-creation" in notes["helm.sh/hook-delete-policy"]
    spec = job["spec"]["template"]["spec"]
    (account,) = [
        a for a in of_kind(rendered, "ServiceAccount").values() if a["metadata"].get("annotations")
    ]
    assert spec["serviceAccountName"] == account["metadata"]["name"]
    # The job's own account exists before it: a hook too, with a lower weight.
    assert account["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(account["metadata"]["annotations"]["helm.sh/hook-weight"]) < 0
    (public,) = spec["initContainers"]
    (forces,) = spec["containers"]
    assert public["args"] == ["flask", "--app", "wsgi", "tenants", "upgrade-public"]
    assert forces["args"][:6] == ["flask", "--app", "wsgi", "tenants", "migrate", "--all"]
    assert forces["args"][6] == "--parallel" and int(forces["args"][7]) >= 1
    assert spec["restartPolicy"] == "Never"


def test_the_job_and_every_pod_read_the_same_secret(rendered: list[dict]) -> None:
    names = {
        entry["valueFrom"]["secretKeyRef"]["name"]
        for spec in pod_specs(rendered).values()
        for container in containers(spec)
        for entry in container["env"]
        if "valueFrom" in entry
    }
    assert names == {"trackmycrime"}


def test_only_the_migration_job_and_provisioning_worker_get_the_admin_url(
    rendered: list[dict],
) -> None:
    with_admin = {
        name
        for name, spec in pod_specs(rendered).items()
        if any(ADMIN_ONLY in env_names(c) for c in containers(spec))
    }
    assert with_admin == {"tmc-trackmycrime-migrate", "tmc-trackmycrime-provisioning-worker"}
    for spec in pod_specs(rendered).values():
        for container in containers(spec):
            assert {
                "DATABASE_URL",
                "REDIS_URL",
                "SECRET_KEY",
                "SECRETS_KEY",
                "SMTP_URL",
            } <= env_names(container)
            assert not container.get("envFrom"), "envFrom would hand every key to every pod"


def test_workers_listen_on_their_queues(rendered: list[dict]) -> None:
    deployments = of_kind(rendered, "Deployment")
    worker = deployments["tmc-trackmycrime-worker"]["spec"]["template"]["spec"]["containers"][0]
    provisioning = deployments["tmc-trackmycrime-provisioning-worker"]["spec"]["template"]
    assert worker["args"][:4] == ["flask", "--app", "wsgi", "worker"]
    assert "provisioning" not in worker["args"]
    queues = provisioning["spec"]["containers"][0]["args"]
    assert queues == ["flask", "--app", "wsgi", "worker", "--queue", "provisioning"]


def test_web_and_workers_share_the_exports_claim_when_one_is_named(chart: helm.Chart) -> None:
    """Decommission exports: written by a worker, downloaded through the web, deleted by
    the provisioning worker at removal; all must see the same files."""
    values = {**REQUIRED, "exports": {"existingClaim": "tmc-exports"}}
    specs = pod_specs(render(chart, values))
    sharing = {"web", "worker", "provisioning-worker", "scheduler"}
    for component in sharing:
        spec = specs[f"tmc-trackmycrime-{component}"]
        claims = [v["persistentVolumeClaim"]["claimName"]
                  for v in spec["volumes"] if "persistentVolumeClaim" in v]  # fmt: skip
        assert claims == ["tmc-exports"], component
        container = spec["containers"][0]
        assert {"name": "exports", "mountPath": "/exports"} in container["volumeMounts"]
        assert {"name": "EXPORT_DIR", "value": "/exports"} in container["env"]
    without = pod_specs(render(chart, dict(REQUIRED)))
    assert not any(
        "persistentVolumeClaim" in v for s in without.values() for v in s.get("volumes", [])
    )


def test_exactly_one_scheduler_replaced_never_overlapping(rendered: list[dict]) -> None:
    scheduler = of_kind(rendered, "Deployment")["tmc-trackmycrime-scheduler"]
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"] == {"type": "Recreate"}
    targets = {
        h["spec"]["scaleTargetRef"]["name"]
        for h in of_kind(rendered, "HorizontalPodAutoscaler").values()
    }
    assert "tmc-trackmycrime-scheduler" not in targets


def test_every_container_is_non_root_read_only_and_unprivileged(rendered: list[dict]) -> None:
    specs = pod_specs(rendered)
    assert len(specs) == 5  # web, worker, provisioning worker, scheduler, migrations
    for spec in specs.values():
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] > 0
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        tmp = {v["name"]: v for v in spec["volumes"]}["tmp"]
        assert "emptyDir" in tmp
        for container in containers(spec):
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True
            assert context["readOnlyRootFilesystem"] is True
            assert context["allowPrivilegeEscalation"] is False
            assert context["capabilities"] == {"drop": ["ALL"]}
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
            assert container["resources"]["requests"] and container["resources"]["limits"]


def test_service_accounts_mount_no_token(rendered: list[dict]) -> None:
    for account in of_kind(rendered, "ServiceAccount").values():
        assert account["automountServiceAccountToken"] is False


def test_web_probes_use_healthz_and_readyz(rendered: list[dict]) -> None:
    web = of_kind(rendered, "Deployment")["tmc-trackmycrime-web"]["spec"]["template"]["spec"]
    (container,) = web["containers"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    graceful = int(
        {e["name"]: e.get("value") for e in container["env"]}["GUNICORN_GRACEFUL_TIMEOUT"]
    )
    assert web["terminationGracePeriodSeconds"] > graceful


def test_ingress_serves_the_domain_and_its_wildcard_over_tls(rendered: list[dict]) -> None:
    (ingress,) = of_kind(rendered, "Ingress").values()
    domain = next(
        e["value"] for e in pod_specs(rendered)["tmc-trackmycrime-web"]["containers"][0]["env"]
        if e["name"] == "BASE_DOMAIN"
    )  # fmt: skip
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    assert hosts[:2] == [domain, f"*.{domain}"]
    wildcard = ingress["spec"]["tls"][0]
    assert wildcard["hosts"] == [domain, f"*.{domain}"] and wildcard["secretName"]
    assert ingress["spec"]["ingressClassName"]
    for rule in ingress["spec"]["rules"]:
        backend = rule["http"]["paths"][0]["backend"]["service"]
        assert backend == {"name": "tmc-trackmycrime-web", "port": {"name": "http"}}


def test_ingress_class_is_configurable(chart: helm.Chart) -> None:
    docs = render(
        chart, {**REQUIRED, "ingress": {**_file("values.yaml")["ingress"], "className": "traefik"}}
    )
    (ingress,) = of_kind(docs, "Ingress").values()
    assert ingress["spec"]["ingressClassName"] == "traefik"


def test_production_autoscales_web_and_workers_and_guards_disruption(chart: helm.Chart) -> None:
    docs = render(chart, _file("values-production.yaml"), upgrade=True)
    targets = {
        h["spec"]["scaleTargetRef"]["name"]
        for h in of_kind(docs, "HorizontalPodAutoscaler").values()
    }
    assert targets == {"tmc-trackmycrime-web", "tmc-trackmycrime-worker"}
    budgets = {
        p["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
        for p in of_kind(docs, "PodDisruptionBudget").values()
    }
    assert budgets == {"web", "worker"}
    (policy,) = of_kind(docs, "NetworkPolicy").values()
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]


def test_image_settings_match_the_dockerfile(chart: helm.Chart) -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    uid = int(re.search(r"^USER (\d+):(\d+)$", dockerfile, re.M).group(1))
    port = int(re.search(r"^EXPOSE (\d+)$", dockerfile, re.M).group(1))
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    assert f"--uid {uid}" in dockerfile and "python:3.11-slim" in dockerfile
    web = of_kind(render(chart, dict(REQUIRED)), "Deployment")["tmc-trackmycrime-web"]
    spec = web["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsUser"] == uid
    assert spec["containers"][0]["ports"][0]["containerPort"] == port
    assert spec["containers"][0]["args"] == yaml.safe_load(cmd)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"baseDomain": ""}, "/baseDomain"),
        ({"baseDomain": "https://trackmycrime.example/"}, "/baseDomain"),
        ({"secret": {"name": ""}}, "/secret/name"),
        ({"web": {"replicas": -1}}, "/web/replicas"),
        ({"worker": {"replicas": -2}}, "/worker/replicas"),
        ({"scheduler": {"replicas": 2}}, "replicas"),
        ({"webReplicas": 3}, "webReplicas"),
        ({"web": {"autoscalling": {}}}, "autoscalling"),
        ({"worker": {"queues": ["provisioning"]}}, "/worker/queues"),
        ({"config": {"proxyHops": -1}}, "/config/proxyHops"),
    ],
)
def test_bad_values_are_rejected_by_the_schema(
    chart: helm.Chart, change: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(helm.HelmValuesError) as refused:
        chart.render({**REQUIRED, **change}, name="tmc")
    assert complaint in str(refused.value)


def test_the_chart_refuses_to_render_without_a_base_domain(chart: helm.Chart) -> None:
    """The defaults alone are incomplete on purpose: no domain, no Secret, no release."""
    with pytest.raises(helm.HelmValuesError) as refused:
        chart.render({}, name="tmc")
    assert "/baseDomain" in str(refused.value) and "/secret/name" in str(refused.value)


def test_the_chart_ships_no_database_or_secret() -> None:
    templates = " ".join(p.read_text() for p in (CHART / "templates").iterdir())
    assert "kind: Secret" not in templates and "StatefulSet" not in templates
    assert (
        not (CHART / "charts").exists() and "dependencies" not in (CHART / "Chart.yaml").read_text()
    )


def test_values_files_document_proxy_hops_and_both_database_urls() -> None:
    values = (CHART / "values.yaml").read_text()
    for needle in ("proxyHops", "DATABASE_URL", "ADMIN_DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
        assert needle in values
    assert Path(CHART / "values.schema.json").exists()
