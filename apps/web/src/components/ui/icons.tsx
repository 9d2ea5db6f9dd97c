/** Small stroke icons (no icon font: nothing to download, nothing missing on a system). */
export function Svg({
  d,
  className = "size-3.5",
  strokeWidth = 2,
}: {
  d: string;
  className?: string;
  strokeWidth?: number;
}) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 24 24"
      className={`shrink-0 ${className}`}
      fill="none"
      stroke="currentColor"
      strokeWidth={strokeWidth}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={d} />
    </svg>
  );
}

export const PaperclipIcon = (p: { className?: string }) => (
  <Svg {...p} d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5" />
);
export const FlagIcon = (p: { className?: string }) => <Svg {...p} d="M5 21V4h11l-2 4 2 4H5" />;
export const EyeIcon = (p: { className?: string }) => (
  <Svg {...p} d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z" />
);
export const LinkIcon = (p: { className?: string }) => (
  <Svg
    {...p}
    d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"
  />
);
