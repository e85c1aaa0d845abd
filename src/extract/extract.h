// Extractor: one input line -> one Record (what kind of line it was, its event time, its keys).
//
// Stream formats (--schema): Twitter API v1.1 statuses; X API v2 messages ({"data","includes",...}) and
// twarc-flattened v2 tweets; Bluesky Jetstream events; Mastodon statuses, streaming messages
// ({"event","payload":"<JSON string>"}, parsed a second time) and SSE "data: " lines; any JSON with field
// paths (json); plain text lines (text). Auto detects the format per record from its top-level keys.
//
// Objects are parsed with simdjson On-Demand in a single forward pass over the fields we need (whatever
// their order: real streams and re-serialised archives order them differently). The pass reads the fields of
// every format at once into Posts (a status, a tweet, a record), and the format is decided at the end, so
// detection costs no second pass. Which post counts: a retweet or reblog counts the original it carries
// (retweeted_status, the v2 "retweeted" tweet from includes.tweets or inlined by twarc, reblog), whose text
// is not cut; its content is extended_tweet / note_tweet when present, else the post itself.
//
// Keys (--keys): hashtags "#tag", mentions "@user", cashtags "$SYM" (NFC + case folded), URLs (the expanded
// URL when the entities give it, as written otherwise). Where they come from (--extract): the post's
// structured entities (v1/v2 entities, Mastodon tags and mentions, Bluesky facets and tags); its full text
// by twitter-text's rules (text; Mastodon's HTML is turned into text first); entities when the post has
// them, else text (auto; kinds a format never marks, like Mastodon's URLs, come from the text). Each
// distinct key once per record. In split mode the tutorial's pipeline is reproduced: top-level text, split
// on ' ', words starting with '#', lower-cased, every occurrence counted.
//
// Nothing here allocates per record once its reused buffers have grown; the keys handed out are views into
// those buffers, valid until the next call.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "config.h"
#include "extract/normalize.h"
#include "extract/twitter_text.h"

namespace trendtop {

// Besides its keys, a record carries, for each key whose spelling folding changed, a marker
// kSpellingMark + key + '\x1f' + the spelling as written (NFC). Markers are counted into the windows like
// keys, so every stage (threads, panes, sliding sums, state files) carries them for free; the pipeline leaves
// them out of the ranking and uses them to show each key in its most frequent spelling.
inline constexpr char kSpellingMark = '\x1e';
// Whether records carry spelling markers: keys are case folded, and per-author or split counting is off.
inline bool tracks_spellings(const Config& c) {
  return !c.keep_case && c.count != CountMode::Users && c.extract != ExtractMode::Split && !c.print_keys;
}

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

class Extractor {
 public:
  // Split mode counts every occurrence, as the tutorial does; the others each distinct key once.
  explicit Extractor(ExtractMode mode, uint8_t keys = kHashtags, Schema schema = Schema::Auto)
      : mode_(mode), keys_(keys), schema_(schema), distinct_(mode != ExtractMode::Split) {}
  // Everything the configuration says about records: schema, keys, count mode, filters, exclusions.
  explicit Extractor(const Config& config);
  // `line` must have Framer::kPadding readable bytes after its end.
  void extract(std::string_view line, Record& out);
  // The full text of the record extract() last read into `out`: out.text is decoded only when extraction
  // needed it (text keys, --track), since unescaping every text would cost a fifth of the parse.
  std::string_view text(Record& out) { return record_text(out); }

 private:
  // Entities of one kind each, as found in an "entities" object (or a format's own lists).
  struct EntityLists {
    std::vector<std::string_view> hashtags, mentions, cashtags, urls;
    void clear() {
      hashtags.clear();
      mentions.clear();
      cashtags.clear();
      urls.clear();
    }
  };
  // What one post (status, tweet, record) holds, gathered during the pass; the rules pick at the end.
  struct Post {
    EntityLists entities;  // entities.*, Mastodon tags/mentions, Bluesky facets/tags
    EntityLists extended;  // extended_tweet.entities.*, note_tweet.entities.*
    bool has_entities = false, has_extended = false;
    // text; extended_tweet.full_text, note_tweet.text (or full_text). Raw: still JSON-escaped, decoded only
    // when a record's text is needed (text extraction, --track), since unescaping is costly.
    std::string_view text, full_text;
    std::string_view content;  // Mastodon: HTML
    std::string_view id, type, lang, user, retweeted_id;
    std::optional<int64_t> time;  // created_at / createdAt
    Post* original = nullptr;     // retweeted_status, reblog, twarc's inlined retweeted tweet
    bool has_created_at = false, has_user = false, has_account = false, has_content = false;
    bool has_uri = false, has_author_id = false, edited = false;
    void clear() {
      entities.clear();
      extended.clear();
      has_entities = has_extended = false;
      text = full_text = content = id = type = lang = user = retweeted_id = {};
      time.reset();
      original = nullptr;
      has_created_at = has_user = has_account = has_content = has_uri = has_author_id = edited = false;
    }
  };
  // Message-level facts (outside any post).
  struct Message {
    Post* data = nullptr;    // x-v2 "data"
    Post* record = nullptr;  // Bluesky commit.record
    std::string_view kind, did, operation, collection, event, payload;
    std::optional<int64_t> timestamp_ms, time_us_ms;
    bool notice = false, has_kind = false, has_did = false, has_commit = false, has_event = false;
    bool has_payload = false, has_includes = false, twarc = false;
    void clear() { *this = Message{}; }
  };
  // A --schema json field path, split into reference tokens.
  struct FieldPath {
    std::vector<std::string> tokens;
    bool set = false;
  };
  enum Target : unsigned { kKeyField = 1, kTextField = 2, kTimeField = 4, kUserField = 8 };

