// tracemalloc's accounting (Python/tracemalloc.c): the traced total and its peak. Which objects
// are traced is a flag in the store (F_TRACED); freelist blocks remember it in Freelists.
export class Tracemalloc {
  /** tracemalloc.is_tracing(). */
  tracing = false;
  /** Bytes traced now (tracemalloc.get_traced_memory()[0]). */
  bytes = 0;
  /** Peak since start or reset_peak(). */
  peak = 0;

  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.peak) this.peak = this.bytes;
  }
  /** A block allocated while another is still held and freed right after: raises only the peak. */
  noteTransient(bytes: number): void {
    if (this.tracing && this.bytes + bytes > this.peak) this.peak = this.bytes + bytes;
  }
  /** tracemalloc.stop(): tracing off, every trace forgotten (the caller clears the per-object flags). */
  stop(): void {
    this.tracing = false;
    this.bytes = 0;
    this.peak = 0;
  }
  resetPeak(): void {
    this.peak = this.bytes;
  }
}
