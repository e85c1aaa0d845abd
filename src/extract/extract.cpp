#include "extract/extract.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "extract/schema.h"
#include "extract/words.h"
#include "input/framer.h"
#include "util/timefmt.h"

namespace trendtop {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;
static_assert(Framer::kPadding >= simdjson::SIMDJSON_PADDING);

namespace {

// A field's key as written (between the quotes, escapes not decoded), so that matching it against the names
// we look for is a length check and a memcmp. A key with escapes matches none of them, as before. The closing
// quote is found eight bytes at a time (the document is padded, so reading past it is safe).
template <class Field>
[[gnu::always_inline]] inline error_code key_of(Field& field, std::string_view& out) {
  od::raw_json_string raw;
  if (error_code e = field.key().get(raw)) return e;
  const char* begin = raw.raw();
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };  // lowest set bit is exact
  for (size_t n = 0;; n += 8) {
    uint64_t w;
    std::memcpy(&w, begin + n, 8);
    uint64_t quote = zero_bytes(w ^ (kOnes * '"')), backslash = zero_bytes(w ^ (kOnes * '\\'));
    if (!(quote | backslash)) continue;
    if (backslash && (!quote || std::countr_zero(backslash) < std::countr_zero(quote))) {
      const char* end = begin + n;  // an escape: step over escaped characters
      while (*end != '"') end += *end == '\\' ? 2 : 1;
      out = std::string_view(begin, static_cast<size_t>(end - begin));
      return SUCCESS;
    }
    out = std::string_view(begin, n + static_cast<size_t>(std::countr_zero(quote)) / 8);
    return SUCCESS;
  }
}

// The name read_post() reads a field by, or an empty view for the many fields of a status it skips. Matched
// on the raw key (the document is padded, so looking a few bytes ahead is safe): a name matches when its
// bytes are followed by the closing quote. No need to find the key's end first; a key with escapes matches
// nothing, as with simdjson's own comparison.
std::string_view name_read_by_post(od::raw_json_string key) {
  static constexpr std::string_view kNames[] = {
      "entities", "extended_tweet", "note_tweet", "text", "full_text", "content", "tags", "mentions",
      "facets", "lang", "language", "langs", "id", "type", "createdAt", "referenced_tweets",
      "retweeted_status", "reblog", "timestamp_ms", "created_at", "user", "account", "author_id", "edited_at",
      "uri", "data", "includes", "__twarc", "kind", "did", "time_us", "commit", "event", "payload",
      // stream notices
      "delete", "limit", "status_withheld", "user_withheld", "scrub_geo", "warning", "disconnect"};
  struct Table {
    std::string_view names[64][8];  // by first character & 63
    uint8_t count[64] = {};
  };
  static const Table table = [] {
    Table t;
    for (std::string_view n : kNames) t.names[n[0] & 63][t.count[n[0] & 63]++] = n;
    return t;
  }();
  const char* raw = key.raw();
  unsigned slot = static_cast<unsigned char>(raw[0]) & 63;
  for (uint8_t i = 0; i < table.count[slot]; ++i) {
    std::string_view n = table.names[slot][i];
    if (raw[n.size()] == '"' && std::memcmp(raw, n.data(), n.size()) == 0) return n;
  }
  return {};
}

// Keys whose presence marks a stream notice rather than a status.
bool is_notice_key(std::string_view key) {
  return key == "delete"sv || key == "limit"sv || key == "status_withheld"sv || key == "user_withheld"sv ||
         key == "scrub_geo"sv || key == "warning"sv || key == "disconnect"sv;
}

// A field of an unexpected type (say "hashtags": null) is ignored; only broken JSON makes a line malformed.
error_code tolerate_type(error_code e) {
  return e == simdjson::INCORRECT_TYPE ? SUCCESS : e;
}

// items[].<field> (strings) -> out; items of another shape are ignored.
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

// timestamp_ms is a string in the streaming API ("1609486140658"); tolerate a number as well.
std::optional<int64_t> read_timestamp_ms(od::value v) {
  std::string_view s;
  if (v.get_string().get(s) == SUCCESS) return parse_epoch_ms(s);
  int64_t n;
  if (v.get_int64().get(n) == SUCCESS) return n;
  return std::nullopt;
}

}  // namespace

error_code Extractor::read_entities(od::object entities, EntityLists& into) {
  // v1.1 and v2 name things differently (hashtags[].text vs .tag, user_mentions[].screen_name vs
  // mentions[].username, symbols vs cashtags); one object only ever uses one of the two spellings.
  for (auto field : entities) {
    std::string_view key;
    if (error_code e = key_of(field, key)) return e;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    error_code e = SUCCESS;
    if ((keys_ & kHashtags) && key == "hashtags"sv) {
      e = read_strings(value, "text", "tag", into.hashtags);
    } else if ((keys_ & kMentions) && key == "user_mentions"sv) {
      e = read_strings(value, "screen_name", {}, into.mentions);
    } else if ((keys_ & kMentions) && key == "mentions"sv) {
      e = read_strings(value, "username", {}, into.mentions);
    } else if ((keys_ & kCashtags) && key == "symbols"sv) {
      e = read_strings(value, "text", {}, into.cashtags);
    } else if ((keys_ & kCashtags) && key == "cashtags"sv) {
      e = read_strings(value, "tag", {}, into.cashtags);
    } else if ((keys_ & kUrls) && key == "urls"sv) {
      e = read_strings(value, "expanded_url", "url", into.urls);
    }
    if (e) return e;
  }
  return SUCCESS;
}

