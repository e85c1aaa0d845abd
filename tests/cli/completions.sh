# The bash, zsh and fish completions load without errors, know every option --help lists, and complete
# option values (bash driven through its completion function). Installed by cmake --install.
. "$(dirname "$0")/common.sh"
dir=$SRC/scripts/completions
opts=$("$TRENDTOP" --help | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z0-9-]*' | grep -oE -- '--?[a-zA-Z][a-z0-9-]*' | sort -u)
[ -n "$opts" ] || fail "no options in --help"
for opt in $opts; do
  grep -qE -- "(^|[^a-z-])${opt}([^a-z-]|$)" "$dir/trendtop.bash" || fail "bash completion lacks $opt"
  long=${opt#--}
  if [ "$long" != "$opt" ]; then
    grep -qE -- "--${long}[=[ ]" "$dir/_trendtop" || grep -qE -- "[,{]--${long}[=}]" "$dir/_trendtop" ||
      fail "zsh completion lacks $opt"
    grep -qE -- "-l ${long}( |$)" "$dir/trendtop.fish" || fail "fish completion lacks $opt"
  fi
done

# bash: loads clean, registers, and completes.
out=$(bash --norc --noprofile -c "
  set -e
  source '$dir/trendtop.bash' 2>&1
  complete -p trendtop
  COMP_WORDS=(trendtop --out); COMP_CWORD=1; _trendtop; echo \"opts: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop --output j); COMP_CWORD=2; _trendtop; echo \"output: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop --view ''); COMP_CWORD=2; _trendtop; echo \"view: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop --keys hashtags,me); COMP_CWORD=2; _trendtop; echo \"keys: \${COMPREPLY[*]}\"
" 2>&1) || fail "bash completion: $out"
grep -q '^complete -F _trendtop trendtop$' <<<"$out" || fail "bash: not registered: $out"
grep -qx 'opts: --output' <<<"$out" || fail "bash: --out: $out"
grep -qx 'output: json' <<<"$out" || fail "bash: --output j: $out"
grep -qx 'view: live scroll' <<<"$out" || fail "bash: --view: $out"
grep -qx 'keys: hashtags,mentions' <<<"$out" || fail "bash: --keys: $out"

# trendtop merge (issue 17): the subcommand is offered first; after it only merge's own options, and its
# outputs without partial. Every option merge --help lists is known to every shell's file.
mopts=$("$TRENDTOP" merge --help | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z0-9-]*' | grep -oE -- '--?[a-zA-Z][a-z0-9-]*' | sort -u)
for opt in $mopts; do
  if [ "${opt#--}" != "$opt" ]; then fish="-l ${opt#--}"; else fish="-s ${opt#-}"; fi
  grep -q -- "$opt" "$dir/trendtop.bash" && grep -q -- "$opt" "$dir/_trendtop" &&
    grep -qE -- "in_merge .*$fish( |$)" "$dir/trendtop.fish" || fail "a completion lacks merge's $opt"
done
grep -q 'merge' "$dir/_trendtop" && grep -q 'merge' "$dir/trendtop.fish" || fail "zsh or fish: no merge"
out=$(cd "$WORK" && bash --norc --noprofile -c "
  set -e
  source '$dir/trendtop.bash' 2>&1
  COMP_WORDS=(trendtop me); COMP_CWORD=1; _trendtop; echo \"first: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop merge --); COMP_CWORD=2; _trendtop; echo \"merge opts: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop merge -o ''); COMP_CWORD=3; _trendtop; echo \"merge output: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop merge -k 3 --rank t); COMP_CWORD=5; _trendtop; echo \"merge rank: \${COMPREPLY[*]}\"
  COMP_WORDS=(trendtop --retry f); COMP_CWORD=2; _trendtop; echo \"retry: \${COMPREPLY[*]}\"
" 2>&1) || fail "bash completion: $out"
grep -qx 'first: merge' <<<"$out" || fail "bash: trendtop me<TAB>: $out"
grep -qx 'merge opts: --help --top --min-count --rank --baseline --output --intervals --stats' <<<"$out" ||
  fail "bash: trendtop merge --<TAB>: $out"
grep -qx 'merge output: text tsv csv json' <<<"$out" || fail "bash: trendtop merge -o <TAB>: $out"
grep -qx 'merge rank: trend' <<<"$out" || fail "bash: merge --rank t<TAB>: $out"
grep -qx 'retry: forever' <<<"$out" || fail "bash: --retry f<TAB>: $out"

# zsh and fish, when installed: the files parse.
if command -v zsh >/dev/null; then
  out=$(zsh -f -c "autoload -Uz compinit && compinit -u -d '$WORK/zcompdump' && fpath=('$dir' \$fpath) &&
    autoload -Uz _trendtop && zsh -n '$dir/_trendtop' && echo ok" 2>&1) || fail "zsh: $out"
  [ "$(tail -1 <<<"$out")" = ok ] || fail "zsh: $out"
fi
if command -v fish >/dev/null; then
  out=$(fish --no-config -c "source '$dir/trendtop.fish'; complete -C 'trendtop --vi'" 2>&1) || fail "fish: $out"
  grep -q -- '--view' <<<"$out" || fail "fish: $out"
  out=$(fish --no-config -c "source '$dir/trendtop.fish'; complete -C 'trendtop merge --'" 2>&1) || fail "fish: $out"
  grep -q -- '--top' <<<"$out" && ! grep -q -- '--window' <<<"$out" || fail "fish: trendtop merge --<TAB>: $out"
  out=$(fish --no-config -c "source '$dir/trendtop.fish'; complete -C 'trendtop merge -o '" 2>&1) || fail "fish: $out"
  ! grep -q partial <<<"$out" || fail "fish: trendtop merge -o <TAB> offers partial: $out"
fi
