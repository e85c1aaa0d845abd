#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/schema.h"
#include "input/framer.h"

using namespace trendtop;

namespace {

using V = std::vector<std::string>;

struct Got {
  Record::Kind kind;
  std::optional<int64_t> time;
  V keys;
  std::string text, lang, user;
  bool retweet;
};

Got run(const Config& c, const std::string& line) {
  Extractor e(c);
  std::string padded = line + std::string(Framer::kPadding, ' ');
  Record r;
  e.extract(std::string_view(padded.data(), line.size()), r);
  V keys;  // spelling markers (see kSpellingMark) are checked in unit_extract.cpp
  for (std::string_view k : r.keys)
    if (k.empty() || k[0] != kSpellingMark) keys.emplace_back(k);
  return {r.kind,   r.time_ms, keys, std::string(e.text(r)), std::string(r.lang), std::string(r.user),
          r.retweet};
}

Config cfg(Schema schema = Schema::Auto, uint8_t keys = kHashtags, ExtractMode mode = ExtractMode::Auto) {
  Config c;
  c.schema = schema;
  c.keys = keys;
  c.extract = mode;
  return c;
}

// The user: --count users reads it (and suffixes it to each key).
std::string user_of(Schema schema, const std::string& line) {
  Config c = cfg(schema);
  c.count = CountMode::Users;
  return run(c, line).user;
}

constexpr int64_t k20210922 = 1632327951000;  // 2021-09-22T16:25:51Z

}  // namespace

TEST_CASE("schema: RFC 3339 times, with and without fractions, Z or offsets", "[schema]") {
  CHECK(parse_rfc3339("2021-09-22T16:25:51.000Z") == k20210922);
  CHECK(parse_rfc3339("2021-09-22T16:25:51Z") == k20210922);
  CHECK(parse_rfc3339("2021-09-22T16:25:51.25Z") == k20210922 + 250);
  CHECK(parse_rfc3339("2021-09-22T16:25:51.123456789Z") == k20210922 + 123);
  CHECK(parse_rfc3339("2021-09-22T18:25:51+02:00") == k20210922);
  CHECK(parse_rfc3339("2021-09-22T14:25:51-0200") == k20210922);
  CHECK(parse_rfc3339("2021-09-22 16:25:51z") == k20210922);
  CHECK(!parse_rfc3339("2021-09-22T16:25:51"));  // no zone
  CHECK(!parse_rfc3339("2021-09-22T16:25:51.Z"));
  CHECK(!parse_rfc3339("2021-13-22T16:25:51Z"));
  CHECK(!parse_rfc3339("2021-09-22T16:25:51Zjunk"));
}

TEST_CASE("schema: epoch times in seconds, ms, us or ns by magnitude; any time format", "[schema]") {
  CHECK(parse_any_time("1632327951") == k20210922);
  CHECK(parse_any_time("1632327951.5") == k20210922 + 500);
  CHECK(parse_any_time("1632327951000") == k20210922);
  CHECK(parse_any_time("1632327951000123") == k20210922);
  CHECK(parse_any_time("1632327951000123456") == k20210922);
  CHECK(parse_any_time("-1") == -1000);
  CHECK(parse_any_time("2021-09-22T16:25:51Z") == k20210922);
  CHECK(parse_any_time("Wed Sep 22 16:25:51 +0000 2021") == k20210922);
  CHECK(!parse_any_time("yesterday"));
  CHECK(epoch_to_ms(1632327951.25) == k20210922 + 250);
}

TEST_CASE("schema: HTML to text", "[schema]") {
  std::string out;
  html_to_text(
      R"(<p>a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#233;&#xE9;<br>#tag</p><p><a href="x">#<span>Two</span></a> &bogus; & x</p>)",
      out);
  CHECK(out == "\na & b <c> \"d\" 'e' \xC3\xA9\xC3\xA9\n#tag\n\n#Two &bogus; & x\n");
}

TEST_CASE("schema: field paths, JSON Pointer or dotted", "[schema]") {
  std::vector<std::string> t;
  std::string err;
  CHECK(parse_field_path("/user/id", t, err));
  CHECK(t == V{"user", "id"});
  CHECK(parse_field_path("/a~1b/m~0n/0", t, err));
  CHECK(t == V{"a/b", "m~n", "0"});
  CHECK(parse_field_path("user.id", t, err));
  CHECK(t == V{"user", "id"});
  CHECK(!parse_field_path("/a~2", t, err));
  CHECK(!parse_field_path("a..b", t, err));
  CHECK(!parse_field_path("", t, err));
}

