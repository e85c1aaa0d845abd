#include "input/archive.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include "input/archive_pool.h"

namespace trendtop {

using namespace archive_detail;

// --- The reader's side.

InputFiles::Next InputFiles::Engine::next(std::string& error) {
  std::unique_lock lk(m);
  if (opened) {  // done with the current input
    Item& it = *items.front();
    jobs_in_flight -= it.jobs.size();
    if (it.owned && it.fd >= 0) ::close(it.fd);
    items.pop_front();
    ++releases;
    current = nullptr;
    opened = false;
    cv_plan.notify_all();
    cv_work.notify_all();  // the next input's jobs may take the reserve now
  }
  if (!started) start();
  cv_read.wait(lk, [&] { return stop || !items.empty() || planner_done; });
  if (items.empty()) return InputFiles::Next::End;
  Item& it = *items.front();
  current = &it;
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

long InputFiles::Engine::plain_read(Item& it, std::span<char> into, std::string& error) {
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
long InputFiles::Engine::sniff_read(Item& it, std::span<char> into, std::string& error) {
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

long InputFiles::Engine::read(std::span<char> into, std::string& error) {
  Item& it = *current;
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
      if (!job->skipped.empty()) {  // corrupt pieces, one error each
        error = it.name + ": " + job->skipped.front();
        job->skipped.erase(job->skipped.begin());
        return -1;
      }
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

InputFiles::InputFiles(std::vector<std::string> paths, unsigned threads, bool stdin_closed)
    : engine_(std::make_unique<Engine>(std::move(paths), threads)) {
  engine_->stdin_closed = stdin_closed;
}

InputFiles::~InputFiles() = default;

InputFiles::Next InputFiles::next(std::string& error) {
  return engine_->next(error);
}

const std::string& InputFiles::name() const {
  return engine_->current->name;
}

int InputFiles::fd() const {
  return engine_->current->fd;
}

bool InputFiles::pollable() const {
  const Item& it = *engine_->current;
  return it.by_reader && !it.regular && !it.decoded;
}

bool InputFiles::plain_file() const {
  const Item& it = *engine_->current;
  return it.regular && !it.by_reader && !it.decoded;
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
}  // namespace trendtop
