#!/bin/sh
# Written by `mailwright deploy` from jvm.options (deploying again replaces it): starts the engine with a pid file.
D=@DIR@
cd "$D" || exit 1
# setsid: the engine must not die with the SSH session that started it.
if command -v setsid >/dev/null 2>&1; then S=setsid; else S=; fi
$S nohup @COMMAND@ </dev/null >>"$D/mailwright.out" 2>&1 &
echo $! > "$D/mailwright.pid"
echo started=$!