namespace {

// An X API v2 filtered-stream message: a retweet whose original (in includes.tweets) has more hashtags.
const std::string kV2Retweet =
    R"({"data":{"id":"2","text":"RT @ann: cut #One","created_at":"2021-09-22T16:25:51.000Z","author_id":"77",)"
    R"("lang":"en","entities":{"hashtags":[{"start":13,"end":17,"tag":"One"}]},)"
    R"("referenced_tweets":[{"type":"retweeted","id":"1"}]},)"
    R"("includes":{"users":[{"id":"5","username":"ann"}],"tweets":[{"id":"9","text":"other #Nine",)"
    R"("entities":{"hashtags":[{"tag":"Nine"}]}},{"id":"1","text":"cut #One and #Two @Bob $TSLA",)"
    R"("entities":{"hashtags":[{"tag":"One"},{"tag":"Two"}],"mentions":[{"username":"Bob"}],)"
    R"("cashtags":[{"tag":"TSLA"}],"urls":[{"url":"https://t.co/x","expanded_url":"https://e.com/X"}]}}]},)"
    R"("matching_rules":[{"id":"1","tag":null}]})";

}  // namespace

TEST_CASE("schema: x-v2 message, a retweet counts the original from includes", "[schema]") {
  for (Schema s : {Schema::Auto, Schema::XV2}) {
    Got g = run(cfg(s, kHashtags | kMentions | kCashtags | kUrls), kV2Retweet);
    CHECK(g.kind == Record::Kind::Tweet);
    CHECK(g.time == k20210922);
    CHECK(g.keys == V{"#one", "#two", "@bob", "$tsla", "https://e.com/X"});
    CHECK(g.text == "cut #One and #Two @Bob $TSLA");
    CHECK(g.lang == "en");
    CHECK(g.retweet);
    CHECK(user_of(s, kV2Retweet) == "77");
  }
  // Text extraction on the original's text.
  CHECK(run(cfg(Schema::XV2, kHashtags, ExtractMode::Text), kV2Retweet).keys == V{"#one", "#two"});
  // Another schema does not read it.
  CHECK(run(cfg(Schema::Twitter), kV2Retweet).kind == Record::Kind::NotTweet);
  CHECK(run(cfg(Schema::Bluesky), kV2Retweet).kind == Record::Kind::NotTweet);
  // includes before data: the same.
  std::string swapped = R"({"includes":{"tweets":[{"id":"1","entities":{"hashtags":[{"tag":"Orig"}]}}]},)"
                        R"("data":{"id":"2","text":"RT","created_at":"2021-09-22T16:25:51Z","author_id":"7",)"
                        R"("referenced_tweets":[{"type":"retweeted","id":"1"}]}})";
  CHECK(run(cfg(), swapped).keys == V{"#orig"});
  // A retweet whose original is missing counts its own entities.
  std::string missing =
      R"({"data":{"id":"2","text":"RT #x","created_at":"2021-09-22T16:25:51Z",)"
      R"("entities":{"hashtags":[{"tag":"x"}]},"referenced_tweets":[{"type":"retweeted","id":"1"}]}})";
  Got m = run(cfg(), missing);
  CHECK(m.keys == V{"#x"});
  CHECK(m.retweet);
}

TEST_CASE("schema: x-v2 note_tweet replaces the truncated text and entities", "[schema]") {
  std::string note =
      R"({"data":{"id":"1","text":"long…","created_at":"2021-09-22T16:25:51Z","author_id":"7",)"
      R"("entities":{"hashtags":[]},"note_tweet":{"text":"long text #A #B",)"
      R"("entities":{"hashtags":[{"tag":"A"},{"tag":"B"}]}}}})";
  Got g = run(cfg(), note);
  CHECK(g.keys == V{"#a", "#b"});
  CHECK(g.text == "long text #A #B");
  CHECK(!g.retweet);
  CHECK(run(cfg(Schema::Auto, kHashtags, ExtractMode::Text), note).keys == V{"#a", "#b"});
}

