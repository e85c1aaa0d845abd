#include "extract/parallel.h"

#include <algorithm>
#include <cstring>

#include <sys/eventfd.h>
#include <unistd.h>

#include "util/hash.h"

namespace trendtop {

ExtractedLine::Kind kind_of(Record::Kind k) {
  switch (k) {
    case Record::Kind::Tweet:
      return ExtractedLine::Kind::Tweet;
    case Record::Kind::NotTweet:
      return ExtractedLine::Kind::NotTweet;
    case Record::Kind::Filtered:
      return ExtractedLine::Kind::Filtered;
    default:
      return ExtractedLine::Kind::Malformed;
  }
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r") == std::string_view::npos;  // JSON whitespace
}

void Batch::reset() {
  used = 0;
  lines.clear();
  range = Range{};
  out.clear();
  key_bytes.clear();
  keys.clear();
  hashes.clear();
  done.store(false, std::memory_order_relaxed);
}

void extract_batch(Extractor& extractor, Record& record, Batch& batch) {
  batch.out.clear();
  batch.key_bytes.clear();
  batch.keys.clear();
  batch.hashes.clear();
  // Key views are taken once key_bytes has stopped growing; until then, offsets.
  std::vector<std::pair<uint32_t, uint32_t>>& spans = batch.key_spans;
  spans.clear();
  for (const Batch::Input& in : batch.lines) {
    ExtractedLine x{ExtractedLine::Kind::Tweet,          false, 0,         in.arrival_ms,
                    static_cast<uint32_t>(spans.size()), 0,     in.source, in.wall_ms};
    std::string_view text(batch.text.data() + in.offset, in.length);
    if (in.mark != 0) {
      x.kind = in.mark == 1 ? ExtractedLine::Kind::Opened : ExtractedLine::Kind::Closed;
    } else if (in.oversized) {
      x.kind = ExtractedLine::Kind::Oversized;
    } else if (is_blank(text)) {
      x.kind = ExtractedLine::Kind::Blank;
    } else {
      extractor.extract(text, record);
      x.kind = kind_of(record.kind);
      if (record.time_ms) x.has_time = true, x.time_ms = *record.time_ms;
      if (x.kind == ExtractedLine::Kind::Tweet) {
        for (std::string_view key : record.keys) {
          spans.emplace_back(static_cast<uint32_t>(batch.key_bytes.size()),
                             static_cast<uint32_t>(key.size()));
          batch.key_bytes.append(key);
          batch.hashes.push_back(hash_key(key));
        }
        x.key_count = static_cast<uint32_t>(record.keys.size());
      }
    }
    batch.out.push_back(x);
  }
  for (auto [offset, length] : spans) batch.keys.emplace_back(batch.key_bytes.data() + offset, length);
}

void frame_range(RangeFramer& framer, std::vector<RangeLine>& scratch, Batch& batch) {
  Batch::Range& r = batch.range;
  scratch.clear();
  r.error.clear();
  framer.read(*r.file, r.begin, r.end, batch.text, scratch, r.bytes, r.error);
  batch.lines.clear();
  for (const RangeLine& l : scratch)
    batch.lines.push_back({l.offset, l.length, l.oversized, r.arrival_ms, r.source, r.wall_ms});
  batch.used = batch.text.size();
}

ExtractPool::ExtractPool(unsigned threads, const Config& config, size_t batch_bytes)
    : batch_bytes_(batch_bytes), max_line_(config.max_line), read_range_(config.read_range) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  filling_ = take_spare();
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this, &config] { work(config); });
}

ExtractPool::~ExtractPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

std::unique_ptr<Batch> ExtractPool::take_spare() {
  if (spare_.empty()) return std::make_unique<Batch>();
  std::unique_ptr<Batch> b = std::move(spare_.back());
  spare_.pop_back();
  b->reset();
  return b;
}

void ExtractPool::add_mark(uint32_t source, uint8_t mark) {
  Batch& b = *filling_;
  b.lines.push_back({static_cast<uint32_t>(b.used), 0, false, 0, source, 0, mark});
}

