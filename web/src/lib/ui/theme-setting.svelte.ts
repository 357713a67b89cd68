import { DARK_QUERY, resolveTheme, storedThemeChoice, systemPrefersDark, THEME_PREFERENCE, type ThemeChoice } from './theme';

/**
 * The theme of this browser: the stored choice, and the system's preference, followed live while the choice is
 * `system`. App.svelte puts `current` on the page; main.ts applies the stored theme before the app loads, so a dark
 * page never flashes light.
 */
class ThemeSetting {
  choice = $state<ThemeChoice>(storedThemeChoice());
  private systemDark = $state(systemPrefersDark());
  readonly current = $derived(resolveTheme(this.choice, this.systemDark));

  constructor() {
    matchMedia(DARK_QUERY).addEventListener('change', (event) => (this.systemDark = event.matches));
  }

  choose(choice: ThemeChoice): void {
    this.choice = choice;
    localStorage.setItem(THEME_PREFERENCE, choice);
  }
}

export const themeSetting = new ThemeSetting();
