#include "extract.h"

#include <algorithm>

#include "framer.h"
#include "timefmt.h"

namespace trendtop {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
static_assert(Framer::kPadding >= simdjson::SIMDJSON_PADDING);

namespace {

// Keys whose presence marks a stream notice rather than a status.
bool is_notice_key(od::raw_json_string key) {
  return key == "delete" || key == "limit" || key == "status_withheld" || key == "user_withheld" ||
         key == "scrub_geo" || key == "warning" || key == "disconnect";
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
      od::raw_json_string k;
      if (error_code e = f.key().get(k)) return e;
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
  for (auto field : entities) {
    od::raw_json_string key;
    if (error_code e = field.key().get(key)) return e;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    error_code e = SUCCESS;
    if ((keys_ & kHashtags) && key == "hashtags") {
      e = read_strings(value, "text", {}, into.hashtags);
    } else if ((keys_ & kMentions) && key == "user_mentions") {
      e = read_strings(value, "screen_name", {}, into.mentions);
    } else if ((keys_ & kCashtags) && key == "symbols") {
      e = read_strings(value, "text", {}, into.cashtags);
    } else if ((keys_ & kUrls) && key == "urls") {
      e = read_strings(value, "expanded_url", "url", into.urls);
    }
    if (e) return e;
  }
  return SUCCESS;
}

error_code Extractor::read_status(od::object status, Status& into, bool top, Record& out) {
  std::optional<int64_t> created_at;
  for (auto field : status) {
    od::raw_json_string key;
    if (error_code e = field.key().get(key)) return e;
    od::value value;
    if (error_code e = field.value().get(value)) return e;
    if (key == "entities") {
      od::object entities;
      if (value.get_object().get(entities) == SUCCESS) {
        into.has_entities = true;
        if (error_code e = read_entities(entities, into.entities)) return e;
      }
    } else if (key == "extended_tweet") {
      od::object ext;
      if (value.get_object().get(ext) == SUCCESS) {
        into.has_extended = true;
        for (auto f : ext) {
          od::raw_json_string k;
          if (error_code e = f.key().get(k)) return e;
          if (k == "entities") {
            od::object entities;
            if (f.value().get_object().get(entities) == SUCCESS) {
              if (error_code e = read_entities(entities, into.extended)) return e;
            }
          } else if (k == "full_text") {
            std::string_view s;
            if (f.value().get_string().get(s) == SUCCESS) into.full_text = s;
          }
        }
      }
    } else if (key == "text") {
      std::string_view s;
      if (value.get_string().get(s) == SUCCESS) into.text = s;
    } else if (key == "full_text") {  // REST API with tweet_mode=extended, and archives made with it
      std::string_view s;
      if (value.get_string().get(s) == SUCCESS) into.full_text = s;
    } else if (!top) {
      continue;
    } else if (key == "retweeted_status") {
      od::object original;
      if (value.get_object().get(original) == SUCCESS) {
        has_retweeted_ = true;
        if (error_code e = read_status(original, retweeted_, false, out)) return e;
      }
    } else if (key == "timestamp_ms") {
      if (auto t = read_timestamp_ms(value)) out.time_ms = t;
    } else if (key == "created_at") {
      std::string_view s;
      if (value.get_string().get(s) == SUCCESS) {
        has_created_at_ = true;
        created_at = parse_twitter_time(s);
      }
    } else if (key == "user") {
      od::json_type type;
      if (value.type().get(type) == SUCCESS && type == od::json_type::object) {
        has_user_ = true;
        if (want_user_) {  // user.id_str, else user.id as written
          od::object user;
          if (error_code e = value.get_object().get(user)) return e;
          for (auto f : user) {
            od::raw_json_string k;
            if (error_code e = f.key().get(k)) return e;
            if (k == "id_str") {
              std::string_view id;
              if (f.value().get_string().get(id) == SUCCESS) user_ = id;
              break;
            }
            if (k == "id" && user_.empty()) {
              std::string_view raw;
              if (f.value().raw_json_token().get(raw) == SUCCESS) {
                raw = raw.substr(0, raw.find_last_not_of(" \t\r\n") + 1);
                user_ = raw;
              }
            }
          }
        }
      }
    } else if (want_lang_ && key == "lang") {
      std::string_view s;
      if (value.get_string().get(s) == SUCCESS) lang_ = s;
    } else if (is_notice_key(key)) {
      is_notice_ = true;
    }
  }
  if (top && !out.time_ms) out.time_ms = created_at;
  return SUCCESS;
}

Extractor::Extractor(const Config& c) : mode_(c.extract), keys_(c.keys) {
  distinct_ = c.count != CountMode::Occurrences;
  users_ = c.count == CountMode::Users;
  want_user_ = users_;
  want_lang_ = !c.langs.empty();
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
      if (!normalizer_.fold(std::string_view(key).substr(1), norm)) continue;
    }
    exclude_.push_back(norm);
  }
  std::sort(exclude_.begin(), exclude_.end());
}

