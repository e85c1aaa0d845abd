// Reading a regular file by ranges, in parallel: the reading thread hands out consecutive byte ranges of the
// file in order; the thread that parses a range reads it itself (pread), so the kernel's copy lands in the
// core that parses the bytes, and frames it with a Framer (framer.h), so its lines are exactly the lines a
// Framer reading the whole file would give.
//
// Which lines a range owns: a range [begin, end) owns exactly the lines that START in it (a line starts at
// offset 0 or right after a '\n'). To know, it reads from begin - 1, and skips what comes before the first
// line start; it reads on past end to the end of its last line. So consecutive ranges give every line of
// the file once, in order, whatever their sizes: a line starting exactly at `end` is the next range's, a
// "\r\n" split at the boundary ends the line before it, a line longer than the range spans ranges that own
// nothing. A line over max_line comes out once, as Oversized, from the range it starts in; that range stops
// reading as soon as the line is known to be too long (it never reads such a line to its end).
//
// No mmap: a file truncated while it is read only makes pread return short (the lines up to the new end are
// read; a range past it owns nothing), where a mapping would fault (SIGBUS).
#pragma once
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "input/framer.h"

namespace trendtop {

// A file being read by ranges: its own descriptor (a dup: the input stage may close its own before the last
// range is read), shared by the ranges in flight, closed with the last.
struct RangeFile {
  RangeFile(int fd, std::string name) : fd(fd), name(std::move(name)) {}
  ~RangeFile();
  RangeFile(const RangeFile&) = delete;
  RangeFile& operator=(const RangeFile&) = delete;
  int fd;
  std::string name;
  // Set by the first range that failed to read: said once, and the ranges after it read nothing.
  std::atomic<bool> failed{false};
};

// A line of a range: where it is in the range's text (length 0 and any offset for an Oversized line).
struct RangeLine {
  uint32_t offset, length;
  bool oversized;
};

class RangeFramer {
 public:
  // Ranges up to `range_size` bytes (they may be smaller).
  RangeFramer(size_t max_line, size_t range_size);

  // Reads the lines that start in [begin, end) of `file` and appends them to `lines`, in order. Their bytes
  // end up in `text` (whose old buffer the framer keeps for the next range: pass a recycled vector), each
  // with Framer::kPadding readable bytes after it. `bytes`: how many bytes of [begin, end) the file held.
  // False on a read error (said in `error`; the lines read before it stand), or when the file failed in
  // another range already (error empty).
  bool read(RangeFile& file, uint64_t begin, uint64_t end, std::vector<char>& text,
            std::vector<RangeLine>& lines, uint64_t& bytes, std::string& error);

 private:
  // pread until n bytes or the end of the file; -1 on an error (errno set).
  static long read_at(int fd, char* into, size_t n, uint64_t offset);

  Framer framer_;
  size_t range_size_;
};

}  // namespace trendtop
