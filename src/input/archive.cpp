#include "input/archive.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "input/decompress.h"

namespace trendtop {

namespace {

constexpr size_t kChunkSize = 1 << 20;  // decoded bytes travel in chunks of this size
constexpr size_t kChunksPerThread = 8;  // the pool: this many per decoding thread, and kChunksExtra more
constexpr size_t kChunksExtra = 4;
constexpr size_t kReserve = 2;         // chunks only the input being read may take
constexpr size_t kJobsPerThread = 4;   // jobs queued or decoded ahead of the reader, per thread (+4)
constexpr size_t kMaxItems = 64;       // inputs opened ahead of the reader
constexpr size_t kReadSize = 1 << 20;  // compressed bytes per read
constexpr auto kWait = std::chrono::milliseconds(100);  // the reader waits this long for decoded bytes

// The inputs in order, directories expanded recursively in name order as they are reached.
class Walker {
 public:
  explicit Walker(std::vector<std::string> args) : args_(std::move(args)) {}
  // The next input's path, or an error for a directory that cannot be listed. False at the end.
  bool next(std::string& path, std::string& error) {
    error.clear();
    for (;;) {
      while (!stack_.empty()) {
        Level& l = stack_.back();
        if (l.i == l.names.size()) {
          stack_.pop_back();
          continue;
        }
        std::string full = l.dir + (l.dir.ends_with('/') ? "" : "/") + l.names[l.i++];
        struct stat st;
        if (lstat(full.c_str(), &st) != 0) continue;  // gone since it was listed
        if (S_ISDIR(st.st_mode)) {
          if (!push(full, error)) {
            path = full;
            return true;
          }
          continue;
        }
        if (S_ISLNK(st.st_mode) && (stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode))) continue;
        if (!S_ISREG(st.st_mode)) continue;  // FIFOs, sockets, devices, links to directories
        path = std::move(full);
        return true;
      }
      if (next_ == args_.size()) return false;
      const std::string& arg = args_[next_++];
      struct stat st;
      if (arg != "-" && stat(arg.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!push(arg, error)) {
          path = arg;
          return true;
        }
        continue;
      }
      path = arg;
      return true;
    }
  }

 private:
  struct Level {
    std::string dir;
    std::vector<std::string> names;
    size_t i = 0;
  };
  bool push(const std::string& dir, std::string& error) {
    DIR* d = opendir(dir.c_str());
    if (!d) {
      error = fmt::format("cannot read directory '{}': {}", dir, std::strerror(errno));
      return false;
    }
    Level l{dir, {}, 0};
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') l.names.emplace_back(e->d_name);
    closedir(d);
    std::sort(l.names.begin(), l.names.end());  // bytewise: the grab's names sort by time
    stack_.push_back(std::move(l));
    return true;
  }
  std::vector<std::string> args_;
  size_t next_ = 0;
  std::vector<Level> stack_;
};

struct Chunk {
  std::unique_ptr<uint8_t[]> data{new uint8_t[kChunkSize]};
  size_t size = 0;
  size_t pos = 0;
  uint64_t in_bytes = 0;  // compressed bytes this chunk's decoding used up (for --progress)
};

struct Job {
  enum class Kind { Block, Stream, Error } kind = Kind::Error;
  Bzip2Block block;           // Block: one bzip2 block
  Codec codec = Codec::None;  // Stream: a whole input in this codec, read from fd after prefix
  int fd = -1;
  bool regular = true;
  std::string prefix;
  std::string error;  // Error: what to report here; otherwise why decoding failed (set by the worker)
  bool done = false;
  std::deque<Chunk*> out;  // decoded, not yet read
};

struct Item {
  std::string name;
  std::string open_error;
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

// Reads what is there; on a pipe, waits for it in steps so that `stop` is seen. -1 on error, -2 stopped.
long read_some(int fd, bool regular, uint8_t* buf, size_t n, const std::atomic<bool>& stop) {
  for (;;) {
    if (stop) return -2;
    if (!regular) {
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 200);
      if (r == 0 || (r < 0 && errno == EINTR)) continue;
    }
    ssize_t k = ::read(fd, buf, n);
    if (k >= 0) return static_cast<long>(k);
    if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
    return -1;
  }
}

}  // namespace

