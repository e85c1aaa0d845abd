// The extract stage: lines in, Records out — what kind of line it was, its event time, its keys. A line is
// one JSON record (or a plain text line with --schema text); the parallel pool (parallel.h) runs one
// Extractor per thread and hands the records, with their keys hashed, to the counting stage.
//
// Extractor: one input line -> one Record. Objects are parsed with simdjson On-Demand in a single forward
// pass shared by every stream format (scan.h); the format is recognised from what the pass saw and picks
// the post that counts (format.h: one file per format); --schema json reads field paths (json.h) and text
// takes the line itself (text.cpp). Which keys the post gives (--extract): its structured entities (v1/v2
// entities, Mastodon tags and mentions, Bluesky facets and tags); its full text by twitter-text's rules
// (text; Mastodon's HTML is turned into text first); entities when the post has them, else text (auto;
// kinds a format never marks, like Mastodon's URLs, come from the text). Each distinct key once per record
// (keys.h normalises, spells, excludes). In split mode the tutorial's pipeline is reproduced: top-level
// text, split on ' ', words starting with '#', lower-cased, every occurrence counted. Filters (--track,
// --lang, --no-retweets) decide whether a status counts at all.
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
#include "extract/json.h"
#include "extract/keys.h"
#include "extract/normalize.h"
#include "extract/scan.h"

namespace trendtop {

struct Choice;

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
  std::string_view text;  // the full text of the status that counts (the original, for a retweet), when
                          // extraction needed it; Extractor::text() always gives it
  std::string_view lang;  // its language code, when given
  std::string_view user;  // the author of the record itself (the retweeter, for a retweet), as a string
  bool retweet = false;
};

// What decides whether and how a record is counted besides the modes, as the extractor applies it: --track
// phrases folded, --lang codes lower-cased, --exclude/--exclude-file keys normalised as keys are, and with
// --keys words the stop words left out (built in and --stopwords), folded; each sorted, without repeats. A
// partial stream's header records them, so that merge sums only streams counted alike.
struct CountingLists {
  std::vector<std::string> track, langs, exclude, stopwords;
};
CountingLists counting_lists(const Config& config);

class Extractor {
 public:
  // Split mode counts every occurrence, as the tutorial does; the others each distinct key once.
  explicit Extractor(ExtractMode mode, uint8_t keys = kHashtags, Schema schema = Schema::Auto)
      : mode_(mode),
        keys_(keys),
        schema_(schema),
        distinct_(mode != ExtractMode::Split),
        scan_(keys, false) {}
  // Everything the configuration says about records: schema, keys, count mode, filters, exclusions.
  explicit Extractor(const Config& config);
  // `line` must have Framer::kPadding readable bytes after its end.
  void extract(std::string_view line, Record& out);
  // The full text of the record extract() last read into `out`: out.text is decoded only when extraction
  // needed it (text keys, --track), since unescaping every text would cost a fifth of the parse.
  std::string_view text(Record& out) { return record_text(out); }
  // The filters and exclusions as applied (counting_lists()).
  const std::vector<std::string>& track() const { return track_; }
  const std::vector<std::string>& langs() const { return langs_; }
  const KeyBuilder& key_builder() const { return key_builder_; }

 private:
  void extract_text(std::string_view line, Record& out);  // text.cpp
  void extract_json(simdjson::ondemand::document& doc, Record& out);
  void decide(Record& out);
  void count_post(const Post& post, uint8_t marks, Record& out);
  bool passes_filters(std::string_view text, std::string_view lang, bool retweet);
  // JSON-unescapes a raw string (as Post keeps them) into `buf`; the raw view itself when it has no escape.
  std::string_view decode(std::string_view raw, std::string& buf);
  // The record's text, decoded on first use.
  std::string_view record_text(Record& out);

  ExtractMode mode_;
  uint8_t keys_;
  Schema schema_ = Schema::Auto;
  bool distinct_ = true;            // each key once per record (not --count occurrences)
  std::vector<std::string> track_;  // folded phrases
  std::vector<std::string> langs_;  // lower-cased codes
  bool no_retweets_ = false;
  std::string fold_buf_;  // a folded text, for --track
  Normalizer normalizer_;
  simdjson::ondemand::parser parser_;
  Scan scan_;
  JsonPaths json_;
  KeyBuilder key_builder_;
  std::string html_buf_;              // Mastodon: content as text
  std::string text_buf_, split_buf_;  // decoded texts
  const Post* text_post_ = nullptr;   // the post whose text out.text is, once decoded
  bool text_decoded_ = false;
};

}  // namespace trendtop
