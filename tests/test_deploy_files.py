"""The deployment files agree with each other and with the repository.

Nothing here builds an image or talks to a cluster: these are the facts that a
rename or an edited port would break without any error until a deployment
(the probe path and port, the start command, the stickiness, the files the
image copies and the build context keeps).
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
K8S = ROOT / "deploy" / "k8s"
HEALTH_PATH = "/_stcore/health"
# What the server reads at run time: the image must copy each, and the build context keep it.
RUNTIME_PATHS = (
    "app.py",
    "pages",
    "dashboard",
    "data",
    "static",
    ".streamlit/config.toml",
    "scripts/serve.py",
    "pyproject.toml",  # dashboard/release.py reads the version and release date
)


# -- reading the Dockerfile ------------------------------------------------------------------
def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continued lines joined."""
    out, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):  # also a comment between the lines of one instruction
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        joined = (pending + stripped).strip()
        pending = ""
        if joined:
            word, _, rest = joined.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages(text: str) -> list[list[tuple[str, str]]]:
    """The instructions of each build stage (a stage starts at FROM)."""
    result: list[list[tuple[str, str]]] = []
    for word, rest in instructions(text):
        if word == "FROM":
            result.append([])
        if result:
            result[-1].append((word, rest))
    return result


def exec_form(rest: str) -> list[str]:
    assert rest.startswith("["), f"not in exec (JSON) form: {rest}"
    return json.loads(rest)


def copy_sources(rest: str) -> tuple[list[str], str, bool]:
    """(sources, destination, from another stage) of a COPY."""
    words = shlex.split(rest)
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    return paths[:-1], paths[-1], any(f.startswith("--from=") for f in flags)


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def final_stage(dockerfile) -> list[tuple[str, str]]:
    return stages(dockerfile)[-1]


def one(stage, word: str) -> str:
    found = [rest for w, rest in stage if w == word]
    assert len(found) == 1, f"expected one {word} in the final stage, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def cmd(final_stage) -> list[str]:
    return exec_form(one(final_stage, "CMD"))


@pytest.fixture(scope="module")
def exposed_port(final_stage) -> int:
    return int(one(final_stage, "EXPOSE").split("/")[0])


# -- reading .dockerignore (Docker's rules: Go path patterns, ** for any folders, ! re-includes,
#    the last matching line wins, and a pattern that matches a folder excludes what is in it) --
def ignore_patterns() -> list[tuple[bool, re.Pattern]]:
    patterns = []
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        patterns.append((negated, re.compile(regex + r"\Z")))
    return patterns


def ignored(path: str, patterns) -> bool:
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for negated, regex in patterns:
        if negated:
            if regex.match(path):
                result = False
        elif any(regex.match(prefix) for prefix in prefixes):
            result = True
    return result


def files_under(rel: str) -> list[str]:
    path = ROOT / rel
    if path.is_file():
        return [rel]
    return [p.relative_to(ROOT).as_posix() for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


# -- the k8s manifests ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def manifests() -> dict[str, dict]:
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                docs[doc["kind"]] = doc
    return docs


@pytest.fixture(scope="module")
def container(manifests) -> dict:
    (only,) = manifests["Deployment"]["spec"]["template"]["spec"]["containers"]
    return only


def container_port(container, port) -> int:
    """A probe's or Service's port, by number or by the container port's name."""
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p.get("name") == port]
    return number


# -- the image --------------------------------------------------------------------------------
def test_the_image_starts_the_app_through_serve_py_on_the_exposed_port(cmd, exposed_port):
    assert cmd[:2] == ["python", "scripts/serve.py"], cmd
    assert cmd[cmd.index("--server.port") + 1] == str(exposed_port)
    # Reachable from outside the container: Streamlit's default address would do too, but an
    # explicit loopback one would not.
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"


def test_the_image_health_check_asks_the_health_endpoint_on_the_exposed_port(final_stage, exposed_port):
    check = one(final_stage, "HEALTHCHECK")
    assert f":{exposed_port}{HEALTH_PATH}" in check, check