// Bluesky: facets[].features[] = {"$type":"app.bsky.richtext.facet#tag","tag":...} (#mention: did, #link:
// uri).
error_code Extractor::read_facets(od::value facets_value, EntityLists& into) {
  od::array facets;
  if (error_code e = facets_value.get_array().get(facets)) return tolerate_type(e);
  for (auto facet_value : facets) {
    od::object facet;
    if (error_code e = facet_value.get_object().get(facet)) {
      if (tolerate_type(e)) return e;
      continue;
    }
    for (auto f : facet) {
      std::string_view k;
      if (error_code e = key_of(f, k)) return e;
      if (k != "features"sv) continue;
      od::array features;
      if (error_code e = f.value().get_array().get(features)) {
        if (tolerate_type(e)) return e;
        continue;
      }
      for (auto feature_value : features) {
        od::object feature;
        if (error_code e = feature_value.get_object().get(feature)) {
          if (tolerate_type(e)) return e;
          continue;
        }
        std::string_view type, tag, did, uri;
        for (auto g : feature) {
          std::string_view gk;
          if (error_code e = key_of(g, gk)) return e;
          std::string_view* to = gk == "$type"sv ? &type
                                 : gk == "tag"sv ? &tag
                                 : gk == "did"sv ? &did
                                 : gk == "uri"sv ? &uri
                                                 : nullptr;
          if (!to) continue;
          if (error_code e = g.value().get_string().get(*to)) {
            if (tolerate_type(e)) return e;
          }
        }
        if (type == "app.bsky.richtext.facet#tag"sv && !tag.empty()) {
          if (keys_ & kHashtags) into.hashtags.push_back(tag);
        } else if (type == "app.bsky.richtext.facet#mention"sv && !did.empty()) {
          if (keys_ & kMentions) into.mentions.push_back(did);
        } else if (type == "app.bsky.richtext.facet#link"sv && !uri.empty()) {
          if (keys_ & kUrls) into.urls.push_back(uri);
        }
      }
    }
  }
  return SUCCESS;
}

// Mastodon tags[] = {"name":...}; Bluesky record.tags[] = strings.
error_code Extractor::read_tags(od::value value, std::vector<std::string_view>& into) {
  od::array items;
  if (error_code e = value.get_array().get(items)) return tolerate_type(e);
  for (auto item : items) {
    od::value v;
    if (error_code e = item.get(v)) return e;
    od::json_type type;
    if (error_code e = v.type().get(type)) return e;
    if (type == od::json_type::string) {
      std::string_view s;
      if (error_code e = v.get_string().get(s)) return e;
      if (!s.empty() && (keys_ & kHashtags)) into.push_back(s);
    } else if (type == od::json_type::object) {
      od::object o;
      if (error_code e = v.get_object().get(o)) return e;
      for (auto f : o) {
        std::string_view k;
        if (error_code e = key_of(f, k)) return e;
        if (k != "name"sv) continue;
        std::string_view s;
        if (error_code e = f.value().get_string().get(s)) {
          if (tolerate_type(e)) return e;
          continue;
        }
        if (!s.empty() && (keys_ & kHashtags)) into.push_back(s);
      }
    }
  }
  return SUCCESS;
}

Extractor::Post& Extractor::new_post() {
  if (posts_used_ == posts_.size()) posts_.push_back(std::make_unique<Post>());
  Post& p = *posts_[posts_used_++];
  p.clear();
  return p;
}

