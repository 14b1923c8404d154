#!/usr/bin/env bash
# Local-delivery benchmark: N messages (default 10,000) of 2 KB over 16 concurrent SMTP sessions into local
# Maildirs, first against Mailwright, then against a private Postfix instance on the same machine doing the same
# job (Debian's postfix, virtual(8) Maildir delivery). Both fsync before answering 250 and before a message
# appears in a Maildir. Prints each run, then a side-by-side table with the ratio Mailwright/Postfix.
#
#   bench/local-delivery.sh [N]
#
# Environment (all optional):
#   SESSIONS=16 SIZE=2048 USERS=16   load shape (USERS mailboxes bench0..bench{USERS-1}@bench.test)
#   ROUNDS=1          alternate Mailwright and Postfix this many times (a shared machine is noisy: use 3)
#   POSTFIX=1         0 skips the Postfix run
#   PIPELINING=0      1 sends MAIL, RCPT and DATA in one write (RFC 2920)
#   ENGINE_JAVA_OPTS  the engine's JVM flags (default below)
#   MW_ADDR=127.0.1.1 PF_ADDR=127.0.1.2   loopback addresses the two servers listen on
#   BENCH_DIR         where data, queues and mailboxes go (default: a new directory under /tmp, removed
#                     afterwards unless KEEP=1)
#
# Needs: Java 17 and Maven (the jar is built when missing or older than the sources); postfix (Debian
# package) for the comparison; root for the Postfix instance (its daemons drop privileges themselves).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
SESSIONS=${SESSIONS:-16}
SIZE=${SIZE:-2048}
USERS=${USERS:-16}
ROUNDS=${ROUNDS:-1}
POSTFIX=${POSTFIX:-1}
PIPELINING=${PIPELINING:-0}
MW_ADDR=${MW_ADDR:-127.0.1.1}
PF_ADDR=${PF_ADDR:-127.0.1.2}
DOMAIN=bench.test
# shellcheck source=bench/lib.sh
. bench/lib.sh

JAR=target/mailwright.jar
build_jar "$JAR"
if [[ $POSTFIX == 1 ]]; then require postfix:postfix; fi

W=$(work_dir mailwright-bench)
ENGINE_PID=
PF_DIRS=()
cleanup() {
    if [[ -n $ENGINE_PID ]]; then kill "$ENGINE_PID" 2>/dev/null || true; wait "$ENGINE_PID" 2>/dev/null || true; fi
    for d in "${PF_DIRS[@]}"; do bench/postfix-instance.sh stop "$d"; done
    remove_work_dir "$W"
}
trap cleanup EXIT

LOAD=(java bench/SmtpLoad.java --count "$N" --sessions "$SESSIONS" --size "$SIZE" --users "$USERS"
      --to "bench%d@$DOMAIN" --idle-wait 10)
[[ $PIPELINING == 1 ]] && LOAD+=(--pipelining)
RESULTS=$W/results.txt
: > "$RESULTS"

# One data directory made by the CLI (init, then user add for each mailbox); every round starts from a copy.
TEMPLATE=$W/mailwright-template
make_template() {
    local mw=(java -jar "$JAR" --data "$TEMPLATE")
    echo "Creating the Mailwright data directory (init, $USERS x user add) ..."
    "${mw[@]}" init --hostname "$DOMAIN" --domain "$DOMAIN" --tls none --bind "$MW_ADDR" \
        --smtp-port 2525 --submission-port 2587 > /dev/null
    for ((i = 0; i < USERS; i++)); do
        echo "bench-password-$i-$RANDOM$RANDOM" | "${mw[@]}" user add "bench$i" --password-stdin > /dev/null
    done
}

run_mailwright() { # ROUND
    local data=$W/mailwright-$1 port sub
    port=$(free_port)
    sub=$(free_port)
    rm -rf "$data"
    cp -a "$TEMPLATE" "$data"
    sed -i -e "s/^port = 2525\$/port = $port/" -e "s/^port = 2587\$/port = $sub/" "$data/mailwright.conf"
    java -jar "$JAR" --data "$data" config check > /dev/null
    start_engine "$JAR" "$data" "$W/serve-$1.out" "$MW_ADDR" "$port"
    echo "== Mailwright (round $1): $MW_ADDR:$port, JVM flags: $ENGINE_JAVA_OPTS"
    "${LOAD[@]}" --host "$MW_ADDR" --port "$port" --maildirs "$data/mail" --pid "$ENGINE_PID" --label mailwright \
        | tee -a "$RESULTS"
    kill "$ENGINE_PID"
    wait "$ENGINE_PID" || true
    ENGINE_PID=
    rm -rf "$data/mail" "$data/queue" # the next round starts as fresh; the maillog stays for a look
}

run_postfix() { # ROUND
    local dir=$W/postfix-$1 port
    port=$(free_port)
    bench/postfix-instance.sh setup "$dir" "$PF_ADDR" "$port" "$DOMAIN" "$USERS"
    PF_DIRS+=("$dir")
    bench/postfix-instance.sh start "$dir" 2>/dev/null
    wait_listening "$PF_ADDR" "$port"
    sleep 3
    echo "== Postfix $(postconf -h mail_version) (round $1): $PF_ADDR:$port, virtual(8) to Maildir"
    "${LOAD[@]}" --host "$PF_ADDR" --port "$port" --maildirs "$dir/mail" --pid "$(bench/postfix-instance.sh master-pid "$dir")" \
        --tree --label postfix | tee -a "$RESULTS"
    bench/postfix-instance.sh stop "$dir"
    rm -rf "$dir/mail" "$dir/spool"
}

echo "Benchmark: $N messages of $SIZE bytes, $SESSIONS concurrent sessions, $USERS Maildirs, $ROUNDS round(s), $(nproc) cores; data in $W"
make_template
for ((r = 1; r <= ROUNDS; r++)); do
    run_mailwright "$r"
    [[ $POSTFIX == 1 ]] && run_postfix "$r"
done

# Side-by-side: the median of each figure over the rounds.
echo
awk -v rounds="$ROUNDS" '
function median(label, key,    n, i, j, t, v) {
    n = cnt[label]
    for (i = 1; i <= n; i++) v[i] = val[label, key, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n == 0 ? "" : (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2)
}
/^RESULT / {
    label = ""
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    label = f["label"]; c = ++cnt[label]
    for (k in f) val[label, k, c] = f[k]
}
END {
    split("accept_rate e2e_rate p50_ms p99_ms cpu_s rss_peak_mb pss_peak_mb rss_idle_after_mb", keys, " ")
    split("accepted msg/s|end-to-end msg/s|accept p50 ms|accept p99 ms|server CPU s|peak RSS MB|peak PSS MB|idle RSS MB", names, "|")
    printf "%-18s %12s %12s %18s\n", "(median of " rounds ")", "Mailwright", "Postfix", "Mailwright/Postfix"
    for (i = 1; i <= 8; i++) {
        m = median("mailwright", keys[i]); p = median("postfix", keys[i])
        printf "%-18s %12s %12s %18s\n", names[i], m, p, (p > 0 && m != "" ? sprintf("%.2f", m / p) : "-")
    }
    print "(Postfix: RSS summed over its ~50 processes counts shared pages in each; PSS shares them out.)"
}' "$RESULTS"
