# `cmake --install` puts the binary and the man pages in place.
. "$(dirname "$0")/common.sh"
[ -n "${BUILD_DIR:-}" ] || skip "BUILD_DIR not set"
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
[ -x "$WORK/prefix/bin/trendtop" ] || fail "no bin/trendtop"
# The man pages, in their sections.
for f in man1/trendtop.1 man1/trendtop-merge.1 man5/trendtop-formats.5; do
  [ -f "$WORK/prefix/share/man/$f" ] || fail "no man page $f"
  cmp -s "$SRC/man/$(basename "$f")" "$WORK/prefix/share/man/$f" || fail "$f differs from man/"
done
"$WORK/prefix/bin/trendtop" --version >/dev/null
# Shell completions, where bash-completion, zsh and fish look for them.
for f in share/bash-completion/completions/trendtop share/zsh/site-functions/_trendtop \
  share/fish/vendor_completions.d/trendtop.fish; do
  [ -f "$WORK/prefix/$f" ] || fail "no $f"
done