TEST_CASE("schema: twarc-flattened v2, the retweeted tweet inlined", "[schema]") {
  std::string flat =
      R"({"referenced_tweets":[{"type":"quoted","id":"3","text":"#Quoted"},{"type":"retweeted","id":"1",)"
      R"("text":"full #Orig #Más","entities":{"hashtags":[{"tag":"Orig"},{"tag":"M\u00e1s"}]},"author":{"id":"5"}}],)"
      R"("lang":"es","author_id":"42","created_at":"2021-09-22T16:25:51.000Z","text":"RT @a: full #Orig",)"
      R"("entities":{"hashtags":[{"tag":"Orig"}]},"author":{"id":"42","entities":{"url":{}}},"__twarc":{"url":"u"}})";
  for (Schema s : {Schema::Auto, Schema::XV2}) {
    Got g = run(cfg(s), flat);
    CHECK(g.kind == Record::Kind::Tweet);
    CHECK(g.keys == V{"#orig", "#m\xc3\xa1s"});
    CHECK(g.time == k20210922);
    CHECK(g.retweet);
    CHECK(g.lang == "es");
    CHECK(user_of(s, flat) == "42");
  }
}

namespace {

std::string jetstream(const std::string& record, const std::string& op = "create",
                      const std::string& collection = "app.bsky.feed.post") {
  return R"({"did":"did:plc:abc","time_us":1632327951123456,"kind":"commit","commit":{"rev":"r","operation":")" +
         op + R"(","collection":")" + collection + R"(","rkey":"k","record":)" + record + R"(,"cid":"c"}})";
}

}  // namespace

