// Format: one stream format of JSON records (--schema) behind one small interface — the fields it reads
// during the shared pass (scan.h), how it recognises a record from what the pass gathered, and which post of
// the record counts, with its time, author and language. The extractor (extract.h) turns that post into keys.
//
// One file per format: twitter_v1.cpp (API v1.1 statuses and stream notices), x_v2.cpp (X API v2 messages
// and twarc's flattened tweets), bluesky.cpp (Jetstream events), mastodon.cpp (statuses, streaming messages,
// SSE). --schema json (json.cpp: field paths) and text (text.cpp: plain lines) do not use the pass.
//
// A new format: a file defining its Format, its line in formats() (format.cpp: the order formats are tried
// in), its Schema value and --schema name (config.h, cli), and any message-level facts it needs in Message.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "config.h"
#include "extract/scan.h"

namespace trendtop {

// What a format decided about a record.
struct Choice {
  const Post* post = nullptr;  // whose entities and text count (the original, for a retweet)
  std::optional<int64_t> time;
  std::string_view user, lang;
  bool retweet = false;
  // The kinds of key the format marks in structured fields; other kinds come from the text.
  uint8_t marks = kHashtags | kMentions | kCashtags | kUrls;
};

struct Format {
  enum class Match { No, Yes, NotStatus };  // NotStatus: this format's, and not a status: look no further
  enum class Verdict { Status, NotStatus, Malformed };

  Schema schema;
  std::span<const Field> fields;
  Match (*match)(const Scan& scan);
  // Fills the choice for a matched record, or says why it does not count.
  Verdict (*choose)(Scan& scan, Choice& choice);
};

extern const Format kTwitterV1, kXV2Message, kXV2Flat, kBluesky, kMastodon;

// Every format, in the order they are tried on a record.
std::span<const Format* const> formats();

}  // namespace trendtop
