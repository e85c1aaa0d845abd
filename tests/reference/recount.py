#!/usr/bin/env python3
"""Independent brute-force reference for trendtop (Python 3 standard library only).

Reads newline-delimited Twitter API v1.1 JSON and prints the top-k hashtags of every
event-time window.  It is written from the written specification, not from the C++
sources, and favours obviousness over speed: every window is a plain dict of counts.

    recount.py [--window MS] [--slide MS] [--lateness MS] [--top K] [--min-count N]
               [--extract entities|split] [--format tsv|json] [FILE...]

All times are integer milliseconds since the Unix epoch.  No FILE, or '-', reads stdin;
several files are concatenated byte for byte, in order.  Results go to stdout, and one
line of counters goes to stderr:

    lines=.. counted=.. malformed=.. skipped=.. late=.. blank=.. windows=..

Definitions (the specification, restated):

Lines
  The input is split on b'\\n'; one trailing b'\\r' is removed from each line.  A final
  line without a newline is still a line.  A line that is then empty or consists only of
  JSON whitespace (space, tab, CR) is *blank*.  A line is *malformed* if it is not valid
  UTF-8, not valid JSON (strict: no NaN/Infinity, no raw control characters in strings,
  no lone surrogate escapes) or not a JSON object.

Records
  A JSON object is a tweet iff it has a string "created_at", an object "user", and none
  of the stream-notice keys (delete, limit, status_withheld, user_withheld, scrub_geo,
  warning, disconnect).  Other objects are *skipped*.  Event time: "timestamp_ms" (a
  string of ASCII digits with optional leading '-', or a JSON integer) when the key is
  present, else "created_at" ("Fri Mar 30 00:47:14 +0000 2018", offset honoured).  A
  tweet whose time cannot be obtained is *skipped*.

Keys
  entities: S = retweeted_status (if present and an object) else the tweet; hashtags from
    S.extended_tweet.entities.hashtags[].text if S has an object "extended_tweet", else
    S.entities.hashtags[].text; key = "#" + NFC(casefold(NFD(tag))); distinct per record.
  split: top-level "text".split(' '), words starting with '#', key = word.lower();
    every occurrence counts.

Windows
  [end - W, end) with end a multiple of the slide L, W a multiple of L.  Time t is in
  the W/L windows whose end lies in (t, t + W].  Emission follows the watermark rule in
  main() below; see the comments there.
"""

import argparse
import datetime
import json
import math
import re
import sys
import unicodedata

NOTICE_KEYS = ("delete", "limit", "status_withheld", "user_withheld", "scrub_geo", "warning", "disconnect")
JSON_WHITESPACE = b" \t\r"

MONTHS = {m: i + 1 for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CREATED_AT_RE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) "
    r"([+-])([0-9]{2})([0-9]{2}) ([0-9]{4})")
TIMESTAMP_MS_RE = re.compile(r"-?[0-9]+")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


# ----------------------------------------------------------------------------------------
# Parsing one line
# ----------------------------------------------------------------------------------------

def _reject_constant(name):
    raise ValueError("non-standard JSON constant " + name)


def parse_object(line):
    """Return the JSON object (dict) of a non-blank line, or None if the line is malformed."""
    try:
        text = line.decode("utf-8")  # strict: rejects invalid sequences, overlongs, encoded surrogates
    except UnicodeDecodeError:
        return None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError:  # json.JSONDecodeError is a ValueError
        return None
    if not isinstance(value, dict):
        return None
    # Python's json accepts a lone surrogate escape (\ud83d without its partner) and
    # returns a str holding a surrogate; such a string is not Unicode text.  Re-encoding
    # the whole object to UTF-8 finds one anywhere (in keys or values).
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def is_tweet(obj):
    if any(k in obj for k in NOTICE_KEYS):
        return False
    return isinstance(obj.get("created_at"), str) and isinstance(obj.get("user"), dict)


def parse_created_at(s):
    """'Fri Mar 30 00:47:14 +0000 2018' -> epoch ms, or None."""
    m = CREATED_AT_RE.fullmatch(s)
    if not m:
        return None
    _wd, mon, day, hh, mi, ss, sign, oh, om, year = m.groups()
    try:
        local = datetime.datetime(int(year), MONTHS[mon], int(day), int(hh), int(mi), int(ss))
    except ValueError:  # day 31 in a 30-day month, hour 24, second 60, ...
        return None
    if int(oh) > 23 or int(om) > 59:
        return None
    offset_s = (int(oh) * 3600 + int(om) * 60) * (1 if sign == "+" else -1)
    # local time = UTC + offset, so UTC = local - offset.
    local_as_utc_s = (local - datetime.datetime(1970, 1, 1)) // datetime.timedelta(seconds=1)
    return (local_as_utc_s - offset_s) * 1000


def event_time(tweet):
    """Epoch milliseconds of a tweet, or None."""
    if "timestamp_ms" in tweet:
        ts = tweet["timestamp_ms"]
        if isinstance(ts, bool):
            return None
        if isinstance(ts, int):
            return ts
        if isinstance(ts, str) and TIMESTAMP_MS_RE.fullmatch(ts):
            return int(ts)
        return None
    return parse_created_at(tweet["created_at"])


