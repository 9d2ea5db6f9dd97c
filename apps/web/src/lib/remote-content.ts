/** Senders whose remote content the user chose to always show (this browser only). */
const KEY = "pismo.remote-allowed";

export function remoteAllowedFor(address: string | undefined): boolean {
  if (!address) return false;
  try {
    return (JSON.parse(localStorage.getItem(KEY) ?? "[]") as string[]).includes(address.toLowerCase());
  } catch {
    return false;
  }
}

export function allowRemoteFor(address: string): void {
  const list = new Set<string>(JSON.parse(localStorage.getItem(KEY) ?? "[]") as string[]);
  list.add(address.toLowerCase());
  localStorage.setItem(KEY, JSON.stringify([...list]));
}
