#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "input/reader.h"
#include "input/url.h"
#include "input/url_feed.h"
#include "line_sink_stub.h"

using namespace trendtop;

namespace {

// A sink that keeps the lines handed to it (oversized ones as "<oversized>").
struct Lines : testing::LineSinkStub {
  std::vector<std::string> got;
  void line(const Line& l, int64_t) override {
    got.push_back(l.kind == Line::Kind::Oversized ? "<oversized>" : std::string(l.text));
  }
};

using V = std::vector<std::string>;

std::string event(int64_t time_us, const std::string& did = "did:plc:a") {
  return R"({"did":")" + did + R"(","time_us":)" + std::to_string(time_us) + R"(,"kind":"commit"})";
}

// One WebSocket message delivered in pieces of `step` bytes.
void message(UrlFeed& f, const std::string& m, SourceStats& st, size_t step = 1000) {
  for (size_t i = 0; i < m.size(); i += step) f.data(std::string_view(m).substr(i, step), 0, st);
  f.message_end(0, st);
}

}  // namespace

TEST_CASE("url: ws, wss, http and https URLs with their defaults", "[url]") {
  std::string err;
  auto u =
      parse_url("wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post", err);
  REQUIRE(u);
  CHECK(u->scheme == Url::Scheme::Wss);
  CHECK(u->tls());
  CHECK(u->websocket());
  CHECK(u->host == "jetstream2.us-east.bsky.network");
  CHECK(u->port == 443);
  CHECK(u->target == "/subscribe?wantedCollections=app.bsky.feed.post");
  CHECK(u->host_header() == "jetstream2.us-east.bsky.network");

  u = parse_url("HTTP://[::1]:8080", err);
  REQUIRE(u);
  CHECK(u->scheme == Url::Scheme::Http);
  CHECK(u->host == "::1");
  CHECK(u->port == 8080);
  CHECK(u->target == "/");
  CHECK(u->host_header() == "[::1]:8080");
  CHECK(u->text() == "http://[::1]:8080/");

  u = parse_url("ws://127.0.0.1:9000?x=1#frag", err);
  REQUIRE(u);
  CHECK(u->port == 9000);
  CHECK(u->target == "/?x=1");
  u = parse_url("https://user:pw@mastodon.example/api/v1/streaming/public", err);
  REQUIRE(u);
  CHECK(u->userinfo == "user:pw");
  CHECK(u->host == "mastodon.example");
  CHECK(u->text() == "https://***@mastodon.example/api/v1/streaming/public");
}

TEST_CASE("url: malformed URLs are refused with a reason", "[url]") {
  std::string err;
  for (const char* bad :
       {"ftp://example.com/", "ws://", "ws://:80/", "ws://h:0/", "ws://h:65536/", "ws://h:x/", "ws://h:/",
        "ws://h/a b", "ws://[::1/", "ws://[zz]/", "ws://::1/", "example.com"}) {
    INFO(bad);
    CHECK_FALSE(parse_url(bad, err));
    CHECK(!err.empty());
  }
  CHECK(looks_like_url("wss://x"));
  CHECK_FALSE(looks_like_url("host:9999"));
  CHECK_FALSE(looks_like_url("[::1]:9999"));
}

TEST_CASE("url: credentials in the query are never shown", "[url]") {
  std::string err;
  auto u = parse_url("https://m.example/api/v1/streaming?stream=public&access_token=SECRET&apiKey=K2&x", err);
  REQUIRE(u);
  CHECK(u->text() == "https://m.example/api/v1/streaming?stream=public&access_token=***&apiKey=***&x");
}

TEST_CASE("url: query parameters set and removed", "[url]") {
  CHECK(with_query_param("/subscribe", "cursor", "5") == "/subscribe?cursor=5");
  CHECK(with_query_param("/subscribe?a=1&cursor=3&b=2", "cursor", "5") == "/subscribe?a=1&b=2&cursor=5");
  CHECK(without_query_param("/s?cursor=1&cursor=2", "cursor") == "/s");
  CHECK(without_query_param("/s?cursorx=1&a", "cursor") == "/s?cursorx=1&a");
}

TEST_CASE("url: redirects resolve as browsers do", "[url]") {
  std::string err;
  Url base = *parse_url("https://a.example:8443/api/v1/streaming/public?x=1", err);
  CHECK(resolve_location(base, "https://b.example/new", err)->text() == "https://b.example/new");
  CHECK(resolve_location(base, "//c.example/p", err)->text() == "https://c.example/p");
  CHECK(resolve_location(base, "/other?y=2", err)->text() == "https://a.example:8443/other?y=2");
  CHECK(resolve_location(base, "user", err)->text() == "https://a.example:8443/api/v1/streaming/user");
  CHECK_FALSE(resolve_location(base, "  ", err));
  Url ws = *parse_url("wss://j.example/subscribe", err);
  auto to = resolve_location(ws, "https://k.example/subscribe", err);
  CHECK(to->scheme == Url::Scheme::Wss);  // a WebSocket stays a WebSocket
  CHECK(to->same_origin(*parse_url("wss://K.EXAMPLE:443/", err)));
  CHECK_FALSE(to->same_origin(ws));
}

