// State files: values round-trip; the file format refuses what does not check out; a Windower saved mid-
// stream and loaded into a fresh one goes on to emit exactly what the original would have.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "count/window.h"
#include "state.h"

using namespace trendtop;

namespace {

std::string temp_path(const char* name) {
  return std::string("/tmp/trendtop-unit-state-") + std::to_string(getpid()) + "-" + name;
}
std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
void write_all(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

}  // namespace

TEST_CASE("state: values round-trip, reads past the end fail", "[state]") {
  StateWriter w;
  w.u8(7);
  w.u64(0xfedcba9876543210ull);
  w.i64(-5);
  w.str("#café");
  w.str("");
  StateReader r(w.payload());
  CHECK(r.u8() == 7);
  CHECK(r.u64() == 0xfedcba9876543210ull);
  CHECK(r.i64() == -5);
  CHECK(r.str() == "#café");
  CHECK(r.str().empty());
  CHECK(r.at_end());
  CHECK_FALSE(r.failed());
  CHECK(r.u64() == 0);
  CHECK(r.failed());

  // A string whose length runs past the end is a failure, not a read out of bounds.
  StateWriter big;
  big.u64(1000);
  big.u8('x');
  StateReader rb(big.payload());
  CHECK(rb.str().empty());
  CHECK(rb.failed());
}

TEST_CASE("state: files round-trip and refuse what does not check out", "[state]") {
  std::string path = temp_path("file"), payload(1000, '\0'), got, err;
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 31);
  unlink(path.c_str());
  CHECK(load_state_file(path, got, err) == LoadResult::Missing);
  REQUIRE(save_state_file(path, payload, err));
  CHECK(access((path + ".tmp." + std::to_string(getpid())).c_str(), F_OK) != 0);  // no temporary left
  REQUIRE(load_state_file(path, got, err) == LoadResult::Loaded);
  CHECK(got == payload);
  std::string good = read_all(path);
  CHECK(good.substr(0, 8) == "TRENDTOP");
  CHECK(good.size() == 8 + 4 + 4 + 8 + payload.size() + 8);

  auto refused = [&](const std::string& data, const std::string& why) {
    write_all(path, data);
    err.clear();
    CHECK(load_state_file(path, got, err) == LoadResult::Refused);
    INFO(err);
    CHECK(err.find(why) != std::string::npos);
  };
  refused(good.substr(0, good.size() - 1), "truncated");
  refused(good + "x", "trailing");
  refused("", "not a trendtop state file");
  refused("TRENDTOQ" + good.substr(8), "not a trendtop state file");
  for (size_t at : {size_t{24}, size_t{500}, good.size() - 1}) {  // payload bytes and the checksum
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    refused(flipped, "checksum");
  }
  std::string v2 = good;
  v2[8] = 9;
  refused(v2, "version 9");
  std::string huge = good;
  huge[23] = '\x7f';  // a size field no file could back
  refused(huge, "truncated");

  // Saving replaces the old file whole.
  REQUIRE(save_state_file(path, "short", err));
  REQUIRE(load_state_file(path, got, err) == LoadResult::Loaded);
  CHECK(got == "short");
  unlink(path.c_str());
  CHECK_FALSE(save_state_file("/nonexistent-dir/trendtop-state", payload, err));
  CHECK(err.find("/nonexistent-dir/trendtop-state") != std::string::npos);
}

TEST_CASE("state: a windower saved mid-stream continues exactly", "[state][window]") {
  using Windows = std::vector<std::pair<int64_t, std::map<std::string, uint64_t>>>;
  auto collect = [](Windows& into) {
    return [&into](const ClosedWindow& w) {
      std::map<std::string, uint64_t> m;
      w.counts.for_each([&](std::string_view k, uint64_t c) { m[std::string(k)] = c; });
      into.emplace_back(w.end, m);
      return true;
    };
  };
  std::mt19937 rng(42);
  for (WindowSpec spec : {WindowSpec{10, 10, 0}, WindowSpec{30, 10, 5}, WindowSpec{20, 5, 12}}) {
    // A disordered stream of 400 records over 12 keys.
    std::vector<std::pair<int64_t, std::string>> stream;
    int64_t t = 1000;
    for (int i = 0; i < 400; ++i) {
      t += static_cast<int64_t>(rng() % 4);
      stream.emplace_back(t - static_cast<int64_t>(rng() % 15), "k" + std::to_string(rng() % 12));
    }
    Windows whole;
    {
      Windower w(spec);
      bool stopped = false;
      for (auto& [ts, key] : stream) {
        std::string_view k = key;
        w.process(ts, {&k, 1}, collect(whole), stopped);
      }
      w.flush(collect(whole));
    }
    for (size_t cut : {size_t{1}, size_t{57}, size_t{200}, size_t{399}}) {
      Windows parts;
      StateWriter saved;
      {
        Windower first(spec);
        bool stopped = false;
        for (size_t i = 0; i < cut; ++i) {
          std::string_view k = stream[i].second;
          first.process(stream[i].first, {&k, 1}, collect(parts), stopped);
        }
        first.save(saved);
      }
      Windower second(spec);
      StateReader in(saved.payload());
      REQUIRE(second.load(in));
      CHECK(in.at_end());
      bool stopped = false;
      for (size_t i = cut; i < stream.size(); ++i) {
        std::string_view k = stream[i].second;
        second.process(stream[i].first, {&k, 1}, collect(parts), stopped);
      }
      second.flush(collect(parts));
      INFO("window " << spec.window_ms << " slide " << spec.slide_ms << " cut " << cut);
      CHECK(parts == whole);
    }
  }
}

