# shellcheck shell=bash
# Shared preparation for setup/run, setup/test and setup/bench: PostgreSQL,
# the Odoo source, a virtualenv with Odoo's and the suite's requirements, and
# an Odoo configuration file. Sourced, not run.

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CRM_SMB_HOME="${CRM_SMB_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-smb}"
PYTHON="${PYTHON:-python3}"
VENV="${CRM_SMB_VENV:-$CRM_SMB_HOME/venv}"
ODOO_BRANCH=19.0
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
SUITE_ADDONS="crm_smb_core,crm_smb_dedup,crm_smb_roi,crm_smb_integrations"
# Bridges to optional Odoo apps (crm_smb_roi_account: Accounting,
# crm_smb_integrations_sale: Sales): every other addon folder of the repo.
# They install on their own when their app is there; tests install the apps.
SUITE_BRIDGES=$(
    cd "$REPO_DIR" &&
        for manifest in crm_smb_*/__manifest__.py; do
            name=${manifest%%/*}
            case ",$SUITE_ADDONS," in *",$name,"*) ;; *) printf '%s,' "$name" ;; esac
        done
)
SUITE_BRIDGES=${SUITE_BRIDGES%,}

# The login role Odoo connects with; a PGHOST set by the caller (for example a
# CI service container) means PostgreSQL is managed elsewhere.
export PGHOST="${PGHOST:-localhost}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-odoo}"
export PGPASSWORD="${PGPASSWORD:-odoo}"

log() { printf '\033[1m[crm-smb]\033[0m %s\n' "$*" >&2; }
die() { printf '[crm-smb] error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    command -v apt-get >/dev/null || die "missing $*; install it with your package manager"
    log "installing Debian packages: $*"
    if [ ! -f "$CRM_SMB_HOME/.apt-updated" ]; then
        as_root apt-get update -qq
        mkdir -p "$CRM_SMB_HOME" && touch "$CRM_SMB_HOME/.apt-updated"
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

ensure_postgres() {
    if ! command -v psql >/dev/null; then
        apt_install postgresql postgresql-contrib libpq-dev
    fi
    if ! pg_ready && [ "$PGHOST" = localhost ]; then
        log "starting PostgreSQL"
        if command -v pg_ctlcluster >/dev/null; then
            local version
            version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
            [ -n "$version" ] || die "no PostgreSQL cluster; create one with pg_createcluster"
            as_root pg_ctlcluster "$version" main start || true
        else
            as_root service postgresql start
        fi
        for _ in $(seq 30); do pg_ready && break; sleep 1; done
    fi
    pg_ready || die "PostgreSQL does not answer on $PGHOST:$PGPORT"
    if ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        log "creating the PostgreSQL login role '$PGUSER'"
        as_root su postgres -c "env -u PGHOST -u PGUSER -u PGPASSWORD psql -q -v ON_ERROR_STOP=1 -d postgres" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER') THEN
    CREATE ROLE "$PGUSER" LOGIN CREATEDB PASSWORD '$PGPASSWORD';
  ELSE
    ALTER ROLE "$PGUSER" LOGIN CREATEDB PASSWORD '$PGPASSWORD';
  END IF;
END \$\$;
SQL
    fi
}

find_odoo() {
    local candidate
    for candidate in "${ODOO_SRC:-}" /opt/odoo "$CRM_SMB_HOME/odoo"; do
        if [ -n "$candidate" ] && [ -f "$candidate/odoo-bin" ]; then
            ODOO_DIR="$candidate"
            return
        fi
    done
    log "no Odoo source in \$ODOO_SRC or /opt/odoo: cloning Odoo $ODOO_BRANCH"
    git clone -q --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" \
        "$CRM_SMB_HOME/odoo" ||
        die "could not clone Odoo; put an Odoo $ODOO_BRANCH source tree at /opt/odoo or set ODOO_SRC"
    ODOO_DIR="$CRM_SMB_HOME/odoo"
}

# Odoo's requirements.txt pins the packages of Debian 12 and Ubuntu 24.04. Two
# of them do not install from PyPI with current build tools on Python 3.11+:
# - cbor2 5.4.2 fails to build; 5.6.5 keeps the same API.
# - python-ldap builds only with the LDAP and SASL headers, and only auth_ldap,
#   which the suite does not use, needs it.
odoo_requirements() {
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.6.5/' -e '/^python-ldap/d' \
        "$ODOO_DIR/requirements.txt"
}

ensure_venv() {
    local stamp want
    want=$({
        echo "$ODOO_DIR"
        "$PYTHON" --version
        odoo_requirements
        cat "$REPO_DIR/requirements.txt" "$REPO_DIR/setup/requirements-dev.txt"
    } | sha256sum | cut -d' ' -f1)
    stamp="$VENV/.crm-smb-stamp"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "Python 3.11 or newer is needed (found $("$PYTHON" --version))"
    "$PYTHON" -c 'import venv' 2>/dev/null || apt_install python3-venv
    command -v pg_config >/dev/null || apt_install libpq-dev
    log "building the virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
    local pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
    "${pip[@]}" --upgrade pip "setuptools<80" wheel
    "${pip[@]}" -r <(odoo_requirements)
    # Odoo as a distribution, so that OCA addon wheels (queue_job) resolve.
    # compat mode: a plain .pth entry, so odoo.addons.__path__ lists real folders.
    "${pip[@]}" --no-deps -e "$ODOO_DIR" --config-settings editable_mode=compat
    "${pip[@]}" -r "$REPO_DIR/requirements.txt" \
        -r "$REPO_DIR/setup/requirements-dev.txt"
    echo "$want" >"$stamp"
}

# Writes the Odoo configuration for database $1 and prints its path.
odoo_config() {
    local db="$1" conf="$CRM_SMB_HOME/odoo-$1.conf"
    mkdir -p "$CRM_SMB_HOME/data"
    cat >"$conf" <<CONF
[options]
addons_path = $ODOO_DIR/addons,$ODOO_DIR/odoo/addons,$REPO_DIR
data_dir = $CRM_SMB_HOME/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = $PGPASSWORD
db_name = $db
dbfilter = ^$db\$
admin_passwd = ${ODOO_ADMIN_PASSWD:-admin}
http_port = ${ODOO_HTTP_PORT:-8069}
server_wide_modules = base,web,queue_job
list_db = False
CONF
    echo "$conf"
}

odoo_bin() { "$VENV/bin/python" "$ODOO_DIR/odoo-bin" "$@"; }

db_exists() {
    [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

prepare() {
    mkdir -p "$CRM_SMB_HOME"
    ensure_postgres
    find_odoo
    ensure_venv
}
