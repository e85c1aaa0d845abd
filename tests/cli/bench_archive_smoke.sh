# scripts/bench --archive --quick on a tiny input (2 MiB in per-minute files, compressed four ways, and in
# one file per parallel tool) into a temporary cache: the section runs to the end and its report has a row
# for every trendtop command of every format with a positive wall and CPU time, a row for each target (PASS,
# MISS or "not run" when a tool such as lbzip2 is missing), and every command and format printed the same
# top 10. The numbers are not judged (sanitizer builds, a busy machine); that the section runs at all is: a
# change to the timing helper once broke it.
. "$(dirname "$0")/common.sh"
BENCH=$SRC/scripts/bench
BUILD=${BUILD_DIR:-$(dirname "$TRENDTOP")}
for tool in bzcat zcat zstd xzcat; do
  command -v $tool >/dev/null || skip "$tool not installed"
done

"$BENCH" --archive --quick --size 2M --dir "$WORK/cache" --build "$BUILD" --trendtop "$TRENDTOP" \
  >"$WORK/report" 2>"$WORK/log" || { tail -20 "$WORK/log" >&2; fail "scripts/bench --archive --quick"; }

grep -q '^## Archive benchmark: `.*scripts/bench --archive --quick --size 2M' "$WORK/report" ||
  fail "no command line in the report"
threads=$(nproc)
for fmt in bzip2 gzip zstd xz; do
  for j in $(printf '%s\n' 1 "$threads" | sort -un); do
    row=$(grep -F "| $fmt | " "$WORK/report" | grep -F "| \`trendtop -j $j -w 1d FILES\` |") ||
      { cat "$WORK/report" >&2; fail "no row: $fmt, trendtop -j $j"; }
    python3 - "$row" <<'EOF' || fail "bad numbers in: $row"
import re, sys
cells = [c.strip() for c in re.split(r"(?<!\\)\|", sys.argv[1])[1:-1]]
assert len(cells) == 8, cells
wall = float(re.fullmatch(r"([0-9.]+) s", cells[3]).group(1))
assert 0 < wall < 120, cells
cpu = float(re.fullmatch(r"([0-9.]+) s", cells[4]).group(1))
assert 0 < cpu < 600, cells
assert re.fullmatch(r"[0-9.]+x", cells[7]), cells
EOF
  done
  grep -q "^- check: $fmt: every command printed the same top 10$" "$WORK/report" ||
    fail "$fmt: $(grep "check: $fmt" "$WORK/report")"
done
# One big file per format, made by its parallel tool (when installed: scripts/install-deps).
for spec in "zstd (pzstd):pzstd" "gzip (bgzip):bgzip" "xz (xz -T):xz"; do
  fmt=${spec%%:*} tool=${spec#*:}
  command -v "$tool" >/dev/null || continue
  grep -F "| $fmt | " "$WORK/report" | grep -qF "| \`trendtop -j $threads -w 1d FILE\` |" ||
    { cat "$WORK/report" >&2; fail "no row: $fmt, one file"; }
  grep -qF -- "- check: $fmt (one file): every command printed the same top 10" "$WORK/report" ||
    fail "$fmt: $(grep -F "check: $fmt" "$WORK/report")"
done
grep -q '^- check: all formats agree$' "$WORK/report" || fail "formats disagree"
for target in "bzip2: \`trendtop -j $threads\` at least 2x" "gzip: \`trendtop -j $threads\` at least 1.8x" \
  "zstd: \`trendtop -j $threads\` not slower" "peak RSS of trendtop under 100 MB"; do
  grep -F "| $target" "$WORK/report" | grep -E -q '\| (PASS|MISS|n/a) \|$' ||
    fail "target '$target' has no result row"
done
