# --connect http:// server-sent events longer than --max-line (url_server.py, /usr/bin/python3; the real
# Mastodon capture in ../shared/data): an event is the unit, so one that does not fit is counted once as
# oversized, and the resume cursor (Last-Event-ID, saved in --state) only moves past events wholly handled.
# Event 3 is a status whose data line fits in --max-line (its length + 10) but whose id and event lines make
# the event longer; events 2 and 4 have data lines longer than that. Before, event 3 was dispatched in the
# middle, its id recorded before its data was counted: cut after its data line, the stream resumed after
# event 3 and its status was lost; uncut, the status was counted as if the event fitted.
. "$(dirname "$0")/common.sh"
need_data
need_url_sources
events=$DATA/mastodon_sse_sample.txt
# The expected windows: the file's lines without event 3 (read as lines, where each line is judged alone).
python3 - "$events" "$WORK/without3" "$WORK/max_line" <<'PY'
import sys
blocks = [b for b in open(sys.argv[1], encoding="utf-8").read().split("\n\n") if b]
data = [l for l in blocks[2].split("\n") if l.startswith("data:")]
assert blocks[2].startswith("event: update\n") and len(data) == 1, blocks[2][:40]
open(sys.argv[2], "w", encoding="utf-8").write("".join(b + "\n\n" for i, b in enumerate(blocks) if i != 2))
open(sys.argv[3], "w").write(str(len(data[0].encode()) + 10))
PY
max_line=$(cat "$WORK/max_line")
flags=(-w 1s --lateness 2s -k 0 --keys hashtags,words -o json --stats --max-line "$max_line")
"$TRENDTOP" "${flags[@]}" "$WORK/without3" >"$WORK/expect" 2>"$WORK/expect.err"
windows=$(wc -l <"$WORK/expect")
[ "$windows" -ge 1 ] || fail "expected windows from the file, got $windows"
e=$(grep '^trendtop: stats lines=' "$WORK/expect.err")
counted=$(stat_of counted "$e")
assert_eq "oversized lines in the file (events 2 and 4)" 2 "$(stat_of oversized "$e")"
url_run() { # NAME [OPTION...]: trendtop on the server's stream, until its windows are out
  local name=$1
  shift
  timeout 60 "$TRENDTOP" --connect "http://127.0.0.1:$port/api/v1/streaming/public" "${flags[@]}" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" || fail "$name: status $?: $(cat "$WORK/$name.err")"
  s=$(grep '^trendtop: stats lines=' "$WORK/$name.err")
  assert_balanced "$s"
}

# Whole: event 3 is one oversized line; the statuses of the others are counted.
start_url_server whole sse "$events" --ids --end close
url_run whole --retry 0
assert_files_eq "windows without the oversized event" "$WORK/expect" "$WORK/whole.out"
assert_eq "counted" "$counted" "$(stat_of counted "$s")"
assert_eq "oversized: events 2, 3 and 4, once each" 3 "$(stat_of oversized "$s")"

# Cut after event 3's data line: resumed after event 2, and event 3, sent twice, is counted once.
start_url_server cut sse "$events" --ids --cut 3 --cut-lines 3
url_run cut --retry 2 --idle-timeout 1s --intervals "$windows"
assert_eq "Last-Event-ID sent" "none 2" "$(sed -n 's/^GET .* last-event-id=//p' "$WORK/cut.log" | tr '\n' ' ' | sed 's/ $//')"
assert_files_eq "windows across the resume" "$WORK/expect" "$WORK/cut.out"
assert_eq "counted across the resume" "$counted" "$(stat_of counted "$s")"
assert_eq "oversized across the resume" 3 "$(stat_of oversized "$s")"

# The same across a restart: the state's cursor is event 2, not the unfinished event 3 (the second run
# ends the state with --flush, printing the windows it kept open).
start_url_server restart sse "$events" --ids --cut 3 --cut-lines 3 --end close
url_run first --retry 0 --state "$WORK/st"
url_run second --retry 0 --state "$WORK/st" --flush
assert_eq "Last-Event-ID sent by each run" "none 2" \
  "$(sed -n 's/^GET .* last-event-id=//p' "$WORK/restart.log" | tr '\n' ' ' | sed 's/ $//')"
cat "$WORK/first.out" "$WORK/second.out" >"$WORK/both.out"
assert_files_eq "windows across a restart" "$WORK/expect" "$WORK/both.out"
assert_eq "counted across a restart" "$counted" "$(stat_of counted "$s")"
assert_eq "oversized across a restart" 3 "$(stat_of oversized "$s")"
