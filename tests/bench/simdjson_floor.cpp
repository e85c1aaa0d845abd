// The floor for parsing, as issue 2 and scripts/bench define it: load the whole file, loop simdjson
// On-Demand over its lines (iterate_many), pull entities.hashtags[].text into a std::unordered_map, print
// the top 10. No windows, no retweet rule, no normalisation: what trendtop must at least match.
//
// --bare (issue 20): the same loop reading nothing from the documents, so what runs is simdjson's stage 1
// (the structural index of each batch) and the skip from one document to the next (a walk over its
// structural characters, counting depth). That is the limit of any On-Demand design on these bytes; prints
// the number of documents.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <simdjson.h>

int main(int argc, char** argv) {
  bool bare = argc == 3 && std::string_view(argv[1]) == "--bare";
  if (argc != 2 + bare) {
    std::fprintf(stderr, "usage: simdjson_floor [--bare] FILE\n");
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
