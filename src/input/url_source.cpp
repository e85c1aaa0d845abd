#include "input/url_source.h"

#include <algorithm>

#include <fmt/format.h>

#include "input/reader.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/log.h"

namespace trendtop {

namespace {

constexpr int64_t kFirstBackoffMs = 100;
constexpr int64_t kMaxBackoffMs = 30'000;
// What may wait for the reader before the connections stop reading (plus one 64 KiB read per connection).
constexpr size_t kBudget = 1 << 20;

}  // namespace

struct UrlSources::Source {
  Url url;
  std::string name;  // the URL's text (no secrets)
  size_t stat = 0;   // index into the reader's stats
  UrlFeed feed;
  bool busy = false;       // a connection is being made or is open
  bool connected = false;  // ... and answered (handshake, response header)
  bool delivered = false;  // ... and sent data
  int64_t retry_at = 0;
  int64_t backoff_ms = kFirstBackoffMs;
  int64_t failures = 0;  // consecutive
  bool ended = false;    // a connection delivered and the server closed it: the stream ended, not failed
  bool gave_up = false;
  NoteLimiter notes;  // messages about it, rate-limited as the reader's are for TCP servers

  // `key`: where the feed keeps its position in the sink's offsets (the state).
  Source(Url u, const std::string& key, size_t max_line, LineSink& sink)
      : url(std::move(u)), name(url.text()), feed(key, max_line, sink) {}
};

bool UrlSources::available() {
  return UrlClient::available();
}

std::string UrlSources::version() {
  return UrlClient::available() ? UrlClient::version() : std::string();
}

bool UrlSources::check(const Config& config, std::string& error) {
  if (config.connect_urls.empty()) return true;
  if (!UrlClient::check(config.cacert, error)) return false;
  return true;
}

UrlSources::UrlSources(const Config& config, LineSink& sink)
    : config_(config), sink_(sink), client_(config.cacert, kBudget) {}

UrlSources::~UrlSources() = default;

bool UrlSources::open(std::vector<SourceStats>& stats, std::string& error) {
  if (!client_.open(error)) return false;
  int64_t now = wall_ms();
  for (const std::string& text : config_.connect_urls) {
    std::optional<Url> url = parse_url(text, error);
    if (!url) return false;  // cli.cpp checked it already
    // The URL without its cursor names the position; the same URL given twice keeps two.
    std::string key = without_query_param(url->text(), "cursor");
    size_t same = std::count_if(sources_.begin(), sources_.end(),
                                [&](const auto& o) { return without_query_param(o->name, "cursor") == key; });
    if (same > 0) key += fmt::format(" #{}", same + 1);
    auto s = std::make_unique<Source>(*url, key, config_.max_line, sink_);
    SourceStats st;
    st.name = "connect " + s->name;
    st.network = true;
    st.url = true;
    stats.push_back(st);
    s->stat = stats.size() - 1;
    s->retry_at = now;
    sources_.push_back(std::move(s));
  }
  return true;
}

int UrlSources::fd() const {
  return client_.fd();
}

UrlRequest UrlSources::request(const Source& s) const {
  UrlRequest r{s.url, config_.headers};
  // Where the stream goes on: Jetstream's cursor, an SSE server's Last-Event-ID.
  if (std::optional<int64_t> cursor = s.feed.cursor(); cursor && s.url.websocket())
    r.url.target = with_query_param(r.url.target, "cursor", std::to_string(*cursor));
  if (std::string id = s.feed.last_event_id(); !id.empty() && !s.url.websocket())
    r.headers.emplace_back("Last-Event-ID", std::move(id));
  return r;
}

int64_t UrlSources::poll(int64_t now, std::vector<SourceStats>& stats, bool connect) {
  stopping_ = !connect;
  client_.take(batch_);
  for (const UrlClient::Event& e : batch_.events) {
    Source& s = *sources_[e.source];
    SourceStats& st = stats[s.stat];
    switch (e.kind) {
      case UrlClient::Event::Kind::Connected:
        if ((s.failures > 0 || st.connects > 0) && !stopping_)
          s.notes.note(now, fmt::format("connected to {}", s.name));
        ++st.connects;
        s.connected = true;
        s.delivered = false;
        s.feed.begin(static_cast<UrlFeed::Mode>(e.detail));
        break;
      case UrlClient::Event::Kind::Data:
        if (!s.delivered) {  // only a connection that delivers ends the backoff
          s.delivered = true;
          s.failures = 0;
          s.backoff_ms = kFirstBackoffMs;
        }
        s.feed.data(batch_.text(e), now, st);
        break;
      case UrlClient::Event::Kind::MessageEnd:
        s.feed.message_end(now, st);
        break;
      case UrlClient::Event::Kind::Ended: {
        auto outcome = static_cast<UrlClient::Outcome>(e.detail);
        std::string why(batch_.text(e));
        // A server that answers and hangs up without sending anything is failing, not ending a stream: back
        // off, and count it against --retry.
        if (s.connected && !s.delivered && outcome == UrlClient::Outcome::Closed) {
          outcome = UrlClient::Outcome::Failed;
          why += " before sending anything";
        }
        if (s.delivered && outcome == UrlClient::Outcome::Closed) s.ended = true;
        if (s.connected) s.feed.end(now, st);
        s.connected = false;
        s.busy = false;
        lost(s, st, now, outcome, why);
        break;
      }
    }
  }
  int64_t wake = kNoTime;
  for (size_t i = 0; i < sources_.size() && connect; ++i) {
    Source& s = *sources_[i];
    if (s.gave_up || s.busy) continue;
    if (s.retry_at <= now) {
      s.busy = true;
      client_.connect(static_cast<uint32_t>(i), request(s));
    } else if (wake == kNoTime || s.retry_at < wake) {
      wake = s.retry_at;
    }
  }
  return wake;
}

// A connection attempt failed or a connection ended: retry with backoff, or give up.
void UrlSources::lost(Source& s, SourceStats& stats, int64_t now, UrlClient::Outcome outcome,
                      std::string_view why) {
  bool failed = outcome != UrlClient::Outcome::Closed;
  if (stopping_) return;  // the run is ending: no retry, nothing to say
  if (failed) {
    ++s.failures;
    ++stats.failures;
  }
  if (outcome == UrlClient::Outcome::Fatal) {
    s.gave_up = true;
    error(fmt::format("{}: {}", s.name, why));
    failed_ = true;
    return;
  }
  // --retry N: N more attempts after a failure; after a clean close, --retry 0 means stop quietly.
  if (config_.retry >= 0 && (failed ? s.failures > config_.retry : config_.retry == 0)) {
    s.gave_up = true;
    if (failed && s.ended) {
      // The stream ended (the server closed it after sending), and no server came back: a normal end.
      warn(fmt::format("{}: the stream ended and the server did not come back ({}; {} retr{})", s.name, why,
                       config_.retry, config_.retry == 1 ? "y" : "ies"));
    } else if (failed) {
      error(fmt::format("{}: {}; giving up{}", s.name, why,
                        config_.retry > 0
                            ? fmt::format(" after {} retr{}", config_.retry, config_.retry == 1 ? "y" : "ies")
                            : std::string()));
      failed_ = true;
    } else {
      warn(fmt::format("{}: {}; not reconnecting (--retry 0)", s.name, why));
    }
    return;
  }
  s.retry_at = now + s.backoff_ms;
  s.notes.note(now, fmt::format("{}: {}; retrying in {}", s.name, why, format_wait(s.backoff_ms)));
  s.backoff_ms = std::min(s.backoff_ms * 2, kMaxBackoffMs);
}

bool UrlSources::live() const {
  return std::any_of(sources_.begin(), sources_.end(), [](const auto& s) { return !s->gave_up; });
}

}  // namespace trendtop
