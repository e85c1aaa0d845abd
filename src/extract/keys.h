// KeyBuilder: a record's keys, as they are counted. Keys are normalised into one reused buffer — hashtags
// "#tag", mentions "@user" and cashtags "$SYM" NFC + case folded (or NFC only with --case keep), URLs as
// written — and those --exclude names or --keys words' stop words are left out. finish() hands them over
// as views, each distinct key once (or every occurrence), followed by what the later stages need:
//
// - for --count users, each key becomes key + '\x1f' + author, so a window holds one entry per (key,
//   author) and the pipeline counts authors per key;
// - spelling markers: for each key whose spelling folding changed, kSpellingMark + key + '\x1f' + the
//   spelling as written (NFC). Markers are counted into the windows like keys, so every stage (threads,
//   panes, sliding sums, state files, partial streams) carries them for free; the pipeline leaves them out
//   of the ranking and shows each key in its most frequent spelling. With --count users every key gets a
//   marker, its folded spelling included, since a key's count (its authors) says nothing about how often
//   it was written folded: the spelling of the most records wins.
//
// Nothing is allocated per record once the buffers have grown; the views live until the next clear().
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.h"
#include "extract/normalize.h"
#include "extract/twitter_text.h"

namespace trendtop {

inline constexpr char kSpellingMark = '\x1e';
// Whether records carry spelling markers: keys are case folded, and split counting and --print-keys are off.
inline bool tracks_spellings(const Config& c) {
  return !c.keep_case && c.extract != ExtractMode::Split && !c.print_keys;
}

struct EntityLists;

// The distinct keys of one record, as they are appended to a list of views: a linear scan while there are
// few (most records carry a handful, where a scan beats hashing), an open-addressing table of their indices
// past kLinear, so that a record with 300 000 keys still costs linear time. Reused across records: nothing
// is allocated once the table has grown (to twice the most keys a record had).
class DistinctKeys {
 public:
  static constexpr size_t kLinear = 16;
  // Starts a new set: the keys from keys[first] on (none yet) are its members.
  void start(size_t first) {
    first_ = first;
    hashed_ = false;
  }
  // Appends `key` to `keys` unless the set holds it already; true if it was new.
  bool add(std::vector<std::string_view>& keys, std::string_view key);

 private:
  void rebuild(const std::vector<std::string_view>& keys, size_t slots);
  std::vector<uint32_t> slots_;  // 1 + the index of a member (from first_), 0 when free; a power of two
  size_t first_ = 0;
  bool hashed_ = false;
};

class KeyBuilder {
 public:
  // No exclusions, no stop words, no markers (tests, and the extractor's own defaults).
  KeyBuilder() = default;
  // Everything the configuration says about keys: case, spellings, --count users, --exclude, stop words.
  explicit KeyBuilder(const Config& config);

  enum class Norm { Fold, Lower, Keep };
  void clear();
  // sigil (if any) + value, normalised as asked. False when it is not a key (invalid UTF-8, or control
  // characters outside split mode).
  bool add(char sigil, std::string_view value, Norm norm);
  // The entities of the kinds asked for.
  void from_entities(const EntityLists& lists, uint8_t kinds);
  // The keys of the kinds asked for found in a text, by twitter-text's rules (words: split_words()).
  void from_text(std::string_view text, uint8_t kinds);
  // The keys added since clear(), into `keys`: each distinct one once when `distinct` (with --count users,
  // joined with `user`), then the markers.
  void finish(std::vector<std::string_view>& keys, std::string_view user, bool distinct);
  // The keys never counted (normalised, sorted) and --keys words' stop words (folded, sorted).
  const std::vector<std::string>& exclusions() const { return exclude_; }
  const std::vector<std::string>& stop_words() const { return stopwords_; }

 private:
  bool excluded(std::string_view key) const;
  // Makes room for `extra` bytes after the keys, rebasing `keys` if the buffer moves.
  void reserve(std::vector<std::string_view>& keys, size_t extra);

  bool keep_case_ = false;              // --case keep
  bool spell_ = false;                  // record spellings (tracks_spellings())
  bool users_ = false;                  // --count users
  std::vector<std::string> exclude_;    // normalised keys, sorted
  std::vector<std::string> stopwords_;  // --keys words: folded, sorted
  Normalizer normalizer_;
  TextExtractor text_extractor_;
  std::vector<TextEntity> found_;
  std::vector<std::pair<size_t, size_t>> url_spans_;
  std::vector<std::string_view> words_;
  std::string key_buf_;             // normalised keys, back to back
  std::vector<uint32_t> key_ends_;  // end offset of each key in key_buf_
  // The original spelling (NFC) of each key, when folding changed it (with --count users, always): a span
  // of spell_buf_, or {0, 0}.
  std::vector<std::pair<uint32_t, uint32_t>> spellings_;
  std::string spell_buf_;
  // Scratch: the kept keys with a spelling, as (offset in key_buf_, length, index into spellings_); offsets,
  // not views, since appending the markers may move key_buf_.
  struct KeptSpelling {
    uint32_t offset, length;
    size_t index;
  };
  std::vector<KeptSpelling> kept_spellings_;
  DistinctKeys distinct_;
};

}  // namespace trendtop
