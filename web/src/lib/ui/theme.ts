/** What someone chose in the nav bar's theme switch: a fixed theme, or whatever their system prefers. */
export type ThemeChoice = 'light' | 'dark' | 'system';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['light', 'dark', 'system'];
/** The localStorage key of the choice (per browser, like the autosave preference). */
export const THEME_PREFERENCE = 'kai.theme';
export const DARK_QUERY = '(prefers-color-scheme: dark)';

/** A stored choice, or `system` when nothing (or something unknown) is stored: a first visit follows the system. */
export function parseThemeChoice(stored: string | null): ThemeChoice {
  return THEME_CHOICES.find((choice) => choice === stored) ?? 'system';
}

/** The choice stored in this browser. */
export function storedThemeChoice(): ThemeChoice {
  return parseThemeChoice(localStorage.getItem(THEME_PREFERENCE));
}

export function systemPrefersDark(): boolean {
  return matchMedia(DARK_QUERY).matches;
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/**
 * Puts the theme on <html>: `data-theme` switches the CSS variables of styles.css, `color-scheme` the browser's own
 * parts (scrollbars, form controls, the date picker).
 */
export function applyTheme(root: HTMLElement, theme: Theme): void {
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}
