// Output: the buffer the sinks fill and the file descriptor it goes to. Written with plain write(2) so that
// every batch of closed windows reaches a pipe at once (no stdio buffering to defeat), and so that a reader
// that went away (EPIPE, as with `| head`) is told apart from a real write error.
//
// A write blocks while the reader does not read: that is how a slow consumer slows trendtop down. After a
// stop signal the caller may not want to wait for ever: give_up() is asked every time a write comes back
// interrupted (EINTR, or short), with how long no byte could be written, and when it says so the rest is
// abandoned as an error.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include <fmt/format.h>

namespace trendtop {

class Output {
 public:
  enum class Status { Ok, Closed, Error };
  explicit Output(int fd) : fd_(fd) {}
  fmt::memory_buffer& buffer() { return buf_; }
  // Writes the whole buffer and empties it. Closed: the reader is gone (EPIPE); Error: see error().
  // After a failure, later flushes only discard, and status() keeps the first failure.
  Status flush();
  Status status() const { return status_; }
  // Whether this output goes on after data already there: a regular file written past its start, or opened
  // for appending (`>> report.csv`) and not empty. A header belongs only at the start of an output.
  bool continues_file() const;
  const std::string& error() const { return error_; }
  // Asked when a write was interrupted, with the ms since the last byte went out (or this flush began);
  // true: stop waiting, with `why` as the error.
  using GiveUp = std::function<bool(int64_t stalled_ms, std::string& why)>;
  void set_give_up(GiveUp give_up) { give_up_ = std::move(give_up); }

 private:
  int fd_;
  fmt::memory_buffer buf_;
  Status status_ = Status::Ok;
  std::string error_;
  GiveUp give_up_;
};

}  // namespace trendtop
