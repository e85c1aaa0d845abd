// The pipeline's wall-clock duties with a fake clock: the caller pushes "now" in, so idle timeouts,
// --emit every and interrupts are checked to the millisecond without sleeping.
#include <catch2/catch.hpp>

#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "input/framer.h"
#include "pipeline.h"

using namespace trendtop;

namespace {

constexpr int64_t kT0 = 1609459200000;  // 2021-01-01T00:00:00Z, event time of the first tweet

// Captures what the pipeline writes, through a real file descriptor.
struct Captured {
  FILE* file = std::tmpfile();
  Output output{fileno(file)};
  ~Captured() { std::fclose(file); }
  // Everything written since the last call.
  std::string take() {
    std::string all;
    char buf[4096];
    ssize_t n;
    while ((n = pread(fileno(file), buf, sizeof buf, static_cast<off_t>(all.size()))) > 0) all.append(buf, n);
    std::string fresh = all.substr(seen_);
    seen_ = all.size();
    return fresh;
  }
  size_t seen_ = 0;
};

// A minimal status at event time t with one hashtag, padded as the framer would hand it out.
struct TweetLine {
  std::string storage;
  Line line;
  TweetLine(int64_t t, const std::string& tag, int user = 1) {
    storage = R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","user":{"id":)" + std::to_string(user) +
              R"(},"text":"x","entities":{"hashtags":[{"text":")" + tag + R"("}]},"timestamp_ms":")" +
              std::to_string(t) + "\"}";
    size_t len = storage.size();
    storage.append(Framer::kPadding, ' ');
    line.text = std::string_view(storage.data(), len);
  }
};

Config json_config() {
  Config c;
  c.output = OutputFormat::Json;
  c.time = TimeMode::Event;
  c.max_skew_ms = 0;  // arrival times here are small fake clocks, decades before the tweets
  return c;
}

