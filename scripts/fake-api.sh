# The one way a script runs the fake ElevenLabs API (cmd/fake-elevenlabs) in the
# background: scripts/demo.sh and scripts/conformance.sh source it.
#
#   . scripts/fake-api.sh
#   fake_cleanup_on_exit TMP [ON_FAIL]
#                                   the caller's one cleanup: on exit, Ctrl-C (130)
#                                   or SIGTERM (143), stop the fake, remove TMP and,
#                                   when the exit status is not 0, run ON_FAIL with
#                                   it; the script exits with that status
#   fake_start TMP FAKE [ARGS...]   start FAKE on a loopback port with ARGS, its log
#                                   in TMP/fake.log, and wait (10s at most) for its
#                                   ready file TMP/ready.json; `fail` (the caller's)
#                                   when it exits or is not ready in time
#   fake_stop                       stop it (fake_cleanup_on_exit calls it)
#
# A watchdog stops the fake and removes TMP should the calling script die without
# running its traps (kill -9).

fake_pid='' fake_watchdog_pid='' fake_tmp='' fake_on_fail=''

fake_cleanup_on_exit() {
  fake_tmp=$1 fake_on_fail=${2:-}
  trap fake_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

fake_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  fake_stop
  rm -rf "$fake_tmp"
  if [ "$rc" -ne 0 ] && [ -n "$fake_on_fail" ]; then "$fake_on_fail" "$rc"; fi
  exit "$rc"
}

fake_start() {
  local tmp=$1 fake=$2
  shift 2
  "$fake" -addr 127.0.0.1:0 -ready-file "$tmp/ready.json" "$@" >"$tmp/fake.log" 2>&1 &
  fake_pid=$!
  ( trap '' INT; while kill -0 $$ 2>/dev/null; do sleep 1; done
    kill "$fake_pid" 2>/dev/null; rm -rf "$tmp" ) </dev/null >/dev/null 2>&1 &
  fake_watchdog_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$tmp/ready.json" ] && return 0
    kill -0 "$fake_pid" 2>/dev/null || { cat "$tmp/fake.log" >&2; fail "the fake API exited before it was ready"; }
    sleep 0.1
  done
  cat "$tmp/fake.log" >&2
  fail "the fake API wrote no ready file within 10s ($tmp/ready.json)"
}

fake_stop() {
  if [ -n "$fake_watchdog_pid" ]; then kill "$fake_watchdog_pid" 2>/dev/null || true; fi
  if [ -n "$fake_pid" ] && kill -0 "$fake_pid" 2>/dev/null; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
}
