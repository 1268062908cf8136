export { CLI_ERROR_CODES } from './error-codes.js';
export type { Io, OutputStream } from './io.js';
export { main } from './main.js';
export { type DoctorRow, renderDoctorReport } from './output/doctor-report.js';
export { type ErrorFacts, renderError } from './output/render-error.js';
