// --schema json: any JSON object, with the keys, text, time and author found at field paths given on the
// command line (--key-field, --text-field, --time-field, --user-field): JSON Pointers ("/user/id") or dotted
// paths ("user.id"). One pass over the fields the paths name; everything else is skipped unread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "config.h"
#include "extract/keys.h"

namespace trendtop {

class JsonPaths {
 public:
  JsonPaths() = default;
  explicit JsonPaths(const Config& config);  // cli.cpp has checked the paths

  // What the paths found in one record (views into the parser's buffers); keys go into the KeyBuilder.
  struct Found {
    std::string_view text, user;
    std::optional<int64_t> time;
    bool any = false;  // a key or text field was there: the record is one
  };
  // Walks a record's root value. An error only for broken JSON.
  simdjson::error_code read(simdjson::ondemand::value root, KeyBuilder& keys, Found& found);
  // Whether keys come from a key field (else from the text).
  bool has_key_field() const { return fields_[0].set; }

 private:
  // A field path, split into reference tokens.
  struct FieldPath {
    std::vector<std::string> tokens;
    bool set = false;
  };
  enum Target : unsigned { kKeyField = 1, kTextField = 2, kTimeField = 4, kUserField = 8 };
  simdjson::error_code walk(simdjson::ondemand::value value, size_t depth, unsigned active);
  simdjson::error_code take(simdjson::ondemand::value value, unsigned targets);

  FieldPath fields_[4];  // key, text, time, user
  KeyBuilder* keys_ = nullptr;
  Found* found_ = nullptr;
};

}  // namespace trendtop
