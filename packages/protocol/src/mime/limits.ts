// Limits that keep time and memory bounded on pathological messages (flanker's
// torture.eml and enclosed-endless.eml, header bombs, deeply nested multiparts). Going over
// a limit never fails the parse: the view says so with a note and shows what was read.

/** Bounds applied by parseMessage; every field can be overridden per call. */
export interface MimeLimits {
  /**
   * Largest raw message whose body is parsed. A larger one has only its header block read
   * (TOO_LARGE note); its body can still be downloaded as a whole.
   * @default 25 * 1024 * 1024 (25 MiB, the common SMTP size limit)
   */
  maxRawBytes: number;
  /**
   * Most MIME parts walked; later parts are skipped (TOO_MANY_PARTS note).
   * @default 500
   */
  maxParts: number;
  /**
   * Deepest multipart nesting walked (the root is depth 0); deeper parts are skipped
   * (TOO_DEEP note). Real mail rarely exceeds 6.
   * @default 20
   */
  maxDepth: number;
  /**
   * Largest single header block. Fields past it are dropped, except the Content-* fields
   * that decide how the body is read (HEADER_TOO_LARGE note).
   * @default 256 * 1024 (256 KiB)
   */
  maxHeaderBytes: number;
  /**
   * Largest sum of every part's header block. Past it the MIME structure is not read and
   * only the top-level headers are shown (HEADER_TOO_LARGE note).
   * @default 2 * 1024 * 1024 (2 MiB)
   */
  maxTotalHeaderBytes: number;
  /**
   * Most characters of body text (and, separately, of HTML) returned; the rest is cut
   * (TRUNCATED_BODY note). The full part can still be downloaded.
   * @default 2 * 1024 * 1024
   */
  maxBodyChars: number;
}

/** The defaults documented on MimeLimits. */
export const DEFAULT_MIME_LIMITS: Readonly<MimeLimits> = Object.freeze({
  maxRawBytes: 25 * 1024 * 1024,
  maxParts: 500,
  maxDepth: 20,
  maxHeaderBytes: 256 * 1024,
  maxTotalHeaderBytes: 2 * 1024 * 1024,
  maxBodyChars: 2 * 1024 * 1024,
});

/** Merges overrides into the defaults; a non-positive or non-integer limit is a programmer error. */
export function resolveLimits(overrides: Partial<MimeLimits> | undefined): MimeLimits {
  const limits: MimeLimits = { ...DEFAULT_MIME_LIMITS };
  for (const key of Object.keys(DEFAULT_MIME_LIMITS) as Array<keyof MimeLimits>) {
    const value = overrides?.[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`MimeLimits.${key} must be a positive integer`);
    limits[key] = value;
  }
  return limits;
}