// The fields of a post in any format, and (top) those of the message around it. Unknown fields are skipped.
error_code Extractor::read_post(od::object object, Post& into, bool top) {
  for (auto field : object) {
    od::raw_json_string raw_key;
    if (error_code e = field.key().get(raw_key)) return e;
    std::string_view key = name_read_by_post(raw_key);
    if (key.empty()) continue;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    auto string = [&](std::string_view& to) -> error_code {
      std::string_view s;
      error_code e = value.get_string().get(s);
      if (e == SUCCESS) to = s;
      return tolerate_type(e);
    };
    // A string kept raw (still escaped): see Post::text.
    auto raw_string = [&](std::string_view& to) -> error_code {
      std::string_view token = value.raw_json_token();
      size_t close = token.find_last_of('"');
      if (token.empty() || token[0] != '"' || close == 0 || close == std::string_view::npos)
        return SUCCESS;  // not a string: ignored, as a field of the wrong type is
      to = token.substr(1, close - 1);
      return SUCCESS;
    };
    error_code e = SUCCESS;
    if (key == "entities"sv) {
      od::object entities;
      if (value.get_object().get(entities) == SUCCESS) {
        into.has_entities = true;
        into.entities.clear();  // a repeated field: the last one wins, as with jq and Python's json
        e = read_entities(entities, into.entities);
      }
    } else if (key == "extended_tweet"sv || key == "note_tweet"sv) {
      od::object ext;
      if (value.get_object().get(ext) == SUCCESS) {
        bool note = key == "note_tweet"sv;
        for (auto f : ext) {
          std::string_view k;
          if (error_code e2 = key_of(f, k)) return e2;
          if (k == "entities"sv) {
            od::object entities;
            if (f.value().get_object().get(entities) == SUCCESS) {
              into.has_extended = true;
              into.extended.clear();
              if (error_code e2 = read_entities(entities, into.extended)) return e2;
            }
          } else if (k == (note ? "text" : "full_text")) {
            od::value v;
            if (error_code e2 = f.value().get(v)) return e2;
            std::string_view token = v.raw_json_token();
            if (token.size() >= 2 && token[0] == '"') {
              size_t close = token.find_last_of('"');
              if (close > 0) into.full_text = token.substr(1, close - 1);
            }
          }
        }
        // v1's extended_tweet always carries the full entities; a note_tweet without entities has none.
        if (!note) into.has_extended = true;
      }
    } else if (key == "text"sv) {
      e = raw_string(into.text);
    } else if (key == "full_text"sv) {  // REST API with tweet_mode=extended, and archives made with it
      e = raw_string(into.full_text);
    } else if (key == "content"sv) {  // Mastodon
      e = string(into.content);
      into.has_content = into.has_content || !e;
    } else if (key == "tags"sv) {  // Mastodon tags[].name, Bluesky record.tags[]
      into.has_entities = true;
      e = read_tags(value, into.entities.hashtags);
    } else if (key == "mentions"sv) {  // Mastodon
      into.has_entities = true;
      if (keys_ & kMentions) e = read_strings(value, "acct", {}, into.entities.mentions);
    } else if (key == "facets"sv) {  // Bluesky
      into.has_entities = true;
      e = read_facets(value, into.entities);
    } else if (key == "lang"sv || key == "language"sv) {
      e = string(into.lang);
    } else if (key == "langs"sv) {  // Bluesky: the first
      od::array langs;
      if (value.get_array().get(langs) == SUCCESS) {
        for (auto l : langs) {
          std::string_view s;
          if (l.get_string().get(s) == SUCCESS && into.lang.empty()) into.lang = s;
        }
      }
    } else if (key == "id"sv) {
      e = string(into.id);
    } else if (key == "type"sv) {
      e = string(into.type);
    } else if (key == "createdAt"sv) {  // Bluesky
      std::string_view s;
      if (value.get_string().get(s) == SUCCESS) into.time = parse_rfc3339(s);
    } else if (key == "referenced_tweets"sv) {  // v2: [{type,id}], or whole tweets (twarc's flattening)
      od::array refs;
      if (value.get_array().get(refs) == SUCCESS) {
        for (auto r : refs) {
          od::object ref;
          if (r.get_object().get(ref) != SUCCESS) continue;
          Post& p = new_post();
          if (error_code e2 = read_post(ref, p, false)) return e2;
          if (p.type != "retweeted"sv) continue;
          into.retweeted_id = p.id.empty() ? std::string_view("?") : p.id;
          if (!p.text.empty() || p.has_entities) into.original = &p;
        }
      }
    } else if (!top) {
      continue;
    } else if (key == "retweeted_status"sv || key == "reblog"sv) {
      od::object original;
      if (value.get_object().get(original) == SUCCESS) {
        Post& p = new_post();
        if (error_code e2 = read_post(original, p, false)) return e2;
        into.original = &p;
      }
    } else if (key == "timestamp_ms"sv) {
      if (auto t = read_timestamp_ms(value)) msg_.timestamp_ms = t;
    } else if (key == "created_at"sv) {
      std::string_view s;
      if (value.get_string().get(s) == SUCCESS) {
        into.has_created_at = true;
        into.time = parse_twitter_time(s);
        if (!into.time) into.time = parse_rfc3339(s);
      }
    } else if (key == "user"sv || key == "account"sv) {  // v1.1 user.id_str (else id); Mastodon account.id
      od::json_type type;
      if (value.type().get(type) == SUCCESS && type == od::json_type::object) {
        (key == "user"sv ? into.has_user : into.has_account) = true;
        if (want_user_) {
          od::object user;
          if (error_code e2 = value.get_object().get(user)) return e2;
          for (auto f : user) {
            std::string_view k;
            if (error_code e2 = key_of(f, k)) return e2;
            if (k == "id_str"sv) {
              std::string_view id;
              if (f.value().get_string().get(id) == SUCCESS) into.user = id;
              break;
            }
            if (k == "id"sv && into.user.empty()) {
              std::string_view raw;
              if (f.value().raw_json_token().get(raw) == SUCCESS) {
                raw = raw.substr(0, raw.find_last_not_of(" \t\r\n") + 1);
                if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
                into.user = raw;
              }
            }
          }
        }
      }
    } else if (key == "author_id"sv) {  // v2
      e = string(into.user);
      into.has_author_id = true;
    } else if (key == "edited_at"sv) {  // Mastodon: set on status.update
      bool null = false;
      if (value.is_null().get(null) == SUCCESS && !null) into.edited = true;
    } else if (key == "uri"sv) {
      into.has_uri = true;
    } else if (key == "data"sv) {  // x-v2 message
      od::object data;
      if (value.get_object().get(data) == SUCCESS) {
        Post& p = new_post();
        if (error_code e2 = read_post(data, p, true)) return e2;
        msg_.data = &p;
      }
    } else if (key == "includes"sv) {  // x-v2: includes.tweets[]
      msg_.has_includes = true;
      od::object includes;
      if (value.get_object().get(includes) == SUCCESS) {
        for (auto f : includes) {
          std::string_view k;
          if (error_code e2 = key_of(f, k)) return e2;
          if (k != "tweets"sv) continue;
          od::array tweets;
          if (f.value().get_array().get(tweets) != SUCCESS) continue;
          for (auto t : tweets) {
            od::object tweet;
            if (t.get_object().get(tweet) != SUCCESS) continue;
            Post& p = new_post();
            if (error_code e2 = read_post(tweet, p, false)) return e2;
            includes_.push_back(&p);
          }
        }
      }
    } else if (key == "__twarc"sv) {
      msg_.twarc = true;
    } else if (key == "kind"sv) {  // Bluesky
      msg_.has_kind = true;
      e = string(msg_.kind);
    } else if (key == "did"sv) {
      msg_.has_did = true;
      e = string(msg_.did);
    } else if (key == "time_us"sv) {
      int64_t us;
      std::string_view s;
      if (value.get_int64().get(us) == SUCCESS)
        msg_.time_us_ms = floor_div(us, 1000);
      else if (value.get_string().get(s) == SUCCESS)
        if (auto t = parse_epoch_ms(s)) msg_.time_us_ms = floor_div(*t, 1000);
    } else if (key == "commit"sv) {
      od::object commit;
      if (value.get_object().get(commit) == SUCCESS) {
        msg_.has_commit = true;
        for (auto f : commit) {
          std::string_view k;
          if (error_code e2 = key_of(f, k)) return e2;
          if (k == "operation"sv || k == "collection"sv) {
            std::string_view s;
            if (f.value().get_string().get(s) == SUCCESS)
              (k == "operation"sv ? msg_.operation : msg_.collection) = s;
          } else if (k == "record"sv) {
            od::object record;
            if (f.value().get_object().get(record) != SUCCESS) continue;
            Post& p = new_post();
            if (error_code e2 = read_post(record, p, false)) return e2;
            msg_.record = &p;
          }
        }
      }
    } else if (key == "event"sv) {  // Mastodon streaming
      msg_.has_event = true;
      e = string(msg_.event);
    } else if (key == "payload"sv) {
      msg_.has_payload = true;
      e = string(msg_.payload);
    } else if (is_notice_key(key)) {
      msg_.notice = true;
    }
    if (e) return e;
  }
  return SUCCESS;
}

