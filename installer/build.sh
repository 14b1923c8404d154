#!/usr/bin/env bash
# Builds Mailwright's Linux packages with the JDK's jpackage, so that users need neither Maven nor a Java:
#
#   target/installer/mailwright/                            app-image: bin/mailwright with its own Java runtime
#   target/installer/mailwright_VERSION-1_ARCH.deb          desktop: /opt/mailwright, menu entry and icon
#   target/installer/mailwright-server_VERSION-1_ARCH.deb   headless: /usr/bin/mailwright, mailwright.service,
#                                                           the mailwright user and /var/lib/mailwright, and
#                                                           the host's MTA: /usr/sbin/sendmail, mailq, newaliases
#
# Usage: installer/build.sh [--fast]
#   --fast   compress the .deb files with gzip instead of xz: same contents, ~20 % bigger, built in seconds
#            instead of minutes (the installer test uses it).
# Needs: JDK 17 (jpackage, jlink, jdeps), dpkg-deb, fakeroot, objdump (binutils):
#   apt-get install -y fakeroot dpkg-dev binutils
# Builds target/mailwright.jar first (mvn package) when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/.."

compression=xz
for arg in "$@"; do
  case "$arg" in
    --fast) compression=gzip ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "installer/build.sh: unknown option $arg — see installer/build.sh --help" >&2; exit 2 ;;
  esac
done

fail() { echo "installer/build.sh: $*" >&2; exit 1; }
started=$(date +%s)
step() { echo "[$(( $(date +%s) - started ))s] $*"; }

# --- tools ---------------------------------------------------------------------------------------------
jdk_tool() {
  local t
  for t in "${JAVA_HOME:+$JAVA_HOME/bin/$1}" "$(command -v "$1" 2>/dev/null || true)"; do
    [ -n "$t" ] && [ -x "$t" ] && { echo "$t"; return; }
  done
  fail "$1 not found — it comes with JDK 17 (apt-get install -y openjdk-17-jdk-headless), or set JAVA_HOME"
}
JPACKAGE=$(jdk_tool jpackage)
JDEPS=$(jdk_tool jdeps)
for tool in dpkg-deb:dpkg fakeroot:fakeroot objdump:binutils dpkg-query:dpkg; do
  command -v "${tool%%:*}" >/dev/null || fail "${tool%%:*} not found — apt-get install -y ${tool#*:}"
done

# --- the jar -------------------------------------------------------------------------------------------
JAR=target/mailwright.jar
if [ -z "${MAILWRIGHT_INSTALLER_NO_MAVEN:-}" ]; then
  if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main resources -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then
    step "building $JAR (mvn package)"
    mvn -q -B package -DskipTests
  fi
fi
[ -f "$JAR" ] || fail "$JAR not found — run: mvn -q -B package -DskipTests"

VERSION=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
VERSION=${VERSION%-SNAPSHOT}
[ -n "$VERSION" ] || fail "no <version> in pom.xml"
ARCH=$(dpkg --print-architecture)
RELEASE=1
OUT=target/installer
DESCRIPTION="Set up and run a mail server that other servers trust"
VENDOR="Mailwright developers"
MAINTAINER="Mailwright developers <dev@mailwright.invalid>"
rm -rf "$OUT"
mkdir -p "$OUT/input"
cp "$JAR" "$OUT/input/mailwright.jar"

# --- the runtime's modules -----------------------------------------------------------------------------
# What jdeps finds in the jar, plus what it cannot see because it is loaded by name or as a service:
# jdk.crypto.ec (ECDHE and EC certificates in TLS), jdk.naming.dns (JNDI DNS), jdk.charsets (mail in
# ISO-2022-JP, KOI8-R, …), jdk.httpserver (ACME HTTP-01 responder), java.prefs, jdk.unsupported, java.sql.
step "jdeps: finding the Java modules the jar needs"
found=$("$JDEPS" --multi-release 17 --print-module-deps --ignore-missing-deps "$JAR" | tail -1)
case "$found" in java.base*) ;; *) fail "jdeps printed no module list: $found" ;; esac
MODULES="$found,jdk.net,jdk.crypto.ec,jdk.naming.dns,jdk.charsets,jdk.httpserver,java.prefs,jdk.unsupported,java.sql,java.net.http,java.naming"
MODULES=$(tr ',' '\n' <<<"$MODULES" | sort -u | paste -sd, -)
echo "$MODULES" > "$OUT/modules.txt"

