// Framer: turns a byte stream, delivered in reads of any size, into lines. One buffer, reused for the whole
// stream: the caller reads into write_area(), commits the byte count, then takes lines with next() until it
// says no. The unfinished last line stays and is rolled to the front before the next read.
//
// Invariants the rest of the pipeline relies on:
// - a line excludes its "\n" and one trailing "\r" (CRLF input);
// - SIMDJSON_PADDING bytes after every line's end are readable (they belong to the buffer), so the parser can
//   run on the line in place, without a copy;
// - a line longer than max_line is never buffered whole: its bytes are dropped as they arrive and it comes
//   out once, as Oversized, when its newline (or the end of the stream) is reached;
// - memory is bounded by max_line plus one read, whatever the input, and goes back to about one read once
//   a long line is done (or dropped with drop_unfinished()).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace trendtop {

struct Line {
  enum class Kind { Text, Oversized };
  Kind kind = Kind::Text;
  std::string_view text;  // empty for Oversized
};

class Framer {
 public:
  static constexpr size_t kDefaultReadSize = 1 << 20;
  // The parser's padding requirement (simdjson::SIMDJSON_PADDING), kept here so this header stays light.
  static constexpr size_t kPadding = 64;

  explicit Framer(size_t max_line, size_t read_size = kDefaultReadSize);

  // Space for the next read: at least read_size bytes.
  std::span<char> write_area();
  void commit(size_t n);
  // Drops the first n bytes committed, before any line is taken: bytes read only to align a read.
  void skip(size_t n) {
    pos_ += n;
    scan_ = pos_ > scan_ ? pos_ : scan_;
  }
  // The next complete line, or false when only an unfinished line (or nothing) is left.
  bool next(Line& line);
  // At end of stream: the last line if it had no newline. Leaves the framer empty and ready for a new stream.
  bool finish(Line& line);

  size_t buffered() const { return end_ - pos_; }
  // Inside a line already known to be over max_line (its bytes dropped as they come): it will come out as
  // Oversized, wherever it ends.
  bool dropping() const { return discarding_; }
  // Drops the unfinished line (call when next() said no more): it comes out once, as Oversized, when its
  // newline or the end of the stream comes, as a line over max_line does. Its memory is given back.
  void drop_unfinished();
  // The buffer the lines next() hands out point into.
  const char* data() const { return buf_.data(); }
  // Gives the buffer, holding every line next() handed out, to the caller in exchange for `other`: the
  // unfinished tail is copied into `other`, and framing goes on there. The lines handed out stay valid (they
  // now live in `other`). This is how parsing threads get a read's lines without copying them.
  void swap_buffer(std::vector<char>& other);

 private:
  std::vector<char> buf_;
  size_t max_line_;
  size_t read_size_;
  size_t pos_ = 0;           // start of the unconsumed bytes
  size_t scan_ = 0;          // bytes before this offset are known to hold no '\n'
  size_t end_ = 0;           // end of the committed bytes
  bool discarding_ = false;  // inside an over-long line, dropping bytes until its newline
};

}  // namespace trendtop
