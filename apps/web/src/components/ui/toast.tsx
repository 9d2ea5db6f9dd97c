"use client";

import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { NoticeArea } from "./notice";

interface Toast {
  id: number;
  text: string;
  tone: "info" | "error";
}
const ToastContext = createContext<(text: string, tone?: Toast["tone"]) => void>(() => undefined);

export function useToast() {
  return useContext(ToastContext);
}

/**
 * Short notices at the bottom; errors are announced as alerts. They hold only text, so clicks go
 * through them (to the compose window's Send under one). On a wider screen they stand at the
 * bottom left, above the undo notices; while the compose window is open, clear of it.
 */
export function ToastRoot({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback((text: string, tone: Toast["tone"] = "info") => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-2), { id, text, tone }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === "error" ? 8000 : 4000);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <NoticeArea aboveOthers className="bottom-4 flex-col items-center gap-2 md:bottom-16 md:items-start">
        {toasts.map((t) => (
          <div
            key={t.id}
            role={t.tone === "error" ? "alert" : "status"}
            className={`max-w-lg rounded-lg px-4 py-2 text-sm shadow-lg md:max-w-xs ${t.tone === "error" ? "bg-red-700 text-white" : "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900"}`}
          >
            {t.text}
          </div>
        ))}
      </NoticeArea>
    </ToastContext.Provider>
  );
}
