/** The number on the badge: past 99 the dot says "99+" rather than growing off the icon. */
export function badgeLabel(unread: number): string | null {
  if (!Number.isFinite(unread) || unread <= 0) return null;
  return unread > 99 ? "99+" : String(Math.floor(unread));
}

/**
 * The app's icon (app/icon.svg) with the Inbox's unread count in a red dot, as an SVG: it
 * stays sharp at every favicon size and needs no canvas. With no unread mail it is the plain
 * icon.
 */
export function badgedIconSvg(unread: number): string {
  const label = badgeLabel(unread);
  const icon =
    '<rect width="32" height="32" rx="7" fill="#2563eb"/>' +
    '<path d="M7 10h18v12H7z" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"/>' +
    '<path d="m7 10 9 7 9-7" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"/>';
  const badge = label
    ? `<g data-unread="${label}"><rect x="${label.length > 1 ? 9 : 14}" y="0" width="${label.length > 1 ? 23 : 18}" height="18" rx="9" fill="#dc2626" stroke="#fff" stroke-width="1.5"/>` +
      `<text x="${label.length > 1 ? 20.5 : 23}" y="13.5" font-family="Arial,Helvetica,sans-serif" font-size="${label.length > 2 ? 9 : 12}" font-weight="700" fill="#fff" text-anchor="middle">${label}</text></g>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${icon}${badge}</svg>`;
}

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
