// The operations compiled code performs (the bodies of ceval's opcodes), gathered in one
// namespace for the compiler: calls and frames (vm/), the abstract object layer (objects/).
export { call, callPython, runFrame } from './call';
export { addTraceback } from './frames';
export { binop, compare, getIter, inplace, iterNext, repr, str, toArray, truthy, unary } from '../objects/abstract';
export { formatSpec } from '../objects/format';
export { listExtend } from '../objects/list';

