// The gate's public API: run it from code, read recorded runs, speak the protocol (docs/PROTOCOL.md).
export {
  PROTOCOL_VERSION, CAPABILITIES, EPSILON, ProtocolError, Unsupported, canonicalDecay,
  type Capability, type Conventions, type Dtype, type Encoding, type Handshake, type Layout, type LossScale, type WeightDecayForm,
} from './protocol.js';
export { protocolSchema, protocolSchemaText, REQUEST_DEF, RESPONSE_DEF } from './schema.js';
export { validate } from '../json/validate.js';
export { GateClient, type ConnectOptions } from './client.js';
export { ImplementationProcess, type ProcessOptions } from './process.js';
export { CHECKS, type GateCheck, type CheckContext, type InstanceOutcome } from './checks.js';
export { runGate, runTrajectory, type GateOptions, type GateReport, type CheckReport, type FailureReport } from './runner.js';
export { checkTrajectory, loadTrajectory, OFFLINE_CHECKS, type Trajectory, type OfflineResult } from './offline.js';
export { parseNpy, parseNpz, readZip, NpyError, type NpyArray } from './npy.js';
export { SAFETY, toleranceFor, type Tolerance } from './tolerance.js';
export { gateReportJson, gateReportJunit } from './report.js';
