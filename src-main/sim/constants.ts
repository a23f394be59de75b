// Shared constants of the engine.
export const NULL = 0;

// List heads are reserved ids below FIRST_ID; an object's `owner` names the list it is linked in.
// Generation i's head is GEN0 + i, the permanent generation's GEN0 + (number of generations);
// GEN1, GEN2 and PERMANENT name them for the 3-generation profiles (3.11–3.13).
export const GEN0 = 1;
export const GEN1 = 2;
export const GEN2 = 3;
export const PERMANENT = 4;
export const FIRST_ID = 16;

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_SAVEALL = 32;
export const DEBUG_LEAK = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;
