"""Streaming a large array with numpy.memmap vs loading it whole (simulated)

Loading a whole dataset into memory makes peak memory proportional to the file size; a
memory-mapped array (numpy.memmap) pages in only the chunk being read. `numpy` is NOT
imported: the classes below simulate an on-disk array, a whole load and a memmap-like chunked
view in pure Python, so tracemalloc can compare the two peaks.
"""
import tracemalloc

ROWS = 20000
CHUNK = 1000


class DiskArray:
    """Simulated file on disk: values are computed on demand, nothing is held in memory."""

    def __init__(self, rows):
        self.rows = rows

    def read(self, start, stop):
        return [float(i % 97) for i in range(start, stop)]


class MemMap:
    """Simulated numpy.memmap: iterating yields one chunk at a time."""

    def __init__(self, disk, chunk):
        self.disk = disk
        self.chunk = chunk

    def chunks(self):
        for start in range(0, self.disk.rows, self.chunk):
            yield self.disk.read(start, min(start + self.chunk, self.disk.rows))


disk = DiskArray(ROWS)
tracemalloc.start()

tracemalloc.reset_peak()
whole = disk.read(0, ROWS)  # numpy.load(...): the whole array in memory
total_whole = sum(whole)
whole = None
_, whole_peak = tracemalloc.get_traced_memory()

tracemalloc.reset_peak()
total_stream = 0.0
for chunk in MemMap(disk, CHUNK).chunks():
    total_stream += sum(chunk)
_, stream_peak = tracemalloc.get_traced_memory()
tracemalloc.stop()

print("same sum:", total_whole == total_stream)
print(f"load whole: peak {whole_peak / 1024:.0f} KiB")
print(f"memmap:     peak {stream_peak / 1024:.0f} KiB")
