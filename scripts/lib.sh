# Shared settings and helpers of scripts/cs4od (sourced, not run).
# Every value can be set from the environment before calling scripts/cs4od.

: "${CS4OD_ROOT:?}"
export CS4OD_DATA_DIR="${CS4OD_DATA_DIR:-$CS4OD_ROOT/.data}"
export CS4OD_BUILD_DIR="${CS4OD_BUILD_DIR:-$CS4OD_ROOT/.build}"
export CS4OD_VENV="${CS4OD_VENV:-$CS4OD_ROOT/.venv}"
export CS4OD_PYTHON="${CS4OD_PYTHON:-python3.11}"
# reana-client and the local workflow runner, each in its own environment
export CS4OD_REANA_VENV="${CS4OD_REANA_VENV:-$CS4OD_ROOT/.venv-reana}"
export CS4OD_RUNNER_VENV="${CS4OD_RUNNER_VENV:-$CS4OD_ROOT/.venv-runner}"

export CS4OD_PG_PORT="${CS4OD_PG_PORT:-5432}"
export CS4OD_REDIS_PORT="${CS4OD_REDIS_PORT:-6379}"
export CS4OD_OPENSEARCH_PORT="${CS4OD_OPENSEARCH_PORT:-9200}"
export CS4OD_WEB_PORT="${CS4OD_WEB_PORT:-5000}"
export CS4OD_URL="http://127.0.0.1:$CS4OD_WEB_PORT"
export CS4OD_ADMIN_EMAIL="${CS4OD_ADMIN_EMAIL:-admin@cs4od.local}"
export CS4OD_FILES_PATH="${CS4OD_FILES_PATH:-$CS4OD_DATA_DIR/files}"

# The Invenio application reads these (invenio-config maps INVENIO_<KEY> to <KEY>).
# The instance path is Invenio's default one inside the virtual environment, where
# tests (pytest-invenio) also look for the built static files.
export INVENIO_INSTANCE_PATH="${INVENIO_INSTANCE_PATH:-$CS4OD_VENV/var/instance}"
export INVENIO_SQLALCHEMY_DATABASE_URI="${INVENIO_SQLALCHEMY_DATABASE_URI:-postgresql+psycopg2://cs4od:cs4od@127.0.0.1:$CS4OD_PG_PORT/cs4od}"
# (built apart: a '}' inside ${VAR:-...} would end the expansion early)
_search_hosts="[{'host': '127.0.0.1', 'port': $CS4OD_OPENSEARCH_PORT}]"
export INVENIO_SEARCH_HOSTS="${INVENIO_SEARCH_HOSTS:-$_search_hosts}"
_redis="redis://127.0.0.1:$CS4OD_REDIS_PORT"
export INVENIO_CACHE_REDIS_URL="${INVENIO_CACHE_REDIS_URL:-$_redis/0}"
export INVENIO_IIIF_CACHE_REDIS_URL="${INVENIO_IIIF_CACHE_REDIS_URL:-$_redis/0}"
export INVENIO_ACCOUNTS_SESSION_REDIS_URL="${INVENIO_ACCOUNTS_SESSION_REDIS_URL:-$_redis/1}"
export INVENIO_CELERY_RESULT_BACKEND="${INVENIO_CELERY_RESULT_BACKEND:-$_redis/2}"
export INVENIO_RATELIMIT_STORAGE_URI="${INVENIO_RATELIMIT_STORAGE_URI:-$_redis/3}"
export INVENIO_COMMUNITIES_IDENTITIES_CACHE_REDIS_URL="${INVENIO_COMMUNITIES_IDENTITIES_CACHE_REDIS_URL:-$_redis/4}"
export INVENIO_BROKER_URL="${INVENIO_BROKER_URL:-$_redis/5}"
export INVENIO_CELERY_BROKER_URL="${INVENIO_CELERY_BROKER_URL:-$INVENIO_BROKER_URL}"
export INVENIO_SITE_UI_URL="${INVENIO_SITE_UI_URL:-$CS4OD_URL}"
export INVENIO_SITE_API_URL="${INVENIO_SITE_API_URL:-$CS4OD_URL/api}"
export PATH="$CS4OD_VENV/bin:$PATH"

say() { printf '\033[1;34m[cs4od]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[cs4od] error:\033[0m %s\n' "$*" >&2; exit 1; }

# timed LABEL COMMAND...: run a step and say how long it took.
timed() {
  local label="$1" start rc=0
  shift
  start=$(date +%s)
  say "$label ..."
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    die "$label failed (exit $rc)"
  fi
  say "$label done in $(($(date +%s) - start)) s"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Secrets are made once per data folder and never committed.
load_secrets() {
  local file="$CS4OD_DATA_DIR/secrets.env"
  mkdir -p "$CS4OD_DATA_DIR"
  if [ ! -f "$file" ]; then
    umask 077
    {
      echo "INVENIO_SECRET_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
      echo "INVENIO_SECURITY_PASSWORD_SALT=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
      echo "CS4OD_ADMIN_PASSWORD=$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')"
    } >"$file"
    umask 022
  fi
  set -a
  # shellcheck disable=SC1090
  source "$file"
  set +a
}

# wait_for LABEL PORT LOG TIMEOUT COMMAND...: poll COMMAND until it succeeds.
wait_for() {
  local label="$1" port="$2" log="$3" timeout="$4" waited=0
  shift 4
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$timeout" ]; then
      printf '\033[1;31m[cs4od] %s did not answer on 127.0.0.1:%s after %s s; log: %s\033[0m\n' \
        "$label" "$port" "$timeout" "$log" >&2
      [ -f "$log" ] && tail -n 30 "$log" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

pid_alive() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}
