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
using namespace std::string_view_literals;

// facets[].features[] = {"$type":"app.bsky.richtext.facet#tag","tag":...} (#mention: did, #link: uri).
error_code read_facets(Scan& s, json::Value& facets_value, Post& p) {
  p.has_entities = true;
  EntityLists& into = p.entities;
  json::Array facets;
  if (error_code e = facets_value.get_array(facets)) return scan::tolerate_type(e);
  return facets.each([&](json::Value& facet_value) -> error_code {
    json::Object facet;
    if (error_code e = facet_value.get_object(facet)) return scan::tolerate_type(e);
    return facet.each([&](std::string_view k, json::Value& f) -> error_code {
      if (k != "features"sv) return SUCCESS;
      json::Array features;
      if (error_code e = f.get_array(features)) return scan::tolerate_type(e);
      return features.each([&](json::Value& feature_value) -> error_code {
        json::Object feature;
        if (error_code e = feature_value.get_object(feature)) return scan::tolerate_type(e);
        std::string_view type, tag, did, uri;
        if (error_code e = feature.each([&](std::string_view gk, json::Value& g) -> error_code {
              std::string_view* to = gk == "$type"sv ? &type
                                     : gk == "tag"sv ? &tag
                                     : gk == "did"sv ? &did
                                     : gk == "uri"sv ? &uri
                                                     : nullptr;
              if (!to) return SUCCESS;
              return scan::tolerate_type(g.get_string(*to));
            }))
          return e;
        if (type == "app.bsky.richtext.facet#tag"sv && !tag.empty()) {
          if (s.keys & kHashtags) into.hashtags.push_back(tag);
        } else if (type == "app.bsky.richtext.facet#mention"sv && !did.empty()) {
          if (s.keys & kMentions) into.mentions.push_back(did);
        } else if (type == "app.bsky.richtext.facet#link"sv && !uri.empty()) {
          if (s.keys & kUrls) into.urls.push_back(uri);
        }
        return SUCCESS;
      });
    });
  });
}

const Field kFields[] = {
    {"facets", read_facets},
    {"langs",  // the first
     [](Scan&, json::Value& v, Post& p) -> error_code {
       json::Array langs;
       if (v.get_array(langs) != SUCCESS) return SUCCESS;
       return langs.each([&](json::Value& l) -> error_code {
         std::string_view s;
         if (l.get_string(s) == SUCCESS && p.lang.empty()) p.lang = s;
         return SUCCESS;
       });
     }},
    {"createdAt",
     [](Scan&, json::Value& v, Post& p) -> error_code {
       std::string_view s;
       if (v.get_string(s) == SUCCESS) p.time = parse_rfc3339(s);
       return SUCCESS;
     }},
    {"kind",
     [](Scan& s, json::Value& v, Post&) {
       s.msg.has_kind = true;
       return scan::string(v, s.msg.kind);
     },
     true},
    {"did",
     [](Scan& s, json::Value& v, Post&) {
       s.msg.has_did = true;
       return scan::string(v, s.msg.did);
     },
     true},
    {"time_us",
     [](Scan& s, json::Value& v, Post&) -> error_code {
       int64_t us;
       std::string_view str;
       if (v.get_int64(us) == SUCCESS)
         s.msg.time_us_ms = floor_div(us, 1000);
       else if (v.get_string(str) == SUCCESS)
         if (auto t = parse_epoch_ms(str)) s.msg.time_us_ms = floor_div(*t, 1000);
       return SUCCESS;
     },
     true},
    {"commit",
     [](Scan& s, json::Value& v, Post&) -> error_code {
       json::Object commit;
       if (v.get_object(commit) != SUCCESS) return SUCCESS;
       s.msg.has_commit = true;
       return commit.each([&](std::string_view k, json::Value& f) -> error_code {
         if (k == "operation"sv || k == "collection"sv) {
           std::string_view str;
           if (f.get_string(str) == SUCCESS) (k == "operation"sv ? s.msg.operation : s.msg.collection) = str;
         } else if (k == "record"sv) {
           json::Object record;
           if (f.get_object(record) != SUCCESS) return SUCCESS;
           Post& p = s.new_post();
           if (error_code e = s.read_object(record, p, false)) return e;
           s.msg.record = &p;
         }
         return SUCCESS;
       });
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
