// The engine behind InputFiles (archive.h): the planner opens the inputs in order, splits bzip2 streams
// into blocks and regular zstd, BGZF and xz files into their pieces (pieces.h); a pool of workers decodes the
// jobs into chunks from a bounded pool (both archive_pool.cpp); the reader takes the chunks in input order
// (archive.cpp). Internal to those two files.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "input/archive.h"
#include "input/decompress.h"
#include "input/pieces.h"

namespace trendtop {

namespace archive_detail {

inline constexpr size_t kChunkSize = 1 << 20;  // decoded bytes travel in chunks of this size
// A held job's output (a bzip2 block's, a piece's: it waits until the job is checked) goes out early once it
// passes this many chunks. A constant, so that what a damaged big piece leaves is the same for any number of
// threads.
inline constexpr size_t kHoldChunks = 8;
// Chunks only the job being read may take: all that a held job needs before its output goes out (its
// held chunks and the one it writes), so the job being read always finishes or goes out, whatever the
// jobs after it hold.
inline constexpr size_t kReserve = kHoldChunks + 1;
// The pool: kChunksPerThread chunks per decoding thread, kChunksExtra more, and the reserve.
inline constexpr size_t kChunksPerThread = 8;
inline constexpr size_t kChunksExtra = 2;
inline constexpr size_t kJobsPerThread = 4;  // jobs queued or decoded ahead of the reader, per thread (+4)
// Consecutive small pieces of a file go in one job, up to this many compressed bytes or pieces: a BGZF
// member holds 64 KiB of text, and a job of one would take a 1 MiB chunk of the pool for it.
inline constexpr uint64_t kGroupBytes = 128 << 10;
inline constexpr size_t kGroupPieces = 64;
inline constexpr size_t kMaxItems = 64;  // inputs opened ahead of the reader, at most
// Descriptors left to the rest of the run under RLIMIT_NOFILE (connections accepted, a state checkpoint, a
// chart), besides those open when reading starts: the look-ahead takes at most what remains (at least 1).
inline constexpr size_t kFdReserve = 16;
inline constexpr size_t kReadSize = 1 << 20;                   // compressed bytes per read
inline constexpr auto kWait = std::chrono::milliseconds(100);  // the reader waits this long for decoded bytes

struct Chunk {
  std::unique_ptr<uint8_t[]> data{new uint8_t[kChunkSize]};
  size_t size = 0;
  size_t pos = 0;
  uint64_t in_bytes = 0;  // compressed bytes this chunk's decoding used up (for --progress)
};

struct Job {
  enum class Kind { Block, Stream, Piece, Error } kind = Kind::Error;
  Bzip2Block block;           // Block: one bzip2 block
  std::vector<Piece> pieces;  // Piece: consecutive zstd frames, BGZF members or xz blocks of a regular file
  Codec codec = Codec::None;  // Stream: an input in this codec, read from fd after prefix; Piece: its codec
  int fd = -1;
  bool regular = true;
  bool positional = false;  // Stream: a regular file, read with pread from `begin` on (Piece: always)
  uint64_t begin = 0;
  std::string prefix;
  std::string error;  // Error: what to report here; otherwise why decoding failed (set by the worker)
  std::vector<std::string>
      skipped;  // Piece: the pieces found corrupt (and dropped), reported after its output
  bool done = false;
  std::deque<Chunk*> out;  // decoded, not yet read
};

struct Item {
  std::string name;
  std::string open_error;
  int open_errno = 0;  // why open() failed (EMFILE, ENFILE: out of descriptors, maybe ours)
  int fd = -1;
  bool owned = false;
  bool regular = false;
  bool by_reader = false;  // stdin or a FIFO: the reader's first read tells its codec
  bool decoded = false;    // compressed: read from jobs
  Codec codec = Codec::None;
  std::string prefix;  // by_reader and compressed: the bytes the reader already read
  std::deque<std::unique_ptr<Job>> jobs;
  bool planned = false;   // every job is queued
  uint64_t in_total = 0;  // compressed bytes read (once planned)
};

}  // namespace archive_detail

struct InputFiles::Engine {
  using Chunk = archive_detail::Chunk;
  using Job = archive_detail::Job;
  using Item = archive_detail::Item;

  Engine(std::vector<std::string> p, unsigned t);
  ~Engine();

  void start();

