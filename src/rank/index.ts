// Rank instruments (THEORY §4): numerical rank with its threshold and gap, dead hidden directions, principal
// angles, balancedness, the B_r surrogate, and a trajectory recorder with rank events.

export * from './dead-directions.js';
export * from './numerical-rank.js';
export * from './recorder.js';
export * from './spectra.js';
