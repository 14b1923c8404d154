#!/usr/bin/env bash
# Relay benchmark (issue 3): N messages (default 10,000) of 2 KB, sent over 16 concurrent SMTP sessions to a
# server that relays them to one remote domain, sink.test, whose MX is Postfix's smtp-sink. Counts what reaches
# the sink (smtp-sink -c) and the SMTP sessions it took; then the same load through a private Postfix relaying
# to the same sink. Prints both runs and the ratio.
#
#   bench/relay.sh [N]
#
# Mailwright finds the sink by MX through a dnsmasq on loopback (`[outbound] resolver`), as it would on the
# Internet; Postfix uses a transport map to the same address (its resolver would be the machine's, which is
# not on loopback). Both accept relaying from 127.0.0.0/8 without AUTH for the benchmark (Mailwright: a
# `src:127.0.0.0/8` match rule; Postfix: mynetworks), over plain SMTP.
#
# Environment: SESSIONS=16 SIZE=2048 POSTFIX=1 MAILWRIGHT=1 ENGINE_JAVA_OPTS (as local-delivery.sh)
#   JAR=target/mailwright.jar   the build to measure: it must contain the outbound relay (the `mta` role)
#   MW_ADDR=127.0.1.1 PF_ADDR=127.0.1.2 SINK_ADDR=127.0.1.3 DNS_ADDR=127.0.1.4   loopback addresses
#   BENCH_DIR, KEEP=1   as in local-delivery.sh
# Needs: postfix (smtp-sink, and the Postfix relay) and dnsmasq, both Debian packages; root (smtp-sink and
# dnsmasq drop privileges themselves).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
SESSIONS=${SESSIONS:-16}
SIZE=${SIZE:-2048}
POSTFIX=${POSTFIX:-1}
MAILWRIGHT=${MAILWRIGHT:-1}
MW_ADDR=${MW_ADDR:-127.0.1.1}
PF_ADDR=${PF_ADDR:-127.0.1.2}
SINK_ADDR=${SINK_ADDR:-127.0.1.3}
DNS_ADDR=${DNS_ADDR:-127.0.1.4}
DOMAIN=sink.test
JAR=${JAR:-target/mailwright.jar}
# shellcheck source=bench/lib.sh
. bench/lib.sh

require smtp-sink:postfix dnsmasq:dnsmasq
build_jar "$JAR"
W=$(work_dir mailwright-relay)
PIDS=()
PF_DIR=
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    [[ -n $PF_DIR ]] && bench/postfix-instance.sh stop "$PF_DIR"
    remove_work_dir "$W"
}
trap cleanup EXIT

SINK_PORT=$(free_port)
DNS_PORT=$(free_port)
# The DNS: sink.test MX 10 mx.sink.test, mx.sink.test A SINK_ADDR. Answers for .test from these records only
# (NODATA for the AAAA, not REFUSED); nothing is forwarded.
start_dnsmasq "$DNS_ADDR" "$DNS_PORT" "$W/dnsmasq.log" --mx-host="$DOMAIN,mx.$DOMAIN,10" --host-record="mx.$DOMAIN,$SINK_ADDR"
PIDS+=("$DNS_PID")

# A fresh smtp-sink per run, so that its counters (-c) count that run only.
start_sink() { # LOG
    smtp-sink -c -u nobody "$SINK_ADDR:$SINK_PORT" 256 > "$1" 2>&1 &
    SINK_PID=$!
    PIDS+=("$SINK_PID")
    wait_listening "$SINK_ADDR" "$SINK_PORT"
}
stop_sink() {
    kill "$SINK_PID" 2>/dev/null || true
    wait "$SINK_PID" 2>/dev/null || true
}

# SMTP sessions the sink saw end (smtp-sink -c: "sess=N quit=N mesg=N"); read once the relaying server has stopped.
sessions() { tr '\r' '\n' < "$1" | grep -o 'sess=[0-9]*' | tail -1 | cut -d= -f2; }

LOAD=(java bench/SmtpLoad.java --count "$N" --sessions "$SESSIONS" --size "$SIZE" --users 50 --to "user%d@$DOMAIN"
      --idle-wait 5 --timeout 1800)
RESULTS=$W/results.txt
: > "$RESULTS"

