/**
 * The system clipboard, where the browser offers it (a secure page, permission granted). Undefined answers mean it
 * could not be used, so the canvas falls back to what it copied itself.
 */
export async function writeClipboardText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API, or the permission was refused: the canvas keeps its own copy.
    return false;
  }
}

export async function readClipboardText(): Promise<string | undefined> {
  try {
    return await navigator.clipboard.readText();
  } catch {
    // As above: the caller pastes its own copy instead.
    return undefined;
  }
}
