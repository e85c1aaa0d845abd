# Every example of the README and the man pages runs as written (issue 17): each trendtop invocation of
# their sh blocks, cron entries and EXAMPLES is extracted (tests/cli/examples.py) and run on the shared data,
# the example's file names standing for it; it must not be refused (status 2) nor fail (1). Live sources
# (--listen, --connect, --kafka) have 3 s, then a timeout is as good as an end; --listen gets a free port.
# Merges get two partial streams of the same settings in place of their files. Plain python3 (stdlib).
. "$(dirname "$0")/common.sh"
need_data
ex=$WORK/ex
mkdir -p "$ex/twitter-stream-2021-01-01/07" "$ex/2021/01/01/07" "$ex/root/data" "$ex/root/var/lib/trendtop" \
  "$ex/root/reports" "$ex/root/var/log" "$ex/merge"
head1000=$DATA/tweets_v1_stream_head1000.ndjson
for f in tweets stream archive merged local; do ln -s "$head1000" "$ex/$f.ndjson"; done
ln -s "$head1000" "$ex/root/data/X.ndjson"
ln -s "$head1000" "$ex/root/data/tweets-X.ndjson"
ln -s "$DATA/jetstream_sample.ndjson" "$ex/jetstream.ndjson"
ln -s "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" "$ex/twitter-stream-2021-01-01/07/29.json.bz2"
ln -s "$DATA/tweets_v1_stream_20210101T0729Z.json.bz2" "$ex/2021/01/01/07/29.json.bz2"
gzip -c "$DATA/tweets_v1_sample.ndjson" >"$ex/2021/01/01/07/30.json.gz"
for s in 200 404 200 500; do printf '{"status":%s,"ts":"2021-01-01T00:00:0%sZ"}\n' "$s" "${s:0:1}"; done >"$ex/access.ndjson"
head -500 "$head1000" | "$TRENDTOP" -o partial >"$ex/merge/a.partial"
tail -n +501 "$head1000" | "$TRENDTOP" -o partial >"$ex/merge/b.partial"
python3 "$SRC/tests/cli/examples.py" "$SRC/README.md" "$SRC/man/trendtop.1" "$SRC/man/trendtop-merge.1" \
  >"$WORK/examples"
[ "$(wc -l <"$WORK/examples")" -ge 40 ] || fail "only $(wc -l <"$WORK/examples") examples found"
url=1
"$TRENDTOP" --help | grep -q 'URLs not built' && url=0
cd "$ex"
python3 - "$TRENDTOP" "$head1000" "$url" "$WORK/examples" <<'PY' || fail "examples that do not run as written (above)"
import concurrent.futures, json, socket, subprocess, sys
trendtop, stdin_file, url, examples = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return str(port)
def prepare(ex):
    args = ex["args"]
    if not url and any(a.startswith(("ws://", "wss://", "http://", "https://")) for a in args):
        return None
    if args[:1] == ["merge"]:
        # The merge's options as written, over two partial streams of the same settings.
        opts = [a for a in args[1:] if a.startswith("-") or a.isdigit() or a in ("csv", "json", "tsv", "text")]
        return ["merge"] + opts + ["merge/a.partial", "merge/b.partial"]
    mapped = []
    for a in args:
        if a.startswith("/") and a != "/dev/null":
            a = "root" + a
        if a in ("9999", "9998"):
            a = free_port()
        mapped.append(a)
    return mapped
def run(ex, args):
    with open(stdin_file, "rb") as stdin:
        try:
            p = subprocess.run([trendtop] + args, stdin=stdin, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=3)
            rc, err = p.returncode, p.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            rc, err = "timeout", (e.stderr or b"").decode(errors="replace")
    if rc in (0, "timeout"):
        return 0
    print(f"{ex['file']}: {ex['command']}\n  ran: trendtop {' '.join(args)}\n  status {rc}: {err.strip()}")
    return 1
todo = [(ex, prepare(ex)) for ex in map(json.loads, open(examples, encoding="utf-8"))]
todo = [(ex, args) for ex, args in todo if args is not None]
# Runs sharing a state file one after the other (a state file is locked); the others side by side, as most
# of their time is a live source's 3 s.
bad = sum(run(ex, args) for ex, args in todo if "--state" in args)
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    bad += sum(pool.map(lambda t: run(*t), [t for t in todo if "--state" not in t[1]]))
print(f"{sum(1 for _ in open(examples))} examples checked, {bad} failed")
sys.exit(1 if bad else 0)
PY
