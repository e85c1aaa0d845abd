# scripts/demo (without its install and build): gen-tweets --now into trendtop prints the top 10 of 5-second
# windows; --intervals 2 ends it after two windows with status 0; Ctrl-C to its process group ends both
# processes cleanly (status 0, no traceback), with the open window printed.
. "$(dirname "$0")/common.sh"
DEMO=$SRC/scripts/demo
export TRENDTOP_DEMO_SKIP_BUILD=1 TRENDTOP

set +e
timeout 120 "$DEMO" --intervals 2 -o tsv >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
assert_eq "exit status after --intervals 2" 0 "$rc"
grep -q Traceback "$WORK/err" && fail "traceback: $(cat "$WORK/err")"
# Two consecutive 5-second windows (the first may have started before the stream), of 1 to 10 rows each,
# ranked 1.. with counts not increasing; the second holds about 1500 tweets, so its top tag is common.
python3 - "$WORK/out" <<'EOF' || fail "demo output: $(cat "$WORK/out")"
import datetime, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
windows = {}
for start, end, rank, key, count, *_changes in rows:
    windows.setdefault((start, end), []).append((int(rank), key, int(count)))
t = lambda s: datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
bounds = sorted(windows)
assert len(bounds) == 2, bounds
for start, end in bounds:
    assert (t(end) - t(start)).total_seconds() == 5, (start, end)
    top = windows[(start, end)]
    assert 1 <= len(top) <= 10, top
    assert [r for r, _, _ in top] == list(range(1, len(top) + 1)), top
    assert all(k.startswith("#") and len(k) > 1 for _, k, _ in top), top
    assert all(a[2] >= b[2] > 0 for a, b in zip(top, top[1:])), top
assert bounds[0][1] == bounds[1][0], bounds
assert len(windows[bounds[1]]) == 10 and windows[bounds[1]][0][2] >= 50, windows[bounds[1]]
now = datetime.datetime.utcnow()
assert abs((now - t(bounds[1][1])).total_seconds()) < 60, ("not the wall clock", bounds, now)
EOF

# Ctrl-C: SIGINT to the demo's process group (as a terminal sends it), in the middle of a window.
set -m # the demo in its own process group, with SIGINT not ignored
"$DEMO" --window 2s -o json >"$WORK/out" 2>"$WORK/err" & # --window replaces the demo's 5s
demo=$!
set +m
# Until the generator and trendtop really run: trendtop printed its first window (2 s of generated tweets).
# Processes merely existing is not enough: a Python interpreter still starting dies of SIGINT with "Fatal
# Python error: init_import_site" on a busy machine.
for _ in $(seq 1200); do
  [ -s "$WORK/out" ] && break
  kill -0 "$demo" 2>/dev/null || fail "the demo ended before its first window: $(cat "$WORK/err")"
  sleep 0.05
done
[ -s "$WORK/out" ] || { kill -KILL -- -"$demo" 2>/dev/null; fail "no window within 60 s: $(cat "$WORK/err")"; }
# Then aim at the middle of the open 2-second window, so that it holds records (aiming, not waiting for
# anything to start).
ms=$(($(date +%s%3N) % 2000))
sleep "$(((3000 - ms) % 2000 / 1000)).$(printf %03d $(((3000 - ms) % 2000 % 1000)))"
kill -INT -- -"$demo"
set +e
timeout 60 tail --pid="$demo" -f /dev/null
wait "$demo"
rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 130 ] || fail "exit status after Ctrl-C: $rc ($(cat "$WORK/err"))"
# The demo waited for both; give the process table a moment to agree (bounded, no fixed sleep).
for _ in $(seq 100); do pgrep -g "$demo" >/dev/null || break; sleep 0.05; done
left=$(pgrep -a -g "$demo" || true)
[ -z "$left" ] || { kill -KILL -- -"$demo" 2>/dev/null; fail "still running after Ctrl-C: $left"; }
grep -q Traceback "$WORK/err" && fail "traceback: $(cat "$WORK/err")"
# trendtop printed the open window, marked partial, with what it had counted.
jq -e -s 'length >= 1 and (last | .final == false and .records > 0 and (.top | length) >= 1)' "$WORK/out" >/dev/null ||
  fail "after Ctrl-C: $(cat "$WORK/out")"

# The build (issue 17): only the trendtop target, with progress on stderr. In a copy of the repository's
# scripts, with cmake and install-deps replaced by stubs that log what they were asked and put the binary
# under test where the build would.
mkdir -p "$WORK/repo/scripts" "$WORK/stubs"
cp "$DEMO" "$SRC/scripts/gen-tweets" "$WORK/repo/scripts/"
printf '#!/bin/sh\necho install-deps >>"%s"\n' "$WORK/calls" >"$WORK/repo/scripts/install-deps"
cat >"$WORK/stubs/cmake" <<STUB
#!/bin/sh
echo "cmake \$*" >>"$WORK/calls"
case " \$* " in *" --build "*) mkdir -p build && ln -sf "$TRENDTOP" build/trendtop && echo "[100%] Built target trendtop" ;; esac
STUB
chmod +x "$WORK/repo/scripts/install-deps" "$WORK/stubs/cmake"
set +e
(unset TRENDTOP_DEMO_SKIP_BUILD TRENDTOP && PATH="$WORK/stubs:$PATH" timeout 120 "$WORK/repo/scripts/demo" --intervals 1 -o tsv \
  >"$WORK/out" 2>"$WORK/err")
rc=$?
set -e
assert_eq "demo with a build: status" 0 "$rc"
grep -q -- '^cmake --build build --target trendtop -j[0-9]*$' "$WORK/calls" || fail "build: $(cat "$WORK/calls")"
assert_eq "cmake --build calls" 1 "$(grep -c -- '--build' "$WORK/calls")"
for step in "1/3 checking" "2/3 configuring" "3/3 building build/trendtop only"; do
  grep -q "^demo: $step" "$WORK/err" || fail "no progress [$step]: $(cat "$WORK/err")"
done
grep -q 'Built target trendtop' "$WORK/err" || fail "cmake's own progress not on stderr"
if grep -q 'Built target' "$WORK/out"; then fail "build output among the windows"; fi
[ -s "$WORK/out" ] || fail "demo with a build printed no window"
