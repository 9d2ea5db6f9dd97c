"use client";

import { useEffect, useState } from "react";
import { useTranslation } from "@/i18n/react";
import { languages } from "@/i18n";

type Theme = "system" | "light" | "dark";

function applyTheme(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

// On a phone the header is tight: the pickers give up width (their text truncates) before
// anything overlaps the name or the search button.
const selectClass =
  "min-w-0 max-w-[6.5rem] rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs sm:max-w-none dark:border-slate-700 dark:bg-slate-900";

/** Language and theme pickers, kept in localStorage (they are about this browser). */
export function Preferences() {
  const { t, i18n } = useTranslation();
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem("pismo.theme") as Theme | null) ?? "system",
  );

  useEffect(() => {
    applyTheme(theme);
    if (theme !== "system") {
      localStorage.setItem("pismo.theme", theme);
      return;
    }
    localStorage.removeItem("pismo.theme");
    // "System" follows the device while the page is open (a phone turning dark at sunset).
    const scheme = matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyTheme("system");
    scheme.addEventListener("change", follow);
    return () => scheme.removeEventListener("change", follow);
  }, [theme]);

  return (
    <div className="flex min-w-0 items-center gap-2">
      <label className="sr-only" htmlFor="pref-language">
        {t("language.label")}
      </label>
      <select
        id="pref-language"
        className={selectClass}
        value={i18n.resolvedLanguage?.startsWith("sr") ? "sr" : "en"}
        onChange={(e) => void i18n.changeLanguage(e.target.value)}
      >
        {languages.map((lng) => (
          <option key={lng} value={lng}>
            {t(`language.${lng}`)}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="pref-theme">
        {t("theme.label")}
      </label>
      <select
        id="pref-theme"
        className={selectClass}
        value={theme}
        onChange={(e) => setTheme(e.target.value as Theme)}
      >
        {(["system", "light", "dark"] as const).map((v) => (
          <option key={v} value={v}>
            {t(`theme.${v}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
