#!/usr/bin/env bash
# Builds (once) the Debian root whose PID 1 is a real systemd for the deploy test SystemdDeployIT:
#   debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,openssh-server,default-jre-headless bookworm ROOT
# from the apt mirror this machine's own sources name (never another host). The root is cached: a later run
# prints its path at once. A half-built root is never left under the final name (built aside, then renamed).
#
#   .ci/systemd-root.sh [ROOT]      default ROOT: /var/cache/mailwright-test-root
# Prints the root's path on the last line. Needs root and debootstrap (apt-get install -y debootstrap).
set -euo pipefail
ROOT=${1:-/var/cache/mailwright-test-root}
INCLUDE=systemd,systemd-sysv,dbus,openssh-server,default-jre-headless

fail() { echo ".ci/systemd-root.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || fail "debootstrap is not installed — apt-get install -y debootstrap"

# The mirror this machine's apt uses for Debian bookworm: deb822 .sources first, then one-line sources.list.
mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm([ \n]|$)/ && /Types:[^\n]*deb([ \n]|$)/ {
           if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit } }' "$f"
  done
  { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
    | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { if ($(i+1) == "bookworm") print $i; break } }'
}
MIRROR=$(mirror | grep -v -- '-security' | head -1 || true)
[ -n "$MIRROR" ] || fail "no Debian bookworm mirror in /etc/apt/sources.list(.d) — add one there; no other host is used"

exec 9>"$ROOT.lock"
flock 9
if [ -x "$ROOT/lib/systemd/systemd" ] && [ -x "$ROOT/usr/sbin/sshd" ] && [ -e "$ROOT/.complete" ]; then
  echo "$ROOT"
  exit 0
fi
started=$(date +%s)
rm -rf "$ROOT.building"
echo "debootstrap bookworm from $MIRROR into $ROOT (once; later runs reuse it) …" >&2
if ! debootstrap --variant=minbase --include="$INCLUDE" bookworm "$ROOT.building" "$MIRROR" >"$ROOT.log" 2>&1; then
  tail -n 20 "$ROOT.log" >&2
  fail "debootstrap from $MIRROR failed (full log: $ROOT.log) — can this machine reach its apt mirror?"
fi
# What the test needs inside: sshd's privilege separation dir, no default host sshd on port 22 of every
# address (the test starts its own sshd unit on loopback), and a machine id for journald and dbus.
mkdir -p "$ROOT.building/run/sshd"
rm -f "$ROOT.building/etc/systemd/system/multi-user.target.wants/ssh.service" "$ROOT.building/etc/systemd/system/sshd.service"
chroot "$ROOT.building" systemd-machine-id-setup >/dev/null 2>&1 || true
touch "$ROOT.building/.complete"
rm -rf "$ROOT"
mv "$ROOT.building" "$ROOT"
echo "built $ROOT in $(( $(date +%s) - started )) s" >&2
echo "$ROOT"