TEST_CASE("schema: bluesky posts, facets and tags", "[schema]") {
  std::string post = jetstream(
      R"({"$type":"app.bsky.feed.post","createdAt":"2021-09-22T16:25:50Z","langs":["en","de"],)"
      R"("text":"#Tag and @ann.bsky.social see e.com #Untagged","tags":["Extra"],"facets":[)"
      R"({"index":{"byteStart":0,"byteEnd":4},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"Tag"}]},)"
      R"({"features":[{"did":"did:plc:ann","$type":"app.bsky.richtext.facet#mention"}]},)"
      R"({"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://e.com"}]}]})");
  for (Schema s : {Schema::Auto, Schema::Bluesky}) {
    Got g = run(cfg(s, kHashtags | kMentions | kUrls), post);
    CHECK(g.kind == Record::Kind::Tweet);
    CHECK(g.time == k20210922 + 123);  // time_us wins over createdAt
    CHECK(g.keys == V{"#extra", "#tag", "@did:plc:ann", "https://e.com"});
    CHECK(g.lang == "en");
    CHECK(!g.retweet);
    CHECK(user_of(s, post) == "did:plc:abc");
  }
  // Text extraction ignores the facets.
  CHECK(run(cfg(Schema::Bluesky, kHashtags, ExtractMode::Text), post).keys == V{"#tag", "#untagged"});
  // Cashtags are never marked: found in the text (auto).
  CHECK(run(cfg(Schema::Bluesky, kCashtags), jetstream(R"({"text":"buy $TSLA","facets":[]})")).keys ==
        V{"$tsla"});
  // No facets: the text. createdAt when there is no time_us, with an offset.
  std::string plain = R"({"did":"did:plc:x","kind":"commit","commit":{"operation":"create",)"
                      R"("collection":"app.bsky.feed.post","record":{"text":"hi #There",)"
                      R"("createdAt":"2021-09-22T18:25:51.000+02:00"}}})";
  Got p = run(cfg(), plain);
  CHECK(p.keys == V{"#there"});
  CHECK(p.time == k20210922);
  // Other events are skipped.
  CHECK(run(cfg(), jetstream(R"({"text":"#x"})", "delete")).kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), jetstream(R"({"subject":{}})", "create", "app.bsky.feed.like")).kind ==
        Record::Kind::NotTweet);
  CHECK(run(cfg(), R"({"did":"did:plc:x","time_us":1,"kind":"identity","identity":{"did":"x"}})").kind ==
        Record::Kind::NotTweet);
  CHECK(run(cfg(Schema::Mastodon), post).kind == Record::Kind::NotTweet);
}

namespace {

const std::string kStatus =
    R"({"id":"1","created_at":"2021-09-22T16:25:51.000Z","language":"fr","uri":"https://m.s/1",)"
    R"("content":"<p>Hi &amp; <a href=\"https://m.s/tags/Piano\" class=\"mention hashtag\">#<span>Piano</span></a>)"
    R"( <span class=\"h-card\"><a href=\"https://m.s/@bob\">@<span>bob</span></a></span> $ACME)"
    R"( <a href=\"https://e.com/long/path\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">)"
    R"(e.com/long</span><span class=\"invisible\">/path</span></a></p>",)"
    R"("reblog":null,"account":{"id":"108","username":"al"},"edited_at":null,)"
    R"("mentions":[{"id":"3","username":"bob","acct":"bob@m.s"}],"tags":[{"name":"piano","url":"u"}]})";

}  // namespace

TEST_CASE("schema: mastodon statuses: tags, mentions, HTML content", "[schema]") {
  for (Schema s : {Schema::Auto, Schema::Mastodon}) {
    Got g = run(cfg(s, kHashtags | kMentions | kCashtags | kUrls), kStatus);
    CHECK(g.kind == Record::Kind::Tweet);
    CHECK(g.time == k20210922);
    // Tags and mentions from the status; cashtags and URLs, never marked, from the text.
    CHECK(g.keys == V{"#piano", "@bob@m.s", "$acme", "https://e.com/long/path"});
    CHECK(g.text == "\nHi & #Piano @bob $ACME https://e.com/long/path\n");
    CHECK(g.lang == "fr");
    CHECK(!g.retweet);
    CHECK(user_of(s, kStatus) == "108");
  }
  CHECK(run(cfg(Schema::Mastodon, kHashtags | kMentions, ExtractMode::Text), kStatus).keys ==
        V{"#piano", "@bob"});
  CHECK(run(cfg(Schema::Mastodon, kUrls, ExtractMode::Entities), kStatus).keys == V{});
  // A reblog counts the original; the booster is the user.
  std::string boost = R"({"id":"2","created_at":"2021-09-22T16:25:51Z","content":"","uri":"u2",)"
                      R"("account":{"id":"999"},"tags":[],"reblog":)" +
                      kStatus + "}";
  Got b = run(cfg(), boost);
  CHECK(b.keys == V{"#piano"});
  CHECK(b.retweet);
  CHECK(b.lang == "fr");
  CHECK(user_of(Schema::Auto, boost) == "999");
  // A notification (account, no content) is not a status.
  CHECK(run(cfg(), R"({"id":"14","type":"mention","account":{"id":"1"},"status":)" + kStatus + "}").kind ==
        Record::Kind::NotTweet);
}

TEST_CASE("schema: mastodon streaming: payload parsed a second time, SSE lines", "[schema]") {
  // The payload is the status as a JSON string.
  std::string escaped;
  for (char c : kStatus) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  std::string ws = R"({"stream":["public"],"event":"update","payload":")" + escaped + "\"}";
  Got g = run(cfg(), ws);
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(g.keys == V{"#piano"});
  CHECK(g.time == k20210922);
  CHECK(user_of(Schema::Mastodon, ws) == "108");
  CHECK(run(cfg(), R"({"stream":["public"],"event":"delete","payload":"1"})").kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), R"({"stream":["public"],"event":"filters_changed"})").kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), R"({"event":"update","payload":"{not json"})").kind == Record::Kind::Malformed);
  // SSE: data lines hold the JSON; framing lines and a delete's bare id are skipped.
  Got d = run(cfg(), "data: " + kStatus);
  CHECK(d.kind == Record::Kind::Tweet);
  CHECK(d.keys == V{"#piano"});
  CHECK(run(cfg(Schema::Mastodon), "data:" + kStatus).keys == V{"#piano"});
  for (std::string framing : {"event: update", ":)", ":thump", "data: 117024236332527350", "id: 3"})
    CHECK(run(cfg(), framing).kind == Record::Kind::NotTweet);
  // An SSE status.update (edited_at set) was counted at its update.
  std::string edited = kStatus;
  edited.replace(edited.find("\"edited_at\":null"), 16, R"("edited_at":"2021-09-22T16:26:00Z")");
  CHECK(run(cfg(), "data: " + edited).kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), edited).kind == Record::Kind::Tweet);
  // Not in other schemas.
  CHECK(run(cfg(Schema::Twitter), "data: " + kStatus).kind == Record::Kind::Malformed);
}

