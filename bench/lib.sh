# Shared by the benchmark scripts (source it after `cd` to the project root): the engine's JVM flags, the jar,
# the work directory, free ports and waiting for a listener. Postfix instances: bench/postfix-instance.sh.

# The engine's JVM flags: the servers' own, from installer/jvm.options (one option per line, # comments), so a
# benchmark measures what a deployed engine runs with. ENGINE_JAVA_OPTS overrides them.
ENGINE_JAVA_OPTS=${ENGINE_JAVA_OPTS:-$(sed -e 's/#.*//' installer/jvm.options | xargs)}

# Fails with the Debian package to install for each missing program: require PROGRAM:PACKAGE ...
require() {
    local p
    for p in "$@"; do
        command -v "${p%%:*}" >/dev/null || { echo "${p%%:*} is missing: apt-get install -y ${p##*:}" >&2; exit 1; }
    done
}

# Builds target/mailwright.jar when it is missing or older than the sources (another JAR is used as it is).
build_jar() { # JAR
    if [[ $1 == target/mailwright.jar ]] && { [[ ! -f $1 ]] || [[ -n "$(find src pom.xml resources -newer "$1" -print -quit 2>/dev/null)" ]]; }; then
        echo "Building $1 ..."
        mvn -q -B package -DskipTests
    fi
}

# The work directory: BENCH_DIR when set (kept), else a new one under /tmp (removed at exit unless KEEP=1).
work_dir() { # PREFIX
    local w
    if [[ -n ${BENCH_DIR:-} ]]; then mkdir -p "$BENCH_DIR"; w=$(cd "$BENCH_DIR" && pwd); else w=$(mktemp -d "/tmp/$1.XXXXXX"); fi
    chmod 755 "$w"
    echo "$w"
}

# Removes the work directory at exit, as work_dir promised.
remove_work_dir() { # DIR
    if [[ ${KEEP:-0} != 1 && -z ${BENCH_DIR:-} ]]; then rm -rf "$1"; else echo "Kept $1"; fi
}

# A port nobody listens on, TCP or UDP, on any address (bind conflicts are per port for 0.0.0.0 listeners).
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        ss -Htlnu "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
}

wait_listening() { # ADDR PORT
    for _ in $(seq 100); do
        ss -Htln "src $1 and sport = :$2" | grep -q . && return 0
        sleep 0.2
    done
    echo "nothing listens on $1:$2" >&2
    return 1
}

# Starts `mailwright serve` on DATA with ENGINE_JAVA_OPTS (output in LOG), sets ENGINE_PID, waits for ADDR:PORT
# and lets start-up settle before a benchmark reads "idle before".
start_engine() { # JAR DATA LOG ADDR PORT
    # shellcheck disable=SC2086 # ENGINE_JAVA_OPTS is a list of flags
    java $ENGINE_JAVA_OPTS -jar "$1" --data "$2" serve > "$3" 2>&1 &
    ENGINE_PID=$!
    wait_listening "$4" "$5"
    sleep 3
}

# Starts dnsmasq on ADDR:PORT, answering from the records in the options given and nothing else: no upstream, no
# /etc/hosts, and names under .test it does not hold are NXDOMAIN (NODATA for a missing type), so no question ever
# leaves loopback. Its log goes to LOG. Sets DNS_PID and waits until it listens.
start_dnsmasq() { # ADDR PORT LOG [DNSMASQ-OPTION ...]
    local addr=$1 port=$2 log=$3
    shift 3
    dnsmasq --keep-in-foreground --conf-file=/dev/null --pid-file= --no-resolv --no-hosts --bind-interfaces \
        --local=/test/ --listen-address="$addr" --port="$port" --log-facility="$log" "$@" &
    DNS_PID=$!
    wait_listening "$addr" "$port" || { kill "$DNS_PID" 2>/dev/null; return 1; }
}
