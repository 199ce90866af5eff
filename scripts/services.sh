#!/usr/bin/env bash
# Install (when missing) and start the services the tests need on a Debian 12
# machine without systemd or Docker: PostgreSQL and Redis from Debian's
# packages, plus Debian's Chromium for the browser tests and gettext for
# compilemessages.
#
# Idempotent: a second run finds everything installed and running and only
# checks it. Progress goes to stderr; stdout gets exactly two lines that can be
# exported, e.g.  `export $(bash scripts/services.sh)`:
#
#   DATABASE_URL=postgres://kommunect:kommunect@127.0.0.1:5432/kommunect
#   REDIS_URL=redis://127.0.0.1:6379/0
#
# Runs as root (apt-get, starting PostgreSQL as its cluster owner). As another
# user it only works when everything is already installed and running.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
DB_NAME=kommunect
DB_USER=kommunect
DB_PASSWORD=kommunect
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
WAIT_SECONDS=${SERVICES_WAIT_SECONDS:-60}

DATABASE_URL="postgres://${DB_USER}:${DB_PASSWORD}@${PG_HOST}:${PG_PORT}/${DB_NAME}"
REDIS_URL="redis://${REDIS_HOST}:${REDIS_PORT}/0"

log() { printf '[services] %s\n' "$*" >&2; }
die() {
    printf '[services] ERROR: %s\n' "$*" >&2
    exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }
need_root() { is_root || die "$1 needs root (run: sudo bash scripts/services.sh)"; }

# ---------------------------------------------------------------- packages --
postgres_installed() {
    command -v pg_ctlcluster >/dev/null 2>&1 &&
        command -v pg_lsclusters >/dev/null 2>&1 &&
        command -v pg_createcluster >/dev/null 2>&1 &&
        command -v pg_isready >/dev/null 2>&1 &&
        command -v psql >/dev/null 2>&1 &&
        compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}
redis_installed() { [ -x /usr/bin/redis-server ] && command -v redis-cli >/dev/null 2>&1; }

missing=()
postgres_installed || missing+=(postgresql)
redis_installed || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

if [ "${#missing[@]}" -gt 0 ]; then
    need_root "installing ${missing[*]}"
    log "installing from Debian's packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
    postgres_installed || die "PostgreSQL is still missing after apt-get install"
    redis_installed || die "Redis is still missing after apt-get install"
    [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after apt-get install"
else
    log "packages present: postgresql, redis-server, chromium, gettext"
fi

# -------------------------------------------------------------- PostgreSQL --
as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    else
        need_root "running PostgreSQL commands as the postgres user"
        runuser -u postgres -- "$@"
    fi
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

wait_for() { # wait_for DESCRIPTION COMMAND...
    local what=$1 i
    shift
    for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
        if "$@"; then
            return 0
        fi
        sleep 0.25
    done
    die "$what did not accept connections within ${WAIT_SECONDS}s"
}

# "VERSION CLUSTER STATUS" of the Debian cluster on our port, if there is one.
cluster_on_port() {
    pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2, $4; exit }'
}

if pg_ready; then
    log "PostgreSQL is accepting connections on ${PG_HOST}:${PG_PORT}"
else
    cluster=$(cluster_on_port)
    if [ -z "$cluster" ]; then
        need_root "creating a PostgreSQL cluster"
        version=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' |
            awk -F/ '{ print $5 }' | sort -V | tail -n 1)
        name=main
        if pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" { f = 1 } END { exit !f }'; then
            name=kommunect
        fi
        log "creating PostgreSQL ${version} cluster '${name}' on port ${PG_PORT}"
        pg_createcluster --port="$PG_PORT" --encoding=UTF8 --locale=C.UTF-8 \
            --start-conf=auto "$version" "$name" >&2
        cluster=$(cluster_on_port)
        [ -n "$cluster" ] || die "no PostgreSQL cluster on port ${PG_PORT} after pg_createcluster"
    fi
    read -r pg_version pg_cluster pg_status <<<"$cluster"
    if [[ "$pg_status" != online* ]]; then
        need_root "starting PostgreSQL"
        log "starting PostgreSQL ${pg_version}/${pg_cluster} with pg_ctlcluster"
        # The socket directory lives under /run, which may be empty after a reboot.
        install -d -m 2775 -o postgres -g postgres /var/run/postgresql
        pg_ctlcluster "$pg_version" "$pg_cluster" start >&2 ||
            die "pg_ctlcluster ${pg_version} ${pg_cluster} start failed; see /var/log/postgresql/postgresql-${pg_version}-${pg_cluster}.log"
    fi
    wait_for "PostgreSQL on ${PG_HOST}:${PG_PORT}" pg_ready
    log "PostgreSQL is accepting connections on ${PG_HOST}:${PG_PORT}"