struct InputFiles::Engine {
  Engine(std::vector<std::string> p, unsigned t)
      : paths(std::move(p)),
        threads(std::max(1u, t)),
        max_chunks(kChunksPerThread * threads + kChunksExtra),
        max_jobs(kJobsPerThread * threads + 4) {}
  ~Engine() {
    {
      std::lock_guard lk(m);
      stop = true;
    }
    cv_work.notify_all();
    cv_plan.notify_all();
    cv_read.notify_all();
    if (planner.joinable()) planner.join();
    for (std::thread& w : workers) w.join();
    for (auto& it : items)
      if (it->owned && it->fd >= 0) ::close(it->fd);
  }

  void start() {
    started = true;
    planner = std::thread([this] { plan(); });
    for (unsigned i = 0; i < threads; ++i) workers.emplace_back([this] { work(); });
  }

  // --- The planner: opens the inputs in order, a bounded way ahead, and queues their jobs.

  void plan() {
    Walker walker(paths);
    std::string path, err;
    while (!stop && walker.next(path, err)) {
      auto owned = std::make_unique<Item>();
      Item* item = owned.get();
      item->name = path;
      if (!err.empty()) {
        item->open_error = err;
      } else {
        open(*item);
      }
      if (!item->open_error.empty() || (!item->by_reader && !item->decoded)) item->planned = true;
      // Read before the item is queued: once it is, the reader may be done with a planned item (and free it).
      const bool by_reader = item->by_reader, decoded = item->decoded;
      {
        std::unique_lock lk(m);
        cv_plan.wait(lk, [&] { return stop || items.size() < kMaxItems; });
        if (stop) {
          if (item->owned) ::close(item->fd);
          return;
        }
        if (item->by_reader) sniffed = Sniff::Waiting;
        items.push_back(std::move(owned));
      }
      cv_read.notify_all();
      if (by_reader) {
        std::unique_lock lk(m);
        cv_plan.wait(lk, [&] { return stop || sniffed != Sniff::Waiting; });
        if (stop) return;
        if (sniffed == Sniff::Plain) continue;  // the reader reads it (and may be done with it already)
        // Decoded: not planned yet, so the reader waits for its jobs and the item stays.
      } else if (!decoded) {
        continue;  // planned already
      }
      if (item->codec == Codec::Bzip2) {
        split_bzip2(*item);
      } else {
        auto job = std::make_unique<Job>();
        job->kind = Job::Kind::Stream;
        job->codec = item->codec;
        job->fd = item->fd;
        job->regular = item->regular;
        job->prefix = std::move(item->prefix);
        if (!push_job(*item, std::move(job))) return;
      }
      {
        std::lock_guard lk(m);
        item->planned = true;
      }
      cv_read.notify_all();
    }
    {
      std::lock_guard lk(m);
      planner_done = true;
    }
    cv_read.notify_all();
  }

