# Installation steps of scripts/cs4od (sourced): Debian packages, the Python
# environment from Pipfile.lock, reana-client's and the workflow runner's own
# environments, and the web assets. Each step is skipped when what
# it would produce is already there for the same inputs.

SYSTEM_PACKAGES=(postgresql redis-server curl ca-certificates chromium fonts-dejavu-core bubblewrap)

install_system_packages() {
  local missing=() pkg
  command -v java >/dev/null || SYSTEM_PACKAGES+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || SYSTEM_PACKAGES+=(maven)
  command -v node >/dev/null || SYSTEM_PACKAGES+=(nodejs npm)
  command -v "$CS4OD_PYTHON" >/dev/null || SYSTEM_PACKAGES+=(python3.11 python3.11-venv python3.11-dev)
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  mkdir -p "$CS4OD_BUILD_DIR"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >"$CS4OD_BUILD_DIR/apt.log" 2>&1 ||
    { tail -n 30 "$CS4OD_BUILD_DIR/apt.log" >&2; return 1; }
}

# Pinned requirements with hashes from Pipfile.lock (default + develop), without the
# two editable path packages, which are installed after them.
locked_requirements() {
  "$CS4OD_PYTHON" - "$CS4OD_ROOT/Pipfile.lock" <<'PY'
import json, sys
lock = json.load(open(sys.argv[1]))
for section in ("default", "develop"):
    for name, spec in sorted(lock.get(section, {}).items()):
        if "version" not in spec:
            continue  # editable path packages
        marker = f" ; {spec['markers']}" if spec.get("markers") else ""
        hashes = " ".join(f"--hash={h}" for h in spec.get("hashes", []))
        extras = f"[{','.join(spec['extras'])}]" if spec.get("extras") else ""
        print(f"{name}{extras}{spec['version']}{marker} {hashes}")
PY
}

file_hash() {
  cat "$@" | sha256sum | cut -c1-16
}

install_python() {
  mkdir -p "$CS4OD_BUILD_DIR"
  [ -x "$CS4OD_VENV/bin/python" ] || "$CS4OD_PYTHON" -m venv "$CS4OD_VENV"
  local stamp="$CS4OD_VENV/.cs4od-lock" want
  want=$(file_hash "$CS4OD_ROOT/Pipfile.lock")
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$CS4OD_VENV/bin/pip" install -q -U pip setuptools wheel
    locked_requirements >"$CS4OD_BUILD_DIR/requirements.txt"
    "$CS4OD_VENV/bin/pip" install -q --no-deps --require-hashes \
      -r "$CS4OD_BUILD_DIR/requirements.txt"
    echo "$want" >"$stamp"
  fi
  # Editable installs point at this clone; cheap, so always refreshed.
  "$CS4OD_VENV/bin/pip" install -q --no-deps --no-build-isolation -e "$CS4OD_ROOT" -e "$CS4OD_ROOT/site"
  link_instance
}

# reana-client 0.9.6 and the local runner of reana.yaml workflows live in virtual
# environments of their own: reana-commons pins jsonschema<4 and a 2021 cwltool, which
# neither InvenioRDM (jsonschema>=4.3) nor the runner (current cwltool) can share.
# The app calls both as programs. A changed requirements file rebuilds its environment.
install_side_venv() {
  local venv="$1" requirements="$2" want log
  local stamp="$venv/.cs4od-requirements"
  want=$(file_hash "$requirements")
  [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  log="$CS4OD_BUILD_DIR/$(basename "$venv").log"
  mkdir -p "$CS4OD_BUILD_DIR"
  [ -f "$venv/pyvenv.cfg" ] && rm -rf "$venv"
  "$CS4OD_PYTHON" -m venv "$venv"
  "$venv/bin/pip" install --no-deps --require-hashes -r "$requirements" >"$log" 2>&1 ||
    { tail -n 30 "$log" >&2; return 1; }
  echo "$want" >"$stamp"
}

install_reana() {
  install_side_venv "$CS4OD_REANA_VENV" "$CS4OD_ROOT/scripts/requirements/reana-client.txt"
  install_side_venv "$CS4OD_RUNNER_VENV" "$CS4OD_ROOT/scripts/requirements/runner.txt"
}

# The instance folder holds links to this repository's instance files.
link_instance() {
  mkdir -p "$INVENIO_INSTANCE_PATH"
  ln -sfn "$CS4OD_ROOT/invenio.cfg" "$INVENIO_INSTANCE_PATH/invenio.cfg"
  ln -sfn "$CS4OD_ROOT/templates" "$INVENIO_INSTANCE_PATH/templates"
  ln -sfn "$CS4OD_ROOT/app_data" "$INVENIO_INSTANCE_PATH/app_data"
}

# npm serves no warcio@2.4.12, which @webrecorder/wabac (via invenio-assets) asks
# for; 2.4.11 works.
NPM_OVERRIDES='{"warcio": "2.4.11"}'

patch_package_json() {
  "$CS4OD_VENV/bin/python" - "$1" "$NPM_OVERRIDES" <<'PY'
import json, sys
path, overrides = sys.argv[1], json.loads(sys.argv[2])
package = json.load(open(path))
package.setdefault("overrides", {}).update(overrides)
json.dump(package, open(path, "w"), indent=2, sort_keys=True)
PY
}

install_assets() {
  local project="$INVENIO_INSTANCE_PATH/assets" static="$INVENIO_INSTANCE_PATH/static"
  local stamp="$INVENIO_INSTANCE_PATH/.cs4od-assets" want
  want=$( (cat "$CS4OD_ROOT/Pipfile.lock"; echo "$NPM_OVERRIDES";
    find "$CS4OD_ROOT/assets" "$CS4OD_ROOT/site/cs4od_site" "$CS4OD_ROOT/cs4od_invenio" \
      -type f \( -path '*/assets/*' -o -path '*/static/*' -o -name webpack.py \) -print0 | sort -z | xargs -0 cat
  ) | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -f "$static/dist/manifest.json" ]; then
    return 0
  fi
  local log="$CS4OD_BUILD_DIR/assets.log"
  : >"$log"
  say "building web assets (npm install + webpack; several minutes), log: $log"
  (
    set -e
    invenio collect >>"$log" 2>&1
    invenio webpack create >>"$log" 2>&1
    cp -r "$CS4OD_ROOT/assets/." "$project/"
    # InvenioRDM's forms import instance widgets from these folders: they must exist.
    mkdir -p "$project/templates/custom_fields" "$project/templates/search"
    patch_package_json "$project/package.json"
    invenio webpack install >>"$log" 2>&1
    NODE_OPTIONS="--max-old-space-size=4096" invenio webpack build >>"$log" 2>&1
  ) || { tail -n 40 "$log" >&2; return 1; }
  [ -f "$static/dist/manifest.json" ] || die "webpack did not write $static/dist/manifest.json; see $log"
  echo "$want" >"$stamp"
}
