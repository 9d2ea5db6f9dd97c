"use client";

import { useRef } from "react";
import { buttonClass } from "./dialog";

/**
 * A button that opens the file picker, with the file input itself hidden from sight and from
 * Tab (the button is what people reach) but named for screen readers and tests. The input is
 * emptied after each pick, so the same file can be chosen again after a failed import.
 */
export function FileImportButton({
  label,
  inputLabel,
  accept,
  onFile,
}: {
  label: string;
  inputLabel: string;
  accept: string;
  onFile: (file: File) => void;
}) {
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={buttonClass.secondary} onClick={() => fileRef.current?.click()}>
        {label}
      </button>
      <input
        ref={fileRef}
        type="file"
        accept={accept}
        aria-label={inputLabel}
        className="sr-only"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) onFile(file);
        }}
      />
    </>
  );
}