bool ExtractPool::add(const Line& line, int64_t arrival_ms, uint32_t source, int64_t wall_ms) {
  Batch& b = *filling_;
  bool oversized = line.kind == Line::Kind::Oversized;
  size_t offset = b.used;
  // The next line's bytes serve as this one's padding; the last one gets padding of its own.
  if (b.text.size() < offset + line.text.size() + Framer::kPadding)
    b.text.resize(std::max(offset + line.text.size() + Framer::kPadding, 2 * b.text.size()));
  if (!line.text.empty())
    std::memcpy(b.text.data() + offset, line.text.data(),
                line.text.size());  // an oversized line has no bytes (and a null data())
  b.used = offset + line.text.size();
  b.lines.push_back({static_cast<uint32_t>(offset), static_cast<uint32_t>(line.text.size()), oversized,
                     arrival_ms, source, wall_ms});
  return b.used >= batch_bytes_;
}

void ExtractPool::queue(std::unique_ptr<Batch> batch) {
  Batch* b = batch.get();
  in_flight_.push_back(std::move(batch));
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(b);
  }
  work_cv_.notify_one();
}

void ExtractPool::submit() {
  if (filling_->lines.empty()) return;
  queue(std::move(filling_));
  filling_ = take_spare();
}

void ExtractPool::submit_range(std::shared_ptr<RangeFile> file, uint64_t begin, uint64_t end,
                               int64_t arrival_ms, uint32_t source, int64_t wall_ms) {
  submit();  // lines and markers added before it go first
  std::unique_ptr<Batch> b = take_spare();
  b->range.file = std::move(file);
  b->range.begin = begin;
  b->range.end = end;
  b->range.arrival_ms = arrival_ms;
  b->range.wall_ms = wall_ms;
  b->range.source = source;
  queue(std::move(b));
}

Batch* ExtractPool::front(bool wait) {
  if (in_flight_.empty()) return nullptr;
  Batch* b = in_flight_.front().get();
  if (b->done.load(std::memory_order_acquire)) return b;
  if (!wait) return nullptr;
  std::unique_lock lock(mutex_);
  done_cv_.wait(lock, [b] { return b->done.load(std::memory_order_acquire); });
  return b;
}

void ExtractPool::pop() {
  in_flight_.front()->range.file.reset();  // the file is closed with its last range
  spare_.push_back(std::move(in_flight_.front()));
  in_flight_.pop_front();
}

bool ExtractPool::help(Extractor& extractor, Record& scratch) {
  Batch* b;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return false;
    b = queue_.back();  // the newest: the workers take the oldest, which the caller needs first
    queue_.pop_back();
  }
  if (b->range.file) {
    if (!help_ranges_) help_ranges_ = std::make_unique<RangeFramer>(max_line_, read_range_);
    frame_range(*help_ranges_, help_lines_, *b);
  }
  extract_batch(extractor, scratch, *b);
  {
    std::lock_guard lock(mutex_);
    b->done.store(true, std::memory_order_release);
  }
  done_cv_.notify_all();
  return true;
}

void ExtractPool::clear_wake() const {
  uint64_t n;
  while (::read(wake_fd_, &n, sizeof n) > 0) {
  }
}

void ExtractPool::work(const Config& config) {
  Extractor extractor(config);
  Record record;
  std::unique_ptr<RangeFramer> ranges;  // made at the first range: a socket-only run never needs it
  std::vector<RangeLine> range_lines;
  for (;;) {
    Batch* b;
    {
      std::unique_lock lock(mutex_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      b = queue_.front();
      queue_.pop_front();
    }
    if (b->range.file) {
      if (!ranges) ranges = std::make_unique<RangeFramer>(max_line_, read_range_);
      frame_range(*ranges, range_lines, *b);
    }
    extract_batch(extractor, record, *b);
    {
      // Under the lock, so a waiter cannot miss the notification between its check and its sleep.
      std::lock_guard lock(mutex_);
      b->done.store(true, std::memory_order_release);
    }
    done_cv_.notify_all();
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
}

}  // namespace trendtop
