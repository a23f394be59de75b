// pymalloc (Objects/obmalloc.c, 3.11, 64-bit with the radix tree): 16-byte size classes up to
// 512 B, 16 KiB pools with a 48-byte header, 1 MiB arenas of which 63 pools are usable.
// Blocks are not addressed individually: a pool only needs its count of used blocks, since the
// observable figures (which pool serves the next block, which arena is released) depend only on
// the pool/arena bookkeeping, which is reproduced here (usedpools, usable_arenas sorted by
// nfreepools with nfp2lasta, arena release except for the last usable arena).

export const SMALL_REQUEST_THRESHOLD = 512;
export const ALIGNMENT = 16;
export const NUM_SIZE_CLASSES = SMALL_REQUEST_THRESHOLD / ALIGNMENT;
export const POOL_SIZE = 16 * 1024;
export const POOL_OVERHEAD = 48;
export const ARENA_SIZE = 1024 * 1024;
export const POOLS_PER_ARENA = ARENA_SIZE / POOL_SIZE; // 64 slots; 63 usable (alignment)
export const USABLE_POOLS_PER_ARENA = POOLS_PER_ARENA - 1;
const INITIAL_ARENA_OBJECTS = 16;

/** A handle returned by alloc: a pool index (>= 0), LARGE for a system malloc, NONE for size 0. */
export const LARGE = -1;
export const NONE = -2;

export function sizeClassOf(bytes: number): number {
  return (bytes - 1) >> 4;
}
export function blocksPerPool(sizeClass: number): number {
  return Math.floor((POOL_SIZE - POOL_OVERHEAD) / ((sizeClass + 1) * ALIGNMENT));
}

export class PyMalloc {
  // per pool (arenaSlot * 64 + k)
  private poolCount = new Int32Array(0);
  private poolClass = new Int16Array(0);
  private poolNextUsed = new Int32Array(0);
  private poolPrevUsed = new Int32Array(0);
  private poolNextFree = new Int32Array(0);
  // per arena slot
  private maxArenas = 0;
  private arenaAllocated = new Uint8Array(0);
  private arenaNFree = new Int32Array(0);
  private arenaCarved = new Int32Array(0);
  private arenaFreePools = new Int32Array(0);
  private arenaNext = new Int32Array(0);
  private arenaPrev = new Int32Array(0);
  private unusedArenas = -1; // chain through arenaNext
  private usableArenas = -1;
  private nfp2lasta = new Int32Array(USABLE_POOLS_PER_ARENA + 1).fill(-1);
  private usedPools = new Int32Array(NUM_SIZE_CLASSES).fill(-1);
  private blocksPerClass = Int32Array.from({ length: NUM_SIZE_CLASSES }, (_, c) => blocksPerPool(c));

  arenasAllocated = 0;
  arenasTotalAllocated = 0;
  arenasReclaimed = 0;
  arenasHighwater = 0;
  largeBytes = 0;
  largeCount = 0;
  /** Sum of the size-class-rounded blocks in use. */
  blockBytes = 0;
  blocksInUse = 0;

  /** Bytes an OS would see: whole arenas plus system-malloc'd large blocks. */
  get heldBytes(): number {
    return this.arenasAllocated * ARENA_SIZE + this.largeBytes;
  }

  alloc(bytes: number): number {
    if (bytes <= 0) return NONE;
    if (bytes > SMALL_REQUEST_THRESHOLD) {
      this.largeBytes += bytes;
      this.largeCount++;
      return LARGE;
    }
    const cls = sizeClassOf(bytes);
    let pool = this.usedPools[cls];
    if (pool < 0) pool = this.allocateFromNewPool(cls);
    this.poolCount[pool]++;
    this.blockBytes += (cls + 1) * ALIGNMENT;
    this.blocksInUse++;
    if (this.poolCount[pool] === this.blocksPerClass[cls]) this.unlinkUsed(pool, cls); // pool is full
    return pool;
  }

