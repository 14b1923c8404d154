# Switches releases: stops the engine, moves every file the staged release S replaces to D/previous (and lists
# the ones it adds in previous/added), moves the staged files into D, starts. The queue, mailboxes and maillog
# are never in a release, so they are never touched. Needs release-common.sh and S set before it.
set -e
P="$D/previous"
mkdir -p "$D/data"
chmod 0755 "$D"
chmod 0700 "$D/data"
if [ "$SYSTEMD" = yes ]; then
  id "$SERVICE_USER" >/dev/null 2>&1 \
    || useradd --system --user-group --home-dir "$D" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
WAS=no
if [ -n "$(cat "$D/mailwright.pid" 2>/dev/null)" ] && kill -0 "$(cat "$D/mailwright.pid")" 2>/dev/null; then WAS=yes; fi
if [ "$SYSTEMD" = yes ] && systemctl is-active --quiet "$UNIT"; then WAS=yes; fi
stop_engine
# A previous/ left by a deploy that was cut off is the last release known to work; this one is what runs now.
rm -rf "$P"
umask 077
mkdir -p "$P"
echo "$WAS" > "$P/was-running"
: > "$P/added"
cd "$S"
find . -type f ! -name "$UNIT" | while IFS= read -r f; do
  if [ -e "$D/$f" ]; then mkdir -p "$P/$(dirname "$f")"; mv -f "$D/$f" "$P/$f"; else echo "$f" >> "$P/added"; fi
  mkdir -p "$D/$(dirname "$f")"; mv -f "$f" "$D/$f"
done
cd /
if [ "$SYSTEMD" = yes ]; then
  if [ -f "$UNIT_PATH" ]; then cp -p "$UNIT_PATH" "$P/$UNIT"; fi
  mv -f "$S/$UNIT" "$UNIT_PATH"
  rm -rf "$S"
  chown -R "$SERVICE_USER:$SERVICE_USER" "$D/data"
  systemctl daemon-reload
  systemctl enable --quiet "$UNIT"
  mark_output
  systemctl restart "$UNIT"
  echo "started=$UNIT"
else
  rm -rf "$S"
  mark_output
  sh "$D/$LAUNCHER"
fi
