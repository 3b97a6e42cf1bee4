#!/usr/bin/env bash
# Private, embedded PostgreSQL server living in a folder of the checkout.
#
#   scripts/pg.sh start  DIR   initdb DIR/data if needed, then start (or reuse) the server
#   scripts/pg.sh stop   DIR   stop it (fast shutdown); no-op when not running
#   scripts/pg.sh status DIR   exit 0 when running
#   scripts/pg.sh env    DIR   print `export PGHOST=... PGPORT=... PGUSER=postgres` to eval
#   scripts/pg.sh destroy DIR  stop it and delete its files (DIR, and the private folder below if any)
#
# Layout: SRV/data (cluster), SRV/run (unix socket; no TCP: listen_addresses=''),
#         SRV/log/postgresql.log (server log), SRV/log/initdb.log.
#         SRV is DIR itself, except as root when the server's user cannot reach DIR (a parent folder of mode
#         0700, such as /root or a `mktemp -d` folder): then SRV is a private folder
#         $PG_EMBEDDED_TMP/dusangire-pg.XXXXXX (default /var/tmp) owned by that user, mode 0700, and DIR/server-dir
#         records its path, so stop, status, env and the next start find it. The user's folders are never chmod-ed.
# Port:   $PGPORT_EMBEDDED, default 5433 (it only names the socket file DIR/run/.s.PGSQL.<port>).
# Auth:   trust, superuser `postgres`.  The cluster runs with fsync=off: it is for
#         demos, tests and benchmarks, never for data you want to keep.
# Root:   initdb/postgres refuse to run as root, so when run as root the server runs
#         as the system user $PG_EMBEDDED_USER (default dusangire-pg, created if missing).
# Binaries: $PG_BINDIR, else `pg_config --bindir`, else the highest /usr/lib/postgresql/*/bin.
set -euo pipefail

PORT="${PGPORT_EMBEDDED:-5433}"
RUN_AS="${PG_EMBEDDED_USER:-dusangire-pg}"
PRIVATE_BASE="${PG_EMBEDDED_TMP:-/var/tmp}"

say() { printf 'pg.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/initdb" ]] || die "PG_BINDIR=$PG_BINDIR has no initdb"
        echo "$PG_BINDIR"; return
    fi
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [[ -n "$d" && -x "$d/initdb" && -x "$d/postgres" ]]; then echo "$d"; return; fi
    fi
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | while read -r b; do
            [[ -x "$b/initdb" && -x "$b/postgres" ]] && echo "$b"; done | tail -n 1)"
    [[ -n "$d" ]] || die "no PostgreSQL server binaries found (run scripts/install-deps.sh)"
    echo "$d"
}

# Run a command as the server's user, from SRV (the caller's cwd may be unreadable to it).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$SRV" && runuser -u "$RUN_AS" -- "$@")
    else
        (cd "$SRV" && "$@")
    fi
}

# The private folder recorded in DIR/server-dir, if it is still a real folder of ours: under PRIVATE_BASE,
# named dusangire-pg.*, not a symlink, owned by the server's user. Prints nothing otherwise.
recorded_private() {
    local p owner
    [[ -f "$DIR/server-dir" ]] || return 0
    p="$(head -n 1 "$DIR/server-dir")"
    [[ "$p" == "$PRIVATE_BASE"/dusangire-pg.* && "$p" != *..* && -d "$p" && ! -L "$p" ]] || return 0
    owner="$(stat -c %U "$p" 2>/dev/null)" || return 0
    [[ "$owner" == "$RUN_AS" || ( $EUID -ne 0 && "$owner" == "$(id -un)" ) ]] || return 0
    echo "$p"
}

# Sets SRV, DATA, RUN and LOG. With `create`, decides where a new server lives (see the header).
locate() {
    SRV="$(recorded_private)"
    if [[ -z "$SRV" && "${1:-}" == create && $EUID -eq 0 && -f "$DIR/server-dir" ]]; then
        say "ignoring $DIR/server-dir: $(head -n 1 "$DIR/server-dir") is gone or not a private folder of $RUN_AS"
        rm -f "$DIR/server-dir"
    fi
    if [[ -z "$SRV" && "${1:-}" == create && $EUID -eq 0 ]] \
            && ! runuser -u "$RUN_AS" -- test -x "$(dirname "$DIR")" 2>/dev/null; then
        SRV="$(mktemp -d "$PRIVATE_BASE/dusangire-pg.XXXXXX")"
        chown "$RUN_AS:" "$SRV"
        chmod 0700 "$SRV"
        echo "$SRV" >"$DIR/server-dir"
        say "$RUN_AS cannot reach $DIR (a parent folder is private): the server's files go to $SRV (recorded in $DIR/server-dir)"
    fi
    [[ -n "$SRV" ]] || SRV="$DIR"
    DATA="$SRV/data"
    RUN="$SRV/run"
    LOG="$SRV/log"
}

ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u "$RUN_AS" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$RUN_AS"
        say "created system user $RUN_AS"
    fi
}

# The pid of a postgres process whose working directory is our data dir
# (postgres chdirs to its data dir), alive and not a zombie.
is_our_postgres() {
    local pid="$1" state comm cwd
    [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/stat" ]] || return 1
    state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
    [[ "$state" != Z && "$state" != X ]] || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    [[ "$comm" == postgres || "$comm" == postmaster ]] || return 1
    cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null)" || return 1
    [[ "$cwd" == "$DATA" ]]
}

