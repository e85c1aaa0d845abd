#!/usr/bin/env python3
"""Convert a twitter-text conformance suite (YAML, e.g. extract.yml) to JSON.

The C++ tests read JSON with simdjson rather than carry a YAML parser; the build runs this script.

    yaml_to_json.py IN.yml OUT.json

The output is written to a temporary file and renamed, so a failed conversion never leaves a partial or stale
OUT.json for the tests to read. Non-ASCII text is written as \\u escapes, which keeps the JSON pure ASCII.
"""
import json
import os
import sys

try:
    import yaml
except ImportError:
    sys.exit("yaml_to_json.py: error: the Python yaml module is missing (apt-get install python3-yaml)")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: yaml_to_json.py IN.yml OUT.json")
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        suite = yaml.safe_load(f)
    if not isinstance(suite, dict) or not isinstance(suite.get("tests"), dict):
        sys.exit(f"yaml_to_json.py: error: {src}: no 'tests' mapping")
    tmp = dst + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        json.dump(suite, f, ensure_ascii=True, indent=1)
        f.write("\n")
    os.replace(tmp, dst)


if __name__ == "__main__":
    main()
