// The floor for parsing, as issue 2 and scripts/bench define it: load the whole file, loop simdjson
// On-Demand over its lines (iterate_many), pull entities.hashtags[].text into a std::unordered_map, print
// the top 10. No windows, no retweet rule, no normalisation: what trendtop must at least match.
//
// --bare (issue 20): the same loop reading nothing from the documents, so what runs is simdjson's stage 1
// (the structural index of each batch) and the skip from one document to the next (a walk over its
// structural characters, counting depth). That is the limit of any On-Demand design on these bytes; prints
// the number of documents.
//
// --bare-stream: the bare loop over the file read as trendtop reads it (1 MiB reads into a reused buffer, the
// unfinished last line carried over, each read landing where the file offset and the buffer address are
// equally aligned mod 64), so its system time is the read copy, not loading the whole file: the floor a
// streaming tool's whole CPU time (user + sys) is compared with.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <simdjson.h>

static int bare_stream(const char* path) {
  constexpr size_t kRead = 1 << 20, kCap = 8 << 20, kAlign = 64;
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "simdjson_floor: cannot open %s\n", path);
    return 1;
  }
  char* buf = static_cast<char*>(std::aligned_alloc(kAlign, kCap + kAlign + simdjson::SIMDJSON_PADDING));
  simdjson::ondemand::parser parser(kCap);
  size_t start = 0, end = 0;  // the unfinished line
  uint64_t at = 0, n = 0;     // file offset of the next read; documents
  auto run = [&](size_t len) {
    simdjson::ondemand::document_stream docs;
    if (parser.iterate_many(reinterpret_cast<const uint8_t*>(buf + start), len, kCap).get(docs)) return false;
    for (auto doc : docs) {
      if (doc.error()) return false;
      ++n;
    }
    return true;
  };
  for (;;) {
    size_t tail = end - start;
    if (tail + kRead > kCap) return 1;   // a line longer than the buffer: not in the bench's inputs
    size_t lead = (at - tail) % kAlign;  // the read lands at buf + lead + tail, aligned like `at`
    std::memmove(buf + lead, buf + start, tail);
    start = lead;
    end = lead + tail;
    ssize_t got = ::read(fd, buf + end, kRead);
    if (got < 0) return 1;
    if (got == 0) break;
    end += static_cast<size_t>(got);
    at += static_cast<uint64_t>(got);
    const char* nl = static_cast<const char*>(memrchr(buf + start, '\n', end - start));
    if (!nl) continue;
    size_t len = static_cast<size_t>(nl + 1 - (buf + start));
    if (!run(len)) return 1;
    start += len;
  }
  if (end > start && !run(end - start)) return 1;
  std::printf("%llu\n", (unsigned long long)n);
  std::free(buf);
  ::close(fd);
  return 0;
}

int main(int argc, char** argv) {
  bool stream = argc == 3 && std::string_view(argv[1]) == "--bare-stream";
  if (stream) return bare_stream(argv[2]);
  bool bare = argc == 3 && std::string_view(argv[1]) == "--bare";
  if (argc != 2 + bare) {
    std::fprintf(stderr, "usage: simdjson_floor [--bare | --bare-stream] FILE\n");
    return 2;
  }
  const char* path = argv[1 + bare];
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path).get(json)) {
    std::fprintf(stderr, "simdjson_floor: cannot load %s\n", path);
    return 1;
  }
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document_stream docs;
  if (parser.iterate_many(json, 16 << 20).get(docs)) return 1;
  if (bare) {
    uint64_t n = 0;
    for (auto doc : docs) {
      if (doc.error()) return 1;
      ++n;
    }
    std::printf("%llu\n", (unsigned long long)n);
    return 0;
  }
  std::unordered_map<std::string, uint64_t> counts;
  uint64_t records = 0, errors = 0;
  for (auto doc : docs) {
    ++records;
    simdjson::ondemand::array hashtags;
    if (doc["entities"]["hashtags"].get_array().get(hashtags)) {
      ++errors;
      continue;
    }
    for (auto h : hashtags) {
      std::string_view text;
      if (h["text"].get_string().get(text) == simdjson::SUCCESS) ++counts[std::string(text)];
    }
  }
  std::vector<std::pair<std::string, uint64_t>> top(counts.begin(), counts.end());
  size_t k = std::min<size_t>(10, top.size());
  std::partial_sort(top.begin(), top.begin() + static_cast<long>(k), top.end(),
                    [](const auto& a, const auto& b) {
                      return a.second > b.second || (a.second == b.second && a.first < b.first);
                    });
  for (size_t i = 0; i < k; ++i)
    std::printf("%s\t%llu\n", top[i].first.c_str(), (unsigned long long)top[i].second);
  std::fprintf(stderr, "records=%llu without_hashtags_path=%llu\n", (unsigned long long)records,
               (unsigned long long)errors);
  return 0;
}
