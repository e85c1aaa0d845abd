#!/usr/bin/env bash
# The source tree's dependency rule (issue 14): stages are ordered as data flows, util < input < extract <
# count < output < terminal < the glue at src/, and a file includes only its own stage, earlier stages, or
# config.h (a leaf of plain settings that includes no project header). An include of a later stage is an
# arrow up the pipeline; this test names each one.
source "$(dirname "$0")/common.sh"

rank() {
  case $1 in
  util) echo 0 ;; input) echo 1 ;; extract) echo 2 ;; count) echo 3 ;; output) echo 4 ;; terminal) echo 5 ;;
  *) echo 6 ;; # src/ itself: main, cli, config, pipeline, state, merge
  esac
}
stage_of() { # src/input/reader.h -> input; src/pipeline.h -> top
  local rel=${1#src/}
  [[ $rel == */* ]] && echo "${rel%%/*}" || echo top
}

cd "$SRC"
bad=0
files=$(find src -name '*.h' -o -name '*.cpp' | sort)
[ -n "$files" ] || fail "no sources under $SRC/src"
for f in $files; do
  from=$(stage_of "$f")
  while IFS= read -r inc; do
    [ -f "src/$inc" ] || { echo "$f includes \"$inc\", which is not a path under src/" >&2; bad=1; continue; }
    to=$(stage_of "src/$inc")
    if [ "$inc" = config.h ]; then
      continue
    fi
    if [ "$(rank "$to")" -gt "$(rank "$from")" ]; then
      echo "$f ($from) includes $inc ($to): a later stage" >&2
      bad=1
    fi
  done < <(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
done
# config.h is a leaf: plain settings, no project header.
if grep -q '^#include "' src/config.h; then
  echo "src/config.h includes a project header: $(grep '^#include "' src/config.h | tr '\n' ' ')" >&2
  bad=1
fi
[ $bad -eq 0 ] || fail "includes that point up the pipeline (see above)"
echo "layering: $(wc -w <<<"$files") files, every include points down the pipeline"
