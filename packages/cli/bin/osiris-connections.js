#!/usr/bin/env node
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
// Everything is printed by now. A connector that ignored doctor's timeout may still hold a socket
// open: give it a moment to close, but do not let it keep the command from ending.
setTimeout(() => process.exit(), 1000).unref();
