#include "extract/scan.h"

#include <cstring>

#include "extract/format.h"
#include "extract/schema.h"
#include "util/timefmt.h"

namespace trendtop {

using simdjson::error_code;
using simdjson::SUCCESS;
using namespace std::string_view_literals;

namespace scan {

error_code string(json::Value& value, std::string_view& to) {
  std::string_view s;
  error_code e = value.get_string(s);
  if (e == SUCCESS) to = s;
  return tolerate_type(e);
}

error_code raw_string(json::Value& value, std::string_view& to) {
  std::string_view s;
  if (value.raw_string(s) == SUCCESS) to = s;  // another type is ignored, as a field of the wrong type is
  return SUCCESS;
}

error_code read_strings(json::Value& value, std::string_view field, std::string_view fallback,
                        std::vector<std::string_view>& out) {
  json::Array items;
  if (error_code e = value.get_array(items)) return tolerate_type(e);
  return items.each([&](json::Value& item) -> error_code {
    json::Object object;
    if (item.get_object(object) != SUCCESS) return SUCCESS;  // an item of another shape
    std::string_view found, second;
    if (error_code e = object.each([&](std::string_view k, json::Value& v) -> error_code {
          bool primary = k == field, backup = !fallback.empty() && k == fallback;
          if (!primary && !backup) return SUCCESS;
          std::string_view text;
          if (error_code e = v.get_string(text)) return tolerate_type(e);
          (primary ? found : second) = text;
          return SUCCESS;
        }))
      return e;
    if (found.empty()) found = second;  // urls[]: expanded_url, else url
    if (!found.empty()) out.push_back(found);
    return SUCCESS;
  });
}

error_code read_entities(json::Object entities, uint8_t keys, EntityLists& into) {
  // v1.1 and v2 name things differently (hashtags[].text vs .tag, user_mentions[].screen_name vs
  // mentions[].username, symbols vs cashtags); one object only ever uses one of the two spellings.
  return entities.each([&](std::string_view key, json::Value& value) -> error_code {
    if ((keys & kHashtags) && key == "hashtags"sv) return read_strings(value, "text", "tag", into.hashtags);
    if ((keys & kMentions) && key == "user_mentions"sv)
      return read_strings(value, "screen_name", {}, into.mentions);
    if ((keys & kMentions) && key == "mentions"sv) return read_strings(value, "username", {}, into.mentions);
    if ((keys & kCashtags) && key == "symbols"sv) return read_strings(value, "text", {}, into.cashtags);
    if ((keys & kCashtags) && key == "cashtags"sv) return read_strings(value, "tag", {}, into.cashtags);
    if ((keys & kUrls) && key == "urls"sv) return read_strings(value, "expanded_url", "url", into.urls);
    return SUCCESS;
  });
}

error_code read_long_text(json::Value& value, Post& post, bool note, uint8_t keys) {
  json::Object ext;
  if (value.get_object(ext) != SUCCESS) return SUCCESS;
  if (error_code e = ext.each([&](std::string_view k, json::Value& v) -> error_code {
        if (k == "entities"sv) {
          json::Object entities;
          if (v.get_object(entities) != SUCCESS) return SUCCESS;
          post.has_extended = true;
          post.extended.clear();
          return read_entities(entities, keys, post.extended);
        }
        if (k == (note ? "text" : "full_text")) return raw_string(v, post.full_text);
        return SUCCESS;
      }))
    return e;
  // v1's extended_tweet always carries the full entities; a note_tweet without entities has none.
  if (!note) post.has_extended = true;
  return SUCCESS;
}

error_code read_author(Scan& scan, json::Value& value, Post& post, bool& seen) {
  json::Type type;
  if (value.type(type) != SUCCESS || type != json::Type::Object) return SUCCESS;
  seen = true;
  if (!scan.want_user) return SUCCESS;
  json::Object user;
  if (error_code e = value.get_object(user)) return e;
  bool have_id_str = false;
  return user.each([&](std::string_view k, json::Value& v) -> error_code {
    if (have_id_str) return SUCCESS;
    if (k == "id_str"sv) {
      std::string_view id;
      if (v.get_string(id) == SUCCESS) post.user = id;
      have_id_str = true;
    } else if (k == "id"sv && post.user.empty()) {
      std::string_view raw = v.raw_json_token();
      raw = raw.substr(0, raw.find_last_not_of(" \t\r\n") + 1);
      if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
      post.user = raw;
    }
    return SUCCESS;
  });
}

error_code read_original(Scan& scan, json::Value& value, Post& post) {
  json::Object original;
  if (value.get_object(original) != SUCCESS) return SUCCESS;
  Post& o = scan.new_post();
  if (error_code e = scan.read_object(original, o, false)) return e;
  post.original = &o;
  return SUCCESS;
}

std::optional<int64_t> time_of(const Post& post) {
  if (post.time || !post.has_created_at) return post.time;
  std::optional<int64_t> t = parse_twitter_time(post.created_at);
  return t ? t : parse_rfc3339(post.created_at);
}

}  // namespace scan

namespace {

// The fields several formats share.
const Field kSharedFields[] = {
    {"entities",  // v1.1 and x-v2
     [](Scan& s, json::Value& v, Post& p) -> error_code {
       json::Object entities;
       if (v.get_object(entities) != SUCCESS) return SUCCESS;
       p.has_entities = true;
       p.entities.clear();  // a repeated field: the last one wins, as with jq and Python's json
       return scan::read_entities(entities, s.keys, p.entities);
     }},
    {"text", [](Scan&, json::Value& v, Post& p) { return scan::raw_string(v, p.text); }},
    {"lang", [](Scan&, json::Value& v, Post& p) { return scan::string(v, p.lang); }},
    {"id", [](Scan&, json::Value& v, Post& p) { return scan::string(v, p.id); }},
    {"tags",  // Mastodon tags[].name, Bluesky record.tags[]
     [](Scan& s, json::Value& value, Post& p) -> error_code {
       p.has_entities = true;
       json::Array items;
       if (error_code e = value.get_array(items)) return scan::tolerate_type(e);
       return items.each([&](json::Value& v) -> error_code {
         json::Type type;
         if (error_code e = v.type(type)) return e;
         if (type == json::Type::String) {
           std::string_view str;
           if (error_code e = v.get_string(str)) return e;
           if (!str.empty() && (s.keys & kHashtags)) p.entities.hashtags.push_back(str);
         } else if (type == json::Type::Object) {
           json::Object o;
           if (error_code e = v.get_object(o)) return e;
           return o.each([&](std::string_view k, json::Value& f) -> error_code {
             if (k != "name"sv) return SUCCESS;
             std::string_view str;
             if (error_code e = f.get_string(str)) return scan::tolerate_type(e);
             if (!str.empty() && (s.keys & kHashtags)) p.entities.hashtags.push_back(str);
             return SUCCESS;
           });
         }
         return SUCCESS;
       });
     }},
    {"created_at",  // v1.1 (its own format), x-v2 and Mastodon (RFC 3339)
     [](Scan&, json::Value& v, Post& p) -> error_code {
       if (v.get_string(p.created_at) == SUCCESS) p.has_created_at = true;
       return SUCCESS;
     },
     true},
};

// Every field some format reads, by name: a table indexed by the name's first character, searched by
// length and memcmp on the raw key (the document is padded, so looking a few bytes ahead is safe). No need
// to find the key's end first; a key with escapes matches nothing, as with simdjson's own comparison.
class FieldTable {
 public:
  FieldTable() {
    add(kSharedFields);
    for (const Format* f : formats()) add(f->fields);
  }
  const Field* find(std::string_view key) const {
    const char* raw = key.data();
    unsigned slot = static_cast<unsigned char>(raw[0]) & 63;
    for (uint8_t i = 0; i < count_[slot]; ++i) {
      const Field* f = fields_[slot][i];
      if (raw[f->name.size()] == '"' && std::memcmp(raw, f->name.data(), f->name.size()) == 0) return f;
    }
    return nullptr;
  }

