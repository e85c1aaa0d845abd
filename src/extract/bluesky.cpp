// Bluesky's Jetstream: {"did", "time_us", "kind":"commit", "commit":{"operation":"create",
// "collection":"app.bsky.feed.post", "record":{text, facets, tags, langs, createdAt}}}. Only created posts
// count; the time is time_us (else the record's createdAt); the author is the did. Hashtags, mentions and
// links are the record's facets (and its tags); cashtags come from the text.
#include "extract/format.h"
#include "extract/schema.h"
#include "util/timefmt.h"

namespace trendtop {

namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;

// facets[].features[] = {"$type":"app.bsky.richtext.facet#tag","tag":...} (#mention: did, #link: uri).
error_code read_facets(Scan& s, od::value& facets_value, Post& p) {
  p.has_entities = true;
  EntityLists& into = p.entities;
  od::array facets;
  if (error_code e = facets_value.get_array().get(facets)) return scan::tolerate_type(e);
  for (auto facet_value : facets) {
    od::object facet;
    if (error_code e = facet_value.get_object().get(facet)) {
      if (scan::tolerate_type(e)) return e;
      continue;
    }
    for (auto f : facet) {
      std::string_view k;
      if (error_code e = scan::key_of(f, k)) return e;
      if (k != "features"sv) continue;
      od::array features;
      if (error_code e = f.value().get_array().get(features)) {
        if (scan::tolerate_type(e)) return e;
        continue;
      }
      for (auto feature_value : features) {
        od::object feature;
        if (error_code e = feature_value.get_object().get(feature)) {
          if (scan::tolerate_type(e)) return e;
          continue;
        }
        std::string_view type, tag, did, uri;
        for (auto g : feature) {
          std::string_view gk;
          if (error_code e = scan::key_of(g, gk)) return e;
          std::string_view* to = gk == "$type"sv ? &type
                                 : gk == "tag"sv ? &tag
                                 : gk == "did"sv ? &did
                                 : gk == "uri"sv ? &uri
                                                 : nullptr;
          if (!to) continue;
          if (error_code e = g.value().get_string().get(*to)) {
            if (scan::tolerate_type(e)) return e;
          }
        }
        if (type == "app.bsky.richtext.facet#tag"sv && !tag.empty()) {
          if (s.keys & kHashtags) into.hashtags.push_back(tag);
        } else if (type == "app.bsky.richtext.facet#mention"sv && !did.empty()) {
          if (s.keys & kMentions) into.mentions.push_back(did);
        } else if (type == "app.bsky.richtext.facet#link"sv && !uri.empty()) {
          if (s.keys & kUrls) into.urls.push_back(uri);
        }
      }
    }
  }
  return SUCCESS;
}

const Field kFields[] = {
    {"facets", read_facets},
    {"langs",  // the first
     [](Scan&, od::value& v, Post& p) -> error_code {
       od::array langs;
       if (v.get_array().get(langs) == SUCCESS) {
         for (auto l : langs) {
           std::string_view s;
           if (l.get_string().get(s) == SUCCESS && p.lang.empty()) p.lang = s;
         }
       }
       return SUCCESS;
     }},
    {"createdAt",
     [](Scan&, od::value& v, Post& p) -> error_code {
       std::string_view s;
       if (v.get_string().get(s) == SUCCESS) p.time = parse_rfc3339(s);
       return SUCCESS;
     }},
    {"kind",
     [](Scan& s, od::value& v, Post&) {
       s.msg.has_kind = true;
       return scan::string(v, s.msg.kind);
     },
     true},
    {"did",
     [](Scan& s, od::value& v, Post&) {
       s.msg.has_did = true;
       return scan::string(v, s.msg.did);
     },
     true},
    {"time_us",
     [](Scan& s, od::value& v, Post&) -> error_code {
       int64_t us;
       std::string_view str;
       if (v.get_int64().get(us) == SUCCESS)
         s.msg.time_us_ms = floor_div(us, 1000);
       else if (v.get_string().get(str) == SUCCESS)
         if (auto t = parse_epoch_ms(str)) s.msg.time_us_ms = floor_div(*t, 1000);
       return SUCCESS;
     },
     true},
    {"commit",
     [](Scan& s, od::value& v, Post&) -> error_code {
       od::object commit;
       if (v.get_object().get(commit) != SUCCESS) return SUCCESS;
       s.msg.has_commit = true;
       for (auto f : commit) {
         std::string_view k;
         if (error_code e = scan::key_of(f, k)) return e;
         if (k == "operation"sv || k == "collection"sv) {
           std::string_view str;
           if (f.value().get_string().get(str) == SUCCESS)
             (k == "operation"sv ? s.msg.operation : s.msg.collection) = str;
         } else if (k == "record"sv) {
           od::object record;
           if (f.value().get_object().get(record) != SUCCESS) continue;
           Post& p = s.new_post();
           if (error_code e = s.read_object(record, p, false)) return e;
           s.msg.record = &p;
         }
       }
       return SUCCESS;
     },
     true},
};

Format::Match match(const Scan& s) {
  return s.msg.has_kind && (s.msg.has_did || s.msg.has_commit) ? Format::Match::Yes : Format::Match::No;
}

Format::Verdict choose(Scan& s, Choice& c) {
  const Message& m = s.msg;
  if (m.kind != "commit"sv || m.operation != "create"sv || m.collection != "app.bsky.feed.post"sv ||
      !m.record)
    return Format::Verdict::NotStatus;
  c.post = m.record;
  c.time = m.time_us_ms ? m.time_us_ms : m.record->time;
  c.user = m.did;
  c.lang = m.record->lang;
  c.marks = kHashtags | kMentions | kUrls;
  return Format::Verdict::Status;
}

}  // namespace

const Format kBluesky{Schema::Bluesky, kFields, match, choose};

}  // namespace trendtop
