# One compressed file decodes on every core when its format splits into independent pieces: pzstd's
# frames, bgzip's BGZF members, the blocks of `xz -T2 --block-size` (src/input/pieces.cpp). The output is
# exactly that of the format's own decompressor piped into trendtop, for -j 1, 2 and 3, from the file and
# from stdin (which stays one stream); every line is accounted for in --stats, whose bytes are the
# compressed ones. Files mixing pieces with what does not split (a plain zstd frame or gzip member after
# them) are read the same way.
. "$(dirname "$0")/common.sh"
for tool in zstd pzstd bgzip gzip xz; do
  command -v $tool >/dev/null || skip "$tool not installed (scripts/install-deps installs it)"
done
python3 "$SRC/scripts/gen-tweets" --count 1200 --seed 11 --start 2021-01-01T00:00:00Z >"$WORK/in.json"
args=(-w 1s -k 5 -o tsv --idle-timeout 0)
"$TRENDTOP" "${args[@]}" "$WORK/in.json" >"$WORK/expect"
[ "$(wc -l <"$WORK/expect")" -ge 15 ] || fail "too little output to compare: $(wc -l <"$WORK/expect") rows"
lines=$(wc -l <"$WORK/in.json")

# pieces FILE FORMAT: how many pieces the format's own tools (or a plain parser) see in FILE.
pieces() {
  case $2 in
    zstd) zstd -lv "$1" 2>&1 | sed -n 's/^# Zstandard Frames: //p' ;;
    xz) xz --robot --list "$1" | awk -F'\t' '$1 == "totals" { print $3 }' ;;
    bgzf) python3 - "$1" <<'EOF' ;;
import struct, sys
data, at, n = open(sys.argv[1], "rb").read(), 0, 0
while at < len(data) and data[at:at + 4] == b"\x1f\x8b\x08\x04" and data[at + 12:at + 14] == b"BC":
    at += struct.unpack_from("<H", data, at + 16)[0] + 1
    n += 1
print(n)
EOF
  esac
}

check() {  # check NAME DECOMPRESSOR FILE
  local name=$1 dec=$2 file=$3 j s
  $dec <"$file" | "$TRENDTOP" "${args[@]}" >"$WORK/piped"
  assert_files_eq "$name: $dec | trendtop" "$WORK/expect" "$WORK/piped"
  for j in 1 2 3; do
    "$TRENDTOP" "${args[@]}" -j $j --stats "$file" >"$WORK/out" 2>"$WORK/err" ||
      fail "$name -j $j: exit $? ($(cat "$WORK/err"))"
    assert_files_eq "$name: -j $j" "$WORK/expect" "$WORK/out"
    grep -q error "$WORK/err" && fail "$name -j $j: $(cat "$WORK/err")"
    s=$(grep "stats lines" "$WORK/err")
    assert_eq "$name -j $j: lines" "$lines" "$(stat_of lines "$s")"
    assert_balanced "$s"
    assert_eq "$name -j $j: bytes (compressed)" "$(stat -c %s "$file")" "$(stat_of bytes "$s")"
  done
  "$TRENDTOP" "${args[@]}" -j 2 <"$file" >"$WORK/out" || fail "$name: stdin: exit $?"
  assert_files_eq "$name: stdin" "$WORK/expect" "$WORK/out"
}

# pzstd -1 cuts the input every 2 MiB (4 windows of 512 KiB): a frame each, a skippable frame before each.
pzstd -q -p 2 -1 -c "$WORK/in.json" >"$WORK/p.zst"
n=$(pieces "$WORK/p.zst" zstd)
[ "$n" -ge 3 ] || fail "pzstd wrote $n frames: too few to test"
check "pzstd ($n frames)" "zstd -dcq" "$WORK/p.zst"
# bgzip: a member per 64 KiB of input.
bgzip -c "$WORK/in.json" >"$WORK/b.gz"
n=$(pieces "$WORK/b.gz" bgzf)
[ "$n" -ge 50 ] || fail "bgzip wrote $n members: too few to test"
check "bgzip ($n members)" "gzip -dc" "$WORK/b.gz"
# xz -T2 with 64 KiB blocks.
xz -T2 --block-size=64KiB -c "$WORK/in.json" >"$WORK/x.xz"
n=$(pieces "$WORK/x.xz" xz)
[ "$n" -ge 50 ] || fail "xz -T2 wrote $n blocks: too few to test"
check "xz -T2 ($n blocks)" "xz -dc" "$WORK/x.xz"

# Pieces, then what does not split: the rest is one stream from there. Cut the input in three.
split -n l/3 "$WORK/in.json" "$WORK/third."
pzstd -q -p 2 -1 -c "$WORK/third.aa" >"$WORK/m.zst"
zstd -q -c "$WORK/third.ab" >>"$WORK/m.zst"
pzstd -q -p 2 -1 -c "$WORK/third.ac" >>"$WORK/m.zst"
check "pzstd, zstd, pzstd" "zstd -dcq" "$WORK/m.zst"
bgzip -c "$WORK/third.aa" >"$WORK/m.gz"
gzip -c "$WORK/third.ab" >>"$WORK/m.gz"
bgzip -c "$WORK/third.ac" >>"$WORK/m.gz"
check "bgzip, gzip, bgzip" "gzip -dc" "$WORK/m.gz"
# Two xz streams, stream padding between them: every block of both.
{ xz -T2 --block-size=64KiB -c "$WORK/third.aa"; head -c 8 /dev/zero; xz -T2 --block-size=64KiB -c "$WORK/third.ab"
  xz -c "$WORK/third.ac"; } >"$WORK/m.xz"
check "xz streams" "xz -dc" "$WORK/m.xz"
exit 0
