// X API v2: a streamed or searched message {"data": tweet, "includes": {"tweets": [...]}, ...}, and twarc's
// flattened tweets (one tweet per line, created_at + author_id or "__twarc", includes inlined). The time is
// created_at (RFC 3339); the author is author_id; a long tweet's text and entities are in note_tweet. A
// retweet names its original in referenced_tweets ({"type":"retweeted","id":...}): the original counts,
// found among includes.tweets, or inlined whole by twarc.
#include "extract/format.h"

namespace trendtop {

namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;

const Field kFields[] = {
    {"note_tweet", [](Scan& s, od::value& v, Post& p) { return scan::read_long_text(v, p, true, s.keys); }},
    {"type", [](Scan&, od::value& v, Post& p) { return scan::string(v, p.type); }},
    {"referenced_tweets",  // [{type,id}], or whole tweets (twarc's flattening)
     [](Scan& s, od::value& v, Post& p) -> error_code {
       od::array refs;
       if (v.get_array().get(refs) != SUCCESS) return SUCCESS;
       for (auto r : refs) {
         od::object ref;
         if (r.get_object().get(ref) != SUCCESS) continue;
         Post& referenced = s.new_post();
         if (error_code e = s.read_object(ref, referenced, false)) return e;
         if (referenced.type != "retweeted"sv) continue;
         p.retweeted_id = referenced.id.empty() ? std::string_view("?") : referenced.id;
         if (!referenced.text.empty() || referenced.has_entities) p.original = &referenced;
       }
       return SUCCESS;
     }},
    {"author_id",
     [](Scan&, od::value& v, Post& p) {
       p.has_author_id = true;
       return scan::string(v, p.user);
     },
     true},
    {"data",
     [](Scan& s, od::value& v, Post&) -> error_code {
       od::object data;
       if (v.get_object().get(data) != SUCCESS) return SUCCESS;
       Post& tweet = s.new_post();
       if (error_code e = s.read_object(data, tweet, true)) return e;
       s.msg.data = &tweet;
       return SUCCESS;
     },
     true},
    {"includes",  // includes.tweets[]
     [](Scan& s, od::value& v, Post&) -> error_code {
       s.msg.has_includes = true;
       od::object includes;
       if (v.get_object().get(includes) != SUCCESS) return SUCCESS;
       for (auto f : includes) {
         std::string_view k;
         if (error_code e = scan::key_of(f, k)) return e;
         if (k != "tweets"sv) continue;
         od::array tweets;
         if (f.value().get_array().get(tweets) != SUCCESS) continue;
         for (auto t : tweets) {
           od::object tweet;
           if (t.get_object().get(tweet) != SUCCESS) continue;
           Post& included = s.new_post();
           if (error_code e = s.read_object(tweet, included, false)) return e;
           s.includes.push_back(&included);
         }
       }
       return SUCCESS;
     },
     true},
    {"__twarc",
     [](Scan& s, od::value&, Post&) -> error_code {
       s.msg.twarc = true;
       return SUCCESS;
     },
     true},
};

// The tweet that counts: the original of a retweet (inlined, or from includes), else the tweet itself.
Format::Verdict choose_tweet(Scan& s, const Post& tweet, Choice& c) {
  c.post = &tweet;
  if (!tweet.retweeted_id.empty()) {
    c.retweet = true;
    if (tweet.original) {
      c.post = tweet.original;
    } else {
      for (const Post* inc : s.includes)
        if (inc->id == tweet.retweeted_id) {
          c.post = inc;
          break;
        }
    }
  }
  c.time = tweet.time;
  c.user = tweet.user;
  c.lang = tweet.lang;
  return Format::Verdict::Status;
}

}  // namespace

// {"data": ...}: a message of the API.
const Format kXV2Message{Schema::XV2, kFields,
                         [](const Scan& s) { return s.msg.data ? Format::Match::Yes : Format::Match::No; },
                         [](Scan& s, Choice& c) { return choose_tweet(s, *s.msg.data, c); }};

// A flattened tweet: tried after v1.1, whose statuses have created_at too (and a user object).
const Format kXV2Flat{Schema::XV2,
                      {},
                      [](const Scan& s) {
                        return s.top->has_created_at && (s.top->has_author_id || s.msg.twarc)
                                   ? Format::Match::Yes
                                   : Format::Match::No;
                      },
                      [](Scan& s, Choice& c) { return choose_tweet(s, *s.top, c); }};

}  // namespace trendtop
