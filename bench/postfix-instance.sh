#!/usr/bin/env bash
# A private Postfix instance for the benchmarks, on loopback only, with its own config, queue and mail
# directories (Debian's `postfix` package; the system's own Postfix, if any, is not touched).
#
#   bench/postfix-instance.sh setup DIR ADDR PORT DOMAIN USERS   # config in DIR/etc, queue in DIR/spool,
#                                                                # USERS virtual Maildirs bench0..bench{USERS-1}@DOMAIN
#                                                                # under DIR/mail (virtual_mailbox_base)
#   bench/postfix-instance.sh relay-setup DIR ADDR PORT DOMAIN NEXTHOP   # a relay: accepts mail for DOMAIN from
#                                                                # 127.0.0.0/8 and sends it on to NEXTHOP (HOST:PORT)
#   bench/postfix-instance.sh start|stop DIR
#   bench/postfix-instance.sh master-pid DIR
#
# Postfix keeps its defaults where they matter for a fair comparison: fsync of every queue file before the
# 250 and of every Maildir file before the rename, in_flow_delay, the destination concurrency limits.
# Only what a private loopback instance needs is changed: no chroot (the Debian default chroots into the
# queue directory), no DNS (this machine's resolver is off-box: no peer-name lookup, no MX lookups),
# no syslog (maillog_file via postlogd).
set -euo pipefail

die() { echo "postfix-instance: $*" >&2; exit 1; }
command -v postfix >/dev/null || die "postfix is not installed — apt-get install -y postfix (Debian package)"

# master.cf: the listener on ADDR:PORT (inet_interfaces cannot name a loopback alias: name it here), then the
# services the tests' PostfixPeer uses too (bench/postfix/master.cf).
write_master_cf() { # DIR ADDR PORT
    { echo "$2:$3 inet n    -       n       -       -       smtpd"; cat "$(dirname "$0")/postfix/master.cf"; } > "$1/etc/master.cf"
}

# main.cf settings shared by both roles. DIR
write_common_main_cf() {
    local dir=$1
    cat > "$dir/etc/main.cf" <<EOF
# Private benchmark instance (written by bench/postfix-instance.sh).
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-bench.test
mydomain = postfix-bench.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
# This machine's resolver is not on loopback: never ask it anything.
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
maillog_file_prefixes = $dir
maillog_file = $dir/maillog
EOF
}

setup() { # DIR ADDR PORT DOMAIN USERS
    local dir=$1 addr=$2 port=$3 domain=$4 users=$5
    mkdir -p "$dir/etc" "$dir/spool" "$dir/data" "$dir/mail"
    # The virtual(8) delivery agent runs as nobody: it must reach and write the Maildir base.
    chmod 755 "$dir" "$dir/mail"
    chown 65534:65534 "$dir/mail"
    chown postfix: "$dir/data"
    write_master_cf "$dir" "$addr" "$port"
    write_common_main_cf "$dir"
    cat >> "$dir/etc/main.cf" <<EOF
# Local delivery to Maildirs (the trailing slash in vmailbox means Maildir), as the benchmark's user nobody.
virtual_mailbox_domains = $domain
virtual_mailbox_base = $dir/mail
virtual_mailbox_maps = texthash:$dir/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
EOF
    : > "$dir/etc/vmailbox"
    for ((i = 0; i < users; i++)); do echo "bench$i@$domain bench$i/" >> "$dir/etc/vmailbox"; done
    postfix -c "$dir/etc" check
}

relay_setup() { # DIR ADDR PORT DOMAIN NEXTHOP
    local dir=$1 addr=$2 port=$3 domain=$4 nexthop=$5
    mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
    chmod 755 "$dir"
    chown postfix: "$dir/data"
    write_master_cf "$dir" "$addr" "$port"
    write_common_main_cf "$dir"
    cat >> "$dir/etc/main.cf" <<EOF
# Relay: mail for $domain goes to $nexthop (as an MX found by DNS would; no lookup here).
relay_domains = $domain
transport_maps = texthash:$dir/etc/transport
smtp_tls_security_level = may
EOF
    echo "$domain smtp:[${nexthop%:*}]:${nexthop##*:}" > "$dir/etc/transport"
    postfix -c "$dir/etc" check
}

case "${1:-}" in
    setup) shift; setup "$@" ;;
    relay-setup) shift; relay_setup "$@" ;;
    start) postfix -c "$2/etc" start ;;
    stop) postfix -c "$2/etc" stop 2>/dev/null || true ;;
    master-pid) tr -d ' ' < "$2/spool/pid/master.pid" ;;
    *) die "usage: $0 setup DIR ADDR PORT DOMAIN USERS | relay-setup DIR ADDR PORT DOMAIN NEXTHOP | start DIR | stop DIR | master-pid DIR" ;;
esac
