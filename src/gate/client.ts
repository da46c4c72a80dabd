import { validate } from '../json/validate.js';
import { Matrix } from '../linalg/matrix.js';
import { transpose } from '../linalg/products.js';
import type { Data } from '../model/loss.js';
import { DecodeError, decodeMatrix, decodeWeights, encodeMatrix, encodeWeights, type WireMatrix } from './codec.js';
import { ImplementationProcess, type ProcessOptions } from './process.js';
import {
  type Capability,
  type Encoding,
  type Handshake,
  PROTOCOL_VERSION,
  ProtocolError,
  Unsupported,
} from './protocol.js';
import { protocolSchema, RESPONSE_DEF } from './schema.js';

/**
 * The typed side of the protocol: each method sends one request built from dlnv matrices (in THEORY's
 * 'columns' layout; the client converts to the implementation's declared layout) and returns decoded,
 * schema-checked, shape-checked, finite matrices — or throws the ProtocolError that ends the run.
 */

export interface ConnectOptions extends ProcessOptions {
  /** Timeout for the handshake (interpreter start-up and imports; torch takes seconds). */
  readonly startupTimeoutMs: number;
  /** Force an encoding; default: base64 when the implementation reads it, else JSON. */
  readonly encoding?: Encoding;
}

const shapesOf = (ws: readonly Matrix[]): [number, number][] => ws.map((w) => [w.rows, w.cols]);

export class GateClient {
  private constructor(
    readonly process: ImplementationProcess,
    readonly handshake: Handshake,
    readonly encoding: Encoding,
  ) {}