Extractor::Extractor(const Config& c) : mode_(c.extract), keys_(c.keys), schema_(c.schema) {
  keep_case_ = c.keep_case;
  spell_ = tracks_spellings(c);
  distinct_ = c.count != CountMode::Occurrences;
  users_ = c.count == CountMode::Users;
  want_user_ = users_;
  const std::string* paths[4] = {&c.key_field, &c.text_field, &c.time_field, &c.user_field};
  for (int i = 0; i < 4; ++i) {
    std::string error;  // cli.cpp has checked the paths
    if (!paths[i]->empty()) fields_[i].set = parse_field_path(*paths[i], fields_[i].tokens, error);
  }
  no_retweets_ = c.no_retweets;
  for (const std::string& phrase : c.track) {
    std::string folded;
    if (normalizer_.fold(phrase, folded)) track_.push_back(folded);
  }
  for (const std::string& lang : c.langs) {
    std::string lower;
    for (char ch : lang) lower.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch);
    langs_.push_back(lower);
  }
  // Excluded keys are normalised as counted keys are, so "#RT" excludes "#rt".
  for (const std::string& key : c.exclude) {
    std::string norm;
    bool sigil = !key.empty() && (key[0] == '#' || key[0] == '@' || key[0] == '$');
    if (!sigil) {
      norm = key;
    } else if (mode_ == ExtractMode::Split) {
      if (!normalizer_.lower(key, norm)) continue;
    } else {
      norm.push_back(key[0]);
      std::string_view rest = std::string_view(key).substr(1);
      if (!(keep_case_ ? normalizer_.nfc(rest, norm) : normalizer_.fold(rest, norm))) continue;
    }
    exclude_.push_back(norm);
  }
  std::sort(exclude_.begin(), exclude_.end());
  if (keys_ & kWords) {
    for (std::string_view w : english_stopwords()) stopwords_.emplace_back(w);
    for (const std::string& w : c.stopwords) {
      std::string folded;
      if (normalizer_.fold(w, folded)) stopwords_.push_back(folded);
    }
    std::sort(stopwords_.begin(), stopwords_.end());
  }
}