int lines_in(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("pipeline: idle timeout advances the event-time watermark with the wall clock", "[pipeline]") {
  Config c = json_config();
  Captured out;
  Pipeline p(c, out.output, 0, /*idle_timeout_ms=*/2000);
  p.line(TweetLine(kT0 + 1000, "a").line, /*arrival_ms=*/5000);
  p.flush();
  // The window [0,10) ends 9 s of event time after the last record: 9 s of quiet wall time closes it, and
  // not before, even though the idle timeout itself (2 s) passed long ago.
  CHECK(p.next_deadline() == 5000 + 9000);
  p.tick(7000);
  p.tick(13999);
  p.flush();
  CHECK(out.take().empty());
  p.tick(14000);
  p.flush();
  std::string got = out.take();
  CHECK(lines_in(got) == 1);
  CHECK(got.find(R"("window_end":"2021-01-01T00:00:10Z")") != std::string::npos);
  CHECK(got.find(R"("final":true)") != std::string::npos);
  CHECK(p.stats().windows == 1);
  // A record that arrives now for the closed window is late, like any other.
  p.line(TweetLine(kT0 + 2000, "b").line, 14500);
  CHECK(p.stats().late == 1);
}

TEST_CASE("pipeline: a new record restarts the idle clock", "[pipeline]") {
  Config c = json_config();
  Captured out;
  Pipeline p(c, out.output, 0, 2000);
  p.line(TweetLine(kT0 + 9000, "a").line, 1000);
  p.tick(2500);                                   // 1.5 s quiet: under the timeout
  p.line(TweetLine(kT0 + 9500, "a").line, 2500);  // the stream is alive
  p.tick(4000);                                   // 1.5 s since the last record: nothing
  p.flush();
  CHECK(out.take().empty());
  p.tick(4500);  // 2 s quiet, watermark 9.5 s + 2 s passes the end at 10 s
  p.flush();
  CHECK(lines_in(out.take()) == 1);
}

TEST_CASE("pipeline: idle timeout 0 leaves event windows to the records", "[pipeline]") {
  Config c = json_config();
  Captured out;
  Pipeline p(c, out.output, 0, 0);
  p.line(TweetLine(kT0, "a").line, 1000);
  CHECK(p.next_deadline() == kNoTime);
  p.tick(1000 + 86'400'000);
  p.flush();
  CHECK(out.take().empty());
  p.line(TweetLine(kT0 + 10'000, "a").line, 1000 + 86'400'000);
  p.flush();
  CHECK(lines_in(out.take()) == 1);
}

TEST_CASE("pipeline: --emit every prints the running top-k on schedule, marked partial", "[pipeline]") {
  Config c = json_config();
  c.emit_every_ms = 1000;
  Captured out;
  Pipeline p(c, out.output, /*start_ms=*/500, 0);
  CHECK(p.next_deadline() == 1500);
  p.line(TweetLine(kT0, "a").line, 600);
  p.tick(1499);
  p.flush();
  CHECK(out.take().empty());
  p.tick(1500);
  p.flush();
  std::string first = out.take();
  CHECK(lines_in(first) == 1);
  CHECK(first.find(R"("final":false)") != std::string::npos);
  CHECK(first.find(R"("records":1)") != std::string::npos);
  CHECK(p.stats().partials == 1);
  CHECK(p.stats().windows == 0);
  p.line(TweetLine(kT0 + 1, "b").line, 1600);
  p.line(TweetLine(kT0 + 2, "b").line, 1700);
  p.tick(1900);  // not due yet
  p.flush();
  CHECK(out.take().empty());
  // A late tick (the process was busy) prints once, and the schedule keeps its phase.
  p.tick(4200);
  p.flush();
  std::string second = out.take();
  CHECK(lines_in(second) == 1);
  CHECK(
      second.find(
          R"("records":3,"keys":2,"final":false,"top":[{"key":"#b","count":2,"prev":0,"delta":2,"rank_change":)"
          R"(null,"new":true},{"key":"#a","count":1,"prev":0,"delta":1,"rank_change":null,"new":true}])") !=
      std::string::npos);
  CHECK(p.next_deadline() == 4500);
  p.finish(4300);
  p.flush();
  std::string last = out.take();
  CHECK(lines_in(last) == 1);
  CHECK(last.find(R"("final":true)") != std::string::npos);
}

TEST_CASE("pipeline: interrupt prints the open windows as partial, or counts them for TSV", "[pipeline]") {
  for (OutputFormat f : {OutputFormat::Json, OutputFormat::Tsv}) {
    Config c = json_config();
    c.output = f;
    c.window_ms = 20'000;
    c.slide_ms = 10'000;
    Captured out;
    Pipeline p(c, out.output, 0, 0);
    p.line(TweetLine(kT0 + 15'000, "a").line, 100);  // in [0,20) and [10,30)
    StateWriter before;
    p.sync();
    p.save(before);
    uint64_t hidden = p.interrupt(200);
    p.flush();
    std::string got = out.take();
    // The open windows stay open: the state, ranking history included, is what it was.
    StateWriter after;
    p.save(after);
    CHECK(before.payload() == after.payload());
    if (f == OutputFormat::Json) {
      CHECK(hidden == 0);
      CHECK(lines_in(got) == 2);
      CHECK(got.find(R"("final":true)") == std::string::npos);
      // The second open window is compared with the first, as a run to the end would print it.
      CHECK(got.find(R"({"key":"#a","count":1,"prev":0,"delta":1,"rank_change":null,"new":true})") <
            got.find(R"({"key":"#a","count":1,"prev":1,"delta":0,"rank_change":0,"new":false})"));
      CHECK(got.find(R"("prev":1)") != std::string::npos);
    } else {
      CHECK(hidden == 2);
      CHECK(got.empty());
    }
    CHECK(p.stats().windows == 0);
  }
}

TEST_CASE("pipeline: observe sees every window printed; peek ranks the open one without printing",
          "[pipeline]") {
  Config c = json_config();
  Captured cap;
  Pipeline p(c, cap.output, 0);
  struct Seen {
    int64_t start;
    bool final;
    std::vector<std::pair<std::string, uint64_t>> top;
  };
  std::vector<Seen> seen;
  auto keep = [&](const WindowResult& w) {
    Seen s{w.start, w.final, {}};
    for (const RankedKey& r : w.top) s.top.emplace_back(std::string(r.key), r.count);
    seen.push_back(s);
  };
  p.observe(keep);
  std::vector<Seen> peeked;
  CHECK_FALSE(p.peek([&](const WindowResult&) { FAIL("no window is open yet"); }));
  for (auto [t, tag] : {std::pair{kT0, "a"}, {kT0 + 1, "a"}, {kT0 + 2, "b"}, {kT0 + 10'000, "c"}}) {
    TweetLine l(t, tag);
    p.line(l.line, 0);
  }
  REQUIRE(seen.size() == 1);  // the first window closed
  CHECK(seen[0].final);
  CHECK(seen[0].start == kT0);
  CHECK(seen[0].top == std::vector<std::pair<std::string, uint64_t>>{{"#a", 2}, {"#b", 1}});
  p.flush();
  std::string printed = cap.take();
  CHECK(lines_in(printed) == 1);
  // The open window's running top-k: #c, new against the window before.
  std::vector<RankedKey> running;
  bool peeked_any = p.peek([&](const WindowResult& w) {
    CHECK_FALSE(w.final);
    CHECK(w.start == kT0 + 10'000);
    running.assign(w.top.begin(), w.top.end());
  });
  CHECK(peeked_any);
  REQUIRE(running.size() == 1);
  CHECK(running[0].key == "#c");
  CHECK(running[0].prev_rank == 0);
  p.flush();
  CHECK(cap.take().empty());  // peeking prints nothing
  CHECK(seen.size() == 1);    // nor is it observed
  CHECK(p.stats().partials == 0);
  p.finish(0);
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].top == std::vector<std::pair<std::string, uint64_t>>{{"#c", 1}});
}

TEST_CASE("pipeline: sliding windows from running totals: final, --emit every, peek and a signal's partials",
          "[pipeline]") {
  // 30 s windows sliding by 10 s (kT0 is a multiple of both): #a twice in [0,10), #b in [10,20), which
  // closes [-20,10).
  Config c = json_config();
  c.window_ms = 30'000;
  c.slide_ms = 10'000;
  c.emit_every_ms = 1000;
  Captured out;
  Pipeline p(c, out.output, 0, 0);
  p.line(TweetLine(kT0 + 1000, "a").line, 10);
  p.line(TweetLine(kT0 + 2000, "a").line, 20);
  p.line(TweetLine(kT0 + 11'000, "b").line, 30);
  p.flush();
  std::string got = out.take();
  CHECK(lines_in(got) == 1);
  CHECK(got.find(R"("records":2,"keys":1,"final":true,"top":[{"key":"#a","count":2,"prev":0,"delta":2,)"
                 R"("rank_change":null,"new":true}])") != std::string::npos);
  // The open window [-10,20), against the final one before it: #a stays first, #b is new.
  const char* running =
      R"("records":3,"keys":2,"final":false,"top":[{"key":"#a","count":2,"prev":2,"delta":0,)"
      R"("rank_change":0,"new":false},{"key":"#b","count":1,"prev":0,"delta":1,"rank_change":)"
      R"(null,"new":true}])";
  p.tick(1000);
  p.flush();
  got = out.take();
  CHECK(lines_in(got) == 1);
  CHECK(got.find(running) != std::string::npos);
  std::vector<std::pair<std::string, uint64_t>> peeked;
  CHECK(p.peek([&](const WindowResult& w) {
    for (const RankedKey& r : w.top) peeked.emplace_back(std::string(r.key), r.prev);
  }));
  CHECK(peeked == std::vector<std::pair<std::string, uint64_t>>{{"#a", 2}, {"#b", 0}});
  // #b at 21 s closes [-10,20) as the partial showed it.
  p.line(TweetLine(kT0 + 21'000, "b").line, 40);
  p.flush();
  got = out.take();
  CHECK(got.find(std::string(running).replace(std::string(running).find("false"), 5, "true")) !=
        std::string::npos);
  // A signal: the open windows [0,30) (#a 2, #b 2: a tie, #a first), [10,40) (#b 2) and [20,50) (#b 1),
  // each against the one before, as a run to the end prints them; nothing changes for the rest of the run.
  StateWriter before;
  p.save(before);
  CHECK(p.interrupt(2000) == 0);
  p.flush();
  std::string partials = out.take();
  StateWriter after;
  p.save(after);
  CHECK(before.payload() == after.payload());
  const char* open[] = {
      R"("records":4,"keys":2,"final":false,"top":[{"key":"#a","count":2,"prev":2,"delta":0,"rank_change":0,)"
      R"("new":false},{"key":"#b","count":2,"prev":1,"delta":1,"rank_change":0,"new":false}])",
      R"("records":2,"keys":1,"final":false,"top":[{"key":"#b","count":2,"prev":2,"delta":0,"rank_change":1,)"
      R"("new":false}])",
      R"("records":1,"keys":1,"final":false,"top":[{"key":"#b","count":1,"prev":2,"delta":-1,"rank_change":0,)"
      R"("new":false}])"};
  CHECK(lines_in(partials) == 3);
  size_t at = 0;
  for (const char* w : open) {
    size_t found = partials.find(w, at);
    CHECK(found != std::string::npos);
    at = found == std::string::npos ? at : found;
  }
  // The end of input closes the same windows, with the same counts and comparisons.
  p.finish(3000);
  p.flush();
  std::string finals = out.take();
  CHECK(lines_in(finals) == 3);
  at = 0;
  for (const char* w : open) {
    std::string final(w);
    final.replace(final.find("false"), 5, "true");
    size_t found = finals.find(final, at);
    CHECK(found != std::string::npos);
    at = found == std::string::npos ? at : found;
  }
}

TEST_CASE("pipeline: log sources' offsets ride in the state with the windows", "[pipeline]") {
  Config c = json_config();
  Captured out;
  Pipeline p(c, out.output, kT0);
  TweetLine t(kT0, "a");
  p.line(t.line, kT0);
  p.offsets().push_back({"tweets", 3, 1741, {}, {}});
  p.offsets().push_back({"other", 0, 7, {}, {}});
  // A --connect URL's position: the Jetstream cursor and the events counted near it, an SSE id.
  p.offsets().push_back({"url wss://example.test/subscribe",
                         0,
                         1783175888085434,
                         "evt-42",
                         {{1783175888085434, 0xfeedu}, {1783175887000000, 7}}});
  StateWriter w;
  p.save(w);
  Pipeline q(c, out.output, kT0);
  StateReader in(w.payload());
  std::string err;
  REQUIRE(q.load(in, err));
  REQUIRE(q.offsets().size() == 3);
  CHECK(q.offsets()[0].topic == "tweets");
  CHECK(q.offsets()[0].partition == 3);
  CHECK(q.offsets()[0].next == 1741);
  CHECK(q.offsets()[1].topic == "other");
  CHECK(q.offsets()[1].next == 7);
  CHECK(q.offsets()[2].topic == "url wss://example.test/subscribe");
  CHECK(q.offsets()[2].next == 1783175888085434);
  CHECK(q.offsets()[2].id == "evt-42");
  CHECK(q.offsets()[2].seen ==
        std::vector<std::pair<int64_t, uint64_t>>{{1783175888085434, 0xfeedu}, {1783175887000000, 7}});
  // A payload cut inside the offsets, or with a negative offset, is refused.
  std::string cut = w.payload().substr(0, w.payload().size() - 4);
  StateReader short_in(cut);
  Pipeline r(c, out.output, kT0);
  CHECK_FALSE(r.load(short_in, err));
  Pipeline bad_source(c, out.output, kT0);
  bad_source.offsets().push_back({"t", 0, -5, {}, {}});
  StateWriter bw;
  bad_source.save(bw);
  StateReader bad_in(bw.payload());
  Pipeline s(c, out.output, kT0);
  CHECK_FALSE(s.load(bad_in, err));
}

TEST_CASE("pipeline: --count users shows a key in the spelling most records used (issue 17)", "[pipeline]") {
  Config c = json_config();
  c.count = CountMode::Users;
  Captured out;
  Pipeline p(c, out.output, 0, 0);
  // Author 1 writes #smtown three times, authors 2 and 3 #SMTOWN once each: 3 authors; the spelling of the
  // most records is #smtown (3 against 2), whatever the authors. #Other: one author, one record, as written.
  for (int i = 0; i < 3; ++i) p.line(TweetLine(kT0 + i, "smtown", 1).line, 1);
  p.line(TweetLine(kT0 + 3, "SMTOWN", 2).line, 1);
  p.line(TweetLine(kT0 + 4, "SMTOWN", 3).line, 1);
  p.line(TweetLine(kT0 + 5, "Other", 2).line, 1);
  p.finish(1);
  p.flush();
  std::string got = out.take();
  CHECK(got.find(R"("top":[{"key":"#smtown","count":3,)") != std::string::npos);
  CHECK(got.find(R"({"key":"#other","display":"#Other","count":1,)") != std::string::npos);
  CHECK(got.find(R"("keys":2,)") != std::string::npos);  // markers are no keys
  // Written the other way round, the capitals win.
  Captured out2;
  Pipeline q(c, out2.output, 0, 0);
  for (int i = 0; i < 3; ++i) q.line(TweetLine(kT0 + i, "SMTOWN", 1).line, 1);
  q.line(TweetLine(kT0 + 3, "smtown", 2).line, 1);
  q.finish(1);
  q.flush();
  CHECK(out2.take().find(R"({"key":"#smtown","display":"#SMTOWN","count":2,)") != std::string::npos);
}

TEST_CASE("pipeline: --count users keeps the display spelling in sliding windows too", "[pipeline]") {
  // Sliding windows rank running totals (count/totals.h): the spelling markers are counted per record
  // there as well, never as authors. Three authors write #SMTOWN in 4 records, one writes #smtown once.
  Config c = json_config();
  c.count = CountMode::Users;
  c.window_ms = 20'000;
  c.slide_ms = 10'000;
  Captured out;
  Pipeline p(c, out.output, 0, 0);
  for (int i = 0; i < 4; ++i) p.line(TweetLine(kT0 + i, "SMTOWN", 1 + i % 3).line, 1);
  p.line(TweetLine(kT0 + 4, "smtown", 4).line, 1);
  p.finish(1);
  p.flush();
  std::string got = out.take();
  // Both windows holding the records: 4 authors, shown as most records spelled it; one key, no markers.
  size_t first = got.find(R"({"key":"#smtown","display":"#SMTOWN","count":4,)");
  CHECK(first != std::string::npos);
  CHECK(got.find(R"({"key":"#smtown","display":"#SMTOWN","count":4,)", first + 1) != std::string::npos);
  CHECK(got.find(R"("keys":1,)") != std::string::npos);
  CHECK(got.find("keys\":18446744073709551") == std::string::npos);
}

namespace {
// A status whose timestamp_ms is written as given (a JSON number or string, any value).
struct RawTimeLine {
  std::string storage;
  Line line;
  explicit RawTimeLine(const std::string& ts) {
    storage = R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","user":{"id":1},"text":"x",)"
              R"("entities":{"hashtags":[{"text":"bad"}]},"timestamp_ms":)" +
              ts + "}";
    size_t len = storage.size();
    storage.append(Framer::kPadding, ' ');
    line.text = std::string_view(storage.data(), len);
  }
};
}  // namespace

TEST_CASE("pipeline: times outside years 0000..9999 are skewed, at int64's edges too", "[pipeline]") {
  const std::string min = std::to_string(std::numeric_limits<int64_t>::min());
  const std::string max = std::to_string(std::numeric_limits<int64_t>::max());
  for (int64_t skew : {int64_t{0}, int64_t{3'600'000}}) {
    for (const std::string& ts : std::vector<std::string>{
             min, max, "-9223372036854775807", "\"-999999999999999999\"", "\"999999999999999999\"",
             std::to_string(kMinTime - 1), std::to_string(kMaxTime + 1)}) {
      Config c = json_config();
      c.max_skew_ms = skew;
      Captured out;
      Pipeline p(c, out.output, kT0, 0);
      // Before, between and after good records (arrival: the wall clock of 2021).
      p.line(RawTimeLine(ts).line, kT0);
      p.line(TweetLine(kT0 + 1000, "a").line, kT0);
      p.line(RawTimeLine(ts).line, kT0);
      p.line(TweetLine(kT0 + 11000, "b").line, kT0);
      p.line(RawTimeLine(ts).line, kT0);
      p.finish(kT0);
      p.flush();
      INFO(ts << " with --max-skew " << skew);
      CHECK(p.stats().skewed == 3);
      CHECK(p.stats().counted == 2);
      CHECK(p.stats().balanced());
      CHECK(lines_in(out.take()) == 2);  // [0,10) and [10,20): nothing else, nothing from another era
    }
  }
  // The ends of the range are times like any other.
  Config c = json_config();
  Captured out;
  Pipeline p(c, out.output, kT0, 0);
  p.line(TweetLine(kMinTime, "first").line, kT0);
  p.finish(kT0);
  p.flush();
  CHECK(p.stats().counted == 1);
  CHECK(out.take().find(R"("window_start":"0000-01-01T00:00:00Z")") != std::string::npos);
}

TEST_CASE("pipeline: a lone record far ahead of the stream is held, then contradicted or confirmed",
          "[pipeline]") {
  Config c = json_config();
  c.max_skew_ms = 3'600'000;  // the default: every jump below is within it of the wall clock
  for (int64_t idle : {int64_t{0}, int64_t{10'000}}) {  // a file, a live stream
    for (int64_t jump_min : {1, 5, 30, 50}) {
      INFO("jump of " << jump_min << " min, idle timeout " << idle);
      Captured out;
      int64_t now = kT0 + 100'000;  // the wall clock: the stream is live, the records a little behind
      Pipeline p(c, out.output, now, idle);
      for (int i = 0; i < 20; ++i) p.line(TweetLine(kT0 + i * 1000, "a").line, now);
      p.line(TweetLine(kT0 + 19'000 + jump_min * 60'000, "spike").line, now);
      CHECK(p.stats().held == 1);  // 1 min: past the lateness (0) and three 10 s slides
      for (int i = 20; i < 40; ++i) p.line(TweetLine(kT0 + i * 1000, "b").line, now);
      p.finish(now);
      p.flush();
      CHECK(p.stats().skewed == 1);
      CHECK(p.stats().held == 0);
      CHECK(p.stats().late == 0);
      CHECK(p.stats().counted == 40);
      CHECK(out.take().find("spike") == std::string::npos);
    }
  }
  // A jump the next records confirm (an archive's gap): counted, nothing lost.
  Captured out;
  Pipeline p(c, out.output, kT0 + 7'200'000, 0);
  for (int i = 0; i < 10; ++i) p.line(TweetLine(kT0 + i * 1000, "a").line, kT0 + 7'200'000);
  for (int i = 0; i < 10; ++i) p.line(TweetLine(kT0 + 1'800'000 + i * 1000, "b").line, kT0 + 7'200'000);
  p.finish(kT0 + 7'200'000);
  CHECK(p.stats().skewed == 0);
  CHECK(p.stats().counted == 20);
  // Within three slides (and the lateness): not a jump, counted at once.
  Captured out2;
  Pipeline q(c, out2.output, kT0 + 100'000, 0);
  q.line(TweetLine(kT0, "a").line, kT0 + 100'000);
  q.line(TweetLine(kT0 + 30'000, "b").line, kT0 + 100'000);
  CHECK(q.stats().held == 0);
  CHECK(q.stats().counted == 2);
  // Sliding windows: three slides, not the window. A 5-minute jump in 1 h windows sliding by 1 min would
  // close five windows the stream's next records belong in.
  Config s = c;
  s.window_ms = 3'600'000;
  s.slide_ms = 60'000;
  Captured out3;
  Pipeline r(s, out3.output, kT0 + 100'000, 0);
  r.line(TweetLine(kT0, "a").line, kT0 + 100'000);
  r.line(TweetLine(kT0 + 300'000, "spike").line, kT0 + 100'000);
  CHECK(r.stats().held == 1);
  r.line(TweetLine(kT0 + 1000, "a").line, kT0 + 100'000);
  CHECK(r.stats().skewed == 1);
  CHECK(r.stats().late == 0);
  // Sub-second slides: three slides is ordinary disorder; a record a few seconds ahead is not held (at
  // least a minute, or the window if shorter, is a jump).
  Config j = c;
  j.window_ms = 60'000;
  j.slide_ms = 500;
  Captured out4;
  Pipeline u(j, out4.output, kT0 + 100'000, 0);
  for (int64_t t : {0, 1000, 5000, 1400, 2000, 3000}) u.line(TweetLine(kT0 + t, "a").line, kT0 + 100'000);
  CHECK(u.stats().held == 0);
  CHECK(u.stats().skewed == 0);
  u.line(TweetLine(kT0 + 70'000, "spike").line, kT0 + 100'000);  // 65 s ahead: past a minute
  CHECK(u.stats().held == 1);
  u.line(TweetLine(kT0 + 4000, "a").line, kT0 + 100'000);
  CHECK(u.stats().skewed == 1);
  CHECK(u.stats().counted == 7);
}

TEST_CASE("pipeline: live, a quiet stream is not behind; a held record counts once the stream catches up",
          "[pipeline]") {
  Config c = json_config();
  c.max_skew_ms = 3'600'000;
  Captured out;
  // Records stamped as they arrive, a minute apart (six 10 s windows): each is where the stream is now, not
  // a jump, so none waits for the next.
  Pipeline p(c, out.output, kT0, 10'000);
  for (int i = 0; i < 5; ++i) {
    int64_t t = kT0 + i * 60'000;
    p.tick(t);
    p.line(TweetLine(t, "sparse").line, t);
    CHECK(p.stats().held == 0);
  }
  CHECK(p.stats().counted == 5);
  // A spike 50 minutes ahead, then silence: held while the stream (the last record, plus the quiet time
  // since) is still far behind it, counted when the stream catches up — before the idle timeout's watermark
  // could pass its window.
  int64_t last = kT0 + 4 * 60'000, spike = last + 50 * 60'000;
  p.line(TweetLine(spike, "spike").line, last + 1000);
  CHECK(p.stats().held == 1);
  int64_t due = last + (spike - 30'000 - last);  // the stream's time + three slides reaches the spike
  CHECK(p.next_deadline() <= due);
  for (int64_t t = last + 1000; t < due; t += 60'000) p.tick(t);
  CHECK(p.stats().held == 1);
  p.tick(due);
  CHECK(p.stats().held == 0);
  CHECK(p.stats().counted == 6);
  CHECK(p.stats().late == 0);
  p.finish(due);
  p.flush();
  CHECK(out.take().find("#spike") != std::string::npos);
}

TEST_CASE("pipeline: a partial stream's identity rides in the state, one segment more at each resume",
          "[pipeline]") {
  Config c = json_config();
  Captured out;
  Pipeline p(c, out.output, kT0);
  Pipeline other(c, out.output, kT0);
  REQUIRE(p.run_id().size() == 32);
  CHECK(p.run_id().find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(p.run_id() != other.run_id());  // random
  CHECK(p.segment() == 0);
  StateWriter w;
  p.save(w);
  Pipeline q(c, out.output, kT0);
  StateReader in(w.payload());
  std::string err;
  REQUIRE(q.load(in, err));
  CHECK(q.run_id() == p.run_id());
  CHECK(q.segment() == 1);
  StateWriter w2;
  q.save(w2);
  Pipeline r(c, out.output, kT0);
  StateReader in2(w2.payload());
  REQUIRE(r.load(in2, err));
  CHECK(r.segment() == 2);
  // A version 4 state ends before the identity (and version 7's watermark and count of source clocks, 0
  // here, and version 8's count of more held jumps, 0): it loads, and the run keeps an identity of its own.
  std::string v4 = w.payload().substr(0, w.payload().size() - (8 + 32 + 8) - (8 + 8) - 8);
  Pipeline s(c, out.output, kT0);
  std::string own = s.run_id();
  StateReader in4(v4);
  REQUIRE(s.load(in4, err));
  CHECK(s.run_id() == own);
  CHECK(s.segment() == 0);
  // A run id that is not 32 hex digits: corrupt.
  std::string bad = w.payload();
  bad[bad.rfind(p.run_id()) + 31] = 'x';
  Pipeline t(c, out.output, kT0);
  StateReader in_bad(bad);
  CHECK_FALSE(t.load(in_bad, err));
}