TEST_CASE("schema: json with field paths", "[schema]") {
  Config c = cfg(Schema::Json);
  c.key_field = "/tags";
  c.time_field = "/ts";
  c.user_field = "who.id";
  std::string line = R"({"who":{"id":12,"n":"x"},"tags":["Café","cafe\u0301",404,"B"],"ts":1632327951})";
  Got g = run(c, line);
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(g.keys == V{"caf\xc3\xa9", "404", "b"});  // folded, no sigil, once per record
  CHECK(g.time == k20210922);
  CHECK(g.user == "12");
  // A single string; a time in ms as a string, RFC 3339, Twitter's format.
  CHECK(run(c, R"({"tags":"Solo","ts":"1632327951000"})").keys == V{"solo"});
  CHECK(run(c, R"({"tags":"x","ts":"1632327951000"})").time == k20210922);
  CHECK(run(c, R"({"tags":"x","ts":"2021-09-22T16:25:51Z"})").time == k20210922);
  CHECK(run(c, R"({"tags":"x","ts":"Wed Sep 22 16:25:51 +0000 2021"})").time == k20210922);
  CHECK(run(c, R"({"tags":"x","ts":1632327951123456})").time == k20210922 + 123);
  CHECK(run(c, R"({"tags":"x","ts":1632327951.5})").time == k20210922 + 500);
  // No key field: skipped. Not an object: malformed.
  CHECK(run(c, R"({"other":1})").kind == Record::Kind::NotTweet);
  CHECK(run(c, R"([1])").kind == Record::Kind::Malformed);
  CHECK(run(c, R"({"tags":["a")").kind == Record::Kind::Malformed);
  // Array indices and escaped names in a pointer.
  Config d = cfg(Schema::Json);
  d.key_field = "/a~1b/1/k";
  CHECK(run(d, R"({"a/b":[{"k":"no"},{"k":"Yes"}]})").keys == V{"yes"});
  // A text field: keys by twitter-text's rules (--keys), and the text --track searches.
  Config t = cfg(Schema::Json, kHashtags | kMentions);
  t.text_field = "/msg";
  Got h = run(t, R"({"msg":"deploy #Prod by @Ann"})");
  CHECK(h.keys == V{"#prod", "@ann"});
  CHECK(h.text == "deploy #Prod by @Ann");
  t.track = {"DEPLOY"};
  CHECK(run(t, R"({"msg":"deploy #Prod"})").kind == Record::Kind::Tweet);
  CHECK(run(t, R"({"msg":"rollback #Prod"})").kind == Record::Kind::Filtered);
}

TEST_CASE("schema: text, each line is the text", "[schema]") {
  Got g = run(cfg(Schema::Text, kHashtags | kMentions), "RT @Ann: #Hello, #hello {\"json\":1}");
  CHECK(g.kind == Record::Kind::Tweet);
  CHECK(!g.time);
  CHECK(g.keys == V{"#hello", "@ann"});
  Config split = cfg(Schema::Text, kHashtags, ExtractMode::Split);
  split.count = CountMode::Occurrences;
  CHECK(run(split, "#A #a").keys == V{"#a", "#a"});
}

TEST_CASE("schema: filters see every format's text, language and retweet flag", "[schema]") {
  Config c = cfg();
  c.no_retweets = true;
  CHECK(run(c, kV2Retweet).kind == Record::Kind::Filtered);
  CHECK(run(c, kStatus).kind == Record::Kind::Tweet);
  Config l = cfg();
  l.langs = {"FR"};
  CHECK(run(l, kStatus).kind == Record::Kind::Tweet);
  CHECK(run(l, kV2Retweet).kind == Record::Kind::Filtered);
  Config t = cfg();
  t.track = {"#two"};  // in the original's text only
  CHECK(run(t, kV2Retweet).kind == Record::Kind::Tweet);
  t.track = {"hi & #piano"};  // the decoded HTML
  CHECK(run(t, kStatus).kind == Record::Kind::Tweet);
}

TEST_CASE("schema: auto leaves unknown JSON skipped, not malformed", "[schema]") {
  CHECK(run(cfg(), R"({"hello":"world"})").kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), R"({"data":"not an object"})").kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), R"({"errors":[{"title":"x"}]})").kind == Record::Kind::NotTweet);
}

TEST_CASE("schema: a v2 quote or reply is not a retweet; escaped field names are not our fields",
          "[schema]") {
  std::string quote = R"({"data":{"id":"2","text":"look #Mine","created_at":"2021-09-22T16:25:51Z",)"
                      R"("author_id":"7","entities":{"hashtags":[{"tag":"Mine"}]},)"
                      R"("referenced_tweets":[{"type":"quoted","id":"1"}]},)"
                      R"("includes":{"tweets":[{"id":"1","entities":{"hashtags":[{"tag":"Theirs"}]}}]}})";
  Got g = run(cfg(), quote);
  CHECK(g.keys == V{"#mine"});
  CHECK(!g.retweet);
  // "\u0074ext" is "text" once decoded; like simdjson's own key comparison, the raw name is matched.
  Got h = run(cfg(Schema::Auto, kHashtags, ExtractMode::Text),
              R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{},"\u0074ext":"#no","text":"#yes"})");
  CHECK(h.keys == V{"#yes"});
  // Mastodon streaming of a boost: the original's tags, the booster's account.
  std::string ws =
      R"({"event":"update","payload":"{\"id\":\"2\",\"created_at\":\"2021-09-22T16:25:51Z\",\"content\":\"\",)"
      R"(\"account\":{\"id\":\"9\"},\"tags\":[],\"reblog\":{\"id\":\"1\",\"content\":\"<p>#A</p>\",)"
      R"(\"account\":{\"id\":\"1\"},\"tags\":[{\"name\":\"A\"}]}}"})";
  Got b = run(cfg(Schema::Mastodon), ws);
  CHECK(b.keys == V{"#a"});
  CHECK(b.retweet);
  CHECK(user_of(Schema::Mastodon, ws) == "9");
}

