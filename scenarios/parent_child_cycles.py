"""Parent/child reference cycles

Trees whose nodes point to their children and back to their parent form one big cycle:
dropping the root frees nothing by reference counting. The cyclic collector reclaims them.
The second half uses weakref.ref for the back-pointer, which breaks the cycle so the tree
is freed the moment the root goes away.
"""
import gc
import weakref


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)


class WeakNode:
    def __init__(self, name, parent=None):
        self.name = name
        # A weak back-pointer: the child does not keep its parent alive.
        self.parent = weakref.ref(parent) if parent is not None else None
        self.children = []
        if parent is not None:
            parent.children.append(self)


def build(cls, depth, fanout, parent=None):
    node = cls("n%d" % depth, parent)
    if depth > 0:
        for _ in range(fanout):
            build(cls, depth - 1, fanout, node)
    return node


gc.collect()
for _ in range(20):
    root = build(Node, 4, 3)
    root = None
print("strong back-pointers: gc.collect() found", gc.collect(), "unreachable objects")

for _ in range(20):
    root = build(WeakNode, 4, 3)
    root = None
print("weak back-pointers:   gc.collect() found", gc.collect(), "unreachable objects")
