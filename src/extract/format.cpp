#include "extract/format.h"

namespace trendtop {

std::span<const Format* const> formats() {
  // The order decides between formats whose markers a record could share: x-v2's "data" first; a
  // Jetstream event; Mastodon (an account) before v1.1 (a user); a flattened v2 tweet has created_at like a
  // v1.1 status but no user object, so it comes last.
  static const Format* const kAll[] = {&kXV2Message, &kBluesky, &kMastodon, &kTwitterV1, &kXV2Flat};
  return kAll;
}

}  // namespace trendtop