TEST_CASE("url: base64 (RFC 4648's test vectors)", "[url]") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
}

TEST_CASE("url feed: top-level time_us only", "[url]") {
  CHECK(top_level_time_us(event(1783175888085434)) == 1783175888085434);
  CHECK(top_level_time_us(R"({ "time_us" : 12 })") == 12);
  CHECK_FALSE(top_level_time_us(R"({"a":{"time_us":12}})"));
  CHECK_FALSE(top_level_time_us(R"({"a":"time_us","b":1})"));
  CHECK_FALSE(top_level_time_us(R"({"a":"\"time_us\":5"})"));
  CHECK(top_level_time_us(R"({"a":"\"time_us\":5","time_us":7})") == 7);
  CHECK_FALSE(top_level_time_us(R"({"time_us":"12"})"));
  CHECK_FALSE(top_level_time_us(R"({"time_us":1.5})"));
  CHECK_FALSE(top_level_time_us(R"({"x":[1]} {"time_us":3})"));
  CHECK_FALSE(top_level_time_us(R"("time_us":3)"));
  CHECK_FALSE(top_level_time_us("not json"));
}

TEST_CASE("url feed: a WebSocket message is a record, a line of a message is a record", "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("ws://h/", 1000, sink);
  f.begin(UrlFeed::Mode::WebSocket);
  message(f, "one", st, 1);
  message(f, "two\nthree\n", st, 2);
  message(f, "four\r\nfive", st);
  f.data("cut sho", 0, st);  // the connection is lost mid-message: not a record
  f.end(0, st);
  CHECK(sink.got == V{"one", "two", "three", "four", "five"});
  CHECK(st.lines == 5);
  CHECK(st.bytes == 3 + 10 + 10 + 7);
  CHECK(sink.bytes == st.bytes);
  // Past --max-line a message is one oversized record.
  f.begin(UrlFeed::Mode::WebSocket);
  message(f, std::string(5000, 'x'), st, 300);
  CHECK(sink.got.back() == "<oversized>");
}

TEST_CASE("url feed: HTTP bodies are framed as streams", "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("http://h/", 1000, sink);
  f.begin(UrlFeed::Mode::Lines);
  f.data("a\nb", 0, st);
  f.data("b\r\nlast", 0, st);
  f.end(0, st);
  CHECK(sink.got == V{"a", "bb", "last"});
  CHECK(st.lines == 3);
}

TEST_CASE("url feed: Jetstream resumes before its largest time_us and drops what it counted", "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("wss://j/subscribe", 1 << 16, sink);
  CHECK_FALSE(f.cursor());  // nothing counted: live tail
  const int64_t t0 = 1'783'175'888'000'000;
  f.begin(UrlFeed::Mode::WebSocket);
  // Not monotonic, as Jetstream's time_us is not.
  for (int64_t d : {0, 30, 10, 50, 40}) message(f, event(t0 + d), st);
  f.end(0, st);
  REQUIRE(f.cursor());
  CHECK(*f.cursor() == t0 + 50 - UrlFeed::kRewindUs);
  REQUIRE(sink.offs.size() == 1);
  CHECK(sink.offs[0].topic == "url wss://j/subscribe");
  CHECK(sink.offs[0].next == t0 + 50);
  // The server replays from the cursor, oldest first: the five again, plus 20 and 45 that were lost in
  // flight, then goes on live.
  f.begin(UrlFeed::Mode::WebSocket);
  for (int64_t d : {0, 10, 20, 30, 40, 45, 50, 60}) message(f, event(t0 + d), st);
  CHECK(st.replayed == 5);
  CHECK(st.lines == 8);
  V want;
  for (int64_t d : {0, 30, 10, 50, 40, 20, 45, 60}) want.push_back(event(t0 + d));
  CHECK(sink.got == want);
  // An event with the same time but other bytes is another event.
  message(f, event(t0 + 60, "did:plc:b"), st);
  CHECK(st.lines == 9);
  // A restart: a new feed over the same offsets (the state) knows the same.
  Lines restarted;
  restarted.offs = sink.offs;
  SourceStats st2;
  UrlFeed g("wss://j/subscribe", 1 << 16, restarted);
  CHECK(g.cursor() == f.cursor());
  g.begin(UrlFeed::Mode::WebSocket);
  message(g, event(t0 + 60), st2);
  message(g, event(t0 + 70), st2);
  CHECK(st2.replayed == 1);
  CHECK(restarted.got == V{event(t0 + 70)});
}

