# The man page is valid roff (groff lints it clean) and documents every option --help lists.
. "$(dirname "$0")/common.sh"
command -v groff >/dev/null || skip "groff not installed"
page=$SRC/man/trendtop.1
warnings=$(groff -man -ww -z "$page" 2>&1 || true)
[ -z "$warnings" ] || fail "groff warnings: $warnings"
text=$(groff -man -Tascii -rHY=0 -rLL=250n "$page" 2>/dev/null | col -bx)
for opt in $("$TRENDTOP" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
  grep -qF -- "$opt" <<<"$text" || fail "man page does not document $opt"
done
# The README too.
for opt in $("$TRENDTOP" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
  grep -qF -- "$opt" "$SRC/README.md" || fail "README does not mention $opt"
done
