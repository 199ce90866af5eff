"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so
these tests read them and check that everything the settings need is wired.

No database: plain file parsing only.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

REQUIRED_SERVICES = {"postgres", "redis", "elasticsearch", "web", "worker"}
APP_SERVICES = ("web", "worker")
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SEARCH_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def environment_of(service: dict) -> dict[str, str]:
    """A service's environment as a dict, from either compose form."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(
            item.split("=", 1) if "=" in item else (item, "") for item in environment
        )
    return {
        key: "" if value is None else str(value) for key, value in environment.items()
    }


def command_of(service: dict) -> list[str]:
    command = service.get("command") or []
    return (
        shlex.split(command) if isinstance(command, str) else [str(c) for c in command]
    )


def depends_on(service: dict) -> dict[str, dict]:
    dependencies = service.get("depends_on") or {}
    if isinstance(dependencies, list):
        return {name: {"condition": "service_started"} for name in dependencies}
    return dependencies


def image_tag(service: dict) -> tuple[str, str]:
    name, _, tag = service["image"].rpartition(":")
    return name, tag


def test_compose_defines_every_service_the_settings_need(services):
    assert services.keys() >= REQUIRED_SERVICES


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_service_gets_every_settings_variable(services, name):
    environment = environment_of(services[name])
    missing = [var for var in SETTINGS_VARIABLES if not environment.get(var)]
    assert not missing, f"{name} lacks {missing}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_service_uses_the_production_settings(services, name):
    environment = environment_of(services[name])
    assert environment["DJANGO_SETTINGS_MODULE"] == "kommunect.settings.production"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_service_requires_a_secret_key_from_the_environment(services, name):
    secret_key = environment_of(services[name])["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", secret_key), secret_key


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_service_points_at_the_compose_backing_services(services, name):
    environment = environment_of(services[name])
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert environment["SEARCH_URL"] == "http://elasticsearch:9200"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_service_is_built_from_the_dockerfile(services, name):
    build = services[name]["build"]
    if isinstance(build, str):
        build = {"context": build}
    assert build["context"] == "."
    assert build.get("dockerfile", "Dockerfile") == "Dockerfile"


def test_compose_web_service_runs_daphne_with_the_asgi_app(services):
    command = command_of(services["web"])
    assert command[0] == "daphne"
    assert command[-1] == "kommunect.asgi:application"
    assert command[command.index("-b") + 1] == "0.0.0.0"
    assert command[command.index("-p") + 1] == "8000"


def test_compose_worker_service_runs_the_django_tasks_database_worker(services):
    assert command_of(services["worker"])[-3:] == ["python", "manage.py", "db_worker"]
    assert (
        environment_of(services["worker"])
        .get("TASKS_BACKEND", "")
        .endswith("DatabaseBackend")
    )


@pytest.mark.parametrize("dependency", ["postgres", "redis"])
def test_compose_web_service_waits_for_a_healthy_backing_service(services, dependency):
    assert depends_on(services["web"])[dependency]["condition"] == "service_healthy"


def test_compose_worker_service_waits_for_a_healthy_database(services):
    assert depends_on(services["worker"])["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["postgres", "redis", "elasticsearch", "web"])
def test_compose_service_has_a_healthcheck(services, name):
    assert services[name]["healthcheck"]["test"]


def test_compose_postgres_is_version_16(services):
    assert image_tag(services["postgres"]) == ("postgres", "16")


def test_compose_redis_is_version_7(services):
    assert image_tag(services["redis"]) == ("redis", "7")


def test_compose_elasticsearch_is_a_single_8_x_node_without_security(services):
    name, tag = image_tag(services["elasticsearch"])
    assert name.endswith("elasticsearch/elasticsearch") or name == "elasticsearch"
    assert tag.startswith("8.")
    environment = environment_of(services["elasticsearch"])
    assert environment["discovery.type"] == "single-node"
    assert environment["xpack.security.enabled"] == "false"


def test_compose_every_dependency_is_a_defined_service(services):
    for name, service in services.items():
        for dependency in depends_on(service):
            assert dependency in services, f"{name} depends on unknown {dependency}"


def test_compose_named_volumes_are_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    for service in services.values():
        for volume in service.get("volumes") or []:
            source = (
                volume.split(":", 1)[0] if isinstance(volume, str) else volume["source"]
            )
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"volume {source} is not declared"


def test_compose_web_healthcheck_is_valid_python(services):
    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    compile(test[3], "healthcheck", "exec")
    assert "/healthz" in test[3]


def test_dockerfile_exists_and_uses_python_3_11():
    assert DOCKERFILE.is_file()
    base_images = re.findall(
        r"^FROM\s+(\S+)", DOCKERFILE.read_text(), flags=re.MULTILINE
    )
    assert base_images
    assert all(image.startswith("python:3.11") for image in base_images), base_images


def test_dockerfile_builds_assets_translations_and_static_files():
    dockerfile = DOCKERFILE.read_text()
    assert "npm ci" in dockerfile
    assert "compilemessages" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "kommunect.asgi:application" in dockerfile