  void open(Item& item) {
    if (item.name == "-" && stdin_closed) {  // fd 0 is a stand-in (main), not an input
      item.name = "<stdin>";
      item.open_error = "cannot read stdin: Bad file descriptor";
      return;
    }
    if (item.name == "-") {
      item.fd = STDIN_FILENO;
      item.name = "<stdin>";
    } else {
      item.fd = ::open(item.name.c_str(), O_RDONLY | O_CLOEXEC);
      if (item.fd < 0) {
        item.open_error = fmt::format("cannot open '{}': {}", item.name, std::strerror(errno));
        return;
      }
      item.owned = true;
    }
    struct stat st;
    if (fstat(item.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      item.open_error = fmt::format("cannot read '{}': Is a directory", item.name);
      return;
    }
    item.regular = fstat(item.fd, &st) == 0 && S_ISREG(st.st_mode);
    if (!item.regular || item.fd == STDIN_FILENO) {  // stdin may sit anywhere in its file: read, not pread
      item.by_reader = true;
      return;
    }
    posix_fadvise(item.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    char head[kMagicMax];
    ssize_t n = pread(item.fd, head, sizeof head, 0);
    bool more = false;
    item.codec = n > 0 ? sniff_codec({head, static_cast<size_t>(n)}, more) : Codec::None;
    item.decoded = item.codec != Codec::None;
    item.in_total = static_cast<uint64_t>(st.st_size);
  }

  // Queues a job (an Error job is done already), waiting while the planner is too far ahead.
  bool push_job(Item& item, std::unique_ptr<Job> job) {
    std::unique_lock lk(m);
    cv_plan.wait(lk, [&] { return stop || jobs_in_flight < max_jobs; });
    if (stop) return false;
    ++jobs_in_flight;
    Job* j = job.get();
    if (j->kind == Job::Kind::Error) j->done = true;
    item.jobs.push_back(std::move(job));
    if (j->kind != Job::Kind::Error) {
      queue.push_back(j);
      cv_work.notify_one();
    } else {
      cv_read.notify_all();
    }
    return true;
  }

  void split_bzip2(Item& item) {
    bool ok = true;
    Bzip2Splitter splitter([&](Bzip2Splitter::Event&& e) {
      if (!ok) return;
      auto job = std::make_unique<Job>();
      if (e.kind == Bzip2Splitter::Event::Kind::Block) {
        job->kind = Job::Kind::Block;
        job->block = std::move(e.block);
      } else {
        job->error = std::move(e.error);
      }
      ok = push_job(item, std::move(job));
    });
    uint64_t total = item.prefix.size();
    splitter.feed({reinterpret_cast<const uint8_t*>(item.prefix.data()), item.prefix.size()});
    std::string().swap(item.prefix);
    std::vector<uint8_t> buf(kReadSize);
    while (ok) {
      long n = read_some(item.fd, item.regular, buf.data(), buf.size(), stop);
      if (n == -2) return;
      if (n < 0) {
        auto job = std::make_unique<Job>();
        job->error = fmt::format("cannot read: {}", std::strerror(errno));
        push_job(item, std::move(job));
        break;
      }
      if (n == 0) break;
      total += static_cast<uint64_t>(n);
      splitter.feed({buf.data(), static_cast<size_t>(n)});
    }
    if (ok) splitter.finish();
    std::lock_guard lk(m);
    item.in_total = total;
  }

  // --- The workers: decode jobs in queue order into chunks from the pool.

  // A chunk for `job`'s output. The job the reader is at (or will be next) may take any chunk; others leave
  // kReserve for it, so the input being read never waits on work queued behind it. nullptr when stopping.
  Chunk* get_chunk(Job* job) {
    std::unique_lock lk(m);
    for (;;) {
      if (stop) return nullptr;
      size_t avail = free_chunks.size() + (max_chunks - all_chunks.size());
      bool front = !items.empty() && !items.front()->jobs.empty() && items.front()->jobs.front().get() == job;
      if (avail > 0 && (front || avail > kReserve)) {
        Chunk* c;
        if (!free_chunks.empty()) {
          c = free_chunks.back();
          free_chunks.pop_back();
        } else {
          all_chunks.push_back(std::make_unique<Chunk>());
          c = all_chunks.back().get();
        }
        c->size = c->pos = 0;
        c->in_bytes = 0;
        return c;
      }
      cv_work.wait(lk);
    }
  }

  // A job's output, chunk by chunk, handed to the reader as each fills. A bzip2 block's output is held back
  // until its CRC is checked (at the end of the block), so a corrupt block is dropped whole, as bzip2recover
  // would drop it; only a block too big for half the pool (long runs expand up to 45 MB) goes out early.
  struct JobSink final : ByteSink {
    JobSink(Engine& e, Job* j, bool hold) : engine(e), job(j), holding(hold) {}
    std::span<uint8_t> room() override {
      if (cur && cur->size == kChunkSize) publish();
      if (!cur) cur = engine.get_chunk(job);
      if (!cur) return {discard, sizeof discard};  // stopping: let the decoder finish into nowhere
      return {cur->data.get() + cur->size, kChunkSize - cur->size};
    }
    void wrote(size_t n) override {
      if (cur) cur->size += n;
    }
    void publish() {
      if (!cur) return;
      std::lock_guard lk(engine.m);
      if (cur->size == 0) {
        engine.free_chunks.push_back(cur);
        cur = nullptr;
        return;
      }
      cur->in_bytes = in_bytes;
      in_bytes = 0;
      if (holding) {
        held.push_back(cur);
        cur = nullptr;
        if (held.size() < engine.max_chunks / 2) return;
        holding = false;
      } else {
        held.push_back(cur);
        cur = nullptr;
      }
      for (Chunk* c : held) job->out.push_back(c);
      held.clear();
      engine.cv_read.notify_all();
    }
    // The end of the job: what it wrote goes out, or (a corrupt block) what was held back is dropped.
    void finish(bool keep) {
      if (!keep && holding) {
        std::lock_guard lk(engine.m);
        for (Chunk* c : held) engine.free_chunks.push_back(c);
        held.clear();
        if (cur) engine.free_chunks.push_back(cur);
        cur = nullptr;
        engine.cv_work.notify_all();
        return;
      }
      holding = false;
      publish();
      std::lock_guard lk(engine.m);
      for (Chunk* c : held) job->out.push_back(c);
      held.clear();
    }
    Engine& engine;
    Job* job;
    bool holding;
    Chunk* cur = nullptr;
    std::vector<Chunk*> held;
    uint64_t in_bytes = 0;
    uint8_t discard[1 << 16];
  };

  void work() {
    Bzip2Scratch scratch;
    std::vector<uint8_t> inbuf(kReadSize);
    for (;;) {
      Job* job;
      {
        std::unique_lock lk(m);
        cv_work.wait(lk, [&] { return stop || !queue.empty(); });
        if (stop) return;
        job = queue.front();
        queue.pop_front();
      }
      bool block = job->kind == Job::Kind::Block;
      auto sink = std::make_unique<JobSink>(*this, job, block);
      if (block) {
        sink->in_bytes = job->block.bits / 8;
        std::string why;
        if (!decode_bzip2_block(job->block, scratch, *sink, why))
          job->error = fmt::format("corrupt bzip2 block at byte {} ({}); skipped", job->block.offset, why);
        std::vector<uint8_t>().swap(job->block.bytes);
      } else {
        decode_stream(job, *sink, inbuf);
      }
      sink->finish(job->error.empty());
      {
        std::lock_guard lk(m);
        job->done = true;
      }
      cv_read.notify_all();
    }
  }

  void decode_stream(Job* job, JobSink& out, std::vector<uint8_t>& inbuf) {
    std::unique_ptr<StreamDecoder> dec = make_stream_decoder(job->codec);
    std::span<const uint8_t> in(reinterpret_cast<const uint8_t*>(job->prefix.data()), job->prefix.size());
    bool eof = false;
    uint64_t used = 0;
    std::string err;
    while (!stop) {
      if (in.empty() && !eof) {
        if (!job->regular) out.publish();  // a pipe: hand on what is decoded before waiting for more
        long n = read_some(job->fd, job->regular, inbuf.data(), inbuf.size(), stop);
        if (n == -2) return;
        if (n < 0) {
          job->error = fmt::format("cannot read: {}", std::strerror(errno));
          return;
        }
        eof = n == 0;
        in = {inbuf.data(), static_cast<size_t>(n)};
      }
      std::span<uint8_t> room = out.room();
      std::span<uint8_t> rest = room;
      StreamDecoder::Status s = dec->decode(in, rest, eof, err);
      out.wrote(room.size() - rest.size());
      out.in_bytes += dec->consumed() - used;
      used = dec->consumed();
      if (s == StreamDecoder::Status::End) return;
      if (s == StreamDecoder::Status::Error) {
        job->error = err + (eof && in.empty() ? "" : "; the rest of the input is skipped");
        return;
      }
    }
  }

  // --- The reader's side.

  InputFiles::Next next(std::string& error) {
    std::unique_lock lk(m);
    if (opened) {  // done with the current input
      Item& it = *items.front();
      jobs_in_flight -= it.jobs.size();
      if (it.owned && it.fd >= 0) ::close(it.fd);
      items.pop_front();
      opened = false;
      cv_plan.notify_all();
      cv_work.notify_all();  // the next input's jobs may take the reserve now
    }
    if (!started) start();
    cv_read.wait(lk, [&] { return stop || !items.empty() || planner_done; });
    if (items.empty()) return InputFiles::Next::End;
    Item& it = *items.front();
    opened = true;
    stash.clear();
    ended = false;
    counted_in = 0;
    if (!it.open_error.empty()) {
      error = it.open_error;
      return InputFiles::Next::Failed;
    }
    return InputFiles::Next::Opened;
  }

  long plain_read(Item& it, std::span<char> into, std::string& error) {
    for (;;) {
      ssize_t n = ::read(it.fd, into.data(), into.size());
      if (n >= 0) {
        pending_in += static_cast<uint64_t>(n);
        return static_cast<long>(n);
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {  // a non-blocking stdin: wait, then read again
        pollfd p{it.fd, POLLIN, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      error = fmt::format("cannot read '{}': {}", it.name, std::strerror(errno));
      return -1;
    }
  }

  // The first reads of stdin or a FIFO: plain bytes are returned as they are; compressed ones go to the
  // planner with everything read so far, and the input is decoded from then on.
  long sniff_read(Item& it, std::span<char> into, std::string& error) {
    size_t room = into.size() > 2 * kMagicMax ? into.size() - kMagicMax : into.size();
    long n = plain_read(it, into.first(room), error);
    pending_in -= static_cast<uint64_t>(std::max(n, 0L));  // counted below, once the kind is known
    if (n < 0) return -1;
    std::string head = stash + std::string(into.data(), static_cast<size_t>(n));
    bool more = false;
    Codec codec = sniff_codec(head, more);
    if (n > 0 && more) {
      stash = std::move(head);
      return kAgain;
    }
    std::lock_guard lk(m);
    if (codec == Codec::None) {
      std::memcpy(into.data(), head.data(), head.size());
      stash.clear();
      it.planned = true;
      sniffed = Sniff::Plain;
      cv_plan.notify_all();
      pending_in += head.size();
      return static_cast<long>(head.size());
    }
    it.decoded = true;
    it.codec = codec;
    it.prefix = std::move(head);
    stash.clear();
    sniffed = Sniff::Decoded;
    cv_plan.notify_all();
    return kAgain;
  }

  long read(std::span<char> into, std::string& error) {
    Item& it = *items.front();
    if (!it.decoded) {
      bool sniffing;
      {
        std::lock_guard lk(m);
        sniffing = it.by_reader && !it.planned;
      }
      long n = sniffing ? sniff_read(it, into, error) : plain_read(it, into, error);
      if (n == 0 || n == -1) ended = true;
      return n;
    }
    std::unique_lock lk(m);
    for (;;) {
      if (it.jobs.empty()) {
        if (it.planned) {
          ended = true;
          if (it.in_total > counted_in) pending_in += it.in_total - counted_in;
          counted_in = it.in_total;
          return 0;
        }
        if (cv_read.wait_for(lk, kWait) == std::cv_status::timeout) return kAgain;
        continue;
      }
      Job* job = it.jobs.front().get();
      if (!job->out.empty()) {
        Chunk* c = job->out.front();
        pending_in += c->in_bytes;
        counted_in += c->in_bytes;
        c->in_bytes = 0;
        size_t n = std::min(into.size(), c->size - c->pos);
        std::memcpy(into.data(), c->data.get() + c->pos, n);
        c->pos += n;
        if (c->pos == c->size) {
          job->out.pop_front();
          free_chunks.push_back(c);
          cv_work.notify_all();
        }
        return static_cast<long>(n);
      }
      if (job->done) {
        std::string err = std::move(job->error);
        it.jobs.pop_front();
        --jobs_in_flight;
        cv_plan.notify_all();
        cv_work.notify_all();
        if (!err.empty()) {
          error = it.name + ": " + err;
          return -1;
        }
        continue;
      }
      if (cv_read.wait_for(lk, kWait) == std::cv_status::timeout) return kAgain;
    }
  }

  std::vector<std::string> paths;
  unsigned threads;
  bool stdin_closed = false;
  size_t max_chunks, max_jobs;

  std::mutex m;
  std::condition_variable cv_work;  // workers: a job queued, a chunk freed, the front job changed, stop
  std::condition_variable cv_plan;  // the planner: room ahead, a sniff decided, stop
  std::condition_variable cv_read;  // the reader: an input planned, a chunk published, a job done
  std::deque<std::unique_ptr<Item>> items;  // from the reader's current input on
  std::deque<Job*> queue;                   // jobs no worker has taken, in input order
  std::vector<std::unique_ptr<Chunk>> all_chunks;
  std::vector<Chunk*> free_chunks;
  size_t jobs_in_flight = 0;
  bool planner_done = false;
  enum class Sniff { None, Waiting, Plain, Decoded } sniffed = Sniff::None;
  std::atomic<bool> stop{false};
  bool started = false;
  std::thread planner;
  std::vector<std::thread> workers;

  // The reader's own state.
  bool opened = false;  // items.front() is the current input
  std::string stash;    // the first bytes of a by_reader input, too few to tell its kind
  bool ended = false;
  uint64_t pending_in = 0;  // input bytes not yet taken by take_input_bytes()
  uint64_t counted_in = 0;  // compressed bytes of the current input counted so far
};

InputFiles::InputFiles(std::vector<std::string> paths, unsigned threads, bool stdin_closed)
    : engine_(std::make_unique<Engine>(std::move(paths), threads)) {
  engine_->stdin_closed = stdin_closed;
}

InputFiles::~InputFiles() = default;

InputFiles::Next InputFiles::next(std::string& error) {
  return engine_->next(error);
}

const std::string& InputFiles::name() const {
  return engine_->items.front()->name;
}

int InputFiles::fd() const {
  return engine_->items.front()->fd;
}

bool InputFiles::pollable() const {
  const Item& it = *engine_->items.front();
  return it.by_reader && !it.regular && !it.decoded;
}

long InputFiles::read(std::span<char> into, std::string& error) {
  return engine_->read(into, error);
}

bool InputFiles::ended() const {
  return engine_->ended;
}

uint64_t InputFiles::take_input_bytes() {
  uint64_t n = engine_->pending_in;
  engine_->pending_in = 0;
  return n;
}

bool regular_inputs_size(const std::vector<std::string>& paths, uint64_t& total) {
  total = 0;
  Walker walker(paths);
  std::string path, err;
  while (walker.next(path, err)) {
    struct stat st;
    if (!err.empty() || (path == "-" ? fstat(STDIN_FILENO, &st) : stat(path.c_str(), &st)) != 0 ||
        !S_ISREG(st.st_mode)) {
      total = 0;
      return false;
    }
    total += static_cast<uint64_t>(st.st_size);
  }
  return true;
}

}  // namespace trendtop
