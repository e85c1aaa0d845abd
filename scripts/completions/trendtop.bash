# bash completion for trendtop (installed as share/bash-completion/completions/trendtop).

# trendtop merge [OPTIONS] [FILE...]: its own few options; it prints windows, so no partial output.
_trendtop_merge() {
  case $prev in
    --rank) COMPREPLY=($(compgen -W "count trend" -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "text tsv csv json" -- "$cur")); return ;;
    -k|--top|--min-count|--baseline|-n|--intervals) return ;;  # a value of the user's own
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "-h --help -k --top --min-count --rank --baseline -o --output -n --intervals --stats" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
  compopt -o filenames 2>/dev/null || true
}

_trendtop() {
  local cur prev
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  if [ "${COMP_WORDS[1]}" = merge ] && [ "$COMP_CWORD" -gt 1 ]; then
    _trendtop_merge
    return
  fi
  case $prev in
    --time) COMPREPLY=($(compgen -W "auto event arrival" -- "$cur")); return ;;
    --rank) COMPREPLY=($(compgen -W "count trend" -- "$cur")); return ;;
    --keys)
      # A comma-separated list: complete the last item.
      local head=${cur%,*} item=${cur##*,}
      [ "$head" = "$cur" ] && head="" || head="$head,"
      COMPREPLY=($(compgen -P "$head" -W "hashtags mentions cashtags urls words" -- "$item"))
      compopt -o nospace 2>/dev/null || true
      return ;;
    --extract) COMPREPLY=($(compgen -W "auto entities text split" -- "$cur")); return ;;
    --count) COMPREPLY=($(compgen -W "records occurrences users" -- "$cur")); return ;;
    --case) COMPREPLY=($(compgen -W "fold keep" -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "text tsv csv json partial" -- "$cur")); return ;;
    --schema) COMPREPLY=($(compgen -W "auto twitter x-v2 bluesky mastodon json text" -- "$cur")); return ;;
    --emit) COMPREPLY=($(compgen -W "final every=" -- "$cur")); compopt -o nospace 2>/dev/null || true; return ;;
    --view) COMPREPLY=($(compgen -W "live scroll" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --retry) COMPREPLY=($(compgen -W "forever 0 1 3 10" -- "$cur")); return ;;
    --exclude-file|--stopwords|--state|--chart|--cacert)
      COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null || true; return ;;
    -w|--window|-s|--slide|--lateness|--max-skew|--max-source-lag|--max-keys|--allow|--client-timeout|--baseline|--idle-timeout|--duration|--checkpoint-every|-k|--top|\
    --min-count|--exclude|--track|--lang|-n|--intervals|--max-line|--key-field|--text-field|--time-field|\
    --user-field|-j|--threads|-l|--listen|-c|--connect|-H|--header|--max-connections|--max-buffered|--kafka|--topic|--group|-X)
      return ;;  # a value of the user's own
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "-h --help -V --version -w --window -s --slide --time --lateness --max-skew --max-source-lag --max-keys -k --top
      --min-count --rank --baseline --keys --extract --count --exclude --exclude-file --case --stopwords
      --track --lang --no-retweets --print-keys -o --output -n --intervals --stats -q --quiet --chart --max-line
      --schema --key-field --text-field --time-field --user-field -j --threads --idle-timeout --emit
      --duration --state --checkpoint-every --flush -l --listen -c --connect --retry -H --header --cacert
      --max-connections --max-buffered --allow --client-timeout
      --view --color --progress --no-progress --kafka --topic --group -X --exit-at-end" -- "$cur"))
    return
  fi
  # The first word may be the subcommand.
  if [ "$COMP_CWORD" -eq 1 ]; then COMPREPLY=($(compgen -W "merge" -- "$cur")); fi
  COMPREPLY+=($(compgen -f -- "$cur" || true))
  compopt -o filenames 2>/dev/null || true
}
complete -F _trendtop trendtop