# --- 1. app-image --------------------------------------------------------------------------------------
# No --arguments: the launcher passes only what the user typed, so a menu click runs `mailwright` with no
# arguments (the app, with its data in ~/.mailwright) and `mailwright serve` runs the engine.
step "jpackage --type app-image ($MODULES)"
"$JPACKAGE" --type app-image --dest "$OUT" --name mailwright --app-version "$VERSION" \
  --vendor "$VENDOR" --description "$DESCRIPTION" --copyright "Mailwright developers" \
  --input "$OUT/input" --main-jar mailwright.jar --main-class org.mailwright.Main \
  --icon installer/desktop/mailwright.png \
  --java-options '-Dfile.encoding=UTF-8' --java-options '-XX:+ExitOnOutOfMemoryError' \
  --add-modules "$MODULES" \
  --jlink-options '--strip-native-commands --strip-debug --no-man-pages --no-header-files'
IMAGE="$OUT/mailwright"
"$IMAGE/bin/mailwright" --version >/dev/null || fail "the app-image's launcher does not run: $IMAGE/bin/mailwright --version"

# Debian packages that provide the shared libraries these ELF files link against (direct NEEDED entries).
debian_packages_for() {
  local sonames lib path real pkg candidate pkgs=""
  sonames=$(objdump -p "$@" 2>/dev/null | awk '/NEEDED/ {print $2}' | sort -u)
  for lib in $sonames; do
    # Libraries of the runtime itself (libjvm.so, libjava.so, …) come with it.
    printf '%s\n' "$@" | grep -q "/$lib\$" && continue
    [ "$lib" = libjvm.so ] && continue
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x32|AArch64|64bit/ {print $NF; exit}')
    [ -z "$path" ] && path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
    [ -n "$path" ] || fail "$lib (needed by the runtime) is not installed here, so its Debian package is unknown"
    # With merged /usr, dpkg knows a library by /lib/… or /usr/lib/…: ask for the path, its target, and both.
    pkg=""
    real=$(readlink -f "$path")
    for candidate in "$path" "$real" "${real#/usr}" "/usr$path"; do
      pkg=$(dpkg-query -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1) && [ -n "$pkg" ] && break
    done
    [ -n "$pkg" ] || fail "$path ($lib) belongs to no Debian package here, so the .deb cannot declare it"
    pkgs+="$pkg"$'\n'
  done
  sort -u <<<"$pkgs" | sed '/^$/d'
}

# --- 2. desktop .deb -----------------------------------------------------------------------------------
# jpackage's deb type: /opt/mailwright, a menu entry (postinst copies it to /usr/share/applications), icon,
# and Depends computed from the runtime's libraries. JavaFX's own natives are inside the jar, so jpackage
# cannot see them: their libraries (GTK 3, GL, …) are declared here, computed from the .so files in the jar.
step "desktop .deb ($compression)"
mkdir -p "$OUT/fx-natives"
(cd "$OUT/fx-natives" && unzip -q -o "../input/mailwright.jar" '*.so' 2>/dev/null || true)
fx_libs=$(find "$OUT/fx-natives" -name '*.so')
[ -n "$fx_libs" ] || fail "no JavaFX native libraries in $JAR — the desktop package would not start its window"
FX_DEPS=$( { debian_packages_for $fx_libs; echo libgtk-3-0; echo libgl1; } | sort -u | paste -sd, - | sed 's/,/, /g')
DPKG_DEB_COMPRESSOR_TYPE=$compression "$JPACKAGE" --type deb --dest "$OUT" --app-image "$IMAGE" \
  --name mailwright --app-version "$VERSION" --vendor "$VENDOR" --description "$DESCRIPTION" \
  --resource-dir installer/desktop --icon installer/desktop/mailwright.png \
  --linux-package-name mailwright --linux-deb-maintainer "dev@mailwright.invalid" \
  --linux-menu-group "Network;Email;" --linux-app-category mail --linux-app-release "$RELEASE" \
  --linux-shortcut --linux-package-deps "$FX_DEPS"
DESKTOP_DEB="$OUT/mailwright_${VERSION}-${RELEASE}_${ARCH}.deb"
[ -f "$DESKTOP_DEB" ] || fail "jpackage made no $DESKTOP_DEB"

