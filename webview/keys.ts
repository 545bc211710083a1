/**
 * Keyboard navigation between cases inside the page: j / k (next / previous), except while the focus is
 * in a field that takes typing. Modified keys are left to VS Code: the webview forwards every keydown
 * to the workbench, whose keybindings (the host's Alt+↓ / Alt+↑, or the user's own) act on it whether
 * or not the page handled it, so handling them here too would move two cases at once.
 */

export interface KeyLike {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/** Elements where keys type text; toolkit fields are seen as their host element at the document. */
const TYPING = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'VSCODE-TEXT-FIELD', 'VSCODE-TEXT-AREA', 'VSCODE-DROPDOWN']);

export function isTypingTarget(target: { readonly tagName?: string; readonly isContentEditable?: boolean } | null): boolean {
  return !!target && (TYPING.has((target.tagName ?? '').toUpperCase()) || target.isContentEditable === true);
}

export function navigationKey(e: KeyLike, typing: boolean): 'next' | 'previous' | null {
  if (typing || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  return e.key === 'j' ? 'next' : e.key === 'k' ? 'previous' : null;
}