def test_the_image_runs_as_a_fixed_non_root_user(final_stage, manifests):
    user = one(final_stage, "USER")
    uid, _, gid = user.partition(":")
    # Numeric, so Kubernetes can check runAsNonRoot against the image itself.
    assert uid.isdigit() and int(uid) != 0, user
    pod = manifests["Deployment"]["spec"]["template"]["spec"]["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert pod["runAsUser"] == int(uid)
    if gid:
        assert pod["runAsGroup"] == int(gid)


def test_the_image_installs_the_locked_environment_with_the_setup_scripts_uv(dockerfile):
    runs = [rest for stage in stages(dockerfile) for word, rest in stage if word == "RUN"]
    syncs = [run for run in runs if "uv sync" in run]
    assert syncs, "no `uv sync` in the Dockerfile"
    for run in syncs:
        assert "--locked" in run.split(), run
        assert "--no-dev" in run.split(), run
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    (setup_version,) = re.findall(r"^UV_VERSION=(\S+)$", setup, re.M)
    args = [rest for stage in stages(dockerfile) for word, rest in stage if word == "ARG"]
    assert f"UV_VERSION={setup_version}" in args, f"the Dockerfile's uv is not scripts/setup.sh's {setup_version}"


def test_every_file_the_image_copies_exists_and_is_in_the_build_context(dockerfile):
    patterns = ignore_patterns()
    for stage in stages(dockerfile):
        for word, rest in stage:
            if word not in ("COPY", "ADD"):
                continue
            sources, _, from_stage = copy_sources(rest)
            if from_stage:
                continue
            for source in sources:
                rel = source.rstrip("/")
                assert (ROOT / rel).exists(), f"the Dockerfile copies {source}, which is not in the repository"
                kept = [f for f in files_under(rel) if not ignored(f, patterns)]
                assert kept, f"the Dockerfile copies {source}, but .dockerignore leaves none of it in the context"


def test_the_image_holds_everything_the_app_reads_at_run_time(final_stage):
    copied = []
    for word, rest in final_stage:
        if word == "COPY":
            sources, _, from_stage = copy_sources(rest)
            if not from_stage:
                copied += [s.rstrip("/") for s in sources]
    patterns = ignore_patterns()
    for needed in RUNTIME_PATHS:
        assert any(needed == c or needed.startswith(c + "/") for c in copied), f"the image does not copy {needed}"
        assert not ignored(needed, patterns), f".dockerignore excludes {needed}, which the app reads at run time"
        for rel in files_under(needed):
            assert not ignored(rel, patterns), f".dockerignore excludes {rel}, which the app reads at run time"


def test_dockerignore_matching_follows_dockers_rules():
    patterns = ignore_patterns()
    assert ignored(".venv/bin/python", patterns)
    assert ignored("dashboard/__pycache__/io.cpython-311.pyc", patterns)
    assert ignored("scripts/benchmark.py", patterns)
    assert not ignored("scripts/serve.py", patterns)
    assert not ignored("static/vendor/leaflet/leaflet.js", patterns)


# -- the cluster ------------------------------------------------------------------------------
@pytest.mark.parametrize("probe", ["readinessProbe", "livenessProbe"])
def test_probes_ask_the_health_endpoint_on_the_port_the_image_serves(container, probe, exposed_port):
    get = container[probe]["httpGet"]
    assert get["path"] == HEALTH_PATH
    assert container_port(container, get["port"]) == exposed_port


def test_liveness_leaves_a_cold_start_time_to_finish(container):
    # A slow node can take tens of seconds to start the server: a replica killed before it
    # answers would restart for ever.
    live = container["livenessProbe"]
    assert live.get("initialDelaySeconds", 0) + live.get("periodSeconds", 10) * live.get("failureThreshold", 3) >= 40


def test_the_service_and_ingress_reach_the_container_port(manifests, container, exposed_port):
    service = manifests["Service"]
    (port,) = service["spec"]["ports"]
    assert container_port(container, port["targetPort"]) == exposed_port
    pod_labels = manifests["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    backends = [
        path["backend"]["service"] for rule in manifests["Ingress"]["spec"]["rules"] for path in rule["http"]["paths"]
    ]
    assert backends
    for backend in backends:
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"].get("name", port["name"]) == port["name"]
        assert backend["port"].get("number", port["port"]) == port["port"]


def test_the_ingress_keeps_each_browser_on_one_replica(manifests):
    # A Streamlit session, its websocket and its /media/ downloads live in one process.
    notes = manifests["Ingress"]["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert notes.get("nginx.ingress.kubernetes.io/session-cookie-name")
    assert int(notes["nginx.ingress.kubernetes.io/session-cookie-max-age"]) > 0
    # Websockets outlive the 60 s default.
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[f"nginx.ingress.kubernetes.io/{timeout}"]) >= 3600


def test_a_read_only_root_file_system_leaves_tmp_and_home_writable(container, manifests):
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    env = " ".join(rest for word, rest in stages(DOCKERFILE.read_text(encoding="utf-8"))[-1] if word == "ENV")
    home = re.search(r"\bHOME=(\S+)", env).group(1)
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in manifests["Deployment"]["spec"]["template"]["spec"]["volumes"]}
    for path in ("/tmp", home):
        assert path in mounts, f"{path} is not writable in the pod"
        assert "emptyDir" in volumes[mounts[path]]


def test_kustomization_lists_every_manifest():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present
    images = {image["name"] for image in kustomization.get("images", [])}
    deployment = yaml.safe_load((K8S / "deployment.yaml").read_text(encoding="utf-8"))
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"].split(":")[0] in images
