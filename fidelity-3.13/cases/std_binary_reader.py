"""A streaming reader for a binary sensor log: records packed with struct.Struct into io.BytesIO, read back with unpack_from and iter_unpack, a header via struct.pack, and per-device readers linked to their stream."""
import gc
import io
import struct
import sys

HEADER = struct.Struct("<4sHI")
RECORD = struct.Struct("<IhHd")


class Reading:
    __slots__ = ("device", "ts", "temp", "flags", "value")

    def __init__(self, device, ts, temp, flags, value):
        self.device = device
        self.ts = ts
        self.temp = temp
        self.flags = flags
        self.value = value


class Device:
    def __init__(self, did, stream):
        self.did = did
        self.stream = stream
        self.readings = []
        stream.devices[did] = self


class Stream:
    def __init__(self, raw):
        self.raw = raw
        self.devices = {}


def write_log(n):
    buf = io.BytesIO()
    buf.write(HEADER.pack(b"SNSR", 2, n))
    for i in range(n):
        buf.write(RECORD.pack(i % 12, (i * 7) % 400 - 200, i & 0xFF, i / 8))
    return buf


total_readings = 0
flag_sum = 0
minimum = None
per_pair = []
for session in range(6):
    buf = write_log(800 + session * 50)
    raw = buf.getvalue()
    magic, version, count = HEADER.unpack_from(raw, 0)
    stream = Stream(raw)
    view = io.BytesIO(raw)
    view.seek(HEADER.size)
    body = view.read()
    for ts, (did, temp, flags, value) in enumerate(RECORD.iter_unpack(body)):
        dev = stream.devices.get(did) or Device(did, stream)
        dev.readings.append(Reading(dev, ts, temp, flags, value))
        flag_sum += flags
    total_readings += sum(len(d.readings) for d in stream.devices.values())
    did, temp, flags, value = RECORD.unpack_from(raw, HEADER.size + RECORD.size * 5)
    minimum = min(r.temp for d in stream.devices.values() for r in d.readings)
    del stream, dev
    if session % 2 == 1:
        per_pair.append(gc.collect())

packed = struct.pack(">hHiQ", -2, 65535, -(2 ** 31), 2 ** 63)
sizes = {
    "header_size": HEADER.size,
    "record_size": RECORD.size,
    "calcsize": struct.calcsize("<4sHI"),
    "bytesio_value": sys.getsizeof(buf.getvalue()),
    "reading": sys.getsizeof(Reading(None, 0, 0, 0, 0.0)),
}
tracked = [gc.is_tracked(Reading(None, 0, 0, 0, 0.0)), gc.is_tracked(HEADER), gc.is_tracked(buf)]
collected = gc.collect()

RESULT = {
    "magic": magic.decode(),
    "version": version,
    "count": count,
    "total_readings": total_readings,
    "flag_sum": flag_sum,
    "minimum": minimum,
    "sixth": [did, temp, flags, value],
    "packed_hex": packed.hex(),
    "unpacked": list(struct.unpack(">hHiQ", packed)),
    "sizes": sizes,
    "tracked": tracked,
    "tell": buf.tell(),
    "per_pair": per_pair,
    "collect": collected,
    "count_end": list(gc.get_count()),
}
