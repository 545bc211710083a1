/**
 * Keyboard navigation between cases: Alt+→ / Alt+← and j / k (next / previous), except while the
 * focus is in a field that takes typing, where those keys edit text (Alt+arrows move by word on macOS).
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
  if (typing || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  if (e.altKey) return e.key === 'ArrowRight' ? 'next' : e.key === 'ArrowLeft' ? 'previous' : null;
  return e.key === 'j' ? 'next' : e.key === 'k' ? 'previous' : null;
}
