export { EMPTY_LATENT, LATENT_BOX, moveLatent, roundLatent, withLatent, type DrawKind, type LatentPoint } from './latent.js';
export { InstanceSpace, type Built, type Recipe } from './instance-space.js';
export { Budget, evaluate, isCounterexample, type Evaluation } from './evaluate.js';
export { localSearch, type Candidate, type LocalSearchOptions, type SearchContext } from './targeted.js';
export { shrinkCounterexample, type ShrinkOptions, type ShrinkResult } from './shrink.js';
export { runSearch, type SearchInstance, type SearchOptions, type SearchPhase, type SearchReport } from './search.js';
export { parseReplayFile, replayFileFor, replayFileJson, replaySearch, type ReplayFile, type ReplayResult } from './replay.js';
