"""A binary message framer over bytes and bytearray (bytes * int, concatenation, slicing, hex, int.from_bytes, bytearray extend/del), with buffer sizes, reuse of a pooled bytearray, and connections in cycles with their frames."""
import gc
import sys

MAGIC = b"\xca\xfe"


class Frame:
    def __init__(self, conn, kind, payload):
        self.conn = conn
        self.kind = kind
        self.payload = payload


class Connection:
    def __init__(self, cid):
        self.cid = cid
        self.inbox = bytearray()
        self.frames = []
        self.bad = 0

    def receive(self, chunk):
        self.inbox.extend(chunk)
        while len(self.inbox) >= 5:
            if bytes(self.inbox[:2]) != MAGIC:
                self.bad += 1
                del self.inbox[:1]
                continue
            kind = self.inbox[2]
            size = int.from_bytes(self.inbox[3:5], "big")
            if len(self.inbox) < 5 + size:
                break
            payload = bytes(self.inbox[5:5 + size])
            del self.inbox[:5 + size]
            self.frames.append(Frame(self, kind, payload))


def encode(kind, payload):
    return MAGIC + bytes([kind]) + len(payload).to_bytes(2, "big") + payload


stream = bytearray()
for i in range(400):
    body = (b"ab" * (i % 17)) + str(i).encode()
    stream += encode(i % 4, body)
    if i % 50 == 0:
        stream += b"\x00junk"

conns = []
for c in range(6):
    conn = Connection(c)
    step = 7 + c * 13
    for off in range(0, len(stream), step):
        conn.receive(stream[off:off + step])
    conns.append(conn)

kinds = [0, 0, 0, 0]
for f in conns[0].frames:
    kinds[f.kind] += 1

pad = b"-" * 40
sizes = {
    "empty_bytes": sys.getsizeof(b""),
    "bytes_40": sys.getsizeof(pad),
    "bytearray_empty": sys.getsizeof(bytearray()),
    "frame_payload": sys.getsizeof(conns[0].frames[10].payload),
}
ba = bytearray(b"hello world")
ba[0:5] = b"HELLO"
ba.reverse()
tracked = [gc.is_tracked(b"x"), gc.is_tracked(bytearray(b"x")), gc.is_tracked(conns[0].frames[0])]
frames = sum(len(c.frames) for c in conns)
bad = [c.bad for c in conns]
del conns, conn, f
collected = gc.collect()

RESULT = {
    "stream_len": len(stream),
    "frames": frames,
    "bad": bad,
    "kinds": kinds,
    "hex": encode(3, b"\x01\x02").hex(),
    "repeat": (b"ab" * 3 + bytes(2)).decode("latin-1"),
    "ba": ba.decode(),
    "find": stream.find(b"\x00junk"),
    "count": stream.count(MAGIC),
    "sizes": sizes,
    "tracked": tracked,
    "collect": collected,
    "count_end": list(gc.get_count()),
}
