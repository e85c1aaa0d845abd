#include "input/framer.h"

#include <algorithm>
#include <cstring>

namespace trendtop {

static std::string_view strip_cr(const char* begin, size_t len) {
  if (len > 0 && begin[len - 1] == '\r') --len;
  return {begin, len};
}

Framer::Framer(size_t max_line, size_t read_size)
    : buf_(std::max(read_size, size_t{4096}) + kPadding), max_line_(max_line), read_size_(read_size) {}

std::span<char> Framer::write_area() {
  // A long line is done and the buffer it grew is mostly empty: give the memory back (a connection that sent
  // one long line must not keep its size for as long as it stays open).
  size_t need = end_ - pos_ + read_size_ + kPadding;
  if (buf_.size() > 2 * need && buf_.size() > 2 * (read_size_ + kPadding)) {
    std::vector<char> smaller(need);
    std::memcpy(smaller.data(), buf_.data() + pos_, end_ - pos_);
    buf_.swap(smaller);
    end_ -= pos_;
    scan_ -= pos_;
    pos_ = 0;
  }
  size_t capacity = buf_.size() - kPadding;
  if (capacity - end_ < read_size_) {
    // Roll the unfinished line to the front; grow only if that line plus one read does not fit.
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      scan_ -= pos_;
      pos_ = 0;
    }
    if (capacity - end_ < read_size_) buf_.resize(end_ + read_size_ + kPadding);
  }
  return {buf_.data() + end_, buf_.size() - kPadding - end_};
}

void Framer::commit(size_t n) {
  end_ += n;
}

bool Framer::next(Line& line) {
  for (;;) {
    const char* base = buf_.data();
    const void* nl = scan_ < end_ ? std::memchr(base + scan_, '\n', end_ - scan_) : nullptr;
    if (nl == nullptr) {
      scan_ = end_;
      // An unfinished line already over the limit (allowing for its "\r"): drop what we have and keep
      // dropping until its newline.
      if (discarding_ || end_ - pos_ > max_line_ + 1) {
        discarding_ = true;
        pos_ = scan_ = end_ = 0;
      }
      return false;
    }
    size_t at = static_cast<size_t>(static_cast<const char*>(nl) - base);
    size_t start = pos_;
    pos_ = scan_ = at + 1;
    if (discarding_) {
      discarding_ = false;
      line = {Line::Kind::Oversized, {}};
      return true;
    }
    std::string_view text = strip_cr(base + start, at - start);
    if (text.size() > max_line_) {
      line = {Line::Kind::Oversized, {}};
    } else {
      line = {Line::Kind::Text, text};
    }
    return true;
  }
}

void Framer::drop_unfinished() {
  if (end_ == pos_) return;
  discarding_ = true;
  pos_ = scan_ = end_ = 0;
  std::vector<char>(std::max(read_size_, size_t{4096}) + kPadding).swap(buf_);
}

void Framer::swap_buffer(std::vector<char>& other) {
  size_t tail = end_ - pos_;
  size_t need = std::max(buf_.size(), tail + read_size_ + kPadding);
  if (other.size() < need) other.resize(need);  // a recycled buffer is already big enough
  std::memcpy(other.data(), buf_.data() + pos_, tail);
  buf_.swap(other);
  scan_ -= pos_;
  end_ = tail;
  pos_ = 0;
}

bool Framer::finish(Line& line) {
  bool have = false;
  if (discarding_) {
    line = {Line::Kind::Oversized, {}};
    have = true;
  } else if (pos_ < end_) {
    std::string_view text = strip_cr(buf_.data() + pos_, end_ - pos_);
    line = text.size() > max_line_ ? Line{Line::Kind::Oversized, {}} : Line{Line::Kind::Text, text};
    have = true;
  }
  // The line's bytes stay valid until the next write_area(), which is what the caller needs.
  discarding_ = false;
  pos_ = scan_ = end_ = 0;
  return have;
}

}  // namespace trendtop
