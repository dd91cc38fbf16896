/** Light / dark / auto theme, saved in localStorage and applied as `<html data-theme>`. */

/** The user's choice. */
export type ThemeChoice = "light" | "dark" | "auto";

const KEY = "satchel_theme";
const media = matchMedia("(prefers-color-scheme: dark)");

/** The current choice and the theme in effect. */
export const theme = $state({ choice: (localStorage.getItem(KEY) as ThemeChoice) || "auto", dark: false });

function apply(): void {
  theme.dark = theme.choice === "dark" || (theme.choice === "auto" && media.matches);
  document.documentElement.dataset.theme = theme.dark ? "dark" : "light";
}

apply();
media.addEventListener("change", apply);

/** Cycles auto → light → dark → auto. */
export function cycleTheme(): void {
  theme.choice = theme.choice === "auto" ? "light" : theme.choice === "light" ? "dark" : "auto";
  localStorage.setItem(KEY, theme.choice);
  apply();
}
