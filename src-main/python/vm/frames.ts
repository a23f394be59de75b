// Frames and their frame objects: releasing a frame's locals, frame objects that outlive their
// frame (take_ownership), and one traceback object per frame an exception passes through.
import { NULL } from '../../sim';
import type { Runtime, Frame, PyErr, Id, CodeInfo } from './runtime';

/**
 * take_ownership (3.11): a frame object that outlives its frame (held by a traceback) takes
 * over the frame's locals and links f_back to its caller's frame object, created if needed.
 */
function takeOwnership(R: Runtime, f: Frame, fo: Id): void {
  const h = R.heap;
  if (f.back) {
    if (!f.back.frameObj) f.back.frameObj = R.alloc(R.T.frame, frameObjectSize(R, f.back.code));
    h.appendRef(fo, f.back.frameObj);
  } else if (R.driverCaller && f.code.name === '<module>') {
    if (!R.driverFrameObj) R.driverFrameObj = R.alloc(R.T.frame, R.sz.frame + 8 * 3);
    h.appendRef(fo, R.driverFrameObj);
  }
  for (const v of f.fast) if (v) h.appendRef(fo, v);
  for (const v of f.cells) if (v) h.appendRef(fo, v);
}

export function releaseFrame(R: Runtime, f: Frame): void {
  const h = R.heap;
  if (f.frameObj && h.refcount(f.frameObj) > 1 && h.refLen(f.frameObj) === 0) takeOwnership(R, f, f.frameObj);
  const fast = f.fast;
  for (let i = 0; i < fast.length; i++) {
    const v = fast[i];
    if (v) {
      fast[i] = 0;
      h.decref(v);
    }
  }
  const cells = f.cells;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v) {
      cells[i] = 0;
      h.decref(v);
    }
  }
  if (f.frameObj) {
    const fo = f.frameObj;
    f.frameObj = 0;
    h.decref(fo);
  }
}

/** A frame object embeds a copy of its frame: locals plus the value stack (frame_sizeof). */
export function frameObjectSize(R: Runtime, code: CodeInfo): number {
  const stack = code.stackSize ?? 3;
  return R.sz.frame + 8 * (code.nLocals + code.nCells + code.nFree + stack);
}

/** PyTraceBack_Here: one traceback object per frame the exception passes through. */
export function addTraceback(R: Runtime, e: PyErr, f: Frame): void {
  if (e.lastFrame === f) return;
  e.lastFrame = f;
  if (!f.frameObj) f.frameObj = R.alloc(R.T.frame, frameObjectSize(R, f.code));
  const tb = R.alloc(R.T.traceback, R.sz.traceback);
  R.P[tb] = { filename: f.code.filename, line: f.line, name: f.code.name };
  const prev = R.getInstanceAttr(e.exc, '__traceback__');
  R.heap.appendRef(tb, prev || NULL);
  R.heap.appendRef(tb, f.frameObj);
  R.setAttr(e.exc, '__traceback__', tb);
  R.decref(tb);
}