  free(handle: number, bytes: number): void {
    if (handle === NONE) return;
    if (handle === LARGE) {
      this.largeBytes -= bytes;
      this.largeCount--;
      return;
    }
    const pool = handle;
    const cls = this.poolClass[pool];
    const wasFull = this.poolCount[pool] === this.blocksPerClass[cls];
    this.poolCount[pool]--;
    this.blockBytes -= (cls + 1) * ALIGNMENT;
    this.blocksInUse--;
    if (wasFull) {
      // insert_to_usedpool: the pool was full, link it at the front of usedpools
      this.linkUsedFront(pool, cls);
      if (this.poolCount[pool] !== 0) return;
    }
    if (this.poolCount[pool] !== 0) return;
    this.insertToFreepool(pool, cls);
  }

  /** Pool index → arena slot (for tests and stats). */
  arenaOf(pool: number): number {
    return (pool / POOLS_PER_ARENA) | 0;
  }
  usableArenaOrder(): number[] {
    const out: number[] = [];
    for (let a = this.usableArenas; a >= 0; a = this.arenaNext[a]) out.push(a);
    return out;
  }
  arenaFreePoolCount(a: number): number {
    return this.arenaNFree[a];
  }
  /** Host bytes of the bookkeeping arrays. */
  get hostBytes(): number {
    return (
      this.poolCount.byteLength + this.poolClass.byteLength + this.poolNextUsed.byteLength +
      this.poolPrevUsed.byteLength + this.poolNextFree.byteLength + this.maxArenas * 21
    );
  }

  /** The pymalloc part of `sys._debugmallocstats()` (_PyObject_DebugMallocStats, 3.11, 64-bit). */
  debugStats(): string {
    const numpools = new Array(NUM_SIZE_CLASSES).fill(0);
    const numblocks = new Array(NUM_SIZE_CLASSES).fill(0);
    const numfree = new Array(NUM_SIZE_CLASSES).fill(0);
    let numfreepools = 0;
    let arenaAlignment = 0;
    for (let a = 0; a < this.maxArenas; a++) {
      if (!this.arenaAllocated[a]) continue;
      numfreepools += this.arenaNFree[a];
      arenaAlignment += POOL_SIZE; // mmap'ed arenas are page-aligned, not pool-aligned
      for (let k = 0; k < this.arenaCarved[a]; k++) {
        const p = a * POOLS_PER_ARENA + k;
        const c = this.poolCount[p];
        if (c === 0) continue;
        const cls = this.poolClass[p];
        numpools[cls]++;
        numblocks[cls] += c;
        numfree[cls] += this.blocksPerClass[cls] - c;
      }
    }
    let out = `Small block threshold = ${SMALL_REQUEST_THRESHOLD}, in ${NUM_SIZE_CLASSES} size classes.\n`;
    out += '\nclass   size   num pools   blocks in use  avail blocks\n-----   ----   ---------   -------------  ------------\n';
    let allocated = 0;
    let available = 0;
    let headers = 0;
    let quantization = 0;
    for (let c = 0; c < NUM_SIZE_CLASSES; c++) {
      if (numpools[c] === 0) continue;
      const size = (c + 1) * ALIGNMENT;
      out += `${pad(c, 5)} ${pad(size, 6)} ${pad(numpools[c], 11)} ${pad(numblocks[c], 15)} ${pad(numfree[c], 13)}\n`;
      allocated += numblocks[c] * size;
      available += numfree[c] * size;
      headers += numpools[c] * POOL_OVERHEAD;
      quantization += numpools[c] * ((POOL_SIZE - POOL_OVERHEAD) % size);
    }
    out += '\n';
    out += printone('# arenas allocated total', this.arenasTotalAllocated);
    out += printone('# arenas reclaimed', this.arenasTotalAllocated - this.arenasAllocated);
    out += printone('# arenas highwater mark', this.arenasHighwater);
    out += printone('# arenas allocated current', this.arenasAllocated);
    out += printone(`${this.arenasAllocated} arenas * ${ARENA_SIZE} bytes/arena`, this.arenasAllocated * ARENA_SIZE);
    out += '\n';
    const total = allocated + available + numfreepools * POOL_SIZE + headers + quantization + arenaAlignment;
    out += printone('# bytes in allocated blocks', allocated);
    out += printone('# bytes in available blocks', available);
    out += printone(`${numfreepools} unused pools * ${POOL_SIZE} bytes`, numfreepools * POOL_SIZE);
    out += printone('# bytes lost to pool headers', headers);
    out += printone('# bytes lost to quantization', quantization);
    out += printone('# bytes lost to arena alignment', arenaAlignment);
    out += printone('Total', total);
    // the radix tree: one root, and one mid and one bottom node for a heap in one address region
    out += '\narena map counts\n';
    out += printone('# arena map mid nodes', 1);
    out += printone('# arena map bot nodes', 1);
    out += '\n';
    out += printone('# bytes lost to arena map root', 262144);
    out += printone('# bytes lost to arena map mid', 262144);
    out += printone('# bytes lost to arena map bot', 131072);
    out += printone('Total', 655360);
    return out;
  }

