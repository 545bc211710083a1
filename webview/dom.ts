/**
 * Building the panel's DOM safely: every string becomes a text node or an attribute value (never
 * markup), so a case id or a note that looks like HTML stays text. The one exception is `chartNode`,
 * which takes an SVG string from the report's `chartSvg`; that function escapes every text it draws.
 */

export type Child = Node | string | null | undefined | false;

export interface Props {
  readonly class?: string;
  readonly id?: string;
  /** `data-testid`, the name end-to-end tests find the element by. */
  readonly testid?: string;
  /** Other attributes; `false` and `undefined` leave the attribute out, `true` sets it empty. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly on?: { readonly [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props | null, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props | null = null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props) setProps(el, props);
  append(el, ...children);
  return el;
}

export function setProps(el: HTMLElement, props: Props): void {
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.testid) el.dataset.testid = props.testid;
  for (const [name, v] of Object.entries(props.attrs ?? {})) {
    if (v === undefined || v === false) el.removeAttribute(name);
    else el.setAttribute(name, v === true ? '' : String(v));
  }
  for (const [type, fn] of Object.entries(props.on ?? {})) el.addEventListener(type, fn as EventListener);
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces an element's content with the given children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/**
 * A chart drawn by the report's `chartSvg`. Only that function's output may come here: it builds the
 * markup from numbers and escaped text, so nothing from the data can become an element or attribute.
 */
export function chartNode(svgFromChartSvg: string, testid: string): HTMLElement {
  const box = h('div', { class: 'chart', testid });
  box.innerHTML = svgFromChartSvg;
  return box;
}

/** A small table: a caption, header cells and rows of plain text (the charts' text alternative). */
export function table(caption: string, head: readonly string[], rows: readonly (readonly Child[])[], props?: Props): HTMLTableElement {
  return h(
    'table',
    props,
    h('caption', null, caption),
    h('thead', null, h('tr', null, ...head.map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c, k) => (k === 0 ? h('th', { attrs: { scope: 'row' } }, c) : h('td', null, c)))))),
  );
}
