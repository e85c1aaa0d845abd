// The Kafka source in a build without librdkafka (TRENDTOP_KAFKA off): --kafka is refused.
#include "input/kafka.h"

namespace trendtop {

struct KafkaSource::Impl {};

bool KafkaSource::available() {
  return false;
}
std::string KafkaSource::version() {
  return "";
}
bool KafkaSource::check(const Config&, std::string& error) {
  error = "--kafka: this trendtop was built without Kafka support (librdkafka; CMake option TRENDTOP_KAFKA)";
  return false;
}
KafkaSource::KafkaSource(const Config&, LineSink&) {}
KafkaSource::~KafkaSource() = default;
bool KafkaSource::open(std::string& error) {
  return check({}, error);
}
int KafkaSource::fd() const {
  return -1;
}
bool KafkaSource::poll(SourceStats&) {
  return false;
}
bool KafkaSource::ended() const {
  return true;
}
bool KafkaSource::failed() const {
  return false;
}
void KafkaSource::checkpointed() {}
void KafkaSource::settle(SourceStats&) {}
bool KafkaSource::close(bool) {
  return true;
}

}  // namespace trendtop
