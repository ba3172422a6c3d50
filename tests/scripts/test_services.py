"""The start-up scripts name the service, its port and its log when it does not come up."""

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_script(snippet, **env):
    """Run bash code with scripts/lib.sh and scripts/services.sh sourced."""
    code = (
        "set -euo pipefail; "
        f"CS4OD_ROOT={ROOT}; source {ROOT}/scripts/lib.sh; "
        f"source {ROOT}/scripts/services.sh; {snippet}"
    )
    return subprocess.run(
        ["bash", "-c", code], capture_output=True, text=True, timeout=120,
        env={**os.environ, **env},
    )


def test_redis_on_a_taken_port_is_reported_with_port_and_log(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = run_script(
            "redis_start",
            CS4OD_DATA_DIR=str(tmp_path),
            CS4OD_REDIS_PORT=str(port),
            CS4OD_START_TIMEOUT="3",
        )
    log = tmp_path / "redis" / "redis.log"
    assert result.returncode != 0
    assert f"Redis did not answer on 127.0.0.1:{port} after 3 s; log: {log}" in result.stderr
    # The end of the log says why (the port is taken), right there in the output.
    assert "Address already in use" in result.stderr


def test_status_names_each_service_with_its_port(tmp_path):
    result = run_script(
        "redis_status || true; postgres_status || true",
        CS4OD_DATA_DIR=str(tmp_path),
        CS4OD_REDIS_PORT="1",
        CS4OD_PG_PORT="1",
    )
    assert "Redis       down  127.0.0.1:1" in result.stderr
    assert "PostgreSQL  down  127.0.0.1:1" in result.stderr