TEST_CASE("url feed: Jetstream's remembered events stay within the rewind", "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("ws://j/", 1 << 16, sink);
  f.begin(UrlFeed::Mode::WebSocket);
  const int64_t t0 = 1'700'000'000'000'000;
  for (int i = 0; i < 20000; ++i) message(f, event(t0 + i * 1000), st);  // 1 ms apart: 20 s
  const SourceOffset& o = sink.offs.at(0);
  CHECK(o.next == t0 + 19999 * 1000);
  CHECK(o.seen.size() <= 2 * (UrlFeed::kRewindUs / 1000 + 1) + 1024);
  for (auto [t, h] : o.seen) CHECK(t >= t0);
  CHECK(std::count_if(o.seen.begin(), o.seen.end(),
                      [&](const auto& e) { return e.first >= o.next - UrlFeed::kRewindUs; }) == 5001);
}

TEST_CASE("url feed: SSE events go on whole, and resume after their id", "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("https://m/stream", 1 << 16, sink);
  f.begin(UrlFeed::Mode::Sse);
  f.data(":)\nevent: update\ndata: {\"a\":1}\n", 0, st);
  CHECK(sink.got.empty());  // the event is not complete yet
  f.data("\nevent: update\nid: 7\nda", 0, st);
  CHECK(sink.got == V{":)", "event: update", "data: {\"a\":1}", ""});
  CHECK(f.last_event_id().empty());
  f.data("ta: {\"b\":2}\n\nevent: update\nid: 8\n", 0, st);
  CHECK(f.last_event_id() == "7");
  CHECK(sink.got.size() == 8);
  // Lost in the middle of event 8: the server sends it again after Last-Event-ID 7, so it is dropped.
  f.end(0, st);
  CHECK(sink.got.size() == 8);
  CHECK(st.lines == 8);
  CHECK(f.last_event_id() == "7");
  CHECK(sink.offs.at(0).id == "7");
}

TEST_CASE("url feed: without ids an unfinished SSE event still counts", "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("http://m/", 1 << 16, sink);
  f.begin(UrlFeed::Mode::Sse);
  f.data("event: update\ndata: {\"a\":1}\n\nevent: update\ndata: {\"b\":2}", 0, st);
  f.end(0, st);
  CHECK(sink.got == V{"event: update", "data: {\"a\":1}", "", "event: update", "data: {\"b\":2}"});
  CHECK(st.lines == 5);
  CHECK(sink.offs.empty());  // nothing to resume from
}

TEST_CASE("url feed: an SSE event past --max-line is one oversized line, and the cursor waits for its end",
          "[url]") {
  Lines sink;
  SourceStats st;
  UrlFeed f("http://m/", 240,
            sink);  // event 1 fits (its lines and 64 bytes of padding each); event 2 does not
  const std::string big = "{\"b\":\"" + std::string(100, 'b') + "\"}";  // a line that fits
  f.begin(UrlFeed::Mode::Sse);
  f.data("id: 1\nevent: update\ndata: {\"a\":1}\n\n", 0, st);
  CHECK(sink.got == V{"id: 1", "event: update", "data: {\"a\":1}", ""});
  CHECK(f.last_event_id() == "1");
  f.data("id: 2\nevent: update\ndata: " + big + "\n", 0, st);
  // Nothing of event 2 goes on before its end, and its id is not the cursor yet.
  CHECK(sink.got.size() == 4);
  CHECK(f.last_event_id() == "1");
  // Lost before its end: dropped (the server sends it again after Last-Event-ID 1).
  f.end(0, st);
  CHECK(sink.got.size() == 4);
  CHECK(f.last_event_id() == "1");
  f.begin(UrlFeed::Mode::Sse);
  f.data("id: 2\nevent: update\ndata: " + big + "\n\n", 0, st);
  CHECK(sink.got == V{"id: 1", "event: update", "data: {\"a\":1}", "", "<oversized>", ""});
  CHECK(f.last_event_id() == "2");
  // A line past --max-line makes its event oversized too, once; the id may come after it.
  f.data("event: update\ndata: " + std::string(300, 'x') + "\nid: 3\n\n", 0, st);
  CHECK(sink.got == V{"id: 1", "event: update", "data: {\"a\":1}", "", "<oversized>", "", "<oversized>", ""});
  CHECK(f.last_event_id() == "3");
  CHECK(st.lines == 8);
  // Without a blank line at the end and no id in it: counted as it came, once.
  f.data("event: update\ndata: " + std::string(300, 'y') + "\n", 0, st);
  CHECK(sink.got.size() == 8);
}