fi

# The role and database: checked over TCP with the password first, so a second
# run needs no privileges at all.
database_ready() {
    [ "$(PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=5 psql -X -q -At -h "$PG_HOST" -p "$PG_PORT" \
        -U "$DB_USER" -d "$DB_NAME" \
        -c "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user" 2>/dev/null)" = t ]
}

if database_ready; then
    log "role and database '${DB_NAME}' are ready"
else
    log "creating role '${DB_USER}' (CREATEDB) and database '${DB_NAME}'"
    as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
        CREATE ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${DB_PASSWORD}';
    ELSE
        ALTER ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${DB_PASSWORD}';
    END IF;
END
\$\$;

-- pytest-django copies template1 for test_${DB_NAME}: make sure it is UTF-8
-- even when the cluster was created under the POSIX locale.
SELECT 'ALTER DATABASE template1 IS_TEMPLATE false'
 WHERE (SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1') <> 'UTF8'
\gexec
SELECT 'DROP DATABASE template1'
 WHERE (SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1') <> 'UTF8'
\gexec
SELECT 'CREATE DATABASE template1 TEMPLATE template0 ENCODING ''UTF8'' LC_COLLATE ''C.UTF-8'' LC_CTYPE ''C.UTF-8'' IS_TEMPLATE true'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'template1')
\gexec

SELECT 'CREATE DATABASE ${DB_NAME} OWNER ${DB_USER} TEMPLATE template0 ENCODING ''UTF8'' LC_COLLATE ''C.UTF-8'' LC_CTYPE ''C.UTF-8'''
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${DB_NAME}')
\gexec
ALTER DATABASE ${DB_NAME} OWNER TO ${DB_USER};
SQL
    database_ready || die "cannot connect as ${DB_USER} to ${DB_NAME} on ${PG_HOST}:${PG_PORT} with the password"
    log "role and database '${DB_NAME}' are ready"
fi

# ------------------------------------------------------------------- Redis --
redis_ready() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

if redis_ready; then
    log "Redis is answering on ${REDIS_HOST}:${REDIS_PORT}"
else
    log "starting Redis on ${REDIS_HOST}:${REDIS_PORT}"
    # A throwaway cache and channel layer: no snapshots, so a data directory
    # we cannot write never makes Redis refuse writes.
    redis_args=(--daemonize yes --port "$REDIS_PORT" --bind "$REDIS_HOST" --save '' --appendonly no)
    if is_root && id redis >/dev/null 2>&1; then
        install -d -m 750 -o redis -g redis /var/lib/redis
        install -d -m 2750 -o redis -g adm /var/log/redis
        runuser -u redis -- redis-server "${redis_args[@]}" --dir /var/lib/redis \
            --logfile /var/log/redis/redis-server.log >&2
    else
        redis-server "${redis_args[@]}" --dir "${TMPDIR:-/tmp}" \
            --logfile "${TMPDIR:-/tmp}/kommunect-redis.log" >&2
    fi
    wait_for "Redis on ${REDIS_HOST}:${REDIS_PORT}" redis_ready
    log "Redis is answering on ${REDIS_HOST}:${REDIS_PORT}"
fi

printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' "$DATABASE_URL" "$REDIS_URL"
