# shellcheck shell=bash disable=SC2034  # sets variables for the sourcing script
# Shared by scripts/pg-start and scripts/pg-stop (sourced, not run).

log() { echo "pg: $*" >&2; }
die() { echo "pg: error: $*" >&2; exit 1; }

# BINDIR: the directory holding initdb/pg_ctl. Debian puts them only in
# /usr/lib/postgresql/N/bin (its /usr/bin wrappers cover clients, not initdb), so PATH is
# tried first, then the newest version there. PSQL: the client from the same install.
pg_find_bindir() {
    local initdb
    if initdb=$(command -v initdb 2>/dev/null); then
        BINDIR=$(dirname "$(readlink -f "$initdb")")
    else
        BINDIR=$(
            shopt -s nullglob
            for d in /usr/lib/postgresql/*/bin; do
                [[ -x $d/initdb ]] && printf '%s\n' "$d"
            done | sort -V | tail -n 1
        )
    fi
    [[ -n $BINDIR && -x $BINDIR/initdb && -x $BINDIR/pg_ctl ]] \
        || die "initdb/pg_ctl not found (apt-get install postgresql)"
    if [[ -x $BINDIR/psql ]]; then
        PSQL=$BINDIR/psql
    else
        PSQL=$(command -v psql) || die "psql not found (apt-get install postgresql-client)"
    fi
}

# PostgreSQL refuses to run as root: as root, pick a system user to own the cluster.
pg_service_user() {
    if id -u postgres >/dev/null 2>&1; then
        echo postgres
    elif useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin \
        postgres >/dev/null 2>&1; then
        log "created system user postgres"
        echo postgres
    else
        echo nobody
    fi
}

# Sets DATA (absolute path of the cluster) and OWNER (the user that runs it).
# With "create", makes the directory when it does not exist. As root, if the service user
# cannot reach DIR (e.g. a clone under /root, mode 700), the cluster lives in a private
# directory under /tmp and DIR becomes a symlink to it.
pg_resolve_datadir() {
    local dir=$1 create=${2:-} parent
    if [[ ! -e $dir && ! -L $dir ]]; then
        [[ $create == create ]] || die "no cluster at $dir"
        parent=$(dirname "$dir")
        mkdir -p "$parent"
        parent=$(cd "$parent" && pwd)
        if ((EUID == 0)); then
            OWNER=$(pg_service_user)
            if runuser -u "$OWNER" -- test -x "$parent" 2>/dev/null; then
                mkdir "$dir"
            else
                local real
                real=$(mktemp -d "${TMPDIR:-/tmp}/tremplin-pg.XXXXXX")
                log "$OWNER cannot reach $parent; keeping the cluster in $real"
                ln -s "$real" "$dir"
            fi
            chown "$OWNER": "$(readlink -f "$dir")"
        else
            mkdir "$dir"
        fi
        chmod 700 "$(readlink -f "$dir")"
    fi
    DATA=$(readlink -f "$dir")
    [[ -d $DATA ]] || die "$dir is not a directory"
    OWNER=$(stat -c %U "$DATA")
    if ((EUID == 0)) && [[ $OWNER == root ]]; then
        die "$DATA is owned by root, which PostgreSQL refuses; remove it and run again"
    fi
}

# Run a server command as the cluster's owner, from / (the owner may not be allowed into
# the current directory, and every path passed is absolute).
as_owner() {
    if ((EUID == 0)); then
        (cd / && runuser -u "$OWNER" -- "$@")
    elif [[ $OWNER == "$(id -un)" ]]; then
        "$@"
    else
        die "$DATA belongs to $OWNER; run as $OWNER or root"
    fi
}