# ----------------------------------------------------------------------------------------
# Keys
# ----------------------------------------------------------------------------------------

def normalize_tag(tag):
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", tag).casefold())


def keys_entities(tweet):
    """Distinct normalised hashtag keys of a tweet (a list without duplicates)."""
    source = tweet.get("retweeted_status")
    if not isinstance(source, dict):
        source = tweet
    ext = source.get("extended_tweet")
    holder = ext if isinstance(ext, dict) else source
    entities = holder.get("entities")
    hashtags = entities.get("hashtags") if isinstance(entities, dict) else None
    if not isinstance(hashtags, list):
        return []
    keys = []
    for h in hashtags:
        if isinstance(h, dict) and isinstance(h.get("text"), str):
            key = "#" + normalize_tag(h["text"])
            if key not in keys:
                keys.append(key)
    return keys


def keys_split(tweet):
    """Every '#' word of the top-level text, lower-cased (a list, duplicates kept)."""
    text = tweet.get("text")
    if not isinstance(text, str):
        return []
    return [w.lower() for w in text.split(" ") if w.startswith("#")]


# ----------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------

def rfc3339(ms):
    dt = EPOCH + datetime.timedelta(milliseconds=ms)
    s = "%04d-%02d-%02dT%02d:%02d:%02d" % (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second)
    frac = ms % 1000  # Python %: non-negative even for negative ms
    if frac:
        s += ".%03d" % frac
    return s + "Z"


def tsv_escape(key):
    return key.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def ranked(counts, top, min_count):
    items = [(k, c) for k, c in counts.items() if c >= min_count]
    items.sort(key=lambda kc: (-kc[1], kc[0].encode("utf-8")))
    return items if top == 0 else items[:top]


class Baseline:
    """--rank trend as trendtop's man page defines it, written out eagerly: per key the weighted count of the
    windows so far (the last window weighs 1, the one before d, ...; d = e^(-slide/baseline)), divided by the
    weights of the windows seen; keys whose weighted count falls below 0.5 are forgotten at each sweep (every
    quarter of the baseline's length in windows). Decay is applied as sum * d ** age, as trendtop does, so the
    floating-point results are the same bits."""

    def __init__(self, slide, baseline):
        self.d = math.exp(-slide / baseline)
        self.stats = {}  # key -> [weighted sum as of window `at`, at]
        self.weight = 0.0
        self.n = 0
        self.next_sweep = 0

    def mean(self, key):
        s = self.stats.get(key)
        if s is None or self.weight == 0:
            return 0.0
        return s[0] * self.d ** (self.n - s[1]) / self.weight

    def add(self, counts):
        self.n += 1
        self.weight = self.weight * self.d + 1
        for k, c in counts.items():
            s = self.stats.get(k)
            if s is None:
                self.stats[k] = [float(c), self.n]
            else:
                s[0] = s[0] * self.d ** (self.n - s[1]) + c
                s[1] = self.n
        if self.n >= self.next_sweep:
            kept = {}
            for k, (v, at) in self.stats.items():
                v = v * self.d ** (self.n - at)
                if v >= 0.5:
                    kept[k] = [v, self.n]
            self.stats = kept
            self.next_sweep = self.n + max(1, int((1 / (1 - self.d)) / 4))


def trend_ranked(counts, top, min_count, baseline):
    items = []
    for k, c in counts.items():
        if c >= min_count:
            b = baseline.mean(k)
            items.append((k, c, (c - b) / math.sqrt(b + 5.0), b))
    items.sort(key=lambda x: (-round(x[2] * 1e6), -x[1], x[0].encode("utf-8")))  # within 1e-6: a tie
    return items if top == 0 else items[:top]


def two_places(v):
    return "%.2f" % (0.0 if abs(v) < 0.005 else v)


# ----------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------

def nonneg_int(s):
    if not re.fullmatch(r"[0-9]+", s):
        raise argparse.ArgumentTypeError("not a non-negative integer: %r" % s)
    return int(s)


