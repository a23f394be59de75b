// The method resolution order (typeobject.c's mro_implementation): C3 linearization of the bases.
import type { ClassInfo } from '../vm/runtime';

/** C3 linearization: the class, then a merge of its bases' MROs and the bases list; null when
 * the bases admit no consistent order (CPython raises TypeError then). */
export function c3Mro(cls: ClassInfo, bases: ClassInfo[]): ClassInfo[] | null {
  const seqs = [...bases.map((b) => [...b.mro]), [...bases]];
  const out = [cls];
  for (;;) {
    const rest = seqs.filter((s) => s.length > 0);
    if (rest.length === 0) return out;
    let next: ClassInfo | null = null;
    for (const s of rest) {
      const c = s[0];
      if (!rest.some((t) => t.indexOf(c) > 0)) {
        next = c;
        break;
      }
    }
    if (!next) return null;
    out.push(next);
    for (const s of rest) if (s[0] === next) s.shift();
  }
}
