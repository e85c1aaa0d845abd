// Extractor: one input line -> one Record (what kind of line it was, its event time, its keys).
//
// Twitter API v1.1 statuses, parsed with simdjson On-Demand in a single forward pass over the fields we need
// (whatever their order: real streams and re-serialised archives order them differently). Which status
// counts: a retweet counts the original it carries (retweeted_status, whose text is not cut at 140
// characters); its content is extended_tweet when present, else the status itself.
//
// Keys (--keys): hashtags "#tag", mentions "@user", cashtags "$SYM" (NFC + case folded), URLs (the expanded
// URL when the entities give it, as written otherwise). Where they come from (--extract): the status's
// entities (what Twitter marked); its full text by twitter-text's rules (text); entities when the status
// has them, else text (auto). Each distinct key once per record. In split mode the tutorial's pipeline is
// reproduced: top-level text, split on ' ', words starting with '#', lower-cased, every occurrence counted.
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
#include "twitter_text.h"

namespace trendtop {

struct Record {
  enum class Kind {
    Tweet,      // a status: counts (or is late)
    NotTweet,   // valid JSON but not a status: delete/limit notices and the like (skipped)
    Malformed,  // not JSON, not an object, invalid UTF-8, or a status whose fields have the wrong types
    Filtered,   // a status that --track, --lang or --no-retweets leaves out
  };
  Kind kind = Kind::Malformed;
  std::optional<int64_t> time_ms;      // event time, when the record carries one
  std::vector<std::string_view> keys;  // distinct keys, or every occurrence (split, --count occurrences)
  // For filters and --count users; views into the parser's buffers, valid until the next extract().
  std::string_view text;  // the full text of the status that counts (the original, for a retweet)
  std::string_view lang;  // its language code, when given
  std::string_view user;  // the author of the record itself (the retweeter, for a retweet), as a string
  bool retweet = false;
};

class Extractor {
 public:
  // Split mode counts every occurrence, as the tutorial does; the others each distinct key once.
  explicit Extractor(ExtractMode mode, uint8_t keys = kHashtags)
      : mode_(mode), keys_(keys), distinct_(mode != ExtractMode::Split) {}
  // Everything the configuration says about records: keys, count mode, filters, exclusions.
  explicit Extractor(const Config& config);
  // `line` must have Framer::kPadding readable bytes after its end.
  void extract(std::string_view line, Record& out);

 private:
  // Entities of one kind each, as found in an "entities" object.
  struct EntityLists {
    std::vector<std::string_view> hashtags, mentions, cashtags, urls;
    void clear() {
      hashtags.clear();
      mentions.clear();
      cashtags.clear();
      urls.clear();
    }
  };
  // What a status holds, gathered during the pass; the rules pick at the end.
  struct Status {
    EntityLists entities;  // entities.*
    EntityLists extended;  // extended_tweet.entities.*
    bool has_entities = false, has_extended = false;
    std::string_view text, full_text;  // text; extended_tweet.full_text (or a top-level full_text)
    void clear() {
      entities.clear();
      extended.clear();
      has_entities = has_extended = false;
      text = full_text = {};
    }
  };
  simdjson::error_code read_status(simdjson::ondemand::object status, Status& into, bool top, Record& out);
  simdjson::error_code read_entities(simdjson::ondemand::object entities, EntityLists& into);
  enum class Norm { Fold, Lower, Keep };
  bool add_key(char sigil, std::string_view value, Norm norm);
  void keys_from_entities(const EntityLists& lists);
  void keys_from_text(std::string_view text);
  void finish_keys(Record& out, bool distinct);
  bool passes_filters(const Status& status);
  bool excluded(std::string_view key) const;

  ExtractMode mode_;
  uint8_t keys_;
  bool distinct_ = true;  // each key once per record (not --count occurrences)
  bool users_ = false;    // --count users: keys become key + '\x1f' + author
  bool want_user_ = false, want_lang_ = false;
  std::vector<std::string> track_;  // folded phrases
  std::vector<std::string> langs_;  // lower-cased codes
  bool no_retweets_ = false;
  std::vector<std::string> exclude_;  // normalised keys, sorted
  std::string fold_buf_;              // a folded text, for --track
  std::string_view lang_, user_;
  simdjson::ondemand::parser parser_;
  Normalizer normalizer_;
  TextExtractor text_extractor_;
  std::vector<TextEntity> found_;
  Status top_, retweeted_;
  std::string key_buf_;             // normalised keys, back to back
  std::vector<uint32_t> key_ends_;  // end offset of each key in key_buf_
  // Top-level facts gathered during the pass.
  bool has_retweeted_ = false, has_user_ = false, has_created_at_ = false, is_notice_ = false;
};

}  // namespace trendtop
