#!/usr/bin/env node
// Placeholder for the netsim CLI; run directly by Node 24's type stripping.
console.log('netsim: not built yet');
process.exit(0);
