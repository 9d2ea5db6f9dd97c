import { JSDOM } from "jsdom";
import { createSanitizer } from "./index";
const s = createSanitizer(new JSDOM("").window as unknown as Window);
for (const h of process.argv.slice(2)) { for (const r of [false,true]) console.log(r, JSON.stringify(s(h, { allowRemote: r }))); }
