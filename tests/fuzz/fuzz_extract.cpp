// Extractor: the input as one line, through every --schema (json twice: keys from a field, keys from a text
// field) and every --extract mode, each with its own Extractor as a run would have, plus one with filters,
// --count users and --case keep. Invariants: keys are non-empty, valid UTF-8, distinct unless occurrences
// are counted, and only a counted record has any; extracting the same line again gives the same record
// (the reused buffers keep nothing from one line to the next); the record's text is valid UTF-8 for JSON.
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check.h"
#include "extract/extract.h"
#include "extract/parallel.h"
#include "input/framer.h"

using namespace trendtop;

namespace {

std::vector<Config> configs() {
  std::vector<Config> out;
  Config json_keys, json_text;
  json_keys.key_field = "tags";
  json_keys.time_field = "created_at";
  json_keys.user_field = "/user/screen_name";
  json_text.text_field = "/text";
  json_text.time_field = "/timestamp_ms";
  for (ExtractMode mode : {ExtractMode::Auto, ExtractMode::Entities, ExtractMode::Text, ExtractMode::Split}) {
    for (Schema schema : {Schema::Auto, Schema::Twitter, Schema::XV2, Schema::Bluesky, Schema::Mastodon,
                          Schema::Json, Schema::Text}) {
      for (const Config* base : {&json_keys, &json_text}) {
        if (schema != Schema::Json && base == &json_text) continue;
        // Plain text has no entities: auto, entities and text extract alike there.
        if (schema == Schema::Text && (mode == ExtractMode::Entities || mode == ExtractMode::Text)) continue;
        Config c = schema == Schema::Json ? *base : Config{};
        c.schema = schema;
        c.extract = mode;
        // As cli.cpp has it: split counts hashtags, every occurrence. Words (costly under the sanitizers: a
        // normalisation per word) only in auto mode.
        c.keys = mode == ExtractMode::Split  ? kHashtags
                 : mode == ExtractMode::Auto ? kHashtags | kMentions | kCashtags | kUrls | kWords
                                             : kHashtags | kMentions | kCashtags | kUrls;
        c.count = mode == ExtractMode::Split ? CountMode::Occurrences : CountMode::Records;
        out.push_back(c);
      }
    }
  }
  Config filters;
  filters.keys = kHashtags | kMentions | kUrls;
  filters.count = CountMode::Users;
  filters.keep_case = true;
  filters.track = {"a", "#"};
  filters.langs = {"en", "JA"};
  filters.exclude = {"#RT", "@x"};
  out.push_back(filters);
  return out;
}

struct Snapshot {
  Record::Kind kind;
  std::optional<int64_t> time;
  std::vector<std::string> keys;
  bool operator==(const Snapshot&) const = default;
};

Snapshot check(const Config& config, Extractor& ex, Record& r) {
  Snapshot s{r.kind, r.time_ms, {}};
  if (r.kind != Record::Kind::Tweet) FUZZ_CHECK(r.keys.empty());
  std::set<std::string_view> seen;
  for (std::string_view k : r.keys) {
    FUZZ_CHECK(!k.empty());
    FUZZ_CHECK(fuzz::valid_utf8(k));
    if (config.count != CountMode::Occurrences) FUZZ_CHECK(seen.insert(k).second);
    s.keys.emplace_back(k);
  }
  std::string_view text = ex.text(r);
  if (config.schema != Schema::Text && r.kind == Record::Kind::Tweet) FUZZ_CHECK(fuzz::valid_utf8(text));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Config> kConfigs = configs();
  static std::vector<std::unique_ptr<Extractor>> extractors = [] {
    std::vector<std::unique_ptr<Extractor>> v;
    for (const Config& c : kConfigs) v.push_back(std::make_unique<Extractor>(c));
    return v;
  }();
  // The framer's guarantee: kPadding readable bytes after the line (an exact-size copy, so ASan sees any
  // read past them).
  std::vector<char> buf(size + Framer::kPadding, ' ');
  if (is_blank({reinterpret_cast<const char*>(data), size})) return 0;  // the pipeline never extracts these
  if (size) std::memcpy(buf.data(), data, size);
  std::string_view line(buf.data(), size);
  Record r;
  for (size_t i = 0; i < kConfigs.size(); ++i) {
    Extractor& ex = *extractors[i];
    ex.extract(line, r);
    Snapshot first = check(kConfigs[i], ex, r);
    ex.extract(line, r);
    FUZZ_CHECK(check(kConfigs[i], ex, r) == first);
  }
  return 0;
}
