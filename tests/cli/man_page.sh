# The man pages are valid roff (groff lints each clean) and document every option: each option --help
# lists is in trendtop(1), each option `merge --help` lists is in trendtop-merge(1). The pages refer to
# each other, and the README links all of them.
. "$(dirname "$0")/common.sh"
command -v groff >/dev/null || skip "groff not installed"
pages=("$SRC"/man/*.[1-9])
[ "${#pages[@]}" -ge 3 ] || fail "expected trendtop.1, trendtop-merge.1 and trendtop-formats.5, got: ${pages[*]}"
for page in "${pages[@]}"; do
  warnings=$(groff -man -ww -z "$page" 2>&1 || true)
  [ -z "$warnings" ] || fail "groff warnings in $page: $warnings"
done

# render PAGE: the page as plain text, lines long enough that no option is hyphenated across two.
render() { groff -man -Tascii -rHY=0 -rLL=250n "$1" 2>/dev/null | col -bx; }
# options HELP_FILE: every option the help text lists, long (--window) and short (-w).
options() {
  grep -oE -- '--[a-z][a-z0-9-]+' "$1" | sort -u
  grep -oE -- '^ +-[A-Za-z],' "$1" | tr -d ' ,' | sort -u
  grep -oE -- '^ +-[A-Za-z] ' "$1" | tr -d ' ' | sort -u
}
# documents TEXT OPTION: OPTION appears as a word of its own (-w is not the start of --window).
documents() { grep -qE -- "(^|[^-[:alnum:]])$2([^-[:alnum:]]|\$)" <<<"$1"; }

"$TRENDTOP" --help >"$WORK/help"
text=$(render "$SRC/man/trendtop.1")
n=0
for opt in $(options "$WORK/help"); do
  documents "$text" "$opt" || fail "trendtop.1 does not document $opt"
  n=$((n + 1))
done
[ "$n" -ge 50 ] || fail "only $n options found in --help"

"$TRENDTOP" merge --help >"$WORK/merge-help"
text=$(render "$SRC/man/trendtop-merge.1")
n=0
for opt in $(options "$WORK/merge-help"); do
  documents "$text" "$opt" || fail "trendtop-merge.1 does not document merge's $opt"
  n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n options found in merge --help"

# Cross references: each page names the others in SEE ALSO; the README links every page.
for page in trendtop.1 trendtop-merge.1 trendtop-formats.5; do
  see_also=$(render "$SRC/man/$page" | sed -n '/^SEE ALSO/,$p')
  for other in "trendtop(1)" "trendtop-merge(1)" "trendtop-formats(5)"; do
    [ "${other%%(*}" = "${page%.*}" ] && continue
    grep -qF -- "$other" <<<"$see_also" || fail "$page: SEE ALSO lacks $other"
  done
  grep -qF -- "(man/$page)" "$SRC/README.md" || fail "README does not link man/$page"
done
# The README is an entry point, not a second reference.
size=$(wc -c <"$SRC/README.md")
[ "$size" -le 25600 ] || fail "README.md is $size bytes; keep it an entry point (<= 25 KiB) and link the man pages"