TEST_CASE("schema: a line is one JSON object; anything but whitespace after it makes it malformed",
          "[schema]") {
  const std::string v1 = R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id":2},"text":"#a"})";
  const std::string bsky = jetstream(R"({"text":"#a","createdAt":"2021-09-22T16:25:51Z"})");
  // Each record as it is: read. Followed by JSON whitespace (a CR is left at the end of a line that ended in
  // two): still one object.
  for (const std::string& one : {v1, kV2Retweet, bsky, kStatus}) {
    CHECK(run(cfg(), one).kind == Record::Kind::Tweet);
    CHECK(run(cfg(), one + " \t ").kind == Record::Kind::Tweet);
    CHECK(run(cfg(), one + "\r").kind == Record::Kind::Tweet);
    // A second object, junk ending in '}', a second value: malformed, whatever the first object held.
    CHECK(run(cfg(), one + one).kind == Record::Kind::Malformed);
    CHECK(run(cfg(), one + "\r" + one).kind == Record::Kind::Malformed);  // a lone CR ends no line
    CHECK(run(cfg(), one + " junk }").kind == Record::Kind::Malformed);
    CHECK(run(cfg(), one + ",{}").kind == Record::Kind::Malformed);
    CHECK(run(cfg(), one + " {}").kind == Record::Kind::Malformed);
    CHECK(run(cfg(), "data: " + one + one).kind == Record::Kind::Malformed);
  }
  // A notice or a non-status followed by more: malformed too, not skipped.
  CHECK(run(cfg(), R"({"delete":{}})").kind == Record::Kind::NotTweet);
  CHECK(run(cfg(), R"({"delete":{}}{"delete":{}})").kind == Record::Kind::Malformed);
  CHECK(run(cfg(), "{}{}").kind == Record::Kind::Malformed);
  // A Mastodon streaming message whose payload holds two statuses.
  std::string payload;
  for (char ch : kStatus + kStatus) {
    if (ch == '"' || ch == '\\') payload.push_back('\\');
    payload.push_back(ch);
  }
  CHECK(run(cfg(), R"({"event":"update","payload":")" + payload + R"("})").kind == Record::Kind::Malformed);
  CHECK(
      run(cfg(), R"({"event":"update","payload":")" + payload.substr(0, payload.size() / 2) + R"("})").kind ==
      Record::Kind::Tweet);
  // --schema json.
  Config j = cfg(Schema::Json);
  j.key_field = "/k";
  CHECK(run(j, R"({"k":"a"})").kind == Record::Kind::Tweet);
  CHECK(run(j, R"({"k":"a"} )").kind == Record::Kind::Tweet);
  CHECK(run(j, R"({"k":"a"}{"k":"b"})").kind == Record::Kind::Malformed);
  CHECK(run(j, R"({"k":"a"} 1 })").kind == Record::Kind::Malformed);
}