bool Extractor::excluded(std::string_view key) const {
  return !exclude_.empty() &&
         std::binary_search(exclude_.begin(), exclude_.end(), key,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

bool Extractor::passes_filters(const Status& status) {
  if (no_retweets_ && has_retweeted_) return false;
  if (!langs_.empty()) {
    bool any = false;
    for (const std::string& l : langs_) {
      any = l.size() == lang_.size() && std::equal(l.begin(), l.end(), lang_.begin(), [](char a, char b) {
              return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b);
            });
      if (any) break;
    }
    if (!any) return false;
  }
  if (!track_.empty()) {
    fold_buf_.clear();
    std::string_view text = status.full_text.empty() ? status.text : status.full_text;
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
      ok = normalizer_.fold(value, key_buf_);
      break;
    case Norm::Lower:
      ok = normalizer_.lower(value, key_buf_);
      break;
    case Norm::Keep:
      key_buf_.append(value);
      break;
  }
  if (!ok) {  // invalid UTF-8: a key of a string simdjson validated never is; split words may be
    key_buf_.resize(mark);
    return false;
  }
  key_ends_.push_back(static_cast<uint32_t>(key_buf_.size()));
  return true;
}

void Extractor::keys_from_entities(const EntityLists& lists) {
  for (std::string_view v : lists.hashtags) add_key('#', v, Norm::Fold);
  for (std::string_view v : lists.mentions) add_key('@', v, Norm::Fold);
  for (std::string_view v : lists.cashtags) add_key('$', v, Norm::Fold);
  for (std::string_view v : lists.urls) add_key(0, v, Norm::Keep);
}

void Extractor::keys_from_text(std::string_view text) {
  if (keys_ & kHashtags) {
    text_extractor_.hashtags(text, found_);
    for (const TextEntity& e : found_) add_key('#', e.value, Norm::Fold);
  }
  if (keys_ & kMentions) {
    text_extractor_.mentions(text, found_);
    for (const TextEntity& e : found_) add_key('@', e.value, Norm::Fold);
  }
  if (keys_ & kCashtags) {
    text_extractor_.cashtags(text, found_);
    for (const TextEntity& e : found_) add_key('$', e.value, Norm::Fold);
  }
  if (keys_ & kUrls) {
    text_extractor_.urls(text, found_);
    for (const TextEntity& e : found_) add_key(0, e.value, Norm::Keep);
  }
}

void Extractor::finish_keys(Record& out, bool distinct) {
  uint32_t start = 0;
  size_t kept = 0;
  for (uint32_t end : key_ends_) {
    std::string_view key(key_buf_.data() + start, end - start);
    start = end;
    if (excluded(key)) continue;
    // Records carry a handful of keys: a linear scan beats a set.
    if (distinct && std::find(out.keys.begin(), out.keys.end(), key) != out.keys.end()) continue;
    out.keys.push_back(key);
    ++kept;
  }
  if (!users_ || kept == 0) return;
  // --count users: each key becomes key + US + author, so a window's map holds one entry per (key, author)
  // and the pipeline counts authors per key. Built after the keys, in the same buffer (reserved first, so
  // the views above stay valid).
  size_t need = key_buf_.size();
  for (std::string_view k : out.keys) need += k.size() + 1 + user_.size();
  if (key_buf_.capacity() < need) {
    // Growing would move the keys: rebase the views onto the new buffer.
    std::string grown;
    grown.reserve(need * 2);
    grown = key_buf_;
    for (std::string_view& k : out.keys)
      k = std::string_view(grown.data() + (k.data() - key_buf_.data()), k.size());
    key_buf_.swap(grown);
  }
  for (std::string_view& k : out.keys) {
    size_t at = key_buf_.size();
    key_buf_.append(k);
    key_buf_.push_back('\x1f');
    key_buf_.append(user_);
    k = std::string_view(key_buf_.data() + at, key_buf_.size() - at);
  }
}

void Extractor::extract(std::string_view line, Record& out) {
  out.kind = Record::Kind::Malformed;
  out.time_ms.reset();
  out.keys.clear();
  top_.clear();
  retweeted_.clear();
  key_buf_.clear();
  key_ends_.clear();
  has_retweeted_ = has_user_ = has_created_at_ = is_notice_ = false;
  lang_ = user_ = {};
  out.text = out.lang = out.user = {};
  out.retweet = false;

  // The framer hands over lines without trailing spaces stripped; an object must start with '{' and end with
  // '}'. Checking the last byte also catches trailing garbage, which On-Demand does not look at.
  size_t last = line.find_last_not_of(" \t");
  if (last == std::string_view::npos || line[last] != '}') return;
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), line.size() + Framer::kPadding).get(doc)) return;
  od::object root;
  if (doc.get_object().get(root)) return;
  if (read_status(root, top_, true, out)) {
    out.time_ms.reset();
    return;
  }
  if (is_notice_ || !has_created_at_ || !has_user_) {
    out.kind = Record::Kind::NotTweet;
    out.time_ms.reset();
    return;
  }
  out.kind = Record::Kind::Tweet;
  const Status& status = has_retweeted_ ? retweeted_ : top_;
  out.text = status.full_text.empty() ? status.text : status.full_text;
  out.lang = lang_;
  out.user = user_;
  out.retweet = has_retweeted_;
  if (!passes_filters(status)) {
    out.kind = Record::Kind::Filtered;
    return;
  }

  if (mode_ == ExtractMode::Split) {
    // The tutorial: text.split(' '), keep words starting with '#', lower(), count every occurrence.
    std::string_view rest = top_.text;
    for (;;) {
      size_t space = rest.find(' ');
      std::string_view word = rest.substr(0, space);
      if (!word.empty() && word[0] == '#') add_key(0, word, Norm::Lower);
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
    finish_keys(out, distinct_);
    return;
  }
  if (mode_ == ExtractMode::Entities || (mode_ == ExtractMode::Auto && status.has_entities)) {
    keys_from_entities(status.has_extended ? status.extended : status.entities);
  } else {
    keys_from_text(out.text);
  }
  finish_keys(out, distinct_);
}

}  // namespace trendtop
