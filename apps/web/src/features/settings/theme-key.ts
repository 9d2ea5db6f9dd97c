/** localStorage key of the chosen theme ("light" or "dark"; none: the system's). */
export const THEME_KEY = "pismo.theme";
