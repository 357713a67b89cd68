const KEY = 'kai.workspace';

/** The workspace chosen last, kept in localStorage across reloads; null means the person's own workspace. */
export const workspaceStore = {
  read(): string | null {
    return localStorage.getItem(KEY);
  },
  write(id: string | null): void {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
  },
};