bool Extractor::excluded(std::string_view key) const {
  return !exclude_.empty() &&
         std::binary_search(exclude_.begin(), exclude_.end(), key,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

std::string_view Extractor::decode(std::string_view raw, std::string& buf) {
  if (raw.find('\\') == std::string_view::npos) return raw;
  if (buf.size() < raw.size() + simdjson::SIMDJSON_PADDING)
    buf.resize(raw.size() + simdjson::SIMDJSON_PADDING);
  auto* dst = reinterpret_cast<uint8_t*>(buf.data());
  std::string_view s;
  // The raw view sits in the padded input, its closing quote right after it: what the parser expects.
  if (parser_.unescape(od::raw_json_string(reinterpret_cast<const uint8_t*>(raw.data())), dst).get(s))
    return {};
  return s;
}

std::string_view Extractor::record_text(Record& out) {
  if (!text_decoded_) {
    text_decoded_ = true;
    out.text = text_post_ == nullptr           ? std::string_view{}
               : text_post_->full_text.empty() ? decode(text_post_->text, text_buf_)
                                               : decode(text_post_->full_text, text_buf_);
  }
  return out.text;
}

bool Extractor::passes_filters(std::string_view text, std::string_view lang, bool retweet) {
  if (no_retweets_ && retweet) return false;
  if (!langs_.empty()) {
    bool any = false;
    for (const std::string& l : langs_) {
      any = l.size() == lang.size() && std::equal(l.begin(), l.end(), lang.begin(), [](char a, char b) {
              return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b);
            });
      if (any) break;
    }
    if (!any) return false;
  }
  if (!track_.empty()) {
    fold_buf_.clear();
    if (!normalizer_.fold(text, fold_buf_)) return false;
    bool any = false;
    for (const std::string& phrase : track_)
      if (fold_buf_.find(phrase) != std::string::npos) {
        any = true;
        break;
      }
    if (!any) return false;
  }
  return true;
}

// sigil (if any) + value, normalised as asked.
bool Extractor::add_key(char sigil, std::string_view value, Norm norm) {
  size_t mark = key_buf_.size();
  if (sigil) key_buf_.push_back(sigil);
  bool ok = true;
  switch (norm) {
    case Norm::Fold:
      ok = keep_case_ ? normalizer_.nfc(value, key_buf_) : normalizer_.fold(value, key_buf_);
      break;
    case Norm::Lower:
      ok = normalizer_.lower(value, key_buf_);
      break;
    case Norm::Keep:
      key_buf_.append(value);
      break;
  }
  // Invalid UTF-8 (a key of a string simdjson validated never is; split words may be), or control
  // characters (a "\u0000" in a hashtag's text): not a key. No hashtag, mention or URL holds one, and a NUL
  // or an escape sequence in a key would reach terminals and TSV readers raw. --extract split keeps the
  // tutorial's split(" ") words as they are ("#a\n#b" is one word there).
  ok = ok && (norm == Norm::Lower ||
              std::none_of(key_buf_.begin() + static_cast<std::ptrdiff_t>(mark), key_buf_.end(), [](char c) {
                auto u = static_cast<unsigned char>(c);
                return u < 0x20 || u == 0x7f;
              }));
  if (!ok) {
    key_buf_.resize(mark);
    return false;
  }
  key_ends_.push_back(static_cast<uint32_t>(key_buf_.size()));
  if (spell_) {
    // The spelling as written (NFC), kept when folding changed it: windows show a key's most frequent one.
    std::pair<uint32_t, uint32_t> span{0, 0};
    if (norm == Norm::Fold) {
      size_t at = spell_buf_.size();
      if (sigil) spell_buf_.push_back(sigil);
      std::string_view key(key_buf_.data() + mark, key_buf_.size() - mark);
      if (normalizer_.nfc(value, spell_buf_) && std::string_view(spell_buf_).substr(at) != key)
        span = {static_cast<uint32_t>(at), static_cast<uint32_t>(spell_buf_.size())};
      else
        spell_buf_.resize(at);
    }
    spellings_.push_back(span);
  }
  return true;
}

void Extractor::keys_from_entities(const EntityLists& lists, uint8_t kinds) {
  if (kinds & kHashtags)
    for (std::string_view v : lists.hashtags) add_key('#', v, Norm::Fold);
  if (kinds & kMentions)
    for (std::string_view v : lists.mentions) add_key('@', v, Norm::Fold);
  if (kinds & kCashtags)
    for (std::string_view v : lists.cashtags) add_key('$', v, Norm::Fold);
  if (kinds & kUrls)
    for (std::string_view v : lists.urls) add_key(0, v, Norm::Keep);
}

void Extractor::keys_from_text(std::string_view text, uint8_t kinds) {
  if (kinds & kHashtags) {
    text_extractor_.hashtags(text, found_);
    for (const TextEntity& e : found_) add_key('#', e.value, Norm::Fold);
  }
  if (kinds & kMentions) {
    text_extractor_.mentions(text, found_);
    for (const TextEntity& e : found_) add_key('@', e.value, Norm::Fold);
  }
  if (kinds & kCashtags) {
    text_extractor_.cashtags(text, found_);
    for (const TextEntity& e : found_) add_key('$', e.value, Norm::Fold);
  }
  if (kinds & kUrls) {
    text_extractor_.urls(text, found_);
    for (const TextEntity& e : found_) add_key(0, e.value, Norm::Keep);
  }
  if (kinds & kWords) {
    // Not inside links; folded; stop words left out (compared folded).
    text_extractor_.urls(text, found_);
    url_spans_.clear();
    for (const TextEntity& e : found_) {
      size_t begin = static_cast<size_t>(e.value.data() - text.data());
      url_spans_.emplace_back(begin, begin + e.value.size());
    }
    split_words(text, url_spans_, words_);
    for (std::string_view w : words_) {
      size_t mark = key_buf_.size();
      if (!add_key(0, w, Norm::Fold)) continue;
      std::string_view folded(key_buf_.data() + mark, key_buf_.size() - mark);
      if (std::binary_search(stopwords_.begin(), stopwords_.end(), folded,
                             [](std::string_view a, std::string_view b) { return a < b; })) {
        key_buf_.resize(mark);
        key_ends_.pop_back();
        if (spell_) spellings_.pop_back();
      }
    }
  }
}

void Extractor::reserve_keys(Record& out, size_t extra) {
  size_t need = key_buf_.size() + extra;
  if (key_buf_.capacity() >= need) return;
  // Growing would move the keys: rebase the views onto the new buffer.
  std::string grown;
  grown.reserve(need * 2);
  grown = key_buf_;
  for (std::string_view& k : out.keys)
    k = std::string_view(grown.data() + (k.data() - key_buf_.data()), k.size());
  key_buf_.swap(grown);
}

void Extractor::finish_keys(Record& out, bool distinct) {
  uint32_t start = 0;
  size_t kept = 0;
  kept_spellings_.clear();
  for (size_t i = 0; i < key_ends_.size(); ++i) {
    uint32_t end = key_ends_[i];
    std::string_view key(key_buf_.data() + start, end - start);
    start = end;
    if (excluded(key)) continue;
    if (spell_ && spellings_[i].second > spellings_[i].first)
      kept_spellings_.push_back(
          {static_cast<uint32_t>(key.data() - key_buf_.data()), static_cast<uint32_t>(key.size()), i});
    // Records carry a handful of keys: a linear scan beats a set.
    if (distinct && std::find(out.keys.begin(), out.keys.end(), key) != out.keys.end()) continue;
    out.keys.push_back(key);
    ++kept;
  }
  if (!kept_spellings_.empty()) {
    // Spelling markers, counted with the keys: RS key US spelling (see kSpellingMark).
    size_t extra = 0;
    for (const KeptSpelling& k : kept_spellings_)
      extra += k.length + 2 + (spellings_[k.index].second - spellings_[k.index].first);
    reserve_keys(out, extra);
    size_t first_marker = out.keys.size();
    for (const KeptSpelling& k : kept_spellings_) {
      size_t at = key_buf_.size();
      key_buf_.push_back(kSpellingMark);
      key_buf_.append(key_buf_, k.offset, k.length);  // within the reserved capacity: nothing moves
      key_buf_.push_back('\x1f');
      key_buf_.append(spell_buf_, spellings_[k.index].first,
                      spellings_[k.index].second - spellings_[k.index].first);
      std::string_view marker(key_buf_.data() + at, key_buf_.size() - at);
      if (distinct && std::find(out.keys.begin() + static_cast<std::ptrdiff_t>(first_marker), out.keys.end(),
                                marker) != out.keys.end()) {
        key_buf_.resize(at);
        continue;
      }
      out.keys.push_back(marker);
    }
    return;
  }
  if (!users_ || kept == 0) return;
  // --count users: each key becomes key + US + author, so a window's map holds one entry per (key, author)
  // and the pipeline counts authors per key. Built after the keys, in the same buffer (reserved first, so
  // the views above stay valid).
  size_t extra = 0;
  for (std::string_view k : out.keys) extra += k.size() + 1 + out.user.size();
  reserve_keys(out, extra);
  for (std::string_view& k : out.keys) {
    size_t at = key_buf_.size();
    key_buf_.append(k);
    key_buf_.push_back('\x1f');
    key_buf_.append(out.user);
    k = std::string_view(key_buf_.data() + at, key_buf_.size() - at);
  }
}

// The record's keys from the post that counts, once the record has passed the filters. `marks`: the kinds of
// key the format marks in its structured fields.
void Extractor::count_post(const Post& post, uint8_t marks, Record& out) {
  if (mode_ == ExtractMode::Split) {
    // The tutorial: text.split(' '), keep words starting with '#', lower(), count every occurrence.
    std::string_view rest = top_ && !top_->text.empty() ? decode(top_->text, split_buf_) : record_text(out);
    for (;;) {
      size_t space = rest.find(' ');
      std::string_view word = rest.substr(0, space);
      if (!word.empty() && word[0] == '#') add_key(0, word, Norm::Lower);
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  } else if (mode_ == ExtractMode::Entities) {
    keys_from_entities(post.has_extended ? post.extended : post.entities, keys_);
    if (keys_ & kWords) keys_from_text(record_text(out), kWords);  // no format marks words
  } else if (mode_ == ExtractMode::Auto && post.has_entities) {
    keys_from_entities(post.has_extended ? post.extended : post.entities, keys_);
    if (keys_ & ~marks) keys_from_text(record_text(out), keys_ & ~marks);  // kinds the format never marks
  } else {
    keys_from_text(record_text(out), keys_);
  }
  finish_keys(out, distinct_);
}

// The format of the record just read, and from it the post that counts, its time, user and language.
void Extractor::decide(Record& out, bool sse) {
  const Post& top = *top_;
  enum class Shape { None, Twitter, XV2, XV2Flat, Bluesky, MastodonStream, Mastodon } shape = Shape::None;
  if (msg_.data)
    shape = Shape::XV2;
  else if (msg_.has_kind && (msg_.has_did || msg_.has_commit))
    shape = Shape::Bluesky;
  else if (msg_.has_event)
    shape = msg_.has_payload ? Shape::MastodonStream : Shape::None;
  else if (top.has_account && (top.has_content || top.has_uri))
    shape = Shape::Mastodon;
  else if (top.has_created_at && top.has_user)
    shape = Shape::Twitter;
  else if (top.has_created_at && (top.has_author_id || msg_.twarc))
    shape = Shape::XV2Flat;
  if (msg_.notice) shape = Shape::None;
  Schema schema = shape == Shape::Twitter                                      ? Schema::Twitter
                  : shape == Shape::XV2 || shape == Shape::XV2Flat             ? Schema::XV2
                  : shape == Shape::Bluesky                                    ? Schema::Bluesky
                  : shape == Shape::Mastodon || shape == Shape::MastodonStream ? Schema::Mastodon
                                                                               : Schema::Auto;
  if (shape == Shape::None || (schema_ != Schema::Auto && schema_ != schema)) {
    out.kind = Record::Kind::NotTweet;
    return;
  }

  if (shape == Shape::MastodonStream) {
    // {"event":"update","payload":"<a status, as a JSON string>"}: parse the payload a second time (it was
    // unescaped into the first parser's buffer; copy it with padding). Other events are not statuses.
    if (msg_.event != "update"sv) {
      out.kind = Record::Kind::NotTweet;
      return;
    }
    payload_buf_.assign(msg_.payload);
    payload_buf_.append(simdjson::SIMDJSON_PADDING, ' ');
    od::document doc;
    od::object root;
    Post& p = new_post();
    msg_.clear();
    if (payload_parser_
            .iterate(payload_buf_.data(), payload_buf_.size() - simdjson::SIMDJSON_PADDING,
                     payload_buf_.size())
            .get(doc) ||
        doc.get_object().get(root) || read_post(root, p, true)) {
      out.kind = Record::Kind::Malformed;
      return;
    }
    top_ = &p;
    if (!(p.has_account && (p.has_content || p.has_uri)) || msg_.data || msg_.has_kind || msg_.has_event) {
      out.kind = Record::Kind::NotTweet;
      return;
    }
    shape = Shape::Mastodon;
  }

  const Post* post = nullptr;
  std::optional<int64_t> time;
  std::string_view user, lang;
  bool retweet = false;
  uint8_t marks = kHashtags | kMentions | kCashtags | kUrls;
  switch (shape) {
    case Shape::Twitter:
      post = top.original ? top.original : &top;
      time = msg_.timestamp_ms ? msg_.timestamp_ms : top.time;
      user = top.user;
      lang = top.lang;
      retweet = top.original != nullptr;
      break;
    case Shape::XV2:
    case Shape::XV2Flat: {
      const Post& tweet = shape == Shape::XV2 ? *msg_.data : top;
      post = &tweet;
      if (!tweet.retweeted_id.empty()) {
        retweet = true;
        if (tweet.original) {
          post = tweet.original;
        } else {
          for (const Post* inc : includes_)
            if (inc->id == tweet.retweeted_id) {
              post = inc;
              break;
            }
        }
      }
      time = tweet.time;
      user = tweet.user;
      lang = tweet.lang;
      break;
    }
    case Shape::Bluesky:
      if (msg_.kind != "commit"sv || msg_.operation != "create"sv ||
          msg_.collection != "app.bsky.feed.post"sv || !msg_.record) {
        out.kind = Record::Kind::NotTweet;
        return;
      }
      post = msg_.record;
      time = msg_.time_us_ms ? msg_.time_us_ms : post->time;
      user = msg_.did;
      lang = post->lang;
      marks = kHashtags | kMentions | kUrls;
      break;
    case Shape::Mastodon:
      if (sse && top_->edited) {  // an SSE status.update (its event line is not at hand): counted at update
        out.kind = Record::Kind::NotTweet;
        return;
      }
      post = top_->original ? top_->original : top_;
      time = top_->time;
      user = top_->user;
      lang = top_->lang.empty() ? post->lang : top_->lang;
      retweet = top_->original != nullptr;
      marks = kHashtags | kMentions;
      break;
    default:
      out.kind = Record::Kind::NotTweet;
      return;
  }

  out.kind = Record::Kind::Tweet;
  out.time_ms = time;
  if (!post->content.empty() || (post->has_content && post->text.empty())) {
    html_buf_.clear();
    html_to_text(post->content, html_buf_);
    out.text = html_buf_;
    text_decoded_ = true;
  } else {
    text_post_ = post;  // decoded when needed
    text_decoded_ = false;
  }
  out.lang = lang;
  out.user = user;
  out.retweet = retweet;
  if (!passes_filters(track_.empty() ? std::string_view{} : record_text(out), out.lang, out.retweet)) {
    out.kind = Record::Kind::Filtered;
    return;
  }
  count_post(*post, marks, out);
}

// --schema json: one pass over the fields the paths name. `active`: the paths that match down to `depth`.
error_code Extractor::walk_fields(od::value value, size_t depth, unsigned active) {
  unsigned here = 0, deeper = 0;
  for (unsigned i = 0; i < 4; ++i) {
    if (!(active & (1u << i))) continue;
    (fields_[i].tokens.size() == depth ? here : deeper) |= 1u << i;
  }
  if (here) return take_field(value, here);
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  if (type == od::json_type::object) {
    od::object object;
    if (error_code e = value.get_object().get(object)) return e;
    for (auto field : object) {
      std::string_view key;
      if (error_code e = field.unescaped_key().get(key)) return e;
      unsigned next = 0;
      for (unsigned i = 0; i < 4; ++i)
        if ((deeper & (1u << i)) && fields_[i].tokens[depth] == key) next |= 1u << i;
      if (!next) continue;
      od::value v;
      if (error_code e = field.value().get(v)) return e;
      if (error_code e = walk_fields(v, depth + 1, next)) return e;
    }
  } else if (type == od::json_type::array) {
    od::array array;
    if (error_code e = value.get_array().get(array)) return e;
    size_t index = 0;
    for (auto item : array) {
      unsigned next = 0;
      for (unsigned i = 0; i < 4; ++i) {
        if (!(deeper & (1u << i))) continue;
        const std::string& t = fields_[i].tokens[depth];
        if (!t.empty() && t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos &&
            (t == "0"sv || t[0] != '0') && std::stoul(t) == index)
          next |= 1u << i;
      }
      ++index;
      if (!next) continue;
      od::value v;
      if (error_code e = item.get(v)) return e;
      if (error_code e = walk_fields(v, depth + 1, next)) return e;
    }
  }
  return SUCCESS;
}

// A value a --schema json path names: keys (a string, a number, or an array of them), text, time, user.
error_code Extractor::take_field(od::value value, unsigned targets) {
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  std::string_view s;  // the value as a string: a string's contents, a number or boolean as written
  if (type == od::json_type::string) {
    if (error_code e = value.get_string().get(s)) return e;
  } else if (type == od::json_type::number || type == od::json_type::boolean) {
    s = value.raw_json_token();
    s = s.substr(0, s.find_last_not_of(" \t\r\n") + 1);
  } else if (type == od::json_type::array && (targets & kKeyField)) {
    od::array array;
    if (error_code e = value.get_array().get(array)) return e;
    json_found_ = true;
    for (auto item : array) {
      od::value v;
      if (error_code e = item.get(v)) return e;
      od::json_type t;
      if (error_code e = v.type().get(t)) return e;
      std::string_view k;
      if (t == od::json_type::string) {
        if (error_code e = v.get_string().get(k)) return e;
      } else if (t == od::json_type::number || t == od::json_type::boolean) {
        k = v.raw_json_token();
        k = k.substr(0, k.find_last_not_of(" \t\r\n") + 1);
      } else {
        continue;
      }
      if (!k.empty()) add_key(0, k, Norm::Fold);
    }
    return SUCCESS;
  } else {
    return SUCCESS;  // null, or an object: nothing to take
  }
  if (targets & kKeyField) {
    json_found_ = true;
    if (!s.empty()) add_key(0, s, Norm::Fold);
  }
  if (targets & kTextField) {
    json_found_ = true;
    json_text_ = s;
  }
  if (targets & kUserField) json_user_ = s;
  if (targets & kTimeField) {
    if (type == od::json_type::number) {
      int64_t n;
      double d;
      if (value.get_int64().get(n) == SUCCESS)
        json_time_ = parse_any_time(s);
      else if (value.get_double().get(d) == SUCCESS)
        json_time_ = epoch_to_ms(d);
    } else if (type == od::json_type::string) {
      json_time_ = parse_any_time(s);
    }
  }
  return SUCCESS;
}

void Extractor::extract_text(std::string_view line, Record& out) {
  out.kind = Record::Kind::Tweet;
  out.text = line;
  if (!passes_filters(out.text, {}, false)) {
    out.kind = Record::Kind::Filtered;
    return;
  }
  if (mode_ == ExtractMode::Split) {
    top_ = nullptr;
    count_post(Post{}, 0, out);
    return;
  }
  keys_from_text(line, keys_);
  finish_keys(out, distinct_);
}

void Extractor::extract(std::string_view line, Record& out) {
  out.kind = Record::Kind::Malformed;
  out.time_ms.reset();
  out.keys.clear();
  key_buf_.clear();
  key_ends_.clear();
  spellings_.clear();
  spell_buf_.clear();
  out.text = out.lang = out.user = {};
  text_post_ = nullptr;
  text_decoded_ = true;  // schemas that set out.text themselves (json, text) need no decoding
  out.retweet = false;
  posts_used_ = 0;
  includes_.clear();
  msg_.clear();
  top_ = nullptr;

  if (schema_ == Schema::Text) return extract_text(line, out);

  // Mastodon's server-sent events: "data: <json>" lines hold the statuses; "event: ...", ":heartbeat",
  // "id: ..." lines are framing. (A blank line never gets here.)
  bool sse = false;
  if ((schema_ == Schema::Auto || schema_ == Schema::Mastodon) && !line.empty() && line[0] != '{') {
    if (line.substr(0, 5) == "data:"sv) {
      line.remove_prefix(line.size() > 5 && line[5] == ' ' ? 6 : 5);
      if (line.empty() || line[0] != '{') {  // a delete's bare id, and the like
        out.kind = Record::Kind::NotTweet;
        return;
      }
      sse = true;
    } else if (line[0] == ':' || line.substr(0, 6) == "event:"sv || line.substr(0, 3) == "id:"sv ||
               line.substr(0, 6) == "retry:"sv) {
      out.kind = Record::Kind::NotTweet;
      return;
    }
  }

  // The framer hands over lines without trailing spaces stripped; an object must start with '{' and end with
  // '}'. Checking the last byte also catches trailing garbage, which On-Demand does not look at.
  size_t last = line.find_last_not_of(" \t");
  if (last == std::string_view::npos || line[last] != '}') return;
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), line.size() + Framer::kPadding).get(doc)) return;
  if (schema_ == Schema::Json) {
    json_text_ = json_user_ = {};
    json_time_.reset();
    json_found_ = false;
    unsigned active = 0;
    for (unsigned i = 0; i < 4; ++i)
      if (fields_[i].set && !fields_[i].tokens.empty()) active |= 1u << i;
    od::value root;
    if (doc.get_value().get(root)) return;
    od::json_type type;
    if (root.type().get(type) || type != od::json_type::object) return;
    if (walk_fields(root, 0, active)) {
      key_buf_.clear();
      key_ends_.clear();
      spellings_.clear();
      return;
    }
    if (!json_found_) {
      out.kind = Record::Kind::NotTweet;
      return;
    }
    out.kind = Record::Kind::Tweet;
    out.time_ms = json_time_;
    out.text = json_text_;
    out.user = json_user_;
    if (!passes_filters(out.text, {}, false)) {
      out.kind = Record::Kind::Filtered;
      return;
    }
    if (fields_[0].set) {
      finish_keys(out, distinct_);  // the key field's keys, added during the walk
    } else {
      keys_from_text(out.text, keys_);
      finish_keys(out, distinct_);
    }
    return;
  }
  od::object root;
  if (doc.get_object().get(root)) return;
  Post& top = new_post();
  top_ = &top;
  if (read_post(root, top, true)) return;
  decide(out, sse);
  if (out.kind == Record::Kind::NotTweet || out.kind == Record::Kind::Malformed) out.time_ms.reset();
}

}  // namespace trendtop
