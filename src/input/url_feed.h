// UrlFeed: the records of one --connect URL, on the reader's thread. The transport (url_client.h) hands in
// what each connection delivers — WebSocket messages, possibly in pieces, or an HTTP body — and the feed
// turns it into lines for the sink, exactly as if the same bytes had been read from a file:
// - WebSocket: each message is a record; a message holding newlines is a record per line. A message cut
//   short by a lost connection is not a record (it is dropped; Jetstream sends it again, see below).
// - An HTTP body (NDJSON, or any lines): framed like a TCP stream; an unfinished last line is a line.
// - Server-sent events (text/event-stream): every line goes on as it is (the extractor reads the "data:"
//   lines and skips the others), but an event's lines go on only when the event is complete (its blank
//   line), so an event cut short, which the server sends again after Last-Event-ID, is counted once. An
//   event is bounded as a line is: one longer than --max-line (its lines with the parser's padding, or one
//   of them oversized) is not kept; once complete it goes on as one Oversized line (then its blank line).
//
// Resuming without loss or double counting, across reconnects and (with --state) restarts; the position is
// kept in the sink's offsets() (line_sink.h), saved atomically with the windows it was counted into:
// - Jetstream (WebSocket messages with a top-level "time_us"): the largest time_us counted, and the events
//   counted in the kRewindUs before it. A new connection asks for cursor= kRewindUs before that largest
//   time (Jetstream's time_us is not monotonic: events a little older may not have been sent yet), and
//   replayed events already counted are recognised by their time and bytes and dropped (counted in
//   `replayed`).
// - SSE: the id of the last complete event (counted, or counted as oversized), sent back as Last-Event-ID:
//   never the id of an event not yet wholly handled.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "input/framer.h"
#include "input/line_sink.h"

namespace trendtop {

struct SourceStats;

// The time_us member of a JSON object's top level (Jetstream's event time), if the line has one, read
// without parsing the rest (it comes first). Exposed for tests.
std::optional<int64_t> top_level_time_us(std::string_view json);

class UrlFeed {
 public:
  enum class Mode : uint8_t { WebSocket, Lines, Sse };
  // How far before the largest time_us counted a resumed Jetstream stream starts ("a few seconds", as
  // Jetstream's documentation advises for gapless playback).
  static constexpr int64_t kRewindUs = 5'000'000;

  // `key` names the source in the sink's offsets (the URL's text).
  UrlFeed(std::string key, size_t max_line, LineSink& sink);

  // Where a new connection should start: the Jetstream cursor (time_us), the SSE Last-Event-ID ("" none).
  std::optional<int64_t> cursor() const;
  std::string last_event_id() const;

  // A connection starts delivering, in this mode.
  void begin(Mode mode);
  // Bytes of the current WebSocket message, or of the body.
  void data(std::string_view bytes, int64_t now, SourceStats& stats);
  // WebSocket: the current message is complete.
  void message_end(int64_t now, SourceStats& stats);
  // The connection ended (cleanly or not): an unfinished line or event is dealt with as described above.
  void end(int64_t now, SourceStats& stats);

 private:
  struct Pending {
    uint32_t offset, size;
  };
  SourceOffset* offset(bool create);
  void take_lines(int64_t now, SourceStats& stats);
  void line(const Line& l, int64_t now, SourceStats& stats);
  void deliver(const Line& l, int64_t now, SourceStats& stats);
  void sse_line(const Line& l, int64_t now, SourceStats& stats);
  void dispatch(int64_t now, SourceStats& stats);

  std::string key_;
  size_t max_line_;
  LineSink& sink_;
  Framer framer_;
  Mode mode_ = Mode::Lines;
  bool in_message_ = false;  // WebSocket: bytes of a message came, its end not yet
  // Jetstream: the events counted before this connection that it may send again, sorted; their largest time.
  std::vector<std::pair<int64_t, uint64_t>> replay_;
  int64_t replay_max_ = -1;
  size_t prune_at_ = 1024;
  // SSE: the event being read (its lines, each followed by the parser's padding) and its id field.
  std::string event_;
  std::vector<Pending> event_lines_;
  std::string event_id_;
  bool event_has_id_ = false;
  bool event_oversized_ = false;  // the event passed --max-line: its lines are dropped as they come
  bool ids_seen_ = false;         // the server sends ids: an unfinished event will come again
  uint32_t clock_ = 0;            // the connection's source in the sink (LineSink::open_source)
  bool clock_open_ = false;
};

}  // namespace trendtop