echo "Relay benchmark: $N messages of $SIZE bytes, $SESSIONS sessions in, to $DOMAIN (MX $SINK_ADDR:$SINK_PORT, smtp-sink); $(nproc) cores"

if [[ $MAILWRIGHT == 1 ]]; then
    data=$W/mailwright
    port=$(free_port)
    mw=(java -jar "$JAR" --data "$data")
    "${mw[@]}" init --hostname mail.relay.test --domain relay.test --tls none --bind "$MW_ADDR" \
        --smtp-port "$port" --submission-port "$(free_port)" --resolver "$DNS_ADDR:$DNS_PORT" > /dev/null
    echo "bench-password-$RANDOM$RANDOM" | "${mw[@]}" user add bench --password-stdin > /dev/null
    # The sink listens on SINK_PORT, not 25; loopback clients may relay (as Postfix's mynetworks).
    sed -i "/^\[outbound\]/,/^\[/ s/^port = 25\$/port = $SINK_PORT/" "$data/mailwright.conf"
    printf '\n[[match]]\nfrom = "src:127.0.0.0/8"\nfor = "any"\naction = "relay"\n' >> "$data/mailwright.conf"
    "${mw[@]}" config check > /dev/null
    start_sink "$W/sink-mailwright.log"
    start_engine "$JAR" "$data" "$W/serve.out" "$MW_ADDR" "$port"
    PIDS+=("$ENGINE_PID")
    echo "== Mailwright relaying ($MW_ADDR:$port), JVM flags: $ENGINE_JAVA_OPTS"
    "${LOAD[@]}" --host "$MW_ADDR" --port "$port" --sink-log "$W/sink-mailwright.log" --pid "$ENGINE_PID" \
        --label mailwright | tee -a "$RESULTS" || {
        echo "Mailwright did not relay everything: is the outbound relay (mta role) in $JAR? See $data/log/maillog"
    }
    kill "$ENGINE_PID"; wait "$ENGINE_PID" || true
    sleep 1
    echo "[mailwright] connections used (SMTP sessions at the sink): $(sessions "$W/sink-mailwright.log")" | tee -a "$RESULTS"
    stop_sink
fi

if [[ $POSTFIX == 1 ]]; then
    PF_DIR=$W/postfix
    port=$(free_port)
    bench/postfix-instance.sh relay-setup "$PF_DIR" "$PF_ADDR" "$port" "$DOMAIN" "$SINK_ADDR:$SINK_PORT"
    start_sink "$W/sink-postfix.log"
    bench/postfix-instance.sh start "$PF_DIR" 2>/dev/null
    wait_listening "$PF_ADDR" "$port"
    sleep 3
    echo "== Postfix $(postconf -d -h mail_version) relaying ($PF_ADDR:$port)"
    "${LOAD[@]}" --host "$PF_ADDR" --port "$port" --sink-log "$W/sink-postfix.log" \
        --pid "$(bench/postfix-instance.sh master-pid "$PF_DIR")" --tree --label postfix | tee -a "$RESULTS" || true
    bench/postfix-instance.sh stop "$PF_DIR"
    sleep 1
    echo "[postfix] connections used (SMTP sessions at the sink): $(sessions "$W/sink-postfix.log")" | tee -a "$RESULTS"
    stop_sink
fi

echo
awk '/^RESULT / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[2] == "" ? "" : kv[1]] = kv[2] } r[v["label"]] = v["e2e_rate"]; a[v["label"]] = v["accept_rate"] }
END {
    printf "%-24s %12s %12s %8s\n", "", "Mailwright", "Postfix", "ratio"
    printf "%-24s %12s %12s %8s\n", "accepted msg/s", a["mailwright"], a["postfix"], (a["postfix"] > 0 && a["mailwright"] > 0) ? sprintf("%.2f", a["mailwright"] / a["postfix"]) : "-"
    printf "%-24s %12s %12s %8s\n", "relayed to the sink msg/s", r["mailwright"], r["postfix"], (r["postfix"] > 0 && r["mailwright"] > 0) ? sprintf("%.2f", r["mailwright"] / r["postfix"]) : "-"
}' "$RESULTS"
grep -h "connections used" "$RESULTS" || true