def read_input(files, prog):
    if not files:
        files = ["-"]
    chunks = []
    for name in files:
        if name == "-":
            chunks.append(sys.stdin.buffer.read())
        else:
            try:
                with open(name, "rb") as f:
                    chunks.append(f.read())
            except OSError as e:
                sys.stderr.write("%s: %s: %s\n" % (prog, name, e.strerror))
                sys.exit(2)
    return b"".join(chunks)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="recount.py", description="Brute-force reference for trendtop.")
    ap.add_argument("--window", type=nonneg_int, default=10000, metavar="MS")
    ap.add_argument("--slide", type=nonneg_int, default=None, metavar="MS")
    ap.add_argument("--lateness", type=nonneg_int, default=0, metavar="MS")
    ap.add_argument("--top", type=nonneg_int, default=10, metavar="K")
    ap.add_argument("--min-count", type=nonneg_int, default=1, metavar="N")
    ap.add_argument("--extract", choices=("entities", "split"), default="entities")
    ap.add_argument("--format", choices=("tsv", "json"), default="tsv")
    ap.add_argument("--rank", choices=("count", "trend"), default="count")
    ap.add_argument("--baseline", type=nonneg_int, default=None, metavar="MS")
    ap.add_argument("files", nargs="*", metavar="FILE")
    args = ap.parse_args(argv)

    W = args.window
    L = args.window if args.slide is None else args.slide
    if W <= 0 or L <= 0 or W % L != 0:
        ap.error("window and slide must be positive and the window a multiple of the slide")
    lateness, top, min_count = args.lateness, args.top, args.min_count
    baseline = Baseline(L, args.baseline or max(3600000, L)) if args.rank == "trend" else None
    extract = keys_entities if args.extract == "entities" else keys_split

    data = read_input(args.files, ap.prog)
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the piece after a final newline is not a line (and empty input has none)

    out = sys.stdout.buffer
    stats = dict(lines=0, counted=0, malformed=0, skipped=0, late=0, blank=0, windows=0)

    windows = {}         # window end -> [records, {key: count}] for windows not yet emitted
    last_emitted = None  # E: end of the last emitted window
    first_end = None     # min over counted records of floor(t/L)*L + L
    last_end = None      # max over counted records of floor(t/L)*L + W
    max_time = None      # max event time over all tweets (late ones included)

    prev_counts, prev_ranks = {}, {}  # the previous emitted window's counts, and its ranked keys' ranks

    def emit(end):
        nonlocal last_emitted, prev_counts, prev_ranks
        records, counts = windows.pop(end, [0, {}])
        if baseline is None:
            top_list = ranked(counts, top, min_count)
            scores = {}
        else:
            trend = trend_ranked(counts, top, min_count, baseline)
            top_list = [(k, c) for k, c, _, _ in trend]
            scores = {k: (score, b) for k, _, score, b in trend}
            baseline.add(counts)
        start_s, end_s = rfc3339(end - W), rfc3339(end)

        def change(key, rank):
            return None if key not in prev_ranks else prev_ranks[key] - rank

        if args.format == "tsv":
            for rank, (key, count) in enumerate(top_list, 1):
                prev, moved = prev_counts.get(key, 0), change(key, rank)
                row = "%s\t%s\t%d\t%s\t%d\t%d\t%d\t%s" % (start_s, end_s, rank, tsv_escape(key), count, prev,
                                                         count - prev, "new" if moved is None else moved)
                if key in scores:
                    row += "\t%s\t%s" % (two_places(scores[key][0]), two_places(scores[key][1]))
                out.write((row + "\n").encode("utf-8"))
        else:
            doc = {"window_start": start_s, "window_end": end_s, "records": records, "keys": len(counts),
                   "top": [{"key": k, "count": c, "prev": prev_counts.get(k, 0), "delta": c - prev_counts.get(k, 0),
                            "rank_change": change(k, r), "new": k not in prev_ranks}
                           for r, (k, c) in enumerate(top_list, 1)]}
            out.write((json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
        prev_counts = counts
        prev_ranks = {k: r for r, (k, _) in enumerate(top_list, 1)}
        stats["windows"] += 1
        last_emitted = end

    def emit_through(limit):
        """Emit every not yet emitted window with end <= limit, in order of end, gaps included."""
        if first_end is None:
            return  # nothing was ever counted
        end = first_end if last_emitted is None else last_emitted + L
        while end <= limit:
            emit(end)
            end += L

    for raw in lines:
        stats["lines"] += 1
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if line.strip(JSON_WHITESPACE) == b"":
            stats["blank"] += 1
            continue
        obj = parse_object(line)
        if obj is None:
            stats["malformed"] += 1
            continue
        if not is_tweet(obj):
            stats["skipped"] += 1
            continue
        t = event_time(obj)
        if t is None:
            stats["skipped"] += 1
            continue

        # The windows holding t have ends e0, e0 + L, ..., e0 + W - L (all in (t, t + W]).
        e0 = (t // L) * L + L
        ends = range(e0, e0 + W, L)
        open_ends = [e for e in ends if last_emitted is None or e > last_emitted]
        if open_ends:
            stats["counted"] += 1
            keys = extract(obj)
            for e in open_ends:
                w = windows.setdefault(e, [0, {}])
                w[0] += 1
                for k in keys:
                    w[1][k] = w[1].get(k, 0) + 1
            first_end = e0 if first_end is None else min(first_end, e0)
            last_end = e0 + W - L if last_end is None else max(last_end, e0 + W - L)
        else:
            stats["late"] += 1

        max_time = t if max_time is None else max(max_time, t)
        emit_through(max_time - lateness)

    if last_end is not None:
        emit_through(last_end)
    out.flush()

    assert stats["lines"] == sum(stats[k] for k in ("counted", "malformed", "skipped", "late", "blank"))
    sys.stderr.write(" ".join("%s=%d" % (k, stats[k]) for k in
                              ("lines", "counted", "malformed", "skipped", "late", "blank", "windows")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
