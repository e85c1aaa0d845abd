// Source: where bytes come from. For now a file descriptor: a named file, or stdin for "-". Reads go straight
// into the framer's buffer (no intermediate copy); a source never loads its whole input.
#pragma once
#include <cstddef>
#include <span>
#include <string>

namespace trendtop {

class FdSource {
 public:
  FdSource() = default;
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  ~FdSource();

  // Opens `path` ("-" is stdin). On failure returns false with a message such as
  // "cannot open 'x': No such file or directory".
  bool open(const std::string& path, std::string& error);
  // Bytes read, 0 at end of input, -1 on error (message in error). Retries on EINTR.
  long read(std::span<char> into, std::string& error);
  // Waits until a read would not block or timeout_ms passes (-1: forever). False on timeout.
  bool wait_readable(int timeout_ms) const;

  const std::string& name() const { return name_; }
  int fd() const { return fd_; }

 private:
  void close();
  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
};

}  // namespace trendtop
