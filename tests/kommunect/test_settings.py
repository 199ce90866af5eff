"""Settings come from the environment; production refuses the dev secret key
and passes ``manage.py check --deploy``.

Each case runs in a fresh interpreter: settings modules read the environment
once, at import.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "django-insecure-kommunect-dev-key-never-use-in-production"
GOOD_SECRET_KEY = "k7Qx9vR2mT4pZ8wN1cF6hJ3bL5sD0gY2uE7aV9rK4nM6tP8qW1xC3zB5jH0fG2dS"

SHOW_SETTINGS = """
import json
import sys
from django.conf import settings
sys.stdout.write(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "demo_logins": getattr(settings, "KOMMUNECT_DEMO_LOGINS", None),
    "language": settings.LANGUAGE_CODE,
}))
"""

# Variables that would leak the test run's own configuration into the child.
CONFIG_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SEARCH_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
)


def run(args, settings_module, **env):
    child_env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    child_env.update(DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(BASE_DIR))
    child_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_of(settings_module, **env):
    result = run(
        ["-c", "import django; django.setup()\n" + SHOW_SETTINGS],
        settings_module,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "secret_key",
    [None, "", DEV_SECRET_KEY, "zu-kurz"],
    ids=["unset", "empty", "dev key", "short key"],
)
def test_production_settings_refuse_a_missing_or_development_secret_key(secret_key):
    env = {"ALLOWED_HOSTS": "kommunect.example.de"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = run(["manage.py", "check"], "kommunect.settings.production", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks_with_a_real_key():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        "kommunect.settings.production",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="kommunect.example.de",
        CSRF_TRUSTED_ORIGINS="https://kommunect.example.de",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_never_debug_and_never_create_demo_logins():
    production = settings_of(
        "kommunect.settings.production",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="kommunect.example.de",
        DEBUG="true",
    )

    assert production["debug"] is False
    assert production["demo_logins"] is False
    assert production["allowed_hosts"] == ["kommunect.example.de"]


def test_the_embedded_default_needs_no_services():
    embedded = settings_of("kommunect.settings.dev")

    assert embedded["engine"] == "django.db.backends.sqlite3"
    assert embedded["channel_layer"] == "channels.layers.InMemoryChannelLayer"
    assert embedded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert embedded["email"] == "django.core.mail.backends.console.EmailBackend"
    assert embedded["language"] == "de"


def test_services_are_chosen_by_environment_variables():
    configured = settings_of(
        "kommunect.settings.dev",
        DATABASE_URL="postgres://kommunect:geheim@db.example:5432/kommunect",
        REDIS_URL="redis://redis.example:6379/0",
        EMAIL_URL="smtp://mail.example:25",
        ALLOWED_HOSTS="kommunect.example.de,www.kommunect.example.de",
    )

    assert configured["engine"] == "django.db.backends.postgresql"
    assert configured["channel_layer"] == "channels_redis.core.RedisChannelLayer"
    assert configured["cache"] == "kommunect.cache.ResilientRedisCache"
    assert configured["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert configured["allowed_hosts"] == [
        "kommunect.example.de",
        "www.kommunect.example.de",
    ]


LAYER_TIMEOUTS = """
import json
import sys
import django
django.setup()
from channels.layers import get_channel_layer
layer = get_channel_layer()
pool = layer.create_pool(0)
sys.stdout.write(json.dumps({
    "wait": layer.brpop_timeout,
    "read": pool.connection_kwargs.get("socket_timeout"),
    "address": [pool.connection_kwargs.get("host"), pool.connection_kwargs.get("port")],
}))
"""


def test_the_channel_layer_reads_longer_than_it_waits_for_frames():
    # A read timeout no longer than channels-redis' BZPOPMIN wait fails quiet
    # sockets (redis-py 8's default is 5 s, the wait too: redis/redis-py#4091).
    result = run(
        ["-c", LAYER_TIMEOUTS],
        "kommunect.settings.dev",
        REDIS_URL="redis://redis.example:6380/0",
    )
    assert result.returncode == 0, result.stderr
    layer = json.loads(result.stdout.strip().splitlines()[-1])
    assert layer["address"] == ["redis.example", 6380]
    assert layer["read"] > layer["wait"]
