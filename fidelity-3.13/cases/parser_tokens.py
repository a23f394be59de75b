"""Tokenizer and recursive-descent parser building a tree; string methods, slicing, dict dispatch."""
import gc

def tokenize(src):
    toks = []
    i = 0
    while i < len(src):
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(src) and src[j].isdigit():
                j += 1
            toks.append(("num", int(src[i:j])))
            i = j
        else:
            toks.append(("op", c))
            i += 1
    return toks

class Node:
    __slots__ = ("op", "left", "right", "parent")
    def __init__(self, op, left, right):
        self.op = op
        self.left = left
        self.right = right
        self.parent = None

def parse(toks):
    pos = 0
    def expr():
        nonlocal pos
        left = term()
        while pos < len(toks) and toks[pos][1] in ("+", "-"):
            op = toks[pos][1]
            pos += 1
            right = term()
            left = Node(op, left, right)
            if isinstance(right, Node):
                right.parent = left
        return left
    def term():
        nonlocal pos
        t = toks[pos]
        pos += 1
        if t[1] == "(":
            e = expr()
            pos += 1
            return e
        return t[1]
    return expr()

OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b}
def ev(n):
    if isinstance(n, Node):
        return OPS[n.op](ev(n.left), ev(n.right))
    return n

total = 0
for i in range(1500):
    src = f"{i} + (3 - {i % 5}) + ({i % 7} + 2 - 1) - 4"
    tree = parse(tokenize(src))
    total += ev(tree)
RESULT = {"total": total, "collect": gc.collect()}
