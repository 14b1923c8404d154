# Shared by install.sh and rollback.sh. `mailwright deploy` sends this file, then the script, on the stdin of
# `sh -s`, after setting D (the install directory), SYSTEMD (yes|no), UNIT, UNIT_PATH and SERVICE_USER.

# Stops whatever engine runs on this layout (SIGTERM, waits up to 60 s); prints stopped=UNIT or stopped=PID.
stop_engine() {
  if [ "$SYSTEMD" = yes ] && systemctl is-active --quiet "$UNIT"; then
    systemctl stop "$UNIT"
    echo "stopped=$UNIT"
  fi
  PID=$(cat "$D/mailwright.pid" 2>/dev/null || true)
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; i=0
    while kill -0 "$PID" 2>/dev/null; do
      i=$((i+1))
      if [ $i -gt 600 ]; then
        echo "the running engine (pid $PID) did not stop within 60 s after SIGTERM; look at $D/mailwright.out" >&2
        exit 3
      fi
      sleep 0.1
    done
    echo "stopped=$PID"
  fi
  rm -f "$D/mailwright.pid"
}

# Where the engine's output of this start begins: a byte offset in mailwright.out, and a time for the journal.
mark_output() {
  echo "outfrom=$(( $(stat -c %s "$D/mailwright.out" 2>/dev/null || echo 0) + 1 ))"
  echo "since=$(date +%s)"
}

# Starts the engine of a release without systemd. A release from before the launcher existed was started with
# plain nohup: start it the same way (J: the java binary).
start_with_pid_file() {
  if [ -f "$D/$LAUNCHER" ]; then
    sh "$D/$LAUNCHER"
  else
    cd "$D"
    if command -v setsid >/dev/null 2>&1; then S=setsid; else S=; fi
    $S nohup "$J" -jar "$D/mailwright.jar" --data "$D/data" serve </dev/null >>"$D/mailwright.out" 2>&1 &
    echo $! > "$D/mailwright.pid"
    echo "started=$!"
  fi
}