  // --- The planner: opens the inputs in order, a bounded way ahead, and queues their jobs.

  void plan();
  void open(Item& item);
  // The process ran out of descriptors while the planner opened ahead: waits until the reader gives one of
  // the inputs back, unless it did since `seen` (released() before the attempt). False when none was given
  // back and none is open (the shortage is not of our making: the error is real), or when stopping.
  uint64_t released();
  bool wait_for_descriptor(uint64_t seen);
  bool push_job(Item& item, std::unique_ptr<Job> job);
  void split_bzip2(Item& item);
  bool split_pieces(Item& item);

  // --- The workers: decode jobs in queue order into chunks from the pool.

  Chunk* get_chunk(Job* job);

  // A job's output, chunk by chunk, handed to the reader as each fills. A bzip2 block's or a piece's output
  // is held back until it is checked (at its end), so a corrupt block is dropped whole, as bzip2recover
  // would drop it; only one of more than kHoldChunks MiB (a bzip2 block's long runs expand up to 45 MB, a
  // zstd frame of high level) goes out early.
  struct JobSink final : ByteSink {
    JobSink(Engine& e, Job* j, bool hold) : engine(e), job(j), holding(hold) {}
    std::span<uint8_t> room() override;
    void wrote(size_t n) override;
    void publish();
    void finish(bool keep);
    // Where the output is now; rollback() drops what was written since (a corrupt piece among good ones),
    // unless some of it went out already (false).
    struct Mark {
      size_t held = 0, size = 0;
      bool cur = false;
    };
    Mark mark() const { return {held.size(), cur ? cur->size : 0, cur != nullptr}; }
    bool rollback(const Mark& m);
    Engine& engine;
    Job* job;
    bool holding;
    Chunk* cur = nullptr;
    std::vector<Chunk*> held;
    uint64_t in_bytes = 0;
    uint8_t discard[1 << 16];
  };

  void work();
  void decode_stream(Job* job, JobSink& out, std::vector<uint8_t>& inbuf);
  void decode_pieces(Job* job, JobSink& out, PieceDecoder& dec, std::vector<uint8_t>& inbuf);
  bool decode_piece(const Job* job, const Piece& p, JobSink& out, PieceDecoder& dec,
                    std::vector<uint8_t>& inbuf, std::string& why);

  // --- The reader's side (archive.cpp).

  InputFiles::Next next(std::string& error);
  long plain_read(Item& it, std::span<char> into, std::string& error);
  long sniff_read(Item& it, std::span<char> into, std::string& error);
  long read(std::span<char> into, std::string& error);

  std::vector<std::string> paths;
  unsigned threads;
  bool stdin_closed = false;
  size_t max_chunks, max_jobs;
  size_t max_items =
      archive_detail::kMaxItems;  // inputs open ahead: kMaxItems, or fewer under a low RLIMIT_NOFILE (start)

  std::mutex m;
  std::condition_variable cv_work;  // workers: a job queued, a chunk freed, the front job changed, stop
  std::condition_variable cv_plan;  // the planner: room ahead, a sniff decided, stop
  std::condition_variable cv_read;  // the reader: an input planned, a chunk published, a job done
  std::deque<std::unique_ptr<Item>> items;  // from the reader's current input on
  std::deque<Job*> queue;                   // jobs no worker has taken, in input order
  std::vector<std::unique_ptr<Chunk>> all_chunks;
  std::vector<Chunk*> free_chunks;
  size_t jobs_in_flight = 0;
  uint64_t releases = 0;  // inputs the reader was done with (and closed)
  bool planner_done = false;
  enum class Sniff { None, Waiting, Plain, Decoded } sniffed = Sniff::None;
  std::atomic<bool> stop{false};
  bool started = false;
  std::thread planner;
  std::vector<std::thread> workers;

  // The reader's own state.
  bool opened = false;  // items.front() is the current input
  // items.front() as the reader sees it, taken under the lock: the planner's push_back may move the deque's
  // own bookkeeping (not the items) while the reader reads, so the reader never calls items.front() unlocked.
  Item* current = nullptr;
  std::string stash;  // the first bytes of a by_reader input, too few to tell its kind
  bool ended = false;
  uint64_t pending_in = 0;  // input bytes not yet taken by take_input_bytes()
  uint64_t counted_in = 0;  // compressed bytes of the current input counted so far
};

}  // namespace trendtop
