#include "input/url_feed.h"

#include <algorithm>
#include <cstring>

#include "input/reader.h"
#include "util/clock.h"
#include "util/hash.h"

namespace trendtop {

std::optional<int64_t> top_level_time_us(std::string_view json) {
  static constexpr std::string_view kKey = "\"time_us\"";
  size_t first = json.find(kKey);
  if (first == std::string_view::npos) return std::nullopt;  // the common case for other streams: one memmem
  // Walk the structure up to there: the key must be a member of the outermost object.
  int depth = 0;
  bool in_string = false;
  size_t key_start = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 1 && i - key_start == kKey.size() - 1 && json.substr(key_start, kKey.size()) == kKey) {
          size_t j = i + 1;
          while (j < json.size() && (json[j] == ' ' || json[j] == '\t')) ++j;
          if (j >= json.size() || json[j] != ':') continue;  // a value "time_us", not a key
          ++j;
          while (j < json.size() && (json[j] == ' ' || json[j] == '\t')) ++j;
          int64_t v = 0;
          size_t digits = 0;
          while (j < json.size() && json[j] >= '0' && json[j] <= '9' && digits < 18) {
            v = v * 10 + (json[j++] - '0');
            ++digits;
          }
          if (digits == 0 || (j < json.size() && (json[j] == '.' || json[j] == 'e' || json[j] == 'E' ||
                                                  (json[j] >= '0' && json[j] <= '9'))))
            return std::nullopt;
          return v;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        key_start = i;
        break;
      case '{':
      case '[':
        ++depth;
        break;
      case '}':
      case ']':
        if (--depth <= 0) return std::nullopt;  // the outermost value ended
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

namespace {
constexpr size_t kReadSize = 64 << 10;
}

UrlFeed::UrlFeed(std::string key, size_t max_line, LineSink& sink)
    : key_("url " + std::move(key)), max_line_(max_line), sink_(sink), framer_(max_line, kReadSize) {
  const SourceOffset* o = offset(false);
  ids_seen_ = o && !o->id.empty();
}

SourceOffset* UrlFeed::offset(bool create) {
  for (SourceOffset& o : sink_.offsets())
    if (o.topic == key_) return &o;
  if (!create) return nullptr;
  sink_.offsets().push_back({key_, 0, 0, {}, {}});
  return &sink_.offsets().back();
}

std::optional<int64_t> UrlFeed::cursor() const {
  for (const SourceOffset& o : sink_.offsets())
    if (o.topic == key_ && o.next > 0) return std::max<int64_t>(0, o.next - kRewindUs);
  return std::nullopt;
}

std::string UrlFeed::last_event_id() const {
  for (const SourceOffset& o : sink_.offsets())
    if (o.topic == key_) return o.id;
  return {};
}

void UrlFeed::begin(Mode mode) {
  // Each connection is a source with its own clock, named by the URL so that --state keeps it.
  if (clock_open_) sink_.close_source(clock_);
  clock_ = sink_.open_source(key_, true, wall_ms());
  clock_open_ = true;
  mode_ = mode;
  in_message_ = false;
  replay_.clear();
  replay_max_ = -1;
  if (mode != Mode::WebSocket) return;
  // What this connection may send again: the events counted since the cursor it was asked for.
  if (const SourceOffset* o = offset(false); o && o->next > 0) {
    int64_t from = o->next - kRewindUs;
    for (const auto& e : o->seen)
      if (e.first >= from) replay_.push_back(e);
    std::sort(replay_.begin(), replay_.end());
    replay_max_ = o->next;
  }
}

void UrlFeed::data(std::string_view bytes, int64_t now, SourceStats& stats) {
  stats.bytes += bytes.size();
  sink_.count_bytes(bytes.size());
  if (mode_ == Mode::WebSocket && !bytes.empty()) in_message_ = true;
  while (!bytes.empty()) {
    auto area = framer_.write_area();
    size_t n = std::min(area.size(), bytes.size());
    std::memcpy(area.data(), bytes.data(), n);
    framer_.commit(n);
    bytes.remove_prefix(n);
    take_lines(now, stats);
  }
}

void UrlFeed::take_lines(int64_t now, SourceStats& stats) {
  Line l;
  while (framer_.next(l)) line(l, now, stats);
}

void UrlFeed::message_end(int64_t now, SourceStats& stats) {
  Line l;
  if (framer_.finish(l)) line(l, now, stats);
  in_message_ = false;
}

void UrlFeed::end(int64_t now, SourceStats& stats) {
  Line l;
  bool fragment = framer_.finish(l);  // the framer is empty again either way
  switch (mode_) {
    case Mode::WebSocket:
      break;  // an unfinished message is not a record
    case Mode::Lines:
      if (fragment) line(l, now, stats);  // as a TCP stream's: a line of its own (malformed if cut short)
      break;
    case Mode::Sse:
      if (fragment) sse_line(l, now, stats);
      if (ids_seen_) {  // the server resends the unfinished event after the Last-Event-ID we send it
        event_.clear();
        event_lines_.clear();
        event_has_id_ = false;
        event_oversized_ = false;
      } else {
        dispatch(now, stats);  // nothing would send it again: count what came
      }
      break;
  }
  in_message_ = false;
  if (clock_open_) sink_.close_source(clock_);  // after its last line
  clock_open_ = false;
}

void UrlFeed::line(const Line& l, int64_t now, SourceStats& stats) {
  if (mode_ == Mode::Sse) {
    sse_line(l, now, stats);
  } else {
    deliver(l, now, stats);
  }
}

void UrlFeed::deliver(const Line& l, int64_t now, SourceStats& stats) {
  if (mode_ == Mode::WebSocket && l.kind == Line::Kind::Text) {
    if (std::optional<int64_t> t = top_level_time_us(l.text)) {
      uint64_t h = hash_key(l.text);
      if (*t <= replay_max_ && std::binary_search(replay_.begin(), replay_.end(), std::pair{*t, h})) {
        ++stats.replayed;  // counted before this connection: the resumed stream sent it again
        return;
      }
      SourceOffset* o = offset(true);
      o->next = std::max(o->next, *t);
      o->seen.emplace_back(*t, h);
      if (o->seen.size() >= prune_at_) {
        // Older than any cursor a later connection asks for: never sent again.
        int64_t from = o->next - kRewindUs;
        std::erase_if(o->seen, [&](const auto& e) { return e.first < from; });
        prune_at_ = std::max<size_t>(1024, 2 * o->seen.size());
      }
    }
  }
  ++stats.lines;
  sink_.from_source(clock_, now);
  sink_.line(l, now);
}

void UrlFeed::sse_line(const Line& l, int64_t now, SourceStats& stats) {
  if (l.kind == Line::Kind::Text && l.text.empty()) {  // the blank line: the event is complete
    dispatch(now, stats);
    deliver(l, now, stats);
    return;
  }
  if (l.kind == Line::Kind::Text && (l.text == "id" || l.text.substr(0, 3) == "id:")) {
    std::string_view value = l.text.size() > 3 ? l.text.substr(3) : std::string_view();
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    if (value.find('\0') == std::string_view::npos) {  // the SSE rule: an id with a NUL is ignored
      event_id_.assign(value);
      event_has_id_ = true;
    }
  }
  // An event is bounded as a line is: past --max-line (or holding a line past it) it is oversized. Its
  // lines are dropped as they come; it is counted once, as one oversized line, when it is complete, and
  // only then does the cursor move past it (dispatching it early recorded its id before the rest of its
  // lines were counted, and a connection lost in between lost them).
  if (event_oversized_) return;
  if (l.kind == Line::Kind::Oversized || event_.size() + l.text.size() > max_line_) {
    event_oversized_ = true;
    event_lines_.clear();
    std::string().swap(event_);  // its memory back
    return;
  }
  event_lines_.push_back({static_cast<uint32_t>(event_.size()), static_cast<uint32_t>(l.text.size())});
  event_.append(l.text);
  event_.append(Framer::kPadding, ' ');
}

void UrlFeed::dispatch(int64_t now, SourceStats& stats) {
  if (event_oversized_) {
    Line l;
    l.kind = Line::Kind::Oversized;
    deliver(l, now, stats);
    event_oversized_ = false;
  }
  for (const Pending& p : event_lines_) {
    Line l;
    l.text = std::string_view(event_).substr(p.offset, p.size);
    deliver(l, now, stats);
  }
  event_.clear();
  event_lines_.clear();
  if (event_has_id_) {
    ids_seen_ = true;
    offset(true)->id = event_id_;
    event_has_id_ = false;
  }
}

}  // namespace trendtop
