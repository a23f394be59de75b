"""A tensor cache released with torch.cuda.empty_cache() (simulated)

Deep-learning code often keeps intermediate tensors in a cache between steps. Deleting the
Python references is not enough when a caching allocator keeps the freed blocks reserved:
`torch.cuda.empty_cache()` hands them back. `torch` is NOT imported here: the small classes
below simulate a tensor and a caching allocator in pure Python, so the simulator can show
the memory held by the cache before and after it is emptied.
"""
import gc


class Tensor:
    """Simulated tensor: a flat list of floats standing in for device memory."""

    def __init__(self, n):
        self.data = [0.0] * n
        self.grad = None


class CachingAllocator:
    """Simulated torch.cuda caching allocator: freed blocks stay reserved until empty_cache()."""

    def __init__(self):
        self.reserved = []

    def allocate(self, n):
        if self.reserved:
            block = self.reserved.pop()
            if len(block.data) >= n:
                return block
        return Tensor(n)

    def release(self, tensor):
        self.reserved.append(tensor)

    def empty_cache(self):
        self.reserved = []


allocator = CachingAllocator()
activation_cache = {}

for step in range(30):
    t = allocator.allocate(2000)
    activation_cache[step] = t
    if step >= 10:
        old = activation_cache.pop(step - 10)
        allocator.release(old)  # "freed" by the model, but still reserved
print("live tensors:", len(activation_cache), "reserved blocks:", len(allocator.reserved))

for step in list(activation_cache):
    allocator.release(activation_cache.pop(step))
gc.collect()
print("after clearing the cache dict, reserved blocks:", len(allocator.reserved))
allocator.empty_cache()  # torch.cuda.empty_cache(): the reserved memory is released
gc.collect()
print("after empty_cache(), reserved blocks:", len(allocator.reserved))
