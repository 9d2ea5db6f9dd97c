import type { ReactNode } from "react";
import type { TFunction } from "@/i18n/react";

/** The bar at the top: the app's name, then what the screen puts there (`children`). The page's
 * early sign-in copy (pages/_document.tsx) draws it too, with the name alone. */
export function AppHeader({ t, children }: { t: TFunction; children?: ReactNode }) {
  return (
    <header className="relative flex h-12 shrink-0 items-center justify-between gap-2 border-b border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex shrink-0 items-baseline gap-2">
        <span className="text-lg font-semibold tracking-tight text-accent">{t("app.name")}</span>
        <span className="hidden text-xs text-slate-500 sm:inline dark:text-slate-400">
          {t("app.tagline")}
        </span>
      </div>
      {children}
    </header>
  );
}
