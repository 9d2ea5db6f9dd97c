import type { TemplateStore } from "../templates/template-store";
import type { Pop3Store } from "./pop3-store";

/** POP3: templates kept in this browser with the account's settings (exported with them). */
export function pop3TemplateStore(store: Pop3Store): TemplateStore {
  const find = async (id: string) => {
    const found = (await store.templates()).find((t) => t.id === id);
    if (!found) throw new Error("That template is gone");
    return found;
  };
  return {
    local: true,
    key: "local",
    list: async () => (await store.templates()).map((t) => ({ id: t.id, name: t.name })),
    async load(item) {
      const { name, text, html } = await find(item.id);
      return { name, text, html };
    },
    async save(body) {
      await store.addTemplate(body);
    },
    remove: (item) => store.removeTemplate(item.id),
  };
}
