// InputFiles: the files, directories and stdin named on the command line, as the reader reads them: one
// input after another, in the order given, each either plain (read straight from its descriptor, as before)
// or compressed (gzip, bzip2, zstd, xz: decompress.h), recognised by its first bytes.
//
// - A directory is read recursively, its entries in name order (bytewise); entries whose name starts with a
//   dot are skipped, and so is anything that is neither a regular file nor a directory (FIFOs, sockets,
//   devices, symbolic links to directories). A file named on the command line is read whatever it is.
// - Compressed inputs decode on a pool of threads ahead of the reader, and come out in input order: whole
//   files in parallel, and the pieces of one file in parallel: a bzip2 stream's blocks, and a regular
//   file's zstd frames, BGZF members or xz blocks (pieces.h). A planner thread walks the inputs (opening
//   files, sniffing them, splitting them into blocks and pieces) a bounded way ahead.
// - Memory is bounded whatever the input: decoded bytes wait in a fixed pool of chunks (a few per thread),
//   and the planner stays a bounded number of jobs ahead. A thread decoding ahead of the input being read
//   stops when the pool is nearly empty; the last chunks are kept for the input being read, so it always
//   goes on.
// - Damage (a corrupt block or member, a truncated file) is reported at the point of the input where it
//   is, as one line naming the input and the byte offset where it is known; what can still be read is read.
//
// Stdin, and FIFOs named as files, are sniffed by the reader's own first read (nothing is read from them
// before the reader gets there): plain, they stay pollable descriptors; compressed, they decode on the pool
// from then on.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace trendtop {

class InputFiles {
 public:
  // `threads`: decoding threads (at least 1). `stdin_closed`: fd 0 was closed (something else stands in for
  // it), so "-" cannot be read.
  InputFiles(std::vector<std::string> paths, unsigned threads, bool stdin_closed = false);
  ~InputFiles();
  InputFiles(const InputFiles&) = delete;
  InputFiles& operator=(const InputFiles&) = delete;

  enum class Next { Opened, Failed, End };
  // Leaves the current input and opens the next one. Failed: it cannot be read (error says why; go on with
  // the next); End: none is left.
  Next next(std::string& error);
  // The current input: its name ("<stdin>" for "-"), and its descriptor: the reader polls it when
  // pollable() (a pipe, a terminal), else reads straight away.
  const std::string& name() const;
  int fd() const;
  bool pollable() const;
  // A plain (uncompressed) regular file named as an input (not stdin, which may sit anywhere in its file):
  // it may be read at any offset, in any order (pread).
  bool plain_file() const;

  // read(): bytes read into `into` (plain or decompressed); 0 at the end of the input; -1 on an error
  // (reported in `error`: the input goes on unless ended() says otherwise); kAgain when nothing is ready
  // yet (it waited a little): call again later, after polling fd() if pollable().
  static constexpr long kAgain = -2;
  long read(std::span<char> into, std::string& error);
  bool ended() const;
  // The input's bytes consumed (compressed, as stored) since the last call: what --stats and --progress
  // count.
  uint64_t take_input_bytes();

 private:
  struct Engine;
  std::unique_ptr<Engine> engine_;
};

// The bytes the inputs hold, when every one is a regular file or a directory (whose regular files are
// counted as InputFiles reads them); false (total 0) otherwise. For the progress line's total.
bool regular_inputs_size(const std::vector<std::string>& paths, uint64_t& total);

}  // namespace trendtop
