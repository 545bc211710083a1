/** A collapsible section of the panel (a native `<details>`: keyboard operable, announced as expandable). */
import { h, type Child } from '../dom';

export const SECTIONS = ['attribution', 'sensitivity', 'surrogate', 'calibration', 'whatif', 'decision'] as const;
export type SectionId = (typeof SECTIONS)[number];

export function section(id: SectionId, title: string, open: boolean, onToggle: (id: SectionId, open: boolean) => void, ...body: Child[]): HTMLDetailsElement {
  const d = h('details', { class: 'section', id: `section-${id}`, attrs: { open } }, h('summary', null, h('h2', null, title)), h('div', { class: 'section-body' }, ...body));
  d.addEventListener('toggle', () => onToggle(id, d.open));
  return d;
}

/** What a section says when its analysis could not run: the reason, in words. */
export function unavailable(reason: string): HTMLElement {
  return h('p', { class: 'unavailable' }, `Not available: ${reason}.`);
}