# --- 3. server .deb ------------------------------------------------------------------------------------
# Built with dpkg-deb from a staged tree rather than jpackage: jpackage's deb puts files only under
# /opt/NAME, while a service needs dpkg-owned files elsewhere (the systemd unit in /lib/systemd/system).
# It reuses the app-image (one jlink, one launcher, both tested), minus the natives that only serve a
# display or a sound card, so the server pulls in no X11 or GTK packages.
step "server .deb ($compression)"
STAGE="$OUT/server-root"
mkdir -p "$STAGE/usr/lib" "$STAGE/lib/systemd/system" "$STAGE/usr/share/doc/mailwright-server" "$STAGE/DEBIAN"
cp -a "$IMAGE" "$STAGE/usr/lib/mailwright"
rm -f "$STAGE/usr/lib/mailwright/lib/mailwright.png"
for gui_only in libawt_xawt.so libjawt.so libsplashscreen.so libjsound.so; do
  rm -f "$STAGE/usr/lib/mailwright/lib/runtime/lib/$gui_only"
done
install -m 0644 installer/server/mailwright.service "$STAGE/lib/systemd/system/mailwright.service"
# The engine's JVM flags: installer/jvm.options, the one file every server launch path uses (deploy's unit and
# launcher, the benchmarks). They go into the server launcher's own configuration, which /usr/bin/mailwright —
# and so mailwright.service — reads at every start; the file itself is kept beside it for people to read.
CFG="$STAGE/usr/lib/mailwright/lib/app/mailwright.cfg"
grep -q '^\[JavaOptions\]' "$CFG" || fail "$CFG has no [JavaOptions] section — did jpackage change its launcher format?"
sed -e 's/#.*//' installer/jvm.options | xargs -n1 | sed 's/^/java-options=/' > "$OUT/jvm-options.cfg"
[ -s "$OUT/jvm-options.cfg" ] || fail "installer/jvm.options has no options"
awk -v f="$OUT/jvm-options.cfg" '{ print } /^\[JavaOptions\]$/ { while ((getline l < f) > 0) print l }' "$CFG" > "$CFG.new"
mv "$CFG.new" "$CFG"
rm -f "$OUT/jvm-options.cfg"
install -m 0644 installer/jvm.options "$STAGE/usr/lib/mailwright/jvm.options"
# The Unix mail interface, as every MTA package has it: mail(1), cron and the rest send through Mailwright.
mkdir -p "$STAGE/usr/sbin" "$STAGE/usr/bin"
install -m 0755 installer/server/sendmail "$STAGE/usr/sbin/sendmail"
ln -s ../sbin/sendmail "$STAGE/usr/lib/sendmail"
install -m 0755 installer/server/mailq "$STAGE/usr/bin/mailq"
install -m 0755 installer/server/newaliases "$STAGE/usr/bin/newaliases"
install -m 0644 installer/server/README.Debian "$STAGE/usr/share/doc/mailwright-server/README.Debian"
printf 'Mailwright %s\nCopyright: Mailwright developers\n' "$VERSION" > "$STAGE/usr/share/doc/mailwright-server/copyright"
for script in postinst prerm postrm; do
  install -m 0755 "installer/server/$script" "$STAGE/DEBIAN/$script"
done
SERVER_DEPS=$( { debian_packages_for $(find "$STAGE/usr/lib/mailwright" -name '*.so') "$STAGE/usr/lib/mailwright/bin/mailwright"; echo adduser; } \
  | sort -u | paste -sd, - | sed 's/,/, /g')
cat > "$STAGE/DEBIAN/control" <<EOF
Package: mailwright-server
Version: ${VERSION}-${RELEASE}
Section: mail
Priority: optional
Architecture: $ARCH
Maintainer: $MAINTAINER
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $SERVER_DEPS
Provides: mail-transport-agent
Conflicts: mail-transport-agent
Replaces: mail-transport-agent
Description: $DESCRIPTION (headless server)
 Mailwright's SMTP engine as a system service: the mailwright command,
 mailwright.service (runs as the mailwright user, binds ports 25/587/465
 with CAP_NET_BIND_SERVICE) and its data directory /var/lib/mailwright.
 It is the host's mail transport agent: /usr/sbin/sendmail (every local
 user may send; mail(1) and cron use it), mailq and newaliases.
 Removing or purging the package never deletes /var/lib/mailwright.
EOF
SERVER_DEB="$OUT/mailwright-server_${VERSION}-${RELEASE}_${ARCH}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$STAGE" "$SERVER_DEB" >/dev/null

# --- sizes ---------------------------------------------------------------------------------------------
rm -rf "$OUT/input" "$OUT/fx-natives" "$STAGE"
step "done"
printf '  %-58s %s\n' "$IMAGE/" "$(du -sh "$IMAGE" | cut -f1) on disk"
for deb in "$DESKTOP_DEB" "$SERVER_DEB"; do
  printf '  %-58s %s download, %s installed\n' "$deb" "$(du -h "$deb" | cut -f1)" \
    "$(( $(dpkg-deb -f "$deb" Installed-Size) / 1024 )) MB"
done
