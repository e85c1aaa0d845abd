#include "extract/scan.h"

#include "extract/format.h"
#include "extract/schema.h"
#include "util/timefmt.h"

namespace trendtop {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;

namespace scan {

error_code string(od::value& value, std::string_view& to) {
  std::string_view s;
  error_code e = value.get_string().get(s);
  if (e == SUCCESS) to = s;
  return tolerate_type(e);
}

error_code raw_string(od::value& value, std::string_view& to) {
  std::string_view token = value.raw_json_token();
  size_t close = token.find_last_of('"');
  if (token.empty() || token[0] != '"' || close == 0 || close == std::string_view::npos)
    return SUCCESS;  // not a string: ignored, as a field of the wrong type is
  to = token.substr(1, close - 1);
  return SUCCESS;
}

error_code read_strings(od::value value, std::string_view field, std::string_view fallback,
                        std::vector<std::string_view>& out) {
  od::array items;
  if (error_code e = value.get_array().get(items)) return tolerate_type(e);
  for (auto item : items) {
    od::object object;
    if (error_code e = item.get_object().get(object)) {
      if (tolerate_type(e)) return e;
      continue;
    }
    std::string_view found, second;
    for (auto f : object) {
      std::string_view k;
      if (error_code e = key_of(f, k)) return e;
      bool primary = k == field, backup = !fallback.empty() && k == fallback;
      if (!primary && !backup) continue;
      std::string_view text;
      if (error_code e = f.value().get_string().get(text)) {
        if (tolerate_type(e)) return e;
        continue;
      }
      (primary ? found : second) = text;
    }
    if (found.empty()) found = second;  // urls[]: expanded_url, else url
    if (!found.empty()) out.push_back(found);
  }
  return SUCCESS;
}

error_code read_entities(od::object entities, uint8_t keys, EntityLists& into) {
  // v1.1 and v2 name things differently (hashtags[].text vs .tag, user_mentions[].screen_name vs
  // mentions[].username, symbols vs cashtags); one object only ever uses one of the two spellings.
  for (auto field : entities) {
    std::string_view key;
    if (error_code e = key_of(field, key)) return e;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    error_code e = SUCCESS;
    if ((keys & kHashtags) && key == "hashtags"sv) {
      e = read_strings(value, "text", "tag", into.hashtags);
    } else if ((keys & kMentions) && key == "user_mentions"sv) {
      e = read_strings(value, "screen_name", {}, into.mentions);
    } else if ((keys & kMentions) && key == "mentions"sv) {
      e = read_strings(value, "username", {}, into.mentions);
    } else if ((keys & kCashtags) && key == "symbols"sv) {
      e = read_strings(value, "text", {}, into.cashtags);
    } else if ((keys & kCashtags) && key == "cashtags"sv) {
      e = read_strings(value, "tag", {}, into.cashtags);
    } else if ((keys & kUrls) && key == "urls"sv) {
      e = read_strings(value, "expanded_url", "url", into.urls);
    }
    if (e) return e;
  }
  return SUCCESS;
}

error_code read_long_text(od::value& value, Post& post, bool note, uint8_t keys) {
  od::object ext;
  if (value.get_object().get(ext) != SUCCESS) return SUCCESS;
  for (auto f : ext) {
    std::string_view k;
    if (error_code e = key_of(f, k)) return e;
    if (k == "entities"sv) {
      od::object entities;
      if (f.value().get_object().get(entities) == SUCCESS) {
        post.has_extended = true;
        post.extended.clear();
        if (error_code e = read_entities(entities, keys, post.extended)) return e;
      }
    } else if (k == (note ? "text" : "full_text")) {
      od::value v;
      if (error_code e = f.value().get(v)) return e;
      std::string_view token = v.raw_json_token();
      if (token.size() >= 2 && token[0] == '"') {
        size_t close = token.find_last_of('"');
        if (close > 0) post.full_text = token.substr(1, close - 1);
      }
    }
  }
  // v1's extended_tweet always carries the full entities; a note_tweet without entities has none.
  if (!note) post.has_extended = true;
  return SUCCESS;
}

error_code read_author(Scan& scan, od::value& value, Post& post, bool& seen) {
  od::json_type type;
  if (value.type().get(type) != SUCCESS || type != od::json_type::object) return SUCCESS;
  seen = true;
  if (!scan.want_user) return SUCCESS;
  od::object user;
  if (error_code e = value.get_object().get(user)) return e;
  for (auto f : user) {
    std::string_view k;
    if (error_code e = key_of(f, k)) return e;
    if (k == "id_str"sv) {
      std::string_view id;
      if (f.value().get_string().get(id) == SUCCESS) post.user = id;
      break;
    }
    if (k == "id"sv && post.user.empty()) {
      std::string_view raw;
      if (f.value().raw_json_token().get(raw) == SUCCESS) {
        raw = raw.substr(0, raw.find_last_not_of(" \t\r\n") + 1);
        if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
        post.user = raw;
      }
    }
  }
  return SUCCESS;
}

error_code read_original(Scan& scan, od::value& value, Post& post) {
  od::object original;
  if (value.get_object().get(original) != SUCCESS) return SUCCESS;
  Post& o = scan.new_post();
  if (error_code e = scan.read_object(original, o, false)) return e;
  post.original = &o;
  return SUCCESS;
}

}  // namespace scan

namespace {

// The fields several formats share.
const Field kSharedFields[] = {
    {"entities",  // v1.1 and x-v2
     [](Scan& s, od::value& v, Post& p) -> error_code {
       od::object entities;
       if (v.get_object().get(entities) != SUCCESS) return SUCCESS;
       p.has_entities = true;
       p.entities.clear();  // a repeated field: the last one wins, as with jq and Python's json
       return scan::read_entities(entities, s.keys, p.entities);
     }},
    {"text", [](Scan&, od::value& v, Post& p) { return scan::raw_string(v, p.text); }},
    {"lang", [](Scan&, od::value& v, Post& p) { return scan::string(v, p.lang); }},
    {"id", [](Scan&, od::value& v, Post& p) { return scan::string(v, p.id); }},
    {"tags",  // Mastodon tags[].name, Bluesky record.tags[]
     [](Scan& s, od::value& value, Post& p) -> error_code {
       p.has_entities = true;
       od::array items;
       if (error_code e = value.get_array().get(items)) return scan::tolerate_type(e);
       for (auto item : items) {
         od::value v;
         if (error_code e = item.get(v)) return e;
         od::json_type type;
         if (error_code e = v.type().get(type)) return e;
         if (type == od::json_type::string) {
           std::string_view str;
           if (error_code e = v.get_string().get(str)) return e;
           if (!str.empty() && (s.keys & kHashtags)) p.entities.hashtags.push_back(str);
         } else if (type == od::json_type::object) {
           od::object o;
           if (error_code e = v.get_object().get(o)) return e;
           for (auto f : o) {
             std::string_view k;
             if (error_code e = scan::key_of(f, k)) return e;
             if (k != "name"sv) continue;
             std::string_view str;
             if (error_code e = f.value().get_string().get(str)) {
               if (scan::tolerate_type(e)) return e;
               continue;
             }
             if (!str.empty() && (s.keys & kHashtags)) p.entities.hashtags.push_back(str);
           }
         }
       }
       return SUCCESS;
     }},
    {"created_at",  // v1.1 (its own format), x-v2 and Mastodon (RFC 3339)
     [](Scan&, od::value& v, Post& p) -> error_code {
       std::string_view s;
       if (v.get_string().get(s) == SUCCESS) {
         p.has_created_at = true;
         p.time = parse_twitter_time(s);
         if (!p.time) p.time = parse_rfc3339(s);
       }
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
  const Field* find(od::raw_json_string key) const {
    const char* raw = key.raw();
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
}

Post& Scan::new_post() {
  if (posts_used_ == posts_.size()) posts_.push_back(std::make_unique<Post>());
  Post& p = *posts_[posts_used_++];
  p.clear();
  return p;
}

error_code Scan::read_object(od::object object, Post& into, bool at_top) {
  static const FieldTable table;
  for (auto field : object) {
    od::raw_json_string raw_key;
    if (error_code e = field.key().get(raw_key)) return e;
    const Field* f = table.find(raw_key);
    if (!f || (f->top_only && !at_top)) continue;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    if (error_code e = f->read(*this, value, into)) return e;
  }
  return SUCCESS;
}

}  // namespace trendtop
