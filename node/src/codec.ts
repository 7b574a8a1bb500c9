// The codec module (avif_codec.{js,wasm}, src/codec/): AVIF encode, and
// HEIF/AVIF and TIFF decode (the module picks the decoder by magic bytes),
// for the core module's Encode and Decode replies. It is a
// module of its own so the core's size and cold start do not carry aom:
// nothing of it is read, compiled or instantiated until the first request
// that needs it (measured: bench/README.md "AVIF"). No pthreads: each call
// runs synchronously on this thread, one at a time (engine.ts serialises).
//
// A failure of the module itself (a trap, an out-of-memory abort, a missing
// file) is reported as the `unavailable` outcome, so the core answers the
// request; the instance is dropped and the next call starts a fresh one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodecError, CodecOutcome, EncodeReply } from './engine-messages';
import type { Body } from './origin-types';
import { packageDir } from './package-files';

/** The codec module's exports (src/codec/exports.txt). */
interface CodecModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  _codec_encode(pixels: number, width: number, height: number, channels: number, quality: number, speed: number): number;
  _codec_decode(file: number, length: number, maxPixels: number): number;
  _codec_result(): number;
  _codec_result_length(): number;
  _codec_icc_length(): number;
  _codec_width(): number;
  _codec_height(): number;
  _codec_channels(): number;
  _codec_failure(): number;
  _codec_error(): number;
  _codec_release(): void;
  UTF8ToString(ptr: number): string;
  HEAPU8: Uint8Array;
}

type Factory = (overrides: Record<string, unknown>) => Promise<CodecModule>;

/** What resume() is told, and the bytes it is given (a copy the caller owns
 * until the next codec call: a view into the codec's memory). */
export interface CodecResult {
  outcome: CodecOutcome;
  bytes: Uint8Array;
}

/**
 * An instance whose memory has grown past this is dropped after the call:
 * wasm memory never shrinks, and a 16 MP encode leaves ~400 MiB behind.
 * A fresh instance costs ~10 ms from the compiled module.
 */
export const CODEC_RETIRE_BYTES = 192 * 1024 * 1024;

const NO_BYTES = new Uint8Array(0);

export class Codec {
  private compiled: Promise<WebAssembly.Module> | null = null;
  private instance: Promise<CodecModule> | null = null;
  readonly stats = { instancesStarted: 0, failures: 0 };

  constructor(
    private readonly dir: string = packageDir,
    private readonly name: string = 'avif_codec',
  ) {}

  private live(): Promise<CodecModule> {
    if (!this.compiled) this.compiled = WebAssembly.compile(fs.readFileSync(path.join(this.dir, `${this.name}.wasm`)));
    if (!this.instance) {
      const compiled = this.compiled;
      this.stats.instancesStarted++;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const factory = require(path.join(this.dir, `${this.name}.js`)) as Factory;
      this.instance = factory({
        instantiateWasm(imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
          compiled.then(async (m) => receive(await WebAssembly.instantiate(m, imports), m)).catch(() => undefined);
          return {};
        },
        print: (s: string) => process.stdout.write(s + '\n'),
        printErr: (s: string) => process.stderr.write(s + '\n'),
      });
      // A failed load is retried by the next call.
      this.instance.catch(() => {
        this.instance = null;
        this.compiled = null;
      });
    }
    return this.instance;
  }

  /** `pixels` (interleaved 8-bit sRGB, as the Encode reply describes) -> AVIF. */
  encode(pixels: Uint8Array, request: Pick<EncodeReply, 'width' | 'height' | 'channels' | 'quality' | 'speed'>): Promise<CodecResult> {
    return this.run((mod) => {
      const at = this.copyIn(mod, [pixels], pixels.length);
      try {
        return mod._codec_encode(at, request.width, request.height, request.channels, request.quality, request.speed);
      } finally {
        mod._free(at);
      }
    }, (_mod, bytes) => ({ bytes: bytes.length }));
  }

  /** A HEIF/AVIF or TIFF file -> its pixels followed by its ICC profile. */
  decode(body: Body, maxPixels: number): Promise<CodecResult> {
    return this.run((mod) => {
      const at = this.copyIn(mod, body.chunks, body.length);
      try {
        return mod._codec_decode(at, body.length, maxPixels);
      } finally {
        mod._free(at);
      }
    }, (mod, bytes) => ({
      bytes: bytes.length,
      width: mod._codec_width(),
      height: mod._codec_height(),
      channels: mod._codec_channels(),
      iccBytes: mod._codec_icc_length(),
    }));
  }

  /** Frees the last result (call once its bytes are copied). */
  release(): void {
    void this.instance?.then((mod) => {
      mod._codec_release();
      if (mod.HEAPU8.buffer.byteLength > CODEC_RETIRE_BYTES) this.instance = null;
    }, () => undefined);
  }

  private async run(call: (mod: CodecModule) => number, done: (mod: CodecModule, bytes: Uint8Array) => CodecOutcome): Promise<CodecResult> {
    let mod: CodecModule;
    try {
      mod = await this.live();
    } catch (e) {
      return this.unavailable(`cannot load the codec module: ${describe(e)}`);
    }
    try {
      const status = call(mod);
      if (status !== 0) {
        // The kind is already the core's CodecError name (heif_codec.hpp failure_name).
        const error = mod.UTF8ToString(mod._codec_failure()) as CodecError;
        return { outcome: { error, message: mod.UTF8ToString(mod._codec_error()) }, bytes: NO_BYTES };
      }
      // A fresh view: memory may have grown during the call.
      const bytes = new Uint8Array(mod.HEAPU8.buffer, mod._codec_result(), mod._codec_result_length());
      return { outcome: done(mod, bytes), bytes };
    } catch (e) {
      this.instance = null; // trapped or aborted: never called again
      return this.unavailable(`the codec module failed: ${describe(e)}`);
    }
  }

  private unavailable(message: string): CodecResult {
    this.stats.failures++;
    return { outcome: { error: 'unavailable', message }, bytes: NO_BYTES };
  }

  private copyIn(mod: CodecModule, chunks: readonly Uint8Array[], length: number): number {
    const at = mod._malloc(Math.max(length, 1));
    if (!at) throw new Error(`codec malloc failed for ${length} bytes`);
    let offset = at;
    for (const c of chunks) {
      mod.HEAPU8.set(c, offset);
      offset += c.length;
    }
    return at;
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