  /** Start the implementation and perform the handshake. */
  static async connect(command: string, options: ConnectOptions): Promise<GateClient> {
    const proc = new ImplementationProcess(command, options);
    try {
      const answer = await proc.request(
        { op: 'hello', protocol: PROTOCOL_VERSION },
        options.startupTimeoutMs,
        '--startup-timeout',
      );
      const problem = validate(protocolSchema, answer, 'helloResponse');
      if (problem) {
        const version = answer.protocol;
        if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
          throw new ProtocolError(
            `the implementation speaks protocol ${version}; this gate speaks protocol ${PROTOCOL_VERSION}`,
          );
        }
        throw new ProtocolError(`handshake answer does not follow the protocol: ${problem}`);
      }
      const hello = answer as unknown as Handshake & { encodings?: Encoding[] };
      const encodings = hello.encodings ?? ['json'];
      const handshake: Handshake = {
        protocol: hello.protocol,
        implementation: hello.implementation,
        dtype: hello.dtype,
        conventions: hello.conventions,
        capabilities: [...new Set(hello.capabilities)],
        encodings,
      };
      if (options.encoding === 'base64' && !encodings.includes('base64')) {
        throw new ProtocolError("--encoding base64: the implementation does not list 'base64' among its encodings");
      }
      const encoding: Encoding = options.encoding ?? (encodings.includes('base64') ? 'base64' : 'json');
      return new GateClient(proc, handshake, encoding);
    } catch (e) {
      await proc.close(0);
      if (e instanceof ProtocolError)
        throw new ProtocolError(`handshake: ${e.message}`, () => e.stderrTail || proc.failure?.stderrTail || '');
      throw e;
    }
  }

  has(capability: Capability): boolean {
    return this.handshake.capabilities.includes(capability);
  }

  close(): Promise<void> {
    return this.process.close();
  }

  private m(x: Matrix): WireMatrix {
    return encodeMatrix(x, this.encoding);
  }

  private ws(x: readonly Matrix[]): WireMatrix[] {
    return encodeWeights(x, this.encoding);
  }

  /** X, Y (given in THEORY's columns layout) and λ as the implementation reads them. */
  private dataFields(data: Data, lambda: number): Record<string, unknown> {
    const rows = this.handshake.conventions.layout === 'rows';
    return {
      X: this.m(rows ? transpose(data.X) : data.X),
      Y: this.m(rows ? transpose(data.Y) : data.Y),
      weight_decay: lambda,
    };
  }

  private async call(body: Record<string, unknown> & { op: string }): Promise<Record<string, unknown>> {
    const answer = await this.process.request(body);
    if ('unsupported' in answer) {
      const problem = validate(protocolSchema, answer, 'unsupportedResponse');
      if (problem) throw this.process.fail(`answer to ${body.op} does not follow the protocol: ${problem}`);
      throw new Unsupported(body.op, (answer.unsupported as string).split('\n')[0].slice(0, 200));
    }
    const problem = validate(protocolSchema, answer, RESPONSE_DEF[body.op]);
    if (problem) throw this.process.fail(`answer to ${body.op} does not follow the protocol: ${problem}`);
    return answer;
  }

  /** Decode with a DecodeError turned into the run-ending fault. */
  private decode<T>(op: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof DecodeError) throw this.process.fail(`answer to ${op}: ${e.message}`);
      throw e;
    }
  }

  async loss(points: readonly (readonly Matrix[])[], data: Data, lambda: number): Promise<number[]> {
    const a = await this.call({ op: 'loss', points: points.map((p) => this.ws(p)), ...this.dataFields(data, lambda) });
    const values = a.values as number[];
    if (values.length !== points.length)
      throw this.process.fail(
        `answer to loss: expected ${points.length} values (one per point), received ${values.length}`,
      );
    return values;
  }

  async gradients(weights: readonly Matrix[], data: Data, lambda: number): Promise<Matrix[]> {
    const a = await this.call({ op: 'gradients', weights: this.ws(weights), ...this.dataFields(data, lambda) });
    return this.decode('gradients', () => decodeWeights(a.gradients as WireMatrix[], '/gradients', shapesOf(weights)));
  }

  async gdStep(weights: readonly Matrix[], data: Data, lambda: number, lr: number): Promise<Matrix[]> {
    const a = await this.call({ op: 'gd_step', weights: this.ws(weights), ...this.dataFields(data, lambda), lr });
    return this.decode('gd_step', () => decodeWeights(a.weights as WireMatrix[], '/weights', shapesOf(weights)));
  }

  async sgdStep(
    weights: readonly Matrix[],
    data: Data,
    lambda: number,
    lr: number,
    samples: readonly number[],
  ): Promise<Matrix[]> {
    const a = await this.call({
      op: 'sgd_step',
      weights: this.ws(weights),
      ...this.dataFields(data, lambda),
      lr,
      samples: [...samples],
    });
    return this.decode('sgd_step', () => decodeWeights(a.weights as WireMatrix[], '/weights', shapesOf(weights)));
  }

  async endToEndOperator(w: Matrix, z: Matrix, depth: number): Promise<Matrix> {
    const a = await this.call({ op: 'end_to_end_operator', W: this.m(w), Z: this.m(z), depth });
    return this.decode('end_to_end_operator', () => decodeMatrix(a.result as WireMatrix, '/result', [w.rows, w.cols]));
  }

  /** A balanced factorization of `target`, or without one (capability 'balanced_init_random') a start of this rank and σ_1. */
  async balancedInit(
    target: Matrix | { rank: number; scale: number },
    widths: readonly number[],
    seed: number,
  ): Promise<Matrix[]> {
    const what = target instanceof Matrix ? { target: this.m(target) } : { rank: target.rank, scale: target.scale };
    const a = await this.call({ op: 'balanced_init', ...what, widths: [...widths], seed });
    const shapes = widths.slice(1).map((r, j) => [r, widths[j]] as [number, number]);
    return this.decode('balanced_init', () => decodeWeights(a.weights as WireMatrix[], '/weights', shapes));
  }

  async trajectory(
    weights: readonly Matrix[],
    data: Data,
    lambda: number,
    lr: number,
    steps: number,
  ): Promise<{ weights: Matrix[][]; losses?: number[] }> {
    const a = await this.call({
      op: 'trajectory',
      weights: this.ws(weights),
      ...this.dataFields(data, lambda),
      lr,
      steps,
    });
    const points = a.weights as WireMatrix[][];
    if (points.length !== steps + 1)
      throw this.process.fail(
        `answer to trajectory: expected ${steps + 1} points (the start and ${steps} steps), received ${points.length}`,
      );
    const losses = a.losses as number[] | undefined;
    if (losses !== undefined && losses.length !== steps + 1)
      throw this.process.fail(`answer to trajectory: expected ${steps + 1} losses, received ${losses.length}`);
    const decoded = this.decode('trajectory', () =>
      points.map((p, k) => decodeWeights(p, `/weights[${k}]`, shapesOf(weights))),
    );
    return losses ? { weights: decoded, losses } : { weights: decoded };
  }
}
