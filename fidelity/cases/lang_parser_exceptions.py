"""A config parser that keeps its exceptions: a custom hierarchy (super().__init__ and Exception.__init__), raise from, __cause__/__context__, add_note, tracebacks kept alive in an error log."""
import gc


class ConfigError(Exception):
    def __init__(self, msg, line=None):
        super().__init__(msg)
        self.line = line

    def __str__(self):
        base = super().__str__()
        return base if self.line is None else "line %d: %s" % (self.line, base)


class LexError(ConfigError):
    def __init__(self, msg, line, col):
        Exception.__init__(self, msg)
        self.line = line
        self.col = col


class ValueProblem(ConfigError):
    pass


class MissingKey(ValueProblem, KeyError):
    pass


def lex(text, lineno):
    if "=" not in text:
        raise LexError("expected '='", lineno, len(text))
    key, _, value = text.partition("=")
    return key.strip(), value.strip()


def convert(key, value, lineno):
    try:
        return int(value)
    except ValueError as exc:
        if value.startswith('"'):
            return value.strip('"')
        raise ValueProblem("bad value for %s: %r" % (key, value), lineno) from exc


class Parser:
    def __init__(self):
        self.errors = []
        self.settings = {}

    def parse(self, lines):
        for n, text in enumerate(lines, 1):
            try:
                key, value = lex(text, n)
                self.settings[key] = convert(key, value, n)
            except LexError as e:
                e.add_note("while reading %d lines" % len(lines))
                self.errors.append(e)
            except ConfigError as e:
                self.errors.append(e)

    def require(self, key):
        try:
            return self.settings[key]
        except KeyError:
            raise MissingKey("missing %s" % key)


def make_doc(i):
    return ["port = %d" % (8000 + i), "name = \"svc%d\"" % i, "timeout = 3s",
            "garbage line %d" % i, "workers = %d" % (i % 7)]


kept = []
kinds = {"lex": 0, "value": 0, "missing": 0}
chained = 0
with_context = 0
for i in range(400):
    p = Parser()
    p.parse(make_doc(i))
    try:
        p.require("debug")
    except MissingKey as e:
        kinds["missing"] += 1
        if e.__context__ is not None and isinstance(e.__context__, KeyError):
            with_context += 1
        p.errors.append(e)
    for err in p.errors:
        if isinstance(err, LexError):
            kinds["lex"] += 1
        elif isinstance(err, ValueProblem) and not isinstance(err, MissingKey):
            kinds["value"] += 1
            if isinstance(err.__cause__, ValueError):
                chained += 1
    if i % 50 == 0:
        kept.append(p)

mid_count = list(gc.get_count())
sample = kept[1].errors
texts = [str(e) for e in sample]
notes = list(getattr(sample[1], "__notes__", []))
tb_lines = [e.__traceback__.tb_lineno if e.__traceback__ else None for e in sample]
first = gc.collect()
kept.clear()
second = gc.collect()

RESULT = {
    "kinds": kinds,
    "chained": chained,
    "with_context": with_context,
    "texts": texts,
    "notes": notes,
    "tb_has_lines": [x is not None for x in tb_lines],
    "mro": [c.__name__ for c in MissingKey.__mro__],
    "args": list(sample[0].args),
    "mid_count_len": len(mid_count),
    "collect_first": first,
    "collect_after_drop": second,
    "count_end": list(gc.get_count()),
}
