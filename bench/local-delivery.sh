#!/usr/bin/env bash
# Local-delivery benchmark: N messages (default 10,000) of 2 KB over 16 concurrent SMTP sessions into local
# Maildirs, first against Mailwright, then against a private Postfix instance on the same machine doing the same
# job (Debian's postfix, virtual(8) Maildir delivery). Both fsync before answering 250 and before a message
# appears in a Maildir. Prints each run, then a side-by-side table with the ratio Mailwright/Postfix.
#
# The load comes from SRC_ADDR, not 127.0.0.1, so Mailwright treats it as mail from another server and runs its
# receive checks (SPF, DKIM, DMARC; docs/INBOUND.md) on every message. A dnsmasq on DNS_ADDR is Mailwright's
# `[outbound] resolver` and serves the sender domain client.test: SPF `v=spf1 ip4:SRC_ADDR -all`, DMARC `p=reject`
# and a DKIM key (RSA-2048). Every message is one template signed once with python3-dkim (relaxed/relaxed, over
# From, To, Subject, Date, Message-ID) and sent with a different `X-Seq:` on top, which the signature does not
# cover: each message passes SPF, DKIM and DMARC. Answers have a TTL of 300 s, so after the first message they
# come from the engine's cache. Postfix gets the same messages from the same address (it checks none of this).
#
#   bench/local-delivery.sh [N]
#
# Environment (all optional):
#   SESSIONS=16 SIZE=2048 USERS=16   load shape (USERS mailboxes bench0..bench{USERS-1}@bench.test)
#   ROUNDS=1          alternate Mailwright and Postfix this many times (a shared machine is noisy: use 3)
#   POSTFIX=1         0 skips the Postfix run
#   PIPELINING=0      1 sends MAIL, RCPT and DATA in one write (RFC 2920)
#   CHECKS=1          0: the load as before, generated messages from 127.0.0.1 (the machine's own: no checks),
#                     no dnsmasq
#   SRC_ADDR=127.0.1.5 DNS_ADDR=127.0.1.4   the load's source address and the dnsmasq's (CHECKS=1)
#   PYTHON=/usr/bin/python3   the interpreter that has python3-dkim (CHECKS=1)
#   ENGINE_JAVA_OPTS  the engine's JVM flags (default below)
#   MW_ADDR=127.0.1.1 PF_ADDR=127.0.1.2   loopback addresses the two servers listen on
#   BENCH_DIR         where data, queues and mailboxes go (default: a new directory under /tmp, removed
#                     afterwards unless KEEP=1)
#
# Needs: Java 17 and Maven (the jar is built when missing or older than the sources); postfix (Debian
# package) for the comparison; root for the Postfix instance (its daemons drop privileges themselves); with
# CHECKS=1 also dnsmasq, openssl and python3-dkim (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
SESSIONS=${SESSIONS:-16}
SIZE=${SIZE:-2048}
USERS=${USERS:-16}
ROUNDS=${ROUNDS:-1}
POSTFIX=${POSTFIX:-1}
PIPELINING=${PIPELINING:-0}
CHECKS=${CHECKS:-1}
SRC_ADDR=${SRC_ADDR:-127.0.1.5}
DNS_ADDR=${DNS_ADDR:-127.0.1.4}
SENDER_DOMAIN=client.test
PYTHON=${PYTHON:-/usr/bin/python3} # Debian's, which has python3-dkim (a python3 earlier on PATH may not)
MW_ADDR=${MW_ADDR:-127.0.1.1}
PF_ADDR=${PF_ADDR:-127.0.1.2}
DOMAIN=bench.test
# shellcheck source=bench/lib.sh
. bench/lib.sh

JAR=target/mailwright.jar
build_jar "$JAR"
if [[ $POSTFIX == 1 ]]; then require postfix:postfix; fi
if [[ $CHECKS == 1 ]]; then
    require dnsmasq:dnsmasq openssl:openssl
    "$PYTHON" -c 'import dkim' 2>/dev/null || { echo "$PYTHON has no dkim module: apt-get install -y python3-dkim" >&2; exit 1; }
fi

W=$(work_dir mailwright-bench)
ENGINE_PID=
DNS_PID=
PF_DIRS=()
cleanup() {
    if [[ -n $ENGINE_PID ]]; then kill "$ENGINE_PID" 2>/dev/null || true; wait "$ENGINE_PID" 2>/dev/null || true; fi
    if [[ -n $DNS_PID ]]; then kill "$DNS_PID" 2>/dev/null || true; wait "$DNS_PID" 2>/dev/null || true; fi
    for d in "${PF_DIRS[@]}"; do bench/postfix-instance.sh stop "$d"; done
    remove_work_dir "$W"
}
trap cleanup EXIT

LOAD=(java bench/SmtpLoad.java --count "$N" --sessions "$SESSIONS" --size "$SIZE" --users "$USERS"
      --to "bench%d@$DOMAIN" --idle-wait 10)
[[ $PIPELINING == 1 ]] && LOAD+=(--pipelining)
RESULTS=$W/results.txt
: > "$RESULTS"

