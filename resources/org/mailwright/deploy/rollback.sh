# Stops the new engine and puts D/previous back: replaced files return, added ones go, the unit is restored; the
# old engine is started again if it ran before. Prints restored=yes|none and started=… . Needs release-common.sh
# and J (the java binary) set before it.
P="$D/previous"
stop_engine
if [ ! -f "$P/was-running" ]; then echo restored=none; exit 0; fi
cd "$P"
find . -type f ! -name was-running ! -name added ! -name "$UNIT" | while IFS= read -r f; do
  mkdir -p "$D/$(dirname "$f")"; mv -f "$f" "$D/$f"
done
while IFS= read -r f; do rm -f "$D/$f"; done < "$P/added"
cd /
WAS=$(cat "$P/was-running")
if [ "$SYSTEMD" = yes ]; then
  if [ -f "$P/$UNIT" ]; then
    mv -f "$P/$UNIT" "$UNIT_PATH"
  else
    systemctl disable --quiet "$UNIT" 2>/dev/null || true
    rm -f "$UNIT_PATH"
  fi
  chown -R "$SERVICE_USER:$SERVICE_USER" "$D/data"
  systemctl daemon-reload
fi
rm -rf "$P"
echo restored=yes
if [ "$WAS" != yes ]; then exit 0; fi
mark_output
if [ "$SYSTEMD" = yes ] && [ -f "$UNIT_PATH" ]; then
  systemctl restart "$UNIT" && echo "started=$UNIT"
  exit 0
fi
start_with_pid_file
