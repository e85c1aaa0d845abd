// InputFiles' engine (archive_pool.h): the planner, which walks and opens the inputs and queues their jobs,
// and the workers, which decode the jobs into chunks from the pool; also regular_inputs_size, which walks
// the inputs as the planner does.
#include "input/archive_pool.h"

#include "input/archive_walk.h"

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
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace trendtop {

namespace {

using archive_detail::lookahead_limit, archive_detail::out_of_descriptors, archive_detail::Walker;

// Reads `n` bytes at `offset` (fewer at the end of the file); -1 on an error.
long pread_full(int fd, uint8_t* buf, size_t n, uint64_t offset) {
  size_t got = 0;
  while (got < n) {
    ssize_t k = ::pread(fd, buf + got, n - got, static_cast<off_t>(offset + got));
    if (k > 0) {
      got += static_cast<size_t>(k);
    } else if (k == 0) {
      break;
    } else if (errno != EINTR) {
      return -1;
    }
  }
  return static_cast<long>(got);
}

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

using namespace archive_detail;

InputFiles::Engine::Engine(std::vector<std::string> p, unsigned t)
    : paths(std::move(p)),
      threads(std::max(1u, t)),
      max_chunks(kChunksPerThread * threads + kChunksExtra + kReserve),
      max_jobs(kJobsPerThread * threads + 4) {}

InputFiles::Engine::~Engine() {
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

void InputFiles::Engine::start() {
  started = true;
  max_items = lookahead_limit();
  planner = std::thread([this] { plan(); });
  for (unsigned i = 0; i < threads; ++i) workers.emplace_back([this] { work(); });
}

// --- The planner: opens the inputs in order, a bounded way ahead, and queues their jobs.

void InputFiles::Engine::plan() {
  Walker walker(paths);
  std::string path, err;
  for (;;) {
    uint64_t seen = released();  // before the walk's opendir (and the open below): what was given back since
    if (stop || !walker.next(path, err)) break;
    // Room first, then the descriptor: the planner never holds more than max_items inputs open.
    {
      std::unique_lock lk(m);
      cv_plan.wait(lk, [&] { return stop || items.size() < max_items; });
      if (stop) return;
    }
    // Out of descriptors because of the inputs opened ahead: wait for the reader to give one back, and
    // try again. Only with none of ours open is it the input's own error.
    if (!err.empty() && out_of_descriptors(walker.error_number())) {
      bool listed = false;
      while (!listed && out_of_descriptors(walker.error_number()) && wait_for_descriptor(seen)) {
        seen = released();
        listed = walker.retry(path, err);
      }
      if (stop) return;
      if (listed) continue;  // its entries come next
    }
    auto owned = std::make_unique<Item>();
    Item* item = owned.get();
    item->name = path;
    if (!err.empty()) {
      item->open_error = err;
    } else {
      seen = released();
      open(*item);
      while (out_of_descriptors(item->open_errno) && wait_for_descriptor(seen)) {
        seen = released();
        item->name = path;
        item->open_error.clear();
        item->open_errno = 0;
        open(*item);
      }
      if (stop) {
        if (item->owned && item->fd >= 0) ::close(item->fd);
        return;
      }
    }
    if (!item->open_error.empty() || (!item->by_reader && !item->decoded)) item->planned = true;
    // Read before the item is queued: once it is, the reader may be done with a planned item (and free it).
    const bool by_reader = item->by_reader, decoded = item->decoded;
    {
      std::unique_lock lk(m);
      if (stop) {
        if (item->owned && item->fd >= 0) ::close(item->fd);
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
    } else if (!item->by_reader) {
      if (!split_pieces(*item)) return;
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

void InputFiles::Engine::open(Item& item) {
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
      item.open_errno = errno;
      item.open_error = fmt::format("cannot open '{}': {}", item.name, std::strerror(item.open_errno));
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

uint64_t InputFiles::Engine::released() {
  std::lock_guard lk(m);
  return releases;
}

bool InputFiles::Engine::wait_for_descriptor(uint64_t seen) {
  std::unique_lock lk(m);
  if (stop || (releases == seen && items.empty())) return false;
  cv_plan.wait(lk, [&] { return stop || releases != seen; });
  return !stop;
}

// Queues a job (an Error job is done already), waiting while the planner is too far ahead.
bool InputFiles::Engine::push_job(Item& item, std::unique_ptr<Job> job) {
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

void InputFiles::Engine::split_bzip2(Item& item) {
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

// A regular zstd, gzip or xz file: its pieces (pieces.h) as jobs when it has two or more, then what does not
// split as one stream; else the whole file as one stream, as before. False when stopping.
bool InputFiles::Engine::split_pieces(Item& item) {
  const int fd = item.fd;
  ReadAt read = [fd](uint64_t offset, uint8_t* into, size_t n) {
    return static_cast<size_t>(std::max(0L, pread_full(fd, into, n, offset)));
  };
  auto stream = [&](uint64_t begin) {
    auto job = std::make_unique<Job>();
    job->kind = Job::Kind::Stream;
    job->codec = item.codec;
    job->fd = fd;
    job->positional = true;
    job->begin = begin;
    return push_job(item, std::move(job));
  };
  // Pieces go in jobs of up to kGroupBytes (or kGroupPieces): flush() queues the one being filled.
  std::vector<Piece> group;
  uint64_t group_bytes = 0;
  auto flush = [&] {
    if (group.empty()) return true;
    auto job = std::make_unique<Job>();
    job->kind = Job::Kind::Piece;
    job->codec = item.codec;
    job->fd = fd;
    job->pieces = std::move(group);
    group.clear();
    group_bytes = 0;
    return push_job(item, std::move(job));
  };
  auto piece = [&](const Piece& p) {
    group.push_back(p);
    group_bytes += p.end - p.begin;
    return (group_bytes < kGroupBytes && group.size() < kGroupPieces) || flush();
  };
  if (item.codec == Codec::Xz) {
    XzBlocks blocks;
    std::string why;  // the stream decoder reports it, where it is
    if (!blocks.load(read, item.in_total, why) || blocks.count() < 2) return stream(0);
    for (Piece p; blocks.next(p);)
      if (!piece(p)) return false;
    return flush();
  }
  // The first piece waits for a second: a file of one piece is one stream (as zstd -T writes it).
  PieceWalker walker(item.codec, read, item.in_total);
  Piece first, p;
  for (uint64_t found = 0;;) {
    PieceWalker::Found f = walker.next(p);
    if (f == PieceWalker::Found::Piece) {
      if (++found == 1) {
        first = p;
      } else if ((found == 2 && !piece(first)) || !piece(p)) {
        return false;
      }
      continue;
    }
    if (found < 2) return stream(0);
    return flush() && (f == PieceWalker::Found::End || stream(p.begin));
  }
}

// --- The workers: decode jobs in queue order into chunks from the pool.

// A chunk for `job`'s output. The job the reader is at (or will be next) may take any chunk; others leave
// kReserve for it, so the input being read never waits on work queued behind it. nullptr when stopping.
Chunk* InputFiles::Engine::get_chunk(Job* job) {
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

std::span<uint8_t> InputFiles::Engine::JobSink::room() {
  if (cur && cur->size == kChunkSize) publish();
  if (!cur) cur = engine.get_chunk(job);
  if (!cur) return {discard, sizeof discard};  // stopping: let the decoder finish into nowhere
  return {cur->data.get() + cur->size, kChunkSize - cur->size};
}

void InputFiles::Engine::JobSink::wrote(size_t n) {
  if (cur) cur->size += n;
}

void InputFiles::Engine::JobSink::publish() {
  if (!cur) return;
  std::lock_guard lk(engine.m);
  if (cur->size == 0) {
    engine.free_chunks.push_back(cur);
    cur = nullptr;
    return;
  }
  cur->in_bytes += in_bytes;  // (a chunk taken back by rollback() may have some)
  in_bytes = 0;
  if (holding) {
    held.push_back(cur);
    cur = nullptr;
    if (held.size() <= kHoldChunks) return;
    holding = false;
  } else {
    held.push_back(cur);
    cur = nullptr;
  }
  for (Chunk* c : held) job->out.push_back(c);
  held.clear();
  engine.cv_read.notify_all();
}

bool InputFiles::Engine::JobSink::rollback(const Mark& m) {
  if (!holding) return false;
  std::lock_guard lk(engine.m);
  // The chunk written at the mark is the current one still, or the first held since.
  Chunk* keep = !m.cur ? nullptr : held.size() > m.held ? held[m.held] : cur;
  for (size_t i = m.held; i < held.size(); ++i)
    if (held[i] != keep) engine.free_chunks.push_back(held[i]);
  if (cur && cur != keep) engine.free_chunks.push_back(cur);
  held.resize(m.held);
  cur = keep;
  if (cur) cur->size = m.size;
  engine.cv_work.notify_all();
  return true;
}

// The end of the job: what it wrote goes out, or (a corrupt block) what was held back is dropped.
void InputFiles::Engine::JobSink::finish(bool keep) {
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

void InputFiles::Engine::work() {
  Bzip2Scratch scratch;
  PieceDecoder pieces;
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
    auto sink = std::make_unique<JobSink>(*this, job, block || job->kind == Job::Kind::Piece);
    if (job->kind == Job::Kind::Piece) {
      decode_pieces(job, *sink, pieces, inbuf);
    } else if (block) {
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

void InputFiles::Engine::decode_stream(Job* job, JobSink& out, std::vector<uint8_t>& inbuf) {
  std::unique_ptr<StreamDecoder> dec = make_stream_decoder(job->codec, job->begin);
  std::span<const uint8_t> in(reinterpret_cast<const uint8_t*>(job->prefix.data()), job->prefix.size());
  bool eof = false;
  uint64_t used = 0, at = job->begin;
  std::string err;
  while (!stop) {
    if (in.empty() && !eof) {
      if (!job->regular) out.publish();  // a pipe: hand on what is decoded before waiting for more
      long n = job->positional ? pread_full(job->fd, inbuf.data(), inbuf.size(), at)
                               : read_some(job->fd, job->regular, inbuf.data(), inbuf.size(), stop);
      if (n == -2) return;
      if (n > 0) at += static_cast<uint64_t>(n);
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

// A job's pieces, one after the other, each read with pread and decoded alone. The job's output is held
// back until the end (as a bzip2 block's), and a corrupt piece's is taken back, so a corrupt piece is dropped
// whole and the next one starts at its known place.
void InputFiles::Engine::decode_pieces(Job* job, JobSink& out, PieceDecoder& dec,
                                       std::vector<uint8_t>& inbuf) {
  for (const Piece& p : job->pieces) {
    JobSink::Mark mark = out.mark();
    std::string why;
    if (!decode_piece(job, p, out, dec, inbuf, why)) {
      if (stop) return;
      out.rollback(mark);
      job->skipped.push_back(fmt::format("corrupt {} {} at byte {} ({}); skipped", codec_name(job->codec),
                                         piece_noun(job->codec), p.begin, why));
    }
    out.in_bytes += p.end - p.begin;
  }
}

bool InputFiles::Engine::decode_piece(const Job* job, const Piece& p, JobSink& out, PieceDecoder& dec,
                                      std::vector<uint8_t>& inbuf, std::string& why) {
  dec.start(job->codec, p);
  std::span<const uint8_t> in;
  uint64_t at = p.begin;
  while (!stop) {
    if (in.empty() && at < p.end) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(inbuf.size(), p.end - at));
      long n = pread_full(job->fd, inbuf.data(), want, at);
      if (n < 0 || static_cast<size_t>(n) < want) {
        why = fmt::format("cannot read byte {}: {}", at, n < 0 ? std::strerror(errno) : "the file shrank");
        return false;
      }
      at += want;
      in = {inbuf.data(), want};
    }
    std::span<uint8_t> room = out.room();
    std::span<uint8_t> rest = room;
    StreamDecoder::Status s = dec.decode(in, rest, at == p.end, why);
    out.wrote(room.size() - rest.size());
    if (s != StreamDecoder::Status::More) return s == StreamDecoder::Status::End;
  }
  return false;
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
