import { z } from "zod";

/** One node of a BODYSTRUCTURE tree, shaped like imapflow's MessageStructureObject. */
export interface BodyStructureNode {
  /** IMAP part number ("1", "2.1"); imapflow leaves it out on the root. */
  part?: string | undefined;
  /** Lower-case media type, "text/plain" or "multipart/alternative". */
  type: string;
  parameters?: Record<string, string> | undefined;
  /** Content-ID, with angle brackets as the server sent it. */
  id?: string | undefined;
  description?: string | undefined;
  encoding?: string | undefined;
  size?: number | undefined;
  /** Envelope of an attached message/rfc822; not interpreted here. */
  envelope?: unknown;
  disposition?: string | undefined;
  dispositionParameters?: Record<string, string> | undefined;
  childNodes?: BodyStructureNode[] | undefined;
  md5?: string | undefined;
  language?: string[] | undefined;
  location?: string | undefined;
  lineCount?: number | undefined;
}

export const bodyStructureSchema: z.ZodType<BodyStructureNode> = z.lazy(() =>
  z.object({
    part: z.string().optional(),
    type: z.string(),
    parameters: z.record(z.string(), z.string()).optional(),
    id: z.string().optional(),
    description: z.string().optional(),
    encoding: z.string().optional(),
    size: z.number().optional(),
    envelope: z.unknown().optional(),
    disposition: z.string().optional(),
    dispositionParameters: z.record(z.string(), z.string()).optional(),
    childNodes: z.array(bodyStructureSchema).optional(),
    md5: z.string().optional(),
    language: z.array(z.string()).optional(),
    location: z.string().optional(),
    lineCount: z.number().optional(),
  }),
);
