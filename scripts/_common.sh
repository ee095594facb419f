# Shared by scripts/start and scripts/test: Debian packages, the virtualenv, translations.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Install the Debian packages that are missing (as root, or through sudo when available).
install_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing Debian packages: ${missing[*]}. Install them as root: apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi
  say "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the app needs to run: venv, WeasyPrint's Pango, fonts for every script a programme is printed in.
RUNTIME_PACKAGES=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk)

# Create or update the virtualenv when pyproject.toml changed since the last install.
ensure_venv() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$extras"
  local wanted
  wanted="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    say "Installing Python packages ($extras)"
    local target="$ROOT"
    [ "$extras" = "app" ] || target="$ROOT[$extras]"
    if ! { "$VENV/bin/pip" install -q --upgrade pip && "$VENV/bin/pip" install -q -e "$target"; } \
        > "$VENV/pip.log" 2>&1; then
      cat "$VENV/pip.log" >&2
      echo "Installing the Python packages failed (log above)." >&2
      return 1
    fi
    echo "$wanted" > "$stamp"
  fi
}

compile_translations() {
  "$VENV/bin/pybabel" compile -d "$ROOT/delegations/translations" >/dev/null 2>&1 || \
    "$VENV/bin/pybabel" compile -d "$ROOT/delegations/translations"
}
