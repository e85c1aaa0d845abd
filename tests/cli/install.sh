# `cmake --install` puts the binary and the man page in place.
. "$(dirname "$0")/common.sh"
[ -n "${BUILD_DIR:-}" ] || skip "BUILD_DIR not set"
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
[ -x "$WORK/prefix/bin/trendtop" ] || fail "no bin/trendtop"
[ -f "$WORK/prefix/share/man/man1/trendtop.1" ] || fail "no man page"
"$WORK/prefix/bin/trendtop" --version >/dev/null
