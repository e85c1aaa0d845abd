// Mastodon: statuses (REST, archives), streaming messages {"event":"update","payload":"<status as a JSON
// string>"} (the payload is parsed a second time), and SSE "data: <status>" lines (the extractor strips the
// prefix). A status has an account and content (HTML, turned into text by the extractor) or a uri; the
// time is created_at; a reblog counts the status it carries. Hashtags and mentions are the status's tags and
// mentions; cashtags and URLs come from the text. An edit (status.update) was counted when first posted.
#include "extract/format.h"

namespace trendtop {

namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;

const Field kFields[] = {
    {"content",
     [](Scan&, od::value& v, Post& p) {
       error_code e = scan::string(v, p.content);
       p.has_content = p.has_content || !e;
       return e;
     }},
    {"mentions",
     [](Scan& s, od::value& v, Post& p) -> error_code {
       p.has_entities = true;
       return (s.keys & kMentions) ? scan::read_strings(v, "acct", {}, p.entities.mentions) : SUCCESS;
     }},
    {"language", [](Scan&, od::value& v, Post& p) { return scan::string(v, p.lang); }},
    {"reblog", scan::read_original, true},
    {"account",  // account.id
     [](Scan& s, od::value& v, Post& p) { return scan::read_author(s, v, p, p.has_account); }, true},
    {"edited_at",  // set on status.update
     [](Scan&, od::value& v, Post& p) -> error_code {
       bool null = false;
       if (v.is_null().get(null) == SUCCESS && !null) p.edited = true;
       return SUCCESS;
     },
     true},
    {"uri",
     [](Scan&, od::value&, Post& p) -> error_code {
       p.has_uri = true;
       return SUCCESS;
     },
     true},
    {"event",
     [](Scan& s, od::value& v, Post&) {
       s.msg.has_event = true;
       return scan::string(v, s.msg.event);
     },
     true},
    {"payload",
     [](Scan& s, od::value& v, Post&) {
       s.msg.has_payload = true;
       return scan::string(v, s.msg.payload);
     },
     true},
};

bool is_status(const Post& p) {
  return p.has_account && (p.has_content || p.has_uri);
}

Format::Match match(const Scan& s) {
  if (s.msg.has_event) return s.msg.has_payload ? Format::Match::Yes : Format::Match::NotStatus;
  return is_status(*s.top) ? Format::Match::Yes : Format::Match::No;
}

Format::Verdict choose(Scan& s, Choice& c) {
  if (s.msg.has_event) {
    // A streaming message: only "update" carries a status, as a JSON string (unescaped into the first
    // parser's buffer; copied here with simdjson's padding and parsed again).
    if (s.msg.event != "update"sv) return Format::Verdict::NotStatus;
    s.payload_buf.assign(s.msg.payload);
    s.payload_buf.append(simdjson::SIMDJSON_PADDING, ' ');
    od::document doc;
    od::object root;
    Post& p = s.new_post();
    s.msg.clear();
    if (s.payload_parser
            .iterate(s.payload_buf.data(), s.payload_buf.size() - simdjson::SIMDJSON_PADDING,
                     s.payload_buf.size())
            .get(doc) ||
        doc.get_object().get(root) || s.read_object(root, p, true) || !scan::only_value(doc))
      return Format::Verdict::Malformed;
    s.top = &p;
    if (!is_status(p) || s.msg.data || s.msg.has_kind || s.msg.has_event) return Format::Verdict::NotStatus;
  } else if (s.sse && s.top->edited) {
    return Format::Verdict::NotStatus;  // an SSE status.update (its event line is not at hand)
  }
  const Post& top = *s.top;
  c.post = top.original ? top.original : &top;
  c.time = top.time;
  c.user = top.user;
  c.lang = top.lang.empty() ? c.post->lang : top.lang;
  c.retweet = top.original != nullptr;
  c.marks = kHashtags | kMentions;
  return Format::Verdict::Status;
}

}  // namespace

const Format kMastodon{Schema::Mastodon, kFields, match, choose};

}  // namespace trendtop
