"""Probe: absolute gc.get_stats() at workload start."""
import gc
RESULT = {"stats": [[s["collections"], s["collected"], s["uncollectable"]] for s in gc.get_stats()]}