 private:
  void add(std::span<const Field> fields) {
    for (const Field& f : fields) {
      unsigned slot = static_cast<unsigned char>(f.name[0]) & 63;
      for (uint8_t i = 0; i < count_[slot]; ++i)
        if (fields_[slot][i]->name == f.name) std::abort();  // two formats claim one name: share it here
      if (count_[slot] == kPerSlot) std::abort();
      fields_[slot][count_[slot]++] = &f;
    }
  }
  static constexpr uint8_t kPerSlot = 12;
  const Field* fields_[64][kPerSlot] = {};
  uint8_t count_[64] = {};
};

}  // namespace

void Scan::reset() {
  posts_used_ = 0;
  includes.clear();
  msg.clear();
  top = nullptr;
  sse = false;
  nesting_ = 0;
}

Post& Scan::new_post() {
  if (posts_used_ == posts_.size()) posts_.push_back(std::make_unique<Post>());
  Post& p = *posts_[posts_used_++];
  p.clear();
  return p;
}

error_code Scan::read_object(json::Object object, Post& into, bool at_top) {
  static const FieldTable table;
  if (nesting_ >= kMaxNesting) return simdjson::DEPTH_ERROR;  // reset() starts the next record at 0
  ++nesting_;
  error_code e = object.each([&](std::string_view key, json::Value& value) -> error_code {
    const Field* f = table.find(key);
    if (!f || (f->top_only && !at_top)) return SUCCESS;  // skipped
    return f->read(*this, value, into);
  });
  --nesting_;
  return e;
}

}  // namespace trendtop