  private linkUsedFront(pool: number, cls: number): void {
    const head = this.usedPools[cls];
    this.poolNextUsed[pool] = head;
    this.poolPrevUsed[pool] = -1;
    if (head >= 0) this.poolPrevUsed[head] = pool;
    this.usedPools[cls] = pool;
  }
  private unlinkUsed(pool: number, cls: number): void {
    const n = this.poolNextUsed[pool];
    const p = this.poolPrevUsed[pool];
    if (p >= 0) this.poolNextUsed[p] = n;
    else this.usedPools[cls] = n;
    if (n >= 0) this.poolPrevUsed[n] = p;
    this.poolNextUsed[pool] = -1;
    this.poolPrevUsed[pool] = -1;
  }

  private growArenaVector(): void {
    const old = this.maxArenas;
    const n = old ? old << 1 : INITIAL_ARENA_OBJECTS;
    const grow32 = (a: Int32Array, len: number, fill: number) => {
      const b = new Int32Array(len).fill(fill);
      b.set(a);
      return b;
    };
    this.arenaNFree = grow32(this.arenaNFree, n, 0);
    this.arenaCarved = grow32(this.arenaCarved, n, 0);
    this.arenaFreePools = grow32(this.arenaFreePools, n, -1);
    this.arenaNext = grow32(this.arenaNext, n, -1);
    this.arenaPrev = grow32(this.arenaPrev, n, -1);
    const alloc = new Uint8Array(n);
    alloc.set(this.arenaAllocated);
    this.arenaAllocated = alloc;
    const np = n * POOLS_PER_ARENA;
    this.poolCount = grow32(this.poolCount, np, 0);
    const cls = new Int16Array(np).fill(-1);
    cls.set(this.poolClass);
    this.poolClass = cls;
    this.poolNextUsed = grow32(this.poolNextUsed, np, -1);
    this.poolPrevUsed = grow32(this.poolPrevUsed, np, -1);
    this.poolNextFree = grow32(this.poolNextFree, np, -1);
    for (let i = old; i < n; i++) this.arenaNext[i] = i < n - 1 ? i + 1 : -1;
    this.unusedArenas = old;
    this.maxArenas = n;
  }

  private newArena(): number {
    if (this.unusedArenas < 0) this.growArenaVector();
    const a = this.unusedArenas;
    this.unusedArenas = this.arenaNext[a];
    this.arenaAllocated[a] = 1;
    this.arenaNFree[a] = USABLE_POOLS_PER_ARENA;
    this.arenaCarved[a] = 0;
    this.arenaFreePools[a] = -1;
    this.arenaNext[a] = -1;
    this.arenaPrev[a] = -1;
    this.arenasAllocated++;
    this.arenasTotalAllocated++;
    if (this.arenasAllocated > this.arenasHighwater) this.arenasHighwater = this.arenasAllocated;
    return a;
  }

