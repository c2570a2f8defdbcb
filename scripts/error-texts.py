#!/usr/bin/env python3
"""The error catalogue's guard (docs/errors.md, issue 13).

Finds every place in the host and SDK sources that builds an error message -- `throw` expressions,
calls of the error constructors and of the helpers that throw (fail, step_fail), and the `msg`,
`text`, ... variables messages are assembled in, and what the helpers returning message parts
(MESSAGE_HELPERS) return -- and takes the string literals of each. A site is
covered when one catalogue entry's message patterns (its `code spans`) contain every significant
literal of it. Also checks that each test an entry names exists in tests/.

  error-texts.py ROOT            check; exit 1 naming each uncovered site or missing test
  error-texts.py ROOT --list     print every site with its literals (to write an entry from)

Literals are read by a small C++ lexer (comments, char literals and escapes are handled, adjacent
literals are joined as the compiler joins them), not by a regular expression over lines, so a
message split over several lines or holding ';' or ')' is read whole.
"""
import pathlib
import re
import sys

SOURCES = ["host/src", "sdk"]
SINK_CALLS = {"fail", "step_fail", "HostError", "DataError", "ParamError", "Error",
              "PlaceholderError", "runtime_error"}
MESSAGE_VARS = {"msg", "message", "text", "what", "why", "reason"}
# Functions that return a part of an error message (a reason, a hint, a suffix): their `return`
# statements are message sites too.
MESSAGE_HELPERS = {"too_deep_message", "not_utf8", "forbidden_reason", "new_folder_hint",
                   "death_cause", "row_problem", "first_copy", "separator_hint",
                   "decimal_comma_fields_hint", "decimal_hint", "option_place"}
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "'": "'", "\\": "\\"}


