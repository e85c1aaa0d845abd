// State files: the loader (load_state_file, through a memfd's /proc path) and, over its payload or over the
// input itself, Pipeline::load with a few configurations (the default one, a sliding window with lateness,
// --rank trend). A state that loads must also go on: one more record and the end of input, as a resumed
// run does. And it must round-trip: saved and loaded into a fresh pipeline (through a real state file), it
// prints the same windows at the end.
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "input/framer.h"
#include "output/output.h"
#include "pipeline.h"
#include "state.h"

using namespace trendtop;

namespace {

int memfd(const char* name) {
  int fd = memfd_create(name, 0);
  FUZZ_CHECK(fd >= 0);
  return fd;
}

void reset(int fd) {
  FUZZ_CHECK(ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0);
}

std::string contents(int fd) {
  std::string s(static_cast<size_t>(lseek(fd, 0, SEEK_END)), '\0');
  FUZZ_CHECK(pread(fd, s.data(), s.size(), 0) == static_cast<ssize_t>(s.size()));
  return s;
}

std::vector<Config> configs() {
  Config sliding, trend;
  sliding.window_ms = 60'000;
  sliding.slide_ms = 10'000;
  sliding.lateness_ms = 5'000;
  trend.rank = RankMode::Trend;
  std::vector<Config> out = {Config{}, sliding, trend};
  // A state may hold times years apart, and every empty window in between is printed (by design): stop
  // after as many windows as --intervals would, so that a run is quick. Not part of the saved settings.
  for (Config& c : out) c.intervals = 1000;
  return out;
}

// A record after the load, as a resumed run reads one; with the framer's padding after it.
const std::string kRecord =
    R"({"created_at":"Fri Jan 01 07:29:00 +0000 2021","user":{"id_str":"1"},"text":"#a #b",)"
    R"("entities":{"hashtags":[{"text":"a"},{"text":"b"}]}})" +
    std::string(Framer::kPadding, ' ');

// Loads `payload` into a fresh pipeline, then runs it to the end; its output goes to `out_fd`.
bool resume(const Config& config, std::string_view payload, int out_fd, std::string* saved) {
  reset(out_fd);
  Output output(out_fd);
  Pipeline p(config, output, 0);
  StateReader in(payload);
  std::string error;
  if (!p.load(in, error)) {
    FUZZ_CHECK(!error.empty());
    return false;
  }
  if (saved) {
    StateWriter w;
    p.save(w);
    *saved = w.payload();
  }
  p.line({Line::Kind::Text, std::string_view(kRecord).substr(0, kRecord.size() - Framer::kPadding)},
         1'609'486'140'000);
  p.finish(1'609'486'200'000);
  p.flush();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<Config> kConfigs = configs();
  static const int in_fd = memfd("state"), out1 = memfd("out1"), out2 = memfd("out2");
  static const std::string in_path = "/proc/self/fd/" + std::to_string(in_fd);
  static const std::string save_path = "/dev/shm/trendtop-fuzz-state-" + std::to_string(getpid());
  std::string_view input(reinterpret_cast<const char*>(data), size);

  reset(in_fd);
  FUZZ_CHECK(pwrite(in_fd, data, size, 0) == static_cast<ssize_t>(size));
  std::string payload, error;
  LoadResult loaded = load_state_file(in_path, payload, error);
  FUZZ_CHECK(loaded != LoadResult::Missing);
  FUZZ_CHECK((loaded == LoadResult::Loaded) == error.empty());
  // A file that does not load is tried as a bare payload, so both kinds of seed reach Pipeline::load.
  std::string_view body = loaded == LoadResult::Loaded ? std::string_view(payload) : input;

  for (const Config& config : kConfigs) {
    std::string saved;
    if (!resume(config, body, out1, &saved)) continue;
    // Through a real file and into a fresh pipeline: the same windows.
    FUZZ_CHECK(save_state_file(save_path, saved, error));
    std::string reread;
    FUZZ_CHECK(load_state_file(save_path, reread, error) == LoadResult::Loaded);
    unlink(save_path.c_str());
    FUZZ_CHECK(reread == saved);
    FUZZ_CHECK(resume(config, reread, out2, nullptr));
    FUZZ_CHECK(contents(out1) == contents(out2));
    break;  // the settings in a state match one configuration at most
  }
  return 0;
}
