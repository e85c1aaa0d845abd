#include "input/range.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <unistd.h>

#include <fmt/format.h>

namespace trendtop {

namespace {

// Room after a range's bytes for the rest of its last line: most lines fit, so the range's buffer is not
// reallocated for it.
constexpr size_t kTailRoom = 64 << 10;
// The first read past a range's end, for the rest of its last line (then twice as much each time).
constexpr size_t kFirstTail = 16 << 10;
constexpr uint64_t kAlign = 64;

}  // namespace

RangeFile::~RangeFile() {
  if (fd >= 0) ::close(fd);
}

RangeFramer::RangeFramer(size_t max_line, size_t range_size)
    : framer_(max_line, range_size + 1 + kTailRoom), range_size_(range_size) {}

long RangeFramer::read_at(int fd, char* into, size_t n, uint64_t offset) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, into + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;  // the end of the file (as it is now: it may have been truncated)
    got += static_cast<size_t>(r);
  }
  return static_cast<long>(got);
}

bool RangeFramer::read(RangeFile& file, uint64_t begin, uint64_t end, std::vector<char>& text,
                       std::vector<RangeLine>& lines, uint64_t& bytes, std::string& error) {
  bytes = 0;
  Line line;
  // Every way out leaves the framer empty for the next range (finish() drops what is left: bytes past the
  // range's last line are the next range's).
  auto reset = [this] {
    Line rest;
    framer_.finish(rest);
  };
  auto failed = [&] {
    int e = errno;
    if (!file.failed.exchange(true))  // said once per file
      error = fmt::format("cannot read '{}': {}", file.name, std::strerror(e));
    reset();
    return false;
  };
  if (file.failed.load(std::memory_order_relaxed)) return false;
  // Room for a range, what is left of its last line, and the next read, so that swapping buffers with the
  // framer never reallocates (a new buffer costs a page fault every 4 KiB): a buffer is sized once.
  if (size_t room = range_size_ + 1 + 2 * kTailRoom + Framer::kPadding; text.capacity() < room)
    text.reserve(room);

  // The byte before the range says whether a line starts at `begin`. The read starts up to 63 bytes before
  // it, where the file offset and the buffer address are equally aligned (mod 64), and skips them: the
  // kernel copies 15-20 % faster that way (2 MiB preads of a cached file: 0.15 s/GB aligned, 0.18-0.19 s/GB
  // misaligned, 0.45 s/GB with the destination one byte ahead), and the copy is most of reading.
  std::span<char> area = framer_.write_area();  // the framer is empty: room for range_size_ + 64 at least
  uint64_t first = begin == 0 ? 0 : begin - 1;
  uint64_t lead = (first - reinterpret_cast<uintptr_t>(area.data())) % kAlign;
  if (lead > first) lead = 0;  // near the start of the file
  uint64_t origin = first - lead;
  long n =
      read_at(file.fd, area.data(), std::min<size_t>(static_cast<size_t>(end - origin), area.size()), origin);
  if (n < 0) return failed();
  size_t got = static_cast<size_t>(n);
  bytes = got > begin - origin ? got - (begin - origin) : 0;  // of [begin, end): fewer if truncated
  framer_.commit(got);
  framer_.skip(std::min<size_t>(lead, got));
  const char* base = framer_.data();
  // Up to the first '\n' at or after begin - 1: the end of a line that started before the range. None: no
  // line starts in the range (it lies inside a longer line, or past the end of the file).
  if (begin > 0 && !framer_.next(line)) {
    reset();
    return true;
  }
  // The lines that end in what was read: they all start in the range.
  while (framer_.next(line)) {
    bool oversized = line.kind == Line::Kind::Oversized;
    lines.push_back({oversized ? 0 : static_cast<uint32_t>(line.text.data() - base),
                     static_cast<uint32_t>(line.text.size()), oversized});
  }
  // What is left is the start of the range's last line (which ends past the range, or at the end of the
  // file without a newline), or nothing; or that line is already known to be too long.
  size_t unfinished = framer_.buffered();
  bool dropping = framer_.dropping();
  // The lines' bytes go with `text`; the unfinished line goes on in the buffer `text` had.
  framer_.swap_buffer(text);
  if (dropping) {
    lines.push_back({0, 0, true});
    reset();
    return true;
  }
  if (unfinished == 0) return true;  // the next line starts at `end`: the next range's

  // Read on to the end of the last line, or until it is known to be too long.
  uint64_t at = origin + got;
  size_t chunk = kFirstTail;
  bool have = false;
  bool ok = true;
  for (;;) {
    area = framer_.write_area();
    n = read_at(file.fd, area.data(), std::min(chunk, area.size()), at);
    if (n < 0) {  // said, and the part read is a line of its own, as when reading a file on one thread
      int e = errno;
      if (!file.failed.exchange(true))
        error = fmt::format("cannot read '{}': {}", file.name, std::strerror(e));
      ok = false;
      have = framer_.finish(line);
      break;
    }
    if (n == 0) {  // the end of the file: a last line without a newline
      have = framer_.finish(line);
      break;
    }
    framer_.commit(static_cast<size_t>(n));
    at += static_cast<uint64_t>(n);
    if (framer_.next(line)) {
      have = true;
      break;
    }
    if (framer_.dropping()) {
      line = {Line::Kind::Oversized, {}};
      have = true;
      break;
    }
    chunk = std::min(chunk * 2, std::max(range_size_, kFirstTail));
  }
  if (have && line.kind == Line::Kind::Text) {
    // In place of the start the range read of it, after the lines before it.
    size_t offset = got - unfinished;
    if (text.size() < offset + line.text.size() + Framer::kPadding)
      text.resize(offset + line.text.size() + Framer::kPadding);
    std::memcpy(text.data() + offset, line.text.data(), line.text.size());
    lines.push_back({static_cast<uint32_t>(offset), static_cast<uint32_t>(line.text.size()), false});
  } else if (have) {
    lines.push_back({0, 0, true});
  }
  reset();
  return ok;
}

}  // namespace trendtop