def lex(src):
    """Tokens (kind, text, offset): kind is 'str', 'id', 'punct'; comments dropped."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            i = src.find("\n", i) if "\n" in src[i:] else n
        elif src.startswith("/*", i):
            i = src.find("*/", i + 2) + 2
        elif c == '"' or (c == "R" and src.startswith('R"', i)):
            i = lex_string(src, i, out)
        elif c == "'":
            j = i + 1
            while src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            out.append(("char", src[i:j + 1], i))
            i = j + 1
        elif c.isalnum() or c == "_":
            j = i
            # A number may hold digit separators (100'000), which are not character literals.
            while j < n and (src[j].isalnum() or src[j] == "_" or
                             (c.isdigit() and src[j] == "'" and src[j + 1:j + 2].isalnum())):
                j += 1
            out.append(("id", src[i:j], i))
            i = j
        elif c.isspace():
            i += 1
        else:
            out.append(("punct", c, i))
            i += 1
    return out


def lex_string(src, i, out):
    """Appends one string literal (joined to a literal right before it) and returns its end."""
    if src[i] == "R":
        delim_end = src.index("(", i)
        close = ")" + src[i + 2:delim_end] + '"'
        end = src.index(close, delim_end)
        value, i_end = src[delim_end + 1:end], end + len(close)
    else:
        j, value = i + 1, []
        while src[j] != '"':
            if src[j] == "\\":
                value.append(ESCAPES.get(src[j + 1], src[j + 1]))
                j += 2
            else:
                value.append(src[j])
                j += 1
        value, i_end = "".join(value), j + 1
    if out and out[-1][0] == "str":  # "a " "b" is one literal
        out[-1] = ("str", out[-1][1] + value, out[-1][2])
    else:
        out.append(("str", value, i))
    return i_end


def statement_end(tokens, k):
    """Index of the ';' ending the statement that token k is in (depth 0 from k)."""
    depth = 0
    while k < len(tokens):
        kind, t, _ = tokens[k]
        if kind == "punct" and t in "([{":
            depth += 1
        elif kind == "punct" and t in ")]}":
            if depth == 0:
                return k
            depth -= 1
        elif kind == "punct" and t == ";" and depth == 0:
            return k
        k += 1
    return k


def call_end(tokens, k):
    """Index just past the ')' closing the call whose '(' is token k."""
    depth = 0
    for j in range(k, len(tokens)):
        if tokens[j][1] == "(" and tokens[j][0] == "punct":
            depth += 1
        elif tokens[j][1] == ")" and tokens[j][0] == "punct":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)


def assigns(tokens, k):
    """True when token k is assigned (`=`) or appended to (`+=`), not compared (`==`)."""
    nxt, after = tokens[k + 1][1], tokens[k + 2][1]
    return (nxt == "=" and after != "=") or (nxt == "+" and after == "=")


def is_param_name(tokens, j):
    """True for the first argument of ParamError("param", message): a name, not message text."""
    return tokens[j - 1][1] == "(" and tokens[j - 2][1] == "ParamError" and tokens[j + 1][1] == ","


def helper_returns(tokens):
    """Indices of the `return` tokens inside the definitions of MESSAGE_HELPERS."""
    out = []
    for k, (kind, t, _) in enumerate(tokens):
        if kind != "id" or t not in MESSAGE_HELPERS or tokens[k + 1][1] != "(":
            continue
        j = call_end(tokens, k + 1)
        if tokens[j][1] == "const":
            j += 1
        if tokens[j][1] != "{":
            continue  # a call or a declaration, not the definition
        depth = 0
        for i in range(j, len(tokens)):
            depth += {"{": 1, "}": -1}.get(tokens[i][1], 0) if tokens[i][0] == "punct" else 0
            if tokens[i][1] == "return" and tokens[i][0] == "id":
                out.append(i)
            if depth == 0:
                break
    return set(out)


def sites_of(path, root):
    """(file:line, [literals]) for each message-building site of one source file."""
    src = path.read_text(encoding="utf-8")
    tokens, taken, sites = lex(src), set(), []
    returns = helper_returns(tokens)
    for k, (kind, t, off) in enumerate(tokens):
        if kind != "id" or k in taken:
            continue
        nxt = tokens[k + 1][1] if k + 1 < len(tokens) else ""
        if t == "throw" or k in returns:
            end = statement_end(tokens, k + 1)
        elif t in SINK_CALLS and nxt == "(":
            end = call_end(tokens, k + 1)
        elif (t in MESSAGE_VARS and assigns(tokens, k)
              and tokens[k - 1][1] != "json"):  # a chart's JSON named `text` is no message
            end = statement_end(tokens, k + 1)
        else:
            continue
        taken.update(range(k, end))
        literals = [s for j, (kind2, s, _) in enumerate(tokens[k:end], k)
                    if kind2 == "str" and not is_param_name(tokens, j)]
        line = src.count("\n", 0, off) + 1
        sites.append((f"{path.relative_to(root)}:{line}", literals))
    return sites


def significant(literal):
    """The part of a literal a catalogue pattern must show: trimmed, and holding a word."""
    s = " ".join(literal.split())
    return s if len(re.findall(r"[A-Za-z]", s)) >= 2 else None


def catalogue_entries(text):
    """Each entry (a '### ' section) as (heading, its code spans joined, tests it names)."""
    entries = []
    for block in re.split(r"\n(?=### )", text)[1:]:
        found = re.findall(r"``\s?(.+?)\s?``|`([^`]+)`", block)  # ``a `b` c`` holds backticks
        spans = " ¶ ".join(" ".join((a or b).split()) for a, b in found)
        tests = re.findall(r"(?i)\btests?: ([^\n]+)", block)
        names = [n for line in tests for n in re.findall(r"[\w.]+\.[\w.]+", line)]
        entries.append((block.splitlines()[0], spans, names))
    return entries


def test_names(root):
    """Each CTest name: PREFIX.Suite.Name for the gtest TEST/TEST_F of a test executable (prefix
    from its gtest_discover_tests), and every add_test(NAME ...)."""
    cmake = (root / "tests/CMakeLists.txt").read_text()
    prefix = dict(re.findall(r'gtest_discover_tests\((\w+)[^)]*TEST_PREFIX "([\w.]+)"', cmake))
    names = set(re.findall(r"add_test\(NAME ([\w.]+)", cmake))
    for exe, files in re.findall(r"add_executable\((\w+)([^)]*)\)", cmake):
        for f in re.findall(r"[\w/]+\.cpp", files):
            if exe in prefix and (root / "tests" / f).exists():
                text = (root / "tests" / f).read_text()
                for suite, name in re.findall(r"\bTEST(?:_F)?\(\s*(\w+),\s*(\w+)\)", text):
                    names.add(f"{prefix[exe]}{suite}.{name}")
    return names


def all_sites(root):
    files = [p for d in SOURCES for p in sorted((root / d).rglob("*"))
             if p.suffix in (".cpp", ".hpp", ".in")]
    return [s for f in files for s in sites_of(f, root)]


def check(root):
    entries = catalogue_entries((root / "docs/errors.md").read_text(encoding="utf-8"))
    problems = []
    for where, literals in all_sites(root):
        needed = [s for s in map(significant, literals) if s]
        if needed and not any(all(n in spans for n in needed) for _, spans, _ in entries):
            problems.append(f"{where}: no entry in docs/errors.md shows {needed}")
    known = test_names(root)
    for heading, _, names in entries:
        problems += [f"docs/errors.md: {heading}: names test '{n}', which does not exist"
                     for n in names if n not in known]
    for p in problems:
        print(p)
    print(f"{len(entries)} catalogue entries; {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def main():
    root = pathlib.Path(sys.argv[1])
    if "--list" in sys.argv:
        for where, literals in all_sites(root):
            print(where, [s for s in literals])
        return 0
    return check(root)


if __name__ == "__main__":
    sys.exit(main())
