// Shared constants of the engine.
export const NULL = 0;

// List heads are reserved ids below FIRST_ID; an object's `owner` names the list it is linked in.
export const GEN0 = 1;
export const GEN1 = 2;
export const GEN2 = 3;
export const PERMANENT = 4;
export const FIRST_ID = 16;
export const GEN_HEAD = [GEN0, GEN1, GEN2];

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_SAVEALL = 32;
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;
