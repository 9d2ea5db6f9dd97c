import { CommandSocket } from "../line-protocol/command-socket";
import { errorFromStatus, SieveError } from "./errors";
import { SieveDecoder, type SieveAnswer } from "./response";

/**
 * The ManageSieve socket shell: the line protocols' `CommandSocket` (one command at a time,
 * an inactivity timer, fail-everything-and-destroy) around the pure `SieveDecoder`, with what
 * ManageSieve adds: an unsolicited BYE ends the session. It knows no ManageSieve commands:
 * those, the connect and the STARTTLS upgrade live in client.ts.
 */

interface Pending {
  /** The bytes to write, or null to wait for an answer the server sends unasked (greeting). */
  readonly data: Buffer | null;
  /** The verb, for errors: never the arguments (AUTHENTICATE carries the password). */
  readonly verb: string;
  resolve(answer: SieveAnswer): void;
  reject(error: Error): void;
}

export class SieveConnection extends CommandSocket<Pending> {
  readonly #decoder: SieveDecoder;

  /** `timeoutMs`: how long a command may wait without the server sending a single byte. */
  constructor(maxAnswerBytes: number, timeoutMs: number) {
    super("ManageSieve", timeoutMs, (code, message, options) => new SieveError(code, message, options));
    this.#decoder = new SieveDecoder(maxAnswerBytes);
  }

  /** Bytes read that are not yet part of a whole answer. */
  get buffered(): number {
    return this.#decoder.buffered;
  }

  /**
   * Queues a command (or, with `data` null, the wait for an answer sent unasked) and resolves
   * with its whole answer, NO included: the caller decides what a NO means.
   */
  send(data: Buffer | null, verb: string): Promise<SieveAnswer> {
    return new Promise<SieveAnswer>((resolve, reject) => {
      this.enqueue({ data, verb, resolve, reject });
    });
  }

  protected override onBytes(chunk: Buffer): void {
    let answers: SieveAnswer[];
    try {
      answers = this.#decoder.push(chunk);
    } catch (error) {
      this.fail(
        new SieveError("SERVER_REFUSED", `ManageSieve protocol error: ${(error as Error).message}`, {
          cause: error,
        }),
      );
      return;
    }
    for (const answer of answers) {
      const pending = this.inflight;
      if (pending === null) {
        // An unsolicited BYE (RFC 5804 section 1.2: e.g. the server shuts down).
        if (answer.status.kind === "bye") this.fail(errorFromStatus("BYE", answer.status));
        else
          this.fail(new SieveError("SERVER_REFUSED", "ManageSieve protocol error: an answer to no command"));
        return;
      }
      this.finish();
      pending.resolve(answer);
      if (answer.status.kind === "bye") {
        this.fail(errorFromStatus(pending.verb, answer.status));
        return;
      }
    }
    this.pump();
  }

  protected override begin(next: Pending): void {
    if (next.data !== null) this.write(next.data);
  }
}
