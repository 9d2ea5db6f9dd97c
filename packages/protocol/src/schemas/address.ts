import { z } from "zod";

/** A mailbox (RFC 5322 §3.4). `address` is always the real address, shown next to the display
 * name; `name` is "" when the header names none. The one address shape of every schema. */
export const addressSchema = z.object({ name: z.string(), address: z.string() });
export type Address = z.infer<typeof addressSchema>;