postmaster_pid() { [[ -f "$DATA/postmaster.pid" ]] && head -n 1 "$DATA/postmaster.pid"; }

running() {
    local pid
    pid="$(postmaster_pid 2>/dev/null)" || return 1
    is_our_postgres "$pid"
}

# Any process (e.g. a backend orphaned by a kill -9 of the postmaster) still in our data dir.
leftover_pids() {
    local p
    for p in /proc/[0-9]*; do
        is_our_postgres "${p#/proc/}" && echo "${p#/proc/}"
    done
    return 0
}

# A postmaster.pid whose server is dead: wait for orphaned children to exit
# (they notice the postmaster's death within a second or so), then remove the
# lock files so that a reused pid (or a zombie) cannot block the next start.
recover_stale() {
    [[ -f "$DATA/postmaster.pid" ]] || return 0
    say "stale postmaster.pid (pid $(postmaster_pid) is not a live server): recovering"
    local i left
    for i in $(seq 1 30); do
        left="$(leftover_pids)"
        [[ -z "$left" ]] && break
        sleep 0.5
    done
    left="$(leftover_pids)"
    [[ -z "$left" ]] || die "orphaned postgres processes still use $DATA: $(echo $left)"
    rm -f "$DATA/postmaster.pid" "$RUN"/.s.PGSQL.*.lock
}

# Print the live server's port and socket dir from postmaster.pid (lines 4 and 5).
live_port()   { sed -n 4p "$DATA/postmaster.pid"; }
live_socket() { sed -n 5p "$DATA/postmaster.pid"; }

cmd_start() {
    local bindir; bindir="$(find_bindir)"
    ensure_user
    mkdir -p "$DIR"
    locate create
    mkdir -p "$RUN" "$LOG"
    if [[ $EUID -eq 0 ]]; then
        chown "$RUN_AS:" "$SRV" "$RUN" "$LOG"
        [[ -d "$DATA" ]] && chown "$RUN_AS:" "$DATA"
        runuser -u "$RUN_AS" -- test -w "$SRV" -a -x "$SRV" \
            || die "$RUN_AS cannot write $SRV; remove $DIR and start again"
    fi
    if [[ "$SRV" == "$DIR" ]]; then chmod 0755 "$DIR" "$RUN"; fi

    if running; then
        say "already running (pid $(postmaster_pid), port $(live_port)): reusing $DATA"
        [[ "$(live_port)" == "$PORT" ]] || say "note: running on port $(live_port), not $PORT"
        return 0
    fi
    recover_stale

    if [[ ! -f "$DATA/PG_VERSION" ]]; then
        [[ -d "$DATA" ]] && [[ -n "$(ls -A "$DATA")" ]] && die "$DATA exists, is not empty and has no PG_VERSION"
        local locale=C
        if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
        say "initdb $DATA ($("$bindir/postgres" --version | awk '{print $3}'), locale $locale)"
        if ! as_pg "$bindir/initdb" -D "$DATA" --auth=trust --username=postgres -E UTF8 \
                --locale="$locale" --no-sync >"$LOG/initdb.log" 2>&1; then
            cat "$LOG/initdb.log" >&2; die "initdb failed"
        fi
        cat >>"$DATA/postgresql.conf" <<CONF

# --- scripts/pg.sh: private embedded server (demo/test/bench only) ---
listen_addresses = ''          # unix socket only; directory and port given by pg.sh
unix_socket_permissions = 0777
fsync = off                    # throwaway data: speed over durability
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
log_min_messages = warning
CONF
    fi

    # pg_ctl runs postgres through /bin/sh, hence the quotes around the socket path.
    if ! as_pg "$bindir/pg_ctl" -D "$DATA" -l "$LOG/postgresql.log" -w -t 60 -s \
            -o "-p $PORT -k '$RUN'" start; then
        tail -n 20 "$LOG/postgresql.log" >&2 || true
        die "server failed to start (log: $LOG/postgresql.log)"
    fi
    say "started (pid $(postmaster_pid)) socket $RUN port $PORT"
}

cmd_stop() {
    if ! running; then
        say "not running ($DATA)"
        return 0
    fi
    local bindir; bindir="$(find_bindir)"
    as_pg "$bindir/pg_ctl" -D "$DATA" -m fast -w -t 60 -s stop
    say "stopped ($DATA)"
}

# Stops the server and deletes its files: the private folder (if any) and DIR.
cmd_destroy() {
    cmd_stop
    if [[ "$SRV" != "$DIR" ]]; then rm -rf -- "$SRV"; fi
    rm -rf -- "$DIR"
    say "deleted $DIR$([[ "$SRV" != "$DIR" ]] && echo " and $SRV")"
}

cmd_env() {
    local host="$RUN" port="$PORT"
    if running; then host="$(live_socket)"; port="$(live_port)"; fi
    printf 'export PGHOST=%q\n' "$host"
    printf 'export PGPORT=%q\n' "$port"
    printf 'export PGUSER=postgres\n'
}

[[ $# -eq 2 ]] || usage
ACTION="$1"
DIR="$(realpath -m -- "$2")"
[[ "$ACTION" == start ]] || locate

case "$ACTION" in
    start)  cmd_start ;;
    stop)   cmd_stop ;;
    status) if running; then say "running (pid $(postmaster_pid), port $(live_port))"; else say "not running"; exit 1; fi ;;
    env)    cmd_env ;;
    destroy) cmd_destroy ;;
    *)      usage ;;
esac
