"""A command interpreter for a tiny ops language: a tokenizer with walrus loops, match statements over class, sequence, mapping and guard patterns, and an AST with parent links collected after each script."""
import gc


class Node:
    __match_args__ = ("op", "args")

    def __init__(self, op, args, parent=None):
        self.op = op
        self.args = args
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)


class Num:
    __match_args__ = ("value",)

    def __init__(self, value):
        self.value = value


def tokenize(src):
    out = []
    i = 0
    while (i := skip(src, i)) < len(src):
        if src[i].isdigit():
            j = i
            while j < len(src) and src[j].isdigit():
                j += 1
            out.append(int(src[i:j]))
            i = j
        elif src[i].isalpha():
            j = i
            while j < len(src) and src[j].isalnum():
                j += 1
            out.append(src[i:j])
            i = j
        else:
            out.append(src[i])
            i += 1
    return out


def skip(src, i):
    while i < len(src) and src[i] == " ":
        i += 1
    return i


def parse(tokens, root):
    match tokens:
        case ["set", str(name), "=", int(v)]:
            return Node("set", [name, Num(v)], root)
        case ["incr", str(name)]:
            return Node("incr", [name, Num(1)], root)
        case ["incr", str(name), "by", int(v)] if v > 0:
            return Node("incr", [name, Num(v)], root)
        case ["print", *names] if names:
            return Node("print", list(names), root)
        case ["drop", name]:
            return Node("drop", [name], root)
        case []:
            return None
        case _:
            return Node("error", [" ".join(map(str, tokens))], root)


def execute(root, env, out):
    for node in root.children:
        match node:
            case Node("set", [name, Num(v)]):
                env[name] = v
            case Node("incr", [name, Num(value=v)]):
                env[name] = env.get(name, 0) + v
            case Node("print", names):
                out.append(",".join(str(env.get(n)) for n in names))
            case Node("drop", [name]) if name in env:
                del env[name]
            case Node(op="error"):
                out.append("error")
            case _:
                out.append("noop")


def config_kind(cfg):
    match cfg:
        case {"kind": "http", "port": int(port), **rest}:
            return "http:%d:%d" % (port, len(rest))
        case {"kind": "queue", "size": size} if size > 10:
            return "bigqueue"
        case {"kind": kind}:
            return "other:" + kind
        case _:
            return "invalid"


scripts = []
for k in range(300):
    scripts.append("set a = %d; incr a; incr b by %d; incr c by 0; print a b; drop b; drop zz; print b; bogus %d;" % (k, k % 7, k))

outputs = []
error_total = 0
for text in scripts:
    root = Node("program", [])
    for stmt in text.split(";"):
        parse(tokenize(stmt), root)
    env = {}
    out = []
    execute(root, env, out)
    error_total += out.count("error")
    outputs.append(out)

kinds = [config_kind(c) for c in [{"kind": "http", "port": 80, "tls": True}, {"kind": "queue", "size": 50},
                                  {"kind": "queue", "size": 5}, {"name": 1}]]
del root
RESULT = {
    "first": outputs[0],
    "last": outputs[-1],
    "errors": error_total,
    "kinds": kinds,
    "tokens": tokenize("incr x9 by 42"),
    "collect": gc.collect(),
    "count_end": list(gc.get_count()),
}
