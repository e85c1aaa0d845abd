// Twitter API v1.1 statuses, as the streaming API sent them and archives keep them: created_at and a user
// object; the time is timestamp_ms (else created_at); a retweet counts the retweeted_status it carries, whose
// text is not cut; a long tweet's text and entities are in extended_tweet (or full_text, from the REST API
// with tweet_mode=extended). Stream notices (delete, limit, ...) are valid JSON but not statuses.
#include "extract/format.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;

// timestamp_ms is a string in the streaming API ("1609486140658"); tolerate a number as well.
std::optional<int64_t> read_timestamp_ms(od::value& v) {
  std::string_view s;
  if (v.get_string().get(s) == SUCCESS) return parse_epoch_ms(s);
  int64_t n;
  if (v.get_int64().get(n) == SUCCESS) return n;
  return std::nullopt;
}

error_code notice(Scan& s, od::value&, Post&) {
  s.msg.notice = true;
  return SUCCESS;
}

const Field kFields[] = {
    {"extended_tweet",
     [](Scan& s, od::value& v, Post& p) { return scan::read_long_text(v, p, false, s.keys); }},
    // The REST API with tweet_mode=extended, and archives made with it.
    {"full_text", [](Scan&, od::value& v, Post& p) { return scan::raw_string(v, p.full_text); }},
    {"retweeted_status", scan::read_original, true},
    {"timestamp_ms",
     [](Scan& s, od::value& v, Post&) -> error_code {
       if (auto t = read_timestamp_ms(v)) s.msg.timestamp_ms = t;
       return SUCCESS;
     },
     true},
    {"user",  // user.id_str (else id)
     [](Scan& s, od::value& v, Post& p) { return scan::read_author(s, v, p, p.has_user); }, true},
    {"delete", notice, true},
    {"limit", notice, true},
    {"status_withheld", notice, true},
    {"user_withheld", notice, true},
    {"scrub_geo", notice, true},
    {"warning", notice, true},
    {"disconnect", notice, true},
};

Format::Match match(const Scan& s) {
  return s.top->has_created_at && s.top->has_user ? Format::Match::Yes : Format::Match::No;
}

Format::Verdict choose(Scan& s, Choice& c) {
  const Post& top = *s.top;
  c.post = top.original ? top.original : &top;
  c.time = s.msg.timestamp_ms ? s.msg.timestamp_ms : top.time;
  c.user = top.user;
  c.lang = top.lang;
  c.retweet = top.original != nullptr;
  return Format::Verdict::Status;
}

}  // namespace

const Format kTwitterV1{Schema::Twitter, kFields, match, choose};

}  // namespace trendtop