  private allocateFromNewPool(cls: number): number {
    if (this.usableArenas < 0) {
      const a = this.newArena();
      this.usableArenas = a;
      this.nfp2lasta[this.arenaNFree[a]] = a;
    }
    const ua = this.usableArenas;
    const nf = this.arenaNFree[ua];
    if (this.nfp2lasta[nf] === ua) this.nfp2lasta[nf] = -1;
    if (nf > 1) this.nfp2lasta[nf - 1] = ua;
    let pool = this.arenaFreePools[ua];
    if (pool >= 0) {
      this.arenaFreePools[ua] = this.poolNextFree[pool];
    } else {
      pool = ua * POOLS_PER_ARENA + this.arenaCarved[ua];
      this.arenaCarved[ua]++;
    }
    this.arenaNFree[ua] = nf - 1;
    if (nf - 1 === 0) {
      this.usableArenas = this.arenaNext[ua];
      if (this.usableArenas >= 0) this.arenaPrev[this.usableArenas] = -1;
      this.arenaNext[ua] = -1;
    }
    this.poolClass[pool] = cls;
    this.poolCount[pool] = 0;
    this.linkUsedFront(pool, cls);
    return pool;
  }

  private insertToFreepool(pool: number, cls: number): void {
    this.unlinkUsed(pool, cls);
    const ao = this.arenaOf(pool);
    this.poolNextFree[pool] = this.arenaFreePools[ao];
    this.arenaFreePools[ao] = pool;
    let nf = this.arenaNFree[ao];
    const lastnf = this.nfp2lasta[nf];
    if (lastnf === ao) {
      const p = this.arenaPrev[ao];
      this.nfp2lasta[nf] = p >= 0 && this.arenaNFree[p] === nf ? p : -1;
    }
    nf = ++this.arenaNFree[ao];

    // Case 1: the arena is wholly free and is not the last usable arena: release it.
    if (nf === USABLE_POOLS_PER_ARENA && this.arenaNext[ao] >= 0) {
      this.unlinkArena(ao);
      this.arenaAllocated[ao] = 0;
      this.arenaNext[ao] = this.unusedArenas;
      this.unusedArenas = ao;
      this.arenasAllocated--;
      this.arenasReclaimed++;
      // its pools are forgotten: the next arena in this slot carves afresh
      for (let k = 0; k < POOLS_PER_ARENA; k++) this.poolClass[ao * POOLS_PER_ARENA + k] = -1;
      return;
    }
    if (nf === 1) {
      // Case 2: the arena was full, so it was not in usable_arenas: put it at the head.
      this.arenaNext[ao] = this.usableArenas;
      this.arenaPrev[ao] = -1;
      if (this.usableArenas >= 0) this.arenaPrev[this.usableArenas] = ao;
      this.usableArenas = ao;
      if (this.nfp2lasta[1] < 0) this.nfp2lasta[1] = ao;
      return;
    }
    if (this.nfp2lasta[nf] < 0) this.nfp2lasta[nf] = ao;
    // Case 3: already the rightmost of its old nfreepools value: still in order.
    if (ao === lastnf) return;
    // Case 4: move ao right after lastnf.
    this.unlinkArena(ao);
    const after = lastnf;
    this.arenaPrev[ao] = after;
    this.arenaNext[ao] = this.arenaNext[after];
    if (this.arenaNext[after] >= 0) this.arenaPrev[this.arenaNext[after]] = ao;
    this.arenaNext[after] = ao;
  }

  private unlinkArena(ao: number): void {
    const p = this.arenaPrev[ao];
    const n = this.arenaNext[ao];
    if (p >= 0) this.arenaNext[p] = n;
    else this.usableArenas = n;
    if (n >= 0) this.arenaPrev[n] = p;
    this.arenaPrev[ao] = -1;
    this.arenaNext[ao] = -1;
  }
}

function pad(v: number, width: number): string {
  return String(v).padStart(width);
}

/** printone (obmalloc.c): the label padded to 35 columns, '=', the value with commas in 21 columns. */
export function printone(label: string, value: number): string {
  const digits = String(Math.trunc(value));
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${label.padEnd(35)}=${withCommas.padStart(21)}\n`;
}

/** _PyDebugAllocatorStats: one freelist line. */
export function allocatorStatsLine(count: number, blockName: string, sizeofBlock: number): string {
  return printone(`${`${count} ${blockName} * ${sizeofBlock} bytes each`.padStart(48)} `, count * sizeofBlock);
}
