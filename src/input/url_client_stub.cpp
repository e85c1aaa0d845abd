// The URL transport in a build without Boost.Beast and OpenSSL (TRENDTOP_URL off): --connect URLs are
// refused with a message that says why.
#include "input/url_client.h"

namespace trendtop {

struct UrlClient::Impl {};

bool UrlClient::available() {
  return false;
}
std::string UrlClient::version() {
  return "";
}
bool UrlClient::check(const std::string&, std::string& error) {
  error =
      "--connect URL: this trendtop was built without WebSocket and HTTP support (Boost.Beast and OpenSSL; "
      "CMake option TRENDTOP_URL)";
  return false;
}
UrlClient::UrlClient(std::string, size_t) {}
UrlClient::~UrlClient() = default;
bool UrlClient::open(std::string& error) {
  return check({}, error);
}
int UrlClient::fd() const {
  return -1;
}
void UrlClient::connect(uint32_t, UrlRequest) {}
void UrlClient::take(Batch& out) {
  out.events.clear();
  out.bytes.clear();
}

}  // namespace trendtop