# The sender's DNS and the signed template (CHECKS=1).
if [[ $CHECKS == 1 ]]; then
    openssl genrsa -traditional -out "$W/dkim.key" 2048 2>/dev/null
    DKIM_P=$(openssl rsa -in "$W/dkim.key" -pubout -outform DER 2>/dev/null | base64 -w0)
    # "v=DKIM1; k=rsa; p=…" in character-strings of at most 255 bytes, as DNS wants them
    # (dnsmasq's command line: commas separate the strings, quotes would be part of them)
    DKIM_TXT='v=DKIM1; k=rsa; '
    for chunk in $(fold -w 250 <<< "p=$DKIM_P"); do DKIM_TXT+=",$chunk"; done
    DNS_PORT=$(free_port)
    start_dnsmasq "$DNS_ADDR" "$DNS_PORT" "$W/dnsmasq.log" --local-ttl=300 --log-queries \
        --txt-record="$SENDER_DOMAIN,v=spf1 ip4:$SRC_ADDR -all" \
        --txt-record="_dmarc.$SENDER_DOMAIN,v=DMARC1; p=reject" \
        --txt-record="sel._domainkey.$SENDER_DOMAIN,$DKIM_TXT"
    # One message of SIZE bytes on the wire (with "X-Seq: NNNN" and the final dot), signed once.
    "$PYTHON" - "$W/dkim.key" "$SENDER_DOMAIN" "$DOMAIN" "$SIZE" > "$W/template.eml" <<'PY'
import sys, dkim
key, dom, to_dom, size = open(sys.argv[1], 'rb').read(), sys.argv[2], sys.argv[3], int(sys.argv[4])
head = ('From: Load Generator <load@%s>\r\nTo: <bench0@%s>\r\nSubject: load test message\r\n'
        'Date: Thu, 1 Jan 2026 00:00:00 +0000\r\nMessage-ID: <load.template@%s>\r\n\r\n' % (dom, to_dom, dom)).encode()
filler = b'The quick brown fox jumps over the lazy dog; 0123456789 abcdefghijklmnopqrstuvwxyz' * 2
def body(n):  # n bytes of CRLF lines of at most 76 characters
    out, i = b'', 0
    while n - len(out) > 78:
        out += filler[i % 83:][:76] + b'\r\n'
        i += 1
    return out + filler[:max(n - len(out) - 2, 0)] + b'\r\n'
body_len = size - len(head) - 500
for _ in range(3):  # the signature's length is known once signed (and does not change with the body's)
    msg = head + body(body_len)
    sig = dkim.sign(msg, b'sel', dom.encode(), key, canonicalize=(b'relaxed', b'relaxed'),
                    include_headers=[b'from', b'to', b'subject', b'date', b'message-id'])
    wire = len(b'X-Seq: 1000\r\n') + len(sig) + len(msg) + 3
    if wire == size or body_len < 100:
        break
    body_len += size - wire
sys.stdout.buffer.write(sig + msg)
PY
    "$PYTHON" -c 'import sys, dkim; sys.exit(0 if dkim.verify(open(sys.argv[1], "rb").read(), dnsfunc=lambda n, timeout=5: sys.argv[2].encode()) else 1)' \
        "$W/template.eml" "v=DKIM1; k=rsa; p=$DKIM_P" || { echo "the DKIM template does not verify" >&2; exit 1; }
    LOAD+=(--source "$SRC_ADDR" --template "$W/template.eml" --from "load@$SENDER_DOMAIN")
fi

# One data directory made by the CLI (init, then user add for each mailbox); every round starts from a copy.
TEMPLATE=$W/mailwright-template
make_template() {
    local mw=(java -jar "$JAR" --data "$TEMPLATE")
    echo "Creating the Mailwright data directory (init, $USERS x user add) ..."
    "${mw[@]}" init --hostname "$DOMAIN" --domain "$DOMAIN" --tls none --bind "$MW_ADDR" \
        --smtp-port 2525 --submission-port 2587 > /dev/null
    if [[ $CHECKS == 1 ]]; then "${mw[@]}" config set outbound.resolver "$DNS_ADDR:$DNS_PORT" > /dev/null; fi
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
    if [[ $CHECKS == 1 ]]; then # that the checks ran, from the maillog and a delivered message
        echo "[mailwright] maillog: $(grep -c ' smtp checks ' "$data/log/maillog" || true) 'smtp checks' lines; verdicts:" \
            "$(grep ' smtp checks ' "$data/log/maillog" | grep -o 'spf=[^ ]* dkim=[^ ]* dmarc=[^ ]* action=[^ ]*' | sort | uniq -c | xargs)"
        local one
        one=$(find "$data/mail" -path '*/new/*' -type f -print -quit)
        echo "[mailwright] DNS queries dnsmasq answered so far: $(grep -c ' query\[' "$W/dnsmasq.log" || true) (the rest came from the engine's cache)"
        echo "[mailwright] delivered messages with our Authentication-Results: $(grep -rl "^Authentication-Results: $DOMAIN;" "$data/mail" | wc -l)"
        echo "[mailwright] one of them says: $(sed -n '/^Authentication-Results:/,/^[^ \t]/p' "$one" | sed '$d' | tr -d '\r' | xargs)"
    fi
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
    echo "== Postfix $(postconf -d -h mail_version) (round $1): $PF_ADDR:$port, virtual(8) to Maildir"
    "${LOAD[@]}" --host "$PF_ADDR" --port "$port" --maildirs "$dir/mail" --pid "$(bench/postfix-instance.sh master-pid "$dir")" \
        --tree --label postfix | tee -a "$RESULTS"
    bench/postfix-instance.sh stop "$dir"
    rm -rf "$dir/mail" "$dir/spool"
}

echo "Benchmark: $N messages of $SIZE bytes, $SESSIONS concurrent sessions, $USERS Maildirs, $ROUNDS round(s), $(nproc) cores; data in $W"
if [[ $CHECKS == 1 ]]; then
    echo "Receive checks on: load from $SRC_ADDR, DKIM-signed template ($(wc -c < "$W/template.eml") bytes), $SENDER_DOMAIN's records in dnsmasq on $DNS_ADDR:$DNS_PORT"
else
    echo "Receive checks off (CHECKS=0): load from 127.0.0.1, the machine's own"
fi
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
