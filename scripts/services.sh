# PostgreSQL, Redis, the Celery worker and the web server on loopback (sourced).
# Data, logs and pid files live under $CS4OD_DATA_DIR/<service>/.

# --- PostgreSQL (Debian's binaries, our own cluster) --------------------------
pg_bin() {
  local version
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || die "PostgreSQL is not installed (scripts/cs4od install)"
  echo "/usr/lib/postgresql/$version/bin"
}

# PostgreSQL refuses to run as root: as root, run its programs as 'postgres'.
pg_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PG_DIR="$CS4OD_DATA_DIR/postgres"
PG_LOG="$PG_DIR/postgres.log"

pg_psql() {
  pg_run "$(pg_bin)/psql" -h "$PG_DIR/run" -p "$CS4OD_PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"
}

postgres_ready() {
  "$(pg_bin)/pg_isready" -h 127.0.0.1 -p "$CS4OD_PG_PORT" -q
}

postgres_start() {
  local bin
  bin=$(pg_bin)
  mkdir -p "$PG_DIR/run"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$PG_DIR"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in $PG_DIR/data"
    pg_run "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  fi
  chmod 700 "$PG_DIR/run"
  if ! postgres_ready; then
    pg_run "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_LOG" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $CS4OD_PG_PORT -c unix_socket_directories=$PG_DIR/run -c max_connections=200 -c synchronous_commit=off" \
      start >/dev/null || true
    wait_for PostgreSQL "$CS4OD_PG_PORT" "$PG_LOG" 60 postgres_ready || return 1
  fi
  # The application role and databases (the test suite uses cs4od_test).
  pg_psql -d postgres <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cs4od') THEN
    CREATE ROLE cs4od LOGIN CREATEDB PASSWORD 'cs4od';
  END IF;
END $$;
SQL
  local db
  for db in cs4od cs4od_test; do
    if [ -z "$(pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      pg_psql -d postgres -c "CREATE DATABASE $db OWNER cs4od"
    fi
  done
}

postgres_stop() {
  [ -f "$PG_DIR/data/postmaster.pid" ] || return 0
  pg_run "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
}

postgres_status() {
  if postgres_ready; then say "PostgreSQL  up    127.0.0.1:$CS4OD_PG_PORT  log $PG_LOG"
  else say "PostgreSQL  down  127.0.0.1:$CS4OD_PG_PORT  log $PG_LOG"; return 1; fi
}

# --- Redis: cache, sessions, rate limits and the Celery broker ----------------
REDIS_DIR="$CS4OD_DATA_DIR/redis"

redis_ready() {
  [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$CS4OD_REDIS_PORT" ping 2>/dev/null)" = "PONG" ]
}

redis_start() {
  mkdir -p "$REDIS_DIR"
  redis_ready && return 0
  command -v redis-server >/dev/null || die "Redis is not installed (scripts/cs4od install)"
  redis-server --bind 127.0.0.1 --port "$CS4OD_REDIS_PORT" --dir "$REDIS_DIR" \
    --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --save 60 1000 --appendonly no
  wait_for Redis "$CS4OD_REDIS_PORT" "$REDIS_DIR/redis.log" "${CS4OD_START_TIMEOUT:-30}" redis_ready
}

redis_stop() {
  redis_ready || return 0
  redis-cli -h 127.0.0.1 -p "$CS4OD_REDIS_PORT" shutdown >/dev/null 2>&1 || true
  say "Redis stopped"
}

redis_status() {
  if redis_ready; then say "Redis       up    127.0.0.1:$CS4OD_REDIS_PORT  log $REDIS_DIR/redis.log"
  else say "Redis       down  127.0.0.1:$CS4OD_REDIS_PORT  log $REDIS_DIR/redis.log"; return 1; fi
}

# --- Celery worker with beat --------------------------------------------------
CELERY_DIR="$CS4OD_DATA_DIR/celery"

celery_start() {
  mkdir -p "$CELERY_DIR"
  if pid_alive "$CELERY_DIR/worker.pid"; then return 0; fi
  rm -f "$CELERY_DIR/worker.pid"
  # A fresh log, so that "ready." below is this worker's.
  [ -f "$CELERY_DIR/worker.log" ] && mv "$CELERY_DIR/worker.log" "$CELERY_DIR/worker.log.1"
  celery --app invenio_app.celery worker --beat \
    --schedule "$CELERY_DIR/beat-schedule" --loglevel INFO \
    --concurrency "${CS4OD_CELERY_CONCURRENCY:-2}" \
    --pidfile "$CELERY_DIR/worker.pid" --logfile "$CELERY_DIR/worker.log" --detach
  wait_for "Celery worker" "-" "$CELERY_DIR/worker.log" 90 \
    grep -q "ready\." "$CELERY_DIR/worker.log"
}

celery_stop() {
  pid_alive "$CELERY_DIR/worker.pid" || return 0
  local pid waited=0
  pid=$(cat "$CELERY_DIR/worker.pid")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
  kill -KILL "$pid" 2>/dev/null || true
  say "Celery worker stopped"
}

celery_status() {
  if pid_alive "$CELERY_DIR/worker.pid"; then say "Celery      up    pid $(cat "$CELERY_DIR/worker.pid")  log $CELERY_DIR/worker.log"
  else say "Celery      down  log $CELERY_DIR/worker.log"; return 1; fi
}

# --- invenio-jobs scheduler (scheduled runs, e.g. community harvests) ----------
scheduler_start() {
  mkdir -p "$CELERY_DIR"
  if pid_alive "$CELERY_DIR/scheduler.pid"; then return 0; fi
  rm -f "$CELERY_DIR/scheduler.pid"
  [ -f "$CELERY_DIR/scheduler.log" ] && mv "$CELERY_DIR/scheduler.log" "$CELERY_DIR/scheduler.log.1"
  celery --app invenio_app.celery beat \
    --scheduler cs4od_invenio.scheduler:RunScheduler --loglevel INFO \
    --pidfile "$CELERY_DIR/scheduler.pid" --logfile "$CELERY_DIR/scheduler.log" --detach
  wait_for "jobs scheduler" "-" "$CELERY_DIR/scheduler.log" 60 \
    grep -q "beat: Starting" "$CELERY_DIR/scheduler.log"
}

scheduler_stop() {
  pid_alive "$CELERY_DIR/scheduler.pid" || return 0
  kill -TERM "$(cat "$CELERY_DIR/scheduler.pid")" 2>/dev/null || true
  say "jobs scheduler stopped"
}

scheduler_status() {
  if pid_alive "$CELERY_DIR/scheduler.pid"; then say "Scheduler   up    pid $(cat "$CELERY_DIR/scheduler.pid")  log $CELERY_DIR/scheduler.log"
  else say "Scheduler   down  log $CELERY_DIR/scheduler.log"; return 1; fi
}

# --- Web UI + REST API (Flask's server on loopback; docker/ uses uWSGI) -------
WEB_DIR="$CS4OD_DATA_DIR/web"

web_ready() {
  curl -fsS -o /dev/null "$CS4OD_URL/api/records?size=1"
}

web_start() {
  mkdir -p "$WEB_DIR"
  if pid_alive "$WEB_DIR/web.pid" && web_ready; then return 0; fi
  nohup invenio run -h 127.0.0.1 -p "$CS4OD_WEB_PORT" --without-threads >"$WEB_DIR/web.log" 2>&1 &
  echo $! >"$WEB_DIR/web.pid"
  wait_for "web server" "$CS4OD_WEB_PORT" "$WEB_DIR/web.log" 120 web_ready
}

web_stop() {
  pid_alive "$WEB_DIR/web.pid" || return 0
  kill -TERM "$(cat "$WEB_DIR/web.pid")" && say "web server stopped"
  rm -f "$WEB_DIR/web.pid"
}

web_status() {
  if pid_alive "$WEB_DIR/web.pid"; then say "Web         up    $CS4OD_URL  log $WEB_DIR/web.log"
  else say "Web         down  $CS4OD_URL  log $WEB_DIR/web.log"; return 1; fi
}
