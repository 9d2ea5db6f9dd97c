import type { Piece } from "./part-walker";

// The walked pieces as the two bodies a view carries: HTML (plain text escaped into a
// pre-wrapped block) and plain text, each taking the most preferred alternative that has it.

export function hasKind(pieces: Piece[], kind: "text" | "html"): boolean {
  return pieces.some((piece) =>
    piece.kind === "alt" ? piece.choices.some((c) => hasKind(c, kind)) : piece.kind === kind,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderHtml(pieces: Piece[]): string {
  return pieces
    .map((piece) => {
      if (piece.kind === "html") return piece.value;
      if (piece.kind === "text") return `<div style="white-space: pre-wrap">${escapeHtml(piece.value)}</div>`;
      const best =
        [...piece.choices].reverse().find((c) => hasKind(c, "html")) ??
        [...piece.choices].reverse().find((c) => c.length > 0);
      return best ? renderHtml(best) : "";
    })
    .filter((part) => part !== "")
    .join("\n");
}

export function renderText(pieces: Piece[]): string {
  return pieces
    .map((piece) => {
      if (piece.kind === "text") return piece.value;
      if (piece.kind === "html") return "";
      const best = [...piece.choices].reverse().find((c) => hasKind(c, "text"));
      return best ? renderText(best) : "";
    })
    .filter((part) => part !== "")
    .join("\n");
}
