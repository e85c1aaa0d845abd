#!/usr/bin/env python3
"""examples.py README.md MAN...: every trendtop invocation of the README's sh and cron blocks and of the man
pages' .EX blocks, one per line, as JSON arrays of arguments (after `trendtop`), for data_examples.sh.

Command substitutions $(...) and variables $X become X; cron entries lose their five time fields and \\%
its escape; absolute paths are left as they are (the test maps them). Plain stdlib python3."""
import json
import re
import shlex
import sys

OPERATORS = {"|", "||", "&", "&&", ";", ">", ">>", "<", "2>", "2>>", "(", ")"}


def groff_text(line):
    line = line.replace("\\-", "-").replace("\\(aq", "'").replace("\\e", "\\").replace("\\(em", "-")
    return re.sub(r"\\f[BIRP]", "", line)


def blocks(path):
    text = open(path, encoding="utf-8").read().split("\n")
    if path.endswith(".md"):
        inside = None
        for line in text:
            if line.startswith("```"):
                if inside is None:
                    inside = line[3:].strip()
                    block = []
                else:
                    if inside == "sh":
                        yield inside, block
                    elif inside == "":  # cron entries; the other plain blocks are output
                        yield inside, [l for l in block if re.match(r"^[\d*][\d*/,-]*\s", l)]
                    inside = None
            elif inside is not None:
                block.append(line)
    else:
        inside = False
        for line in text:
            if line == ".EX":
                inside, block = True, []
            elif line == ".EE":
                inside = False
                yield "sh", block
            elif inside:
                block.append(groff_text(line))


def commands(block):
    """Shell commands: continuation lines joined (a trailing backslash or pipe)."""
    cmd = ""
    output = False
    for line in block:
        if output and line.startswith(" "):  # an output line's continuation
            continue
        output = line.startswith("trendtop: ")
        if line.startswith("$ "):  # a prompt: the command, then its output
            if cmd:
                yield cmd
            yield line[2:]
            cmd = ""
            continue
        if line.startswith("trendtop: "):  # output shown after a command
            continue
        if line.startswith("#") or not line.strip() or not re.match(r"^[\w./$-]|^\s", line) and not cmd:
            if cmd:
                yield cmd
            cmd = ""
            continue
        cmd = cmd + " " + line.strip() if cmd else line.strip()
        if cmd.endswith("\\"):
            cmd = cmd[:-1]
        elif not cmd.endswith("|"):
            yield cmd
            cmd = ""
    if cmd:
        yield cmd


def invocations(cmd):
    cron = re.match(r"^(\S+\s+){5}(?=\S)", cmd)
    if cron and re.match(r"^[\d*/,-]+$", cmd.split()[0]):
        cmd = cmd[cron.end():].replace("\\%", "%")
    cmd = re.sub(r"\$\([^()]*\)", "X", cmd)
    cmd = re.sub(r"\$\{?[A-Za-z_!][A-Za-z0-9_]*\}?|\$!", "X", cmd)
    cmd = re.sub(r"\s#\s.*$", "", cmd)  # a comment
    lex = shlex.shlex(cmd, posix=True, punctuation_chars=";&|<>()")
    lex.whitespace_split = True
    try:
        tokens = list(lex)
    except ValueError as e:
        return [["--not-a-shell-command", f"{e}: {cmd}"]]
    out = []
    for i, t in enumerate(tokens):
        if t == "trendtop" or t.endswith("/trendtop"):
            args = []
            for a in tokens[i + 1:]:
                if a in OPERATORS or a in ("2", "done", "wait") or set(a) <= set(";&|<>()"):
                    break
                args.append(a)
            out.append(args)
    return out


for path in sys.argv[1:]:
    for kind, block in blocks(path):
        for cmd in commands(block):
            for args in invocations(cmd):
                print(json.dumps({"file": path.split("/")[-1], "command": cmd, "args": args}))
