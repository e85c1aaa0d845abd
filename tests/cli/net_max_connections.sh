# Beyond --max-connections, producers wait in the backlog (logged once) and are served when others leave;
# nothing they send is lost. A silent producer holds a slot but does not stall the others.
. "$(dirname "$0")/common.sh"
for i in 0 1 2 3 4; do tweet $((1609459200000 + i)) "p$i" >"$WORK/p$i"; done
port=$(free_port)
"$TRENDTOP" --listen "$port" --max-connections 2 -k 0 -o json --stats >"$WORK/got.json" 2>"$WORK/err" &
tt=$!
wait_listening "$port"
$NET produce "$port" silent: "dribble:$WORK/p0" "whole:$WORK/p1" "dribble:$WORK/p2" "whole:$WORK/p3" "whole:$WORK/p4" ||
  fail "producers failed"
wait_read "$port"
kill -TERM "$tt"
wait "$tt"
json_to_tsv <"$WORK/got.json" >"$WORK/got"
assert_eq "every producer counted" "#p0 #p1 #p2 #p3 #p4" "$(cut -f4 "$WORK/got" | sort | xargs)"
assert_eq "warned once" 1 "$(grep -c 'connections open (--max-connections)' "$WORK/err")"
src=$(grep '^trendtop: stats source=' "$WORK/err")
assert_eq "accepted" 6 "$(stat_of accepted "$src")"