TEST_CASE("state: a windower refuses truncated data", "[state][window]") {
  Windower w({10, 10, 0});
  bool stopped = false;
  std::string_view k = "#a";
  w.process(
      5, {&k, 1}, [](const ClosedWindow&) { return true; }, stopped);
  StateWriter saved;
  w.save(saved);
  for (size_t len = 0; len < saved.payload().size(); len += 3) {
    Windower fresh({10, 10, 0});
    StateReader in(std::string_view(saved.payload()).substr(0, len));
    CHECK_FALSE((fresh.load(in) && !in.failed()));
  }
}

TEST_CASE("state: a windower refuses times no record can have", "[state][window]") {
  // Found by fuzz_state: a last emitted window ending just after INT64_MIN made the next window's start
  // (end - window) overflow when the resumed run emitted it.
  auto state = [](int64_t emitted, int64_t first, int64_t last, int64_t max_time, int64_t pane) {
    StateWriter w;
    for (int64_t t : {emitted, first, last, max_time}) w.i64(t);
    w.u64(0);  // no empty windows skipped pending
    w.u64(1);  // one pane, one key
    w.i64(pane);
    w.u64(1);  // records
    w.u64(0);  // Space-Saving floor: exact
    w.u64(1);
    w.str("#a");
    w.u64(1);
    return w.payload();
  };
  auto loads = [](const std::string& payload) {
    Windower w({60'000, 10'000, 5'000});
    StateReader in(payload);
    return w.load(in) && in.at_end();
  };
  CHECK(loads(state(kNoTime, 1609486150000, 1609486200000, 1609486143666, 1609486140000)));
  CHECK_FALSE(loads(state(kNoTime + 15'000, 1609486150000, 1609486200000, 1609486143666, 1609486140000)));
  CHECK_FALSE(loads(state(kNoTime, INT64_MAX - 5'000, 1609486200000, 1609486143666, 1609486140000)));
  CHECK_FALSE(loads(state(kNoTime, 1609486150000, 1609486200000, kNoTime + 1, 1609486140000)));
  CHECK_FALSE(loads(state(kNoTime, 1609486150000, 1609486200000, 1609486143666, INT64_MAX - 9'999)));
  CHECK_FALSE(loads(state(kNoTime, 1609486150000, 1609486200000, 1609486143666, kNoTime)));
}

TEST_CASE("state: one lock per state file; stale temporaries of dead processes go", "[state]") {
  std::string path = temp_path("locked");
  std::remove((path + ".lock").c_str());
  std::string err;
  {
    StateLock first;
    REQUIRE(first.acquire(path, err));
    StateLock second;  // another open file description: flock(2) locks conflict even in one process
    CHECK_FALSE(second.acquire(path, err));
    CHECK(err.find("'" + path + "'") != std::string::npos);
    CHECK(err.find("pid " + std::to_string(getpid())) != std::string::npos);
  }
  StateLock again;  // the first let go when it was destroyed
  CHECK(again.acquire(path, err));
  // No directory to hold the lock file: no run can save there, so none is locked out.
  StateLock nowhere;
  CHECK(nowhere.acquire("/nonexistent-dir-for-trendtop/s", err));

  // A pid that is surely gone (above the kernel's pid_max) and ours, which is alive.
  std::string dead = path + ".tmp.999999999", alive = path + ".tmp." + std::to_string(getpid());
  std::string other = path + ".tmp.12x";  // not a pid: not ours to touch
  for (const std::string* p : {&dead, &alive, &other}) write_all(*p, "junk");
  CHECK(remove_stale_temporaries(path) == 1);
  CHECK(read_all(dead).empty());
  CHECK(read_all(alive) == "junk");
  CHECK(read_all(other) == "junk");
  for (const std::string* p : {&alive, &other, &path}) std::remove(p->c_str());
  std::remove((path + ".lock").c_str());
}
