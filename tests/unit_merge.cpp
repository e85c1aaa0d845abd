// Merger: random streams cut into any number of processes' partial streams merge into exactly what one
// pipeline over the whole prints — tumbling and sliding, gaps, spellings, trend ranking — whichever process
// holds which record.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "input/framer.h"
#include "merge.h"
#include "pipeline.h"

using namespace trendtop;

namespace {

constexpr int64_t kT0 = 1609459200000;

std::string read_file(std::FILE* f) {
  std::string all;
  char buf[4096];
  ssize_t n;
  while ((n = pread(fileno(f), buf, sizeof buf, static_cast<off_t>(all.size()))) > 0) all.append(buf, n);
  return all;
}

struct Tweet {
  int64_t t;
  std::string tags;  // JSON array body
};

// Runs `tweets` through a pipeline with `config` into a temporary file (rewound, for reading).
std::FILE* run(const Config& config, const std::vector<Tweet>& tweets) {
  std::FILE* f = std::tmpfile();
  Output out(fileno(f));
  Pipeline p(config, out, kT0);
  std::string storage;
  for (const Tweet& tw : tweets) {
    storage =
        R"({"created_at":"Fri Jan 01 00:00:00 +0000 2021","user":{"id":1},"text":"x","entities":{"hashtags":[)" +
        tw.tags + R"(]},"timestamp_ms":")" + std::to_string(tw.t) + "\"}";
    size_t len = storage.size();
    storage.append(Framer::kPadding, ' ');
    Line l;
    l.text = std::string_view(storage.data(), len);
    p.line(l, kT0);
    p.flush();
  }
  p.finish(kT0);
  p.end_output();
  p.flush();
  std::rewind(f);
  return f;
}

}  // namespace

TEST_CASE("merge: random streams split across processes merge into the single run", "[merge]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4, 5, 6, 7, 8));
  const char* tags[] = {"a", "A", "b", "c", "dd", "D\u00e9", "de\u0301", "e"};
  // Records dealt at random (as Kafka partitions by key), or in contiguous pieces (as files are split) with
  // a jump in time between pieces, so that some windows are held by no process: the merge prints them
  // empty, as the single run does.
  size_t processes = 1 + rng() % 4;
  bool pieces = rng() % 2 == 0;
  constexpr size_t kTweets = 400;
  auto piece = [&](size_t i) { return i * processes / kTweets; };
  std::vector<Tweet> tweets;
  int64_t t = kT0 + static_cast<int64_t>(rng() % 5000);
  for (size_t i = 0; i < kTweets; ++i) {
    // Mostly small steps, now and then a jump over several windows.
    t += rng() % 50 == 0 ? static_cast<int64_t>(rng() % 60000) : static_cast<int64_t>(rng() % 700);
    if (pieces && i > 0 && piece(i) != piece(i - 1)) t += 45000;
    std::string body;
    for (unsigned k = 0, n = rng() % 4; k < n; ++k)
      body += std::string(k ? "," : "") + R"({"text":")" + tags[rng() % 8] + "\"}";
    tweets.push_back({t, body});
  }
  Config whole;
  whole.time = TimeMode::Event;
  whole.output = OutputFormat::Json;
  whole.top = 0;
  whole.threads = 1;
  auto shape = GENERATE(std::pair<int64_t, int64_t>{10000, 10000}, std::pair<int64_t, int64_t>{30000, 10000});
  whole.window_ms = shape.first;
  whole.slide_ms = shape.second;
  whole.rank = GENERATE(RankMode::Count, RankMode::Trend);
  std::FILE* single = run(whole, tweets);
  std::string expect = read_file(single);
  std::fclose(single);
  REQUIRE(!expect.empty());

  std::vector<std::vector<Tweet>> parts(processes);
  for (size_t i = 0; i < tweets.size(); ++i)
    parts[pieces ? piece(i) : rng() % processes].push_back(tweets[i]);
  Config partial = whole;
  partial.output = OutputFormat::Partial;
  std::vector<std::FILE*> files;
  for (const auto& part : parts) files.push_back(run(partial, part));

  std::FILE* merged = std::tmpfile();
  Output out(fileno(merged));
  Config options;
  options.output = OutputFormat::Json;
  options.top = 0;
  options.rank = whole.rank;
  Merger m(options, out);
  for (size_t i = 0; i < files.size(); ++i) m.add_input("p" + std::to_string(i), files[i]);
  REQUIRE(m.run());
  out.flush();
  CHECK(m.notes().empty());
  CHECK(m.stats().bad == 0);
  INFO("processes " << processes << (pieces ? " in pieces" : " dealt at random"));
  CHECK(read_file(merged) == expect);
  for (std::FILE* f : files) std::fclose(f);
  std::fclose(merged);
}
