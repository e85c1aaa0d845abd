// LineSink: where the input stage delivers what it reads. The reader (every file, socket and stdin) and the
// Kafka source hand framed lines in with their arrival time and give the sink the wall clock between reads;
// the sink tells them when it is done or next has wall-clock work. The Pipeline (pipeline.h) is the one
// implementation: the input stage knows nothing of extraction, windows or output.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "input/framer.h"
#include "input/range.h"

namespace trendtop {

// Where a log source goes on: for a Kafka topic partition the offset of the next record to read; for a
// --connect URL (url_feed.h) the Jetstream cursor or the SSE event id. Kept by the sink and saved with the
// windows the records before it were counted into, so a restart neither loses nor repeats any.
struct SourceOffset {
  std::string topic;  // the Kafka topic; "url " and the URL's text for a --connect URL
  int32_t partition = 0;
  int64_t next = 0;  // Kafka: the next offset; Jetstream: the largest time_us counted
  std::string id;    // SSE: the id of the last event counted (sent back as Last-Event-ID)
  // Jetstream: (time_us, hash of the event's bytes) of the events counted in the last seconds before `next`.
  // A resumed stream starts a little before `next` (time_us is not monotonic); these are recognised and
  // dropped.
  std::vector<std::pair<int64_t, uint64_t>> seen;
};

class LineSink {
 public:
  virtual ~LineSink() = default;
  // One complete line, read at `arrival_ms` (wall clock).
  virtual void line(const Line& line, int64_t arrival_ms) = 0;
  // Every complete line the framer holds, as line() would take them (adding to `lines` for each).
  virtual void lines_from(Framer& framer, int64_t arrival_ms, uint64_t& lines) = 0;
  // Whether the sink reads regular files itself, a range at a time, on other threads (range.h). Then the
  // reader hands out consecutive ranges with range(): the lines that start in [begin, end) of `file`,
  // arrived at `arrival_ms`; the sink counts their bytes and lines. Otherwise the reader reads files itself.
  virtual bool reads_ranges() const { return false; }
  virtual void range(std::shared_ptr<RangeFile> file, uint64_t begin, uint64_t end, int64_t arrival_ms) {
    (void)file, (void)begin, (void)end, (void)arrival_ms;
  }
  // Bytes read, counted or not.
  virtual void count_bytes(uint64_t n) = 0;
  // The wall clock moved; work due by then is done.
  virtual void tick(int64_t now_ms) = 0;
  // The next wall-clock time tick() has work to do, kNoTime if none.
  virtual int64_t next_deadline() const = 0;
  // True once nothing more should be read (enough windows printed, the output's reader went away).
  virtual bool done() const = 0;
  // After a batch of lines: hand work on and write what is ready.
  virtual void flush() = 0;
  // Waits until every line given so far is counted.
  virtual void sync() = 0;
  // An fd that becomes readable when lines handed to other threads are ready to count (-1: none), and the
  // call that consumes that readiness.
  virtual int parsed_fd() const = 0;
  virtual void clear_parsed() const = 0;
  // Log sources' positions (Kafka, --connect URLs), saved with the sink's state: updated as records are
  // handed in.
  virtual std::vector<SourceOffset>& offsets() = 0;

  // Sources, each with its own event-time clock (count/clocks.h): a --listen or --connect connection, a
  // Kafka partition, the files and stdin together. open_source() says one starts (its id; `resumable`: the
  // same name comes back after a restart, so --state keeps its clock), from_source() that the lines handed in
  // next are its and it was active at `now_ms`, close_source() that it ended (after its last line). Lines
  // handed in without a source are the sink's default one. None of this allocates per line.
  virtual uint32_t open_source(std::string name, bool resumable, int64_t now_ms) {
    (void)name, (void)resumable, (void)now_ms;
    return 0;
  }
  virtual void from_source(uint32_t id, int64_t now_ms) { (void)id, (void)now_ms; }
  virtual void close_source(uint32_t id) { (void)id; }
};

}  // namespace trendtop
