#include "extract/extract.h"

#include <algorithm>

#include "extract/format.h"
#include "extract/schema.h"
#include "input/framer.h"

namespace trendtop {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;
static_assert(Framer::kPadding >= simdjson::SIMDJSON_PADDING);

Extractor::Extractor(const Config& c)
    : mode_(c.extract),
      keys_(c.keys),
      schema_(c.schema),
      distinct_(c.count != CountMode::Occurrences),
      no_retweets_(c.no_retweets),
      scan_(c.keys, c.count == CountMode::Users),
      json_(c),
      key_builder_(c) {
  for (const std::string& phrase : c.track) {
    std::string folded;
    if (normalizer_.fold(phrase, folded)) track_.push_back(folded);
  }
  for (const std::string& lang : c.langs) {
    std::string lower;
    for (char ch : lang) lower.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch);
    langs_.push_back(lower);
  }
}

CountingLists counting_lists(const Config& config) {
  Extractor e(config);
  CountingLists lists{e.track(), e.langs(), e.key_builder().exclusions(), e.key_builder().stop_words()};
  for (std::vector<std::string>* l : {&lists.track, &lists.langs, &lists.exclude, &lists.stopwords}) {
    std::sort(l->begin(), l->end());
    l->erase(std::unique(l->begin(), l->end()), l->end());
  }
  return lists;
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

// The record's keys from the post that counts, once the record has passed the filters. `marks`: the kinds of
// key the format marks in its structured fields.
void Extractor::count_post(const Post& post, uint8_t marks, Record& out) {
  if (mode_ == ExtractMode::Split) {
    // The tutorial: text.split(' '), keep words starting with '#', lower(), count every occurrence.
    std::string_view rest =
        scan_.top && !scan_.top->text.empty() ? decode(scan_.top->text, split_buf_) : record_text(out);
    for (;;) {
      size_t space = rest.find(' ');
      std::string_view word = rest.substr(0, space);
      if (!word.empty() && word[0] == '#') key_builder_.add(0, word, KeyBuilder::Norm::Lower);
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  } else if (mode_ == ExtractMode::Entities) {
    key_builder_.from_entities(post.has_extended ? post.extended : post.entities, keys_);
    if (keys_ & kWords) key_builder_.from_text(record_text(out), kWords);  // no format marks words
  } else if (mode_ == ExtractMode::Auto && post.has_entities) {
    key_builder_.from_entities(post.has_extended ? post.extended : post.entities, keys_);
    if (keys_ & ~marks)
      key_builder_.from_text(record_text(out), keys_ & ~marks);  // kinds the format never marks
  } else {
    key_builder_.from_text(record_text(out), keys_);
  }
  key_builder_.finish(out.keys, out.user, distinct_);
}

// The format of the record just read, and from it the post that counts, its time, user and language.
void Extractor::decide(Record& out) {
  const Format* format = nullptr;
  Format::Match match = Format::Match::No;
  // A stream notice (twitter_v1.cpp reads them) is never a status, whatever else it carries.
  if (!scan_.msg.notice)
    for (const Format* f : formats())
      if ((match = f->match(scan_)) != Format::Match::No) {
        format = f;
        break;
      }
  if (match != Format::Match::Yes || (schema_ != Schema::Auto && schema_ != format->schema)) {
    out.kind = Record::Kind::NotTweet;
    return;
  }
  Choice choice;
  switch (format->choose(scan_, choice)) {
    case Format::Verdict::Status:
      break;
    case Format::Verdict::NotStatus:
      out.kind = Record::Kind::NotTweet;
      return;
    case Format::Verdict::Malformed:
      out.kind = Record::Kind::Malformed;
      return;
  }
  const Post* post = choice.post;
  out.kind = Record::Kind::Tweet;
  out.time_ms = choice.time;
  if (!post->content.empty() || (post->has_content && post->text.empty())) {
    html_buf_.clear();
    html_to_text(post->content, html_buf_);
    out.text = html_buf_;
    text_decoded_ = true;
  } else {
    text_post_ = post;  // decoded when needed
    text_decoded_ = false;
  }
  out.lang = choice.lang;
  out.user = choice.user;
  out.retweet = choice.retweet;
  if (!passes_filters(track_.empty() ? std::string_view{} : record_text(out), out.lang, out.retweet)) {
    out.kind = Record::Kind::Filtered;
    return;
  }
  count_post(*post, choice.marks, out);
}

void Extractor::extract_json(od::document& doc, Record& out) {
  od::value root;
  if (doc.get_value().get(root)) return;
  od::json_type type;
  if (root.type().get(type) || type != od::json_type::object) return;
  JsonPaths::Found found;
  if (json_.read(root, key_builder_, found) || !scan::only_value(doc)) {
    key_builder_.clear();
    return;
  }
  if (!found.any) {
    out.kind = Record::Kind::NotTweet;
    return;
  }
  out.kind = Record::Kind::Tweet;
  out.time_ms = found.time;
  out.text = found.text;
  out.user = found.user;
  if (!passes_filters(out.text, {}, false)) {
    out.kind = Record::Kind::Filtered;
    return;
  }
  if (!json_.has_key_field()) key_builder_.from_text(out.text, keys_);  // else added during the walk
  key_builder_.finish(out.keys, out.user, distinct_);
}

void Extractor::extract(std::string_view line, Record& out) {
  out.kind = Record::Kind::Malformed;
  out.time_ms.reset();
  out.keys.clear();
  key_builder_.clear();
  out.text = out.lang = out.user = {};
  text_post_ = nullptr;
  text_decoded_ = true;  // schemas that set out.text themselves (json, text) need no decoding
  out.retweet = false;
  scan_.reset();

  if (schema_ == Schema::Text) return extract_text(line, out);

  // Mastodon's server-sent events: "data: <json>" lines hold the statuses; "event: ...", ":heartbeat",
  // "id: ..." lines are framing. (A blank line never gets here.)
  if ((schema_ == Schema::Auto || schema_ == Schema::Mastodon) && !line.empty() && line[0] != '{') {
    if (line.substr(0, 5) == "data:"sv) {
      line.remove_prefix(line.size() > 5 && line[5] == ' ' ? 6 : 5);
      if (line.empty() || line[0] != '{') {  // a delete's bare id, and the like
        out.kind = Record::Kind::NotTweet;
        return;
      }
      scan_.sse = true;
    } else if (line[0] == ':' || line.substr(0, 6) == "event:"sv || line.substr(0, 3) == "id:"sv ||
               line.substr(0, 6) == "retry:"sv) {
      out.kind = Record::Kind::NotTweet;
      return;
    }
  }

  // A line is one JSON object followed only by whitespace (see scan::only_value). The framer hands lines
  // over with trailing spaces: the last other byte must be '}', a cheap first check.
  size_t last = line.find_last_not_of(" \t\r");
  if (last == std::string_view::npos || line[last] != '}') return;
  od::document doc;
  if (parser_.iterate(line.data(), line.size(), line.size() + Framer::kPadding).get(doc)) return;
  if (schema_ == Schema::Json) return extract_json(doc, out);
  od::object root;
  if (doc.get_object().get(root)) return;
  Post& top = scan_.new_post();
  scan_.top = &top;
  if (scan_.read_object(root, top, true) || !scan::only_value(doc)) return;
  decide(out);
  if (out.kind == Record::Kind::NotTweet || out.kind == Record::Kind::Malformed) out.time_ms.reset();
}

}  // namespace trendtop
