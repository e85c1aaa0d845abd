// Extractor: one input line -> one Record (what kind of line it was, its event time, its keys).
//
// Twitter API v1.1 statuses, parsed with simdjson On-Demand in a single forward pass over the fields we need
// (whatever their order: real streams and re-serialised archives order them differently). Which hashtags a
// tweet has: a retweet counts the original it carries (retweeted_status); the content is extended_tweet when
// present, else the status itself. Keys are "#" + tag, NFC + case folded, each distinct key once per record.
// In split mode the tutorial's pipeline is reproduced: top-level text, split on ' ', words starting with
// '#', lower-cased, every occurrence counted.
//
// Nothing here allocates per record once its reused buffers have grown; the keys handed out are views into
// those buffers, valid until the next call.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "config.h"
#include "normalize.h"

namespace trendtop {

struct Record {
  enum class Kind {
    Tweet,      // a status: counts (or is late)
    NotTweet,   // valid JSON but not a status: delete/limit notices and the like (skipped)
    Malformed,  // not JSON, not an object, invalid UTF-8, or a status whose fields have the wrong types
  };
  Kind kind = Kind::Malformed;
  std::optional<int64_t> time_ms;      // event time, when the record carries one
  std::vector<std::string_view> keys;  // distinct keys (entities) or every occurrence (split)
};

class Extractor {
 public:
  explicit Extractor(ExtractMode mode) : mode_(mode) {}
  // `line` must have Framer::kPadding readable bytes after its end.
  void extract(std::string_view line, Record& out);

 private:
  // Where a status's hashtags were found; the rule picks one list at the end of the pass.
  struct TagLists {
    std::vector<std::string_view> entities;  // entities.hashtags[].text
    std::vector<std::string_view> extended;  // extended_tweet.entities.hashtags[].text
    bool has_extended = false;
    void clear() {
      entities.clear();
      extended.clear();
      has_extended = false;
    }
  };
  simdjson::error_code read_status(simdjson::ondemand::object status, TagLists& tags, bool top, Record& out);
  bool add_key(std::string_view tag, bool fold);
  void finish_keys(Record& out, bool distinct);

  ExtractMode mode_;
  simdjson::ondemand::parser parser_;
  Normalizer normalizer_;
  TagLists top_, retweeted_;
  std::string_view text_;
  std::string key_buf_;             // normalised keys, back to back
  std::vector<uint32_t> key_ends_;  // end offset of each key in key_buf_
  // Top-level facts gathered during the pass.
  bool has_retweeted_ = false, has_user_ = false, has_created_at_ = false, is_notice_ = false;
};

}  // namespace trendtop
