// ExtractPool (--threads N): parsing, by far the costliest stage, runs on N worker threads, each with its
// own Extractor (its own simdjson parser). The caller fills batches with framed lines (copied, or a framer's
// whole read buffer), or hands out a byte range of a regular file that the worker reads and frames itself
// (input/range.h: the kernel's copy then lands in the core that parses it), submits them, and takes the
// extracted records back in submission order, to count them on its own thread.
//
// Why counting stays on one thread: results are defined as "records processed one at a time, in input
// order" (lateness, emission points, --intervals). Applying extracted batches in order gives exactly the
// serial result by construction, whatever the thread count, batch sizes or read chunking; and counting is a
// few hash-map increments per record against a full JSON parse, so it is not what limits throughput. Keys
// come back with their hash already computed, so the counting thread never hashes a string.
//
// Batches are recycled: once warm, a run allocates nothing per batch or per record. At most
// max_in_flight() batches are out at once, which bounds memory to a few MiB per thread. The bound is not
// tighter because the reading thread must rarely hit it: when it does and the oldest batch is still being
// parsed, it sleeps, and the workers then starve while it counts what piled up. With 3 batches per 2
// threads the machine was 1.75 cores busy at -j2 (324 context switches per GiB); with 12, 1.96 (28).
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "config.h"
#include "extract/extract.h"
#include "input/framer.h"
#include "input/range.h"

namespace trendtop {

// One line, extracted.
struct ExtractedLine {
  // Opened, Closed: not lines but a source's markers (Batch::Input::mark), kept in input order.
  enum class Kind : uint8_t { Tweet, NotTweet, Malformed, Filtered, Blank, Oversized, Opened, Closed };
  Kind kind;
  bool has_time;
  int64_t time_ms;
  int64_t arrival_ms;
  uint32_t first_key, key_count;  // into Batch::keys / Batch::hashes
  uint32_t source;                // the line's source (LineSink::from_source)
  int64_t wall_ms;                // when it was read (the arrival time but for Kafka's log times)
};

struct Batch {
  // Filled by the caller.
  // The lines' bytes: copied in back to back (add), or a framer's whole read buffer (Pipeline::lines_from).
  // Every line has Framer::kPadding readable bytes after it.
  std::vector<char> text;
  size_t used = 0;  // bytes of text in use (text keeps its size between uses: no clearing, no zero-filling)
  struct Input {
    uint32_t offset, length;
    bool oversized;
    int64_t arrival_ms;
    uint32_t source = 0;
    int64_t wall_ms = 0;
    // A source opened or closed here, in input order (no bytes): 1 opened, 2 closed, 0 a line.
    uint8_t mark = 0;
  };
  std::vector<Input> lines;
  // Or a range of a regular file (when `file` is set), whose lines the worker reads and frames into `text`
  // and `lines` first; they all arrived at arrival_ms (when the range was handed out).
  struct Range {
    std::shared_ptr<RangeFile> file;
    uint64_t begin = 0, end = 0;
    int64_t arrival_ms = 0, wall_ms = 0;
    uint32_t source = 0;
    // Filled by the worker: the bytes of [begin, end) the file held, and a read error to say (in input
    // order).
    uint64_t bytes = 0;
    std::string error;
  } range;
  // Filled by a worker.
  std::vector<ExtractedLine> out;
  std::string key_bytes;                                 // the keys, back to back
  std::vector<std::string_view> keys;                    // views into key_bytes
  std::vector<uint64_t> hashes;                          // hash_key() of each key
  std::vector<std::pair<uint32_t, uint32_t>> key_spans;  // scratch: offset and length of each key
  std::atomic<bool> done{false};

  size_t bytes() const { return used; }
  void reset();
};

ExtractedLine::Kind kind_of(Record::Kind k);
// Blank lines (only JSON whitespace) are counted apart from malformed ones.
bool is_blank(std::string_view text);

class ExtractPool {
 public:
  static constexpr size_t kBatchBytes = 1 << 20;

  ExtractPool(unsigned threads, const Config& config, size_t batch_bytes = kBatchBytes);
  ~ExtractPool();
  ExtractPool(const ExtractPool&) = delete;
  ExtractPool& operator=(const ExtractPool&) = delete;

  // Copies a line into the batch being filled. True when that batch is full and should be submitted.
  bool add(const Line& line, int64_t arrival_ms, uint32_t source = 0, int64_t wall_ms = 0);
  // A source's marker (Batch::Input::mark) after the lines added so far.
  void add_mark(uint32_t source, uint8_t mark);
  // The batch being filled, for a caller that fills it without copying (Pipeline::lines_from).
  Batch& filling() { return *filling_; }
  // Hands the batch being filled (if it has lines) to the workers.
  void submit();
  // Hands the lines that start in [begin, end) of `file` to the workers, as a batch of their own after the
  // lines added so far (Batch::range).
  void submit_range(std::shared_ptr<RangeFile> file, uint64_t begin, uint64_t end, int64_t arrival_ms,
                    uint32_t source, int64_t wall_ms);
  // The oldest submitted batch once extracted; with `wait`, blocks until it is. nullptr when none is
  // submitted, or (without wait) when the oldest is not done yet.
  Batch* front(bool wait);
  // Recycles the batch front() returned.
  void pop();
  // Parses the newest batch no worker has started, on the caller's thread, with the caller's extractor:
  // the reading thread helps instead of waiting when the workers are behind. False if none was waiting.
  bool help(Extractor& extractor, Record& scratch);

  size_t in_flight() const { return in_flight_.size(); }
  bool pending() const { return !in_flight_.empty() || (filling_ && !filling_->lines.empty()); }
  size_t max_in_flight() const { return 4 * workers_.size() + 4; }
  // An eventfd that becomes readable whenever a batch is done (for the reader's epoll loop).
  int wake_fd() const { return wake_fd_; }
  // Consumes the eventfd's count.
  void clear_wake() const;

 private:
  void work(const Config& config);
  std::unique_ptr<Batch> take_spare();
  void queue(std::unique_ptr<Batch> batch);

  size_t batch_bytes_;
  size_t max_line_, read_range_;
  // The caller's own, for the ranges it parses in help() (made at the first).
  std::unique_ptr<RangeFramer> help_ranges_;
  std::vector<RangeLine> help_lines_;
  std::vector<std::thread> workers_;
  std::unique_ptr<Batch> filling_;
  std::deque<std::unique_ptr<Batch>> in_flight_;  // submission order; owned here, worked on by workers
  std::vector<std::unique_ptr<Batch>> spare_;
  int wake_fd_ = -1;

  // Shared with the workers.
  std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<Batch*> queue_;  // submitted, not yet picked up
  bool stopping_ = false;
};

// Extracts every line of a batch (what a worker does; also usable on the caller's thread).
void extract_batch(Extractor& extractor, Record& scratch, Batch& batch);
// A range batch (Batch::range): reads and frames its lines (`scratch` is reused between calls).
void frame_range(RangeFramer& framer, std::vector<RangeLine>& scratch, Batch& batch);

}  // namespace trendtop
