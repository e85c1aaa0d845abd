# Damage in a file of pieces (zstd frames, BGZF members, xz blocks): a corrupt piece in the middle is
# reported in one line naming the file and the piece's offset, only that piece is lost and the pieces
# after it are read; a file cut short gives what the format's own tool prints before its error, then one
# error line. Then the next input is read; exit 1; every line read is accounted for in --stats. What each
# piece holds comes from outside trendtop: the parts the zstd file was made of, Python's zlib for the BGZF
# members, `xz --list` for the xz blocks.
. "$(dirname "$0")/common.sh"
for tool in zstd pzstd bgzip gzip xz; do
  command -v $tool >/dev/null || skip "$tool not installed (scripts/install-deps installs it)"
done
python3 "$SRC/scripts/gen-tweets" --count 1200 --seed 12 --start 2021-01-01T00:00:00Z >"$WORK/in.json"
tweet 1609459500000 after >"$WORK/after.json"
args=(-w 1m -k 5 -o tsv --idle-timeout 0)

# spoil FILE OFFSET: overwrites 8 bytes at OFFSET.
spoil() { printf '\x55\xaa\x55\xaa\x55\xaa\x55\xaa' | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# damaged NAME FILE EXPECTED_BYTES MESSAGE_REGEX: trendtop on FILE then after.json against EXPECTED_BYTES
# then after.json piped into trendtop, for -j 1, 2 and 3.
damaged() {
  local name=$1 file=$2 bytes=$3 regex=$4 j s
  cat "$bytes" "$WORK/after.json" | "$TRENDTOP" "${args[@]}" >"$WORK/expect" 2>/dev/null
  for j in 1 2 3; do
    "$TRENDTOP" "${args[@]}" -j $j --stats "$file" "$WORK/after.json" >"$WORK/out" 2>"$WORK/err" &&
      fail "$name -j $j: exit 0"
    [ $? -eq 1 ] || fail "$name -j $j: exit status"
    assert_files_eq "$name -j $j: the other pieces are read" "$WORK/expect" "$WORK/out"
    assert_eq "$name -j $j: one error line ($(cat "$WORK/err"))" 1 "$(grep -c error "$WORK/err")"
    grep -Eq "^trendtop: error: $file: $regex" "$WORK/err" || fail "$name -j $j: $(cat "$WORK/err")"
    s=$(grep "stats lines" "$WORK/err")
    assert_balanced "$s"
  done
}

# zstd: twelve frames of 100 lines each (zstd writes each frame's checksum); frame 6 is damaged.
split -l 100 -d "$WORK/in.json" "$WORK/part."
off=0
: >"$WORK/frames.zst"
: >"$WORK/kept"
for p in "$WORK"/part.*; do
  zstd -q -c "$p" >"$WORK/frame"
  if [ "$p" = "$WORK/part.06" ]; then bad_at=$off; else cat "$p" >>"$WORK/kept"; fi
  cat "$WORK/frame" >>"$WORK/frames.zst"
  off=$((off + $(stat -c %s "$WORK/frame")))
done
spoil "$WORK/frames.zst" $((bad_at + 2000))
damaged "zstd frame" "$WORK/frames.zst" "$WORK/kept" "corrupt zstd frame at byte $bad_at \(.*\); skipped$"

# BGZF: member 20 of about 80 is damaged; the others, each inflated by Python's zlib, are what survives.
bgzip -c "$WORK/in.json" >"$WORK/b.gz"
bad_at=$(python3 - "$WORK/b.gz" "$WORK/kept" <<'EOF'
import struct, sys, zlib
data, at, i, out = open(sys.argv[1], "rb").read(), 0, 0, open(sys.argv[2], "wb")
while at < len(data):
    size = struct.unpack_from("<H", data, at + 16)[0] + 1
    if i == 20:
        print(at)
    else:
        out.write(zlib.decompress(data[at:at + size], 31))
    at, i = at + size, i + 1
EOF
)
spoil "$WORK/b.gz" $((bad_at + 5000))
damaged "BGZF member" "$WORK/b.gz" "$WORK/kept" "corrupt gzip member at byte $bad_at \(.*\); skipped$"

# xz: block 20 of about 80 (64 KiB each) is damaged; xz --list says where it is and what it holds.
xz -T2 --block-size=64KiB -c "$WORK/in.json" >"$WORK/x.xz"
read -r bad_at uoff usize < <(xz --robot --list -vv "$WORK/x.xz" | awk -F'\t' '$1 == "block" && $4 == 20 { print $5, $6, $8 }')
[ -n "$usize" ] || fail "xz --list shows no block 20"
{ head -c "$uoff" "$WORK/in.json"; tail -c +$((uoff + usize + 1)) "$WORK/in.json"; } >"$WORK/kept"
spoil "$WORK/x.xz" $((bad_at + 3000))
damaged "xz block" "$WORK/x.xz" "$WORK/kept" "corrupt xz block at byte $bad_at \(.*\); skipped$"

# Cut short: what the format's tool prints of it before its error, then one error line.
pzstd -q -p 2 -1 -c "$WORK/in.json" >"$WORK/full.zst"
bgzip -c "$WORK/in.json" >"$WORK/full.gz"
xz -T2 --block-size=64KiB -c "$WORK/in.json" >"$WORK/full.xz"
for spec in "zst:zstd -dcq:zstd" "gz:gzip -dc:gzip" "xz:xz -dc:xz"; do
  IFS=: read -r ext dec name <<<"$spec"
  head -c $(($(stat -c %s "$WORK/full.$ext") * 2 / 3)) "$WORK/full.$ext" >"$WORK/cut.$ext"
  { $dec <"$WORK/cut.$ext" 2>/dev/null || true; } >"$WORK/partial"
  [ -s "$WORK/partial" ] || fail "$ext: $dec printed nothing of the truncated file"
  { cat "$WORK/partial"; echo; } >"$WORK/kept"
  damaged "$ext cut short" "$WORK/cut.$ext" "$WORK/kept" "truncated $name data"
done
exit 0
