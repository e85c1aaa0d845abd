# A directory is read recursively, entries in name order (bytewise); dot files and dot directories, FIFOs and
# symbolic links to directories are skipped; a symbolic link to a file is read. Compressed files in it are
# decompressed like any other input.
. "$(dirname "$0")/common.sh"
d=$WORK/grab
mkdir -p "$d/2021/01/01/00" "$d/2021/01/01/01" "$d/2021/01/02/00" "$d/.hidden" "$WORK/elsewhere"
put() {  # put PATH TAG SECOND: one tweet, hashtag TAG, at SECOND (its place in the expected order)
  tweet $((1609459200000 + $3 * 1000)) "$2" >"$WORK/line"
  case $1 in
    *.bz2) bzip2 -c "$WORK/line" >"$1" ;;
    *.gz) gzip -c "$WORK/line" >"$1" ;;
    *) cp "$WORK/line" "$1" ;;
  esac
}
# Written out of order: the names decide.
put "$d/2021/01/02/00/00.json.bz2" e 5
put "$d/2021/01/01/01/00.json.gz" c 3
put "$d/2021/01/01/00/10.json.bz2" b 2
put "$d/2021/01/01/00/09.json" a 1
put "$d/2021/01/01/01/59.json.bz2" d 4
put "$d/.hidden/00.json" hidden 7
put "$d/2021/01/01/00/.partial.json" dotfile 8
put "$WORK/elsewhere/x.json" linkeddir 9
put "$WORK/linked.json" f 6
ln -s "$WORK/linked.json" "$d/2021/01/02/zz.json"
ln -s "$WORK/elsewhere" "$d/2021/01/02/00/zzdir"
mkfifo "$d/2021/01/01/00/fifo"
# -w 1s: one window per tweet. Each tweet's time is its place in the expected order, so a file read out of
# order would come too late for its window (dropped, counted as late).
timeout 20 "$TRENDTOP" -w 1s -o tsv --stats "$d" 2>"$WORK/err" | cut -f4 | tr '\n' ' ' >"$WORK/order"
assert_eq "name order, skipping dot files, FIFOs and links to directories" "#a #b #c #d #e #f " "$(cat "$WORK/order")"
s=$(grep "stats lines" "$WORK/err")
assert_eq "lines" 6 "$(stat_of lines "$s")"
assert_eq "late" 0 "$(stat_of late "$s")"
# A directory among files and stdin keeps its place.
tweet 1609459200000 first >"$WORK/first.json"
timeout 20 "$TRENDTOP" -w 1s -o tsv "$WORK/first.json" "$d/2021/01/01/01" - <"$WORK/linked.json" | cut -f4 |
  tr '\n' ' ' >"$WORK/order2"
assert_eq "directory between a file and stdin" "#first #c #d #f " "$(cat "$WORK/order2")"
# An unreadable directory is reported; the rest is read.
if [ "$(id -u)" != 0 ]; then
  mkdir "$WORK/locked" && chmod 000 "$WORK/locked"
  "$TRENDTOP" -o tsv "$WORK/locked" "$WORK/first.json" >"$WORK/out" 2>"$WORK/err" && fail "unreadable dir: exit 0"
  grep -q "cannot read directory '$WORK/locked'" "$WORK/err" || fail "$(cat "$WORK/err")"
fi
exit 0