  Post& new_post();
  simdjson::error_code read_post(simdjson::ondemand::object object, Post& into, bool top);
  simdjson::error_code read_entities(simdjson::ondemand::object entities, EntityLists& into);
  simdjson::error_code read_facets(simdjson::ondemand::value facets, EntityLists& into);
  simdjson::error_code read_tags(simdjson::ondemand::value tags, std::vector<std::string_view>& into);
  simdjson::error_code walk_fields(simdjson::ondemand::value value, size_t depth, unsigned active);
  simdjson::error_code take_field(simdjson::ondemand::value value, unsigned targets);
  void extract_text(std::string_view line, Record& out);
  void decide(Record& out, bool sse);
  void count_post(const Post& post, uint8_t marks, Record& out);
  enum class Norm { Fold, Lower, Keep };
  bool add_key(char sigil, std::string_view value, Norm norm);
  void keys_from_entities(const EntityLists& lists, uint8_t kinds);
  void keys_from_text(std::string_view text, uint8_t kinds);
  void finish_keys(Record& out, bool distinct);
  bool passes_filters(std::string_view text, std::string_view lang, bool retweet);
  bool excluded(std::string_view key) const;

  ExtractMode mode_;
  uint8_t keys_;
  Schema schema_ = Schema::Auto;
  bool distinct_ = true;  // each key once per record (not --count occurrences)
  bool users_ = false;    // --count users: keys become key + '\x1f' + author
  bool want_user_ = false;
  std::vector<std::string> track_;  // folded phrases
  std::vector<std::string> langs_;  // lower-cased codes
  bool no_retweets_ = false;
  std::vector<std::string> exclude_;    // normalised keys, sorted
  std::vector<std::string> stopwords_;  // --keys words: folded, sorted
  std::vector<std::pair<size_t, size_t>> url_spans_;
  std::vector<std::string_view> words_;
  std::string fold_buf_;  // a folded text, for --track
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::parser payload_parser_;  // Mastodon: the payload string, parsed a second time
  std::string payload_buf_;                    // ... copied here with simdjson's padding
  std::string html_buf_;                       // Mastodon: content as text
  std::string text_buf_, split_buf_;           // decoded texts
  const Post* text_post_ = nullptr;            // the post whose text out.text is, once decoded
  bool text_decoded_ = false;
  // JSON-unescapes a raw string (as Post keeps them) into `buf`; the raw view itself when it has no escape.
  std::string_view decode(std::string_view raw, std::string& buf);
  // The record's text, decoded on first use.
  std::string_view record_text(Record& out);
  Normalizer normalizer_;
  TextExtractor text_extractor_;
  std::vector<TextEntity> found_;
  std::vector<std::unique_ptr<Post>> posts_;  // reused; stable addresses
  size_t posts_used_ = 0;
  std::vector<Post*> includes_;  // x-v2 includes.tweets
  Post* top_ = nullptr;
  Message msg_;
  FieldPath fields_[4];  // --schema json: key, text, time, user
  std::string_view json_text_, json_user_;
  std::optional<int64_t> json_time_;
  bool json_found_ = false;
  std::string key_buf_;             // normalised keys, back to back
  std::vector<uint32_t> key_ends_;  // end offset of each key in key_buf_
  // The original spelling (NFC) of each key, when folding changed it: a span of spell_buf_, or {0, 0}.
  std::vector<std::pair<uint32_t, uint32_t>> spellings_;
  std::string spell_buf_;
  // Scratch: the kept keys with a spelling, as (offset in key_buf_, length, index into spellings_); offsets,
  // not views, since appending the markers may move key_buf_.
  struct KeptSpelling {
    uint32_t offset, length;
    size_t index;
  };
  std::vector<KeptSpelling> kept_spellings_;
  bool spell_ = false;      // record spellings (folded keys, not --case keep, not --count users)
  bool keep_case_ = false;  // --case keep
  // Appends `suffix_of(key)` composites after the keys in key_buf_, rebasing views if the buffer grows.
  void reserve_keys(Record& out, size_t extra);
};

}  // namespace trendtop
