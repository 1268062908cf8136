export type { Io, OutputStream } from './io.js';
export { main } from './main.js';
