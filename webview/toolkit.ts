/**
 * The one place the panel uses `@vscode/webview-ui-toolkit` (archived upstream in January 2025): it
 * registers only the components the panel uses and hands out plain `HTMLElement`s. No other webview
 * file imports the package, so moving to another component set later means rewriting this file only.
 *
 * The components follow the VS Code theme by themselves (light, dark, high contrast), are keyboard
 * operable and pass `aria-label` on to their inner control.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';
import { append, setProps, type Child, type Props } from './dom';

export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeRadio(),
    vsCodeRadioGroup(),
    vsCodeTextArea(),
    vsCodeTextField(),
  );
}

/** A form control whose value is a string (text field, text area, dropdown, radio group). */
export interface ValueControl extends HTMLElement {
  value: string;
  disabled: boolean;
}

function make<T extends HTMLElement>(tag: string, props: Props | undefined, children: Child[]): T {
  const el = document.createElement(tag) as T;
  if (props) setProps(el, props);
  append(el, ...children);
  return el;
}

export interface ButtonOptions extends Props {
  readonly appearance?: 'primary' | 'secondary';
  readonly onClick: () => void;
}

export function button(label: string, options: ButtonOptions): ValueControl {
  const b = make<ValueControl>('vscode-button', { ...options, attrs: { appearance: options.appearance ?? 'secondary', ...options.attrs } }, [label]);
  b.addEventListener('click', () => {
    if (!b.disabled) options.onClick();
  });
  return b;
}

/**
 * Makes a button primary or secondary after it was made. The toolkit's button reads its `appearance`
 * attribute only when connected, so the property is set (it reflects to the attribute).
 */
export function setAppearance(b: ValueControl, appearance: 'primary' | 'secondary'): void {
  (b as ValueControl & { appearance: string }).appearance = appearance;
}

export interface FieldOptions extends Props {
  /** The visible label. */
  readonly label: string;
  readonly value?: string;
  readonly placeholder?: string;
  /** Called on every edit. */
  readonly onInput?: (value: string) => void;
}

export function textField(options: FieldOptions): ValueControl {
  const f = make<ValueControl>('vscode-text-field', { ...options, attrs: { placeholder: options.placeholder, 'aria-label': options.label, ...options.attrs } }, [options.label]);
  f.value = options.value ?? '';
  if (options.onInput) f.addEventListener('input', () => options.onInput!(f.value));
  return f;
}

export function textArea(options: FieldOptions & { readonly rows?: number }): ValueControl {
  const f = make<ValueControl>('vscode-text-area', { ...options, attrs: { rows: options.rows ?? 3, resize: 'vertical', 'aria-label': options.label, ...options.attrs } }, [options.label]);
  f.value = options.value ?? '';
  if (options.onInput) f.addEventListener('input', () => options.onInput!(f.value));
  return f;
}

export interface Choice {
  readonly value: string;
  readonly text: string;
  readonly testid?: string;
}

/** A drop-down list; it has no visible label of its own, so put one beside it. */
export function dropdown(options: Props & { readonly label: string; readonly choices: readonly Choice[]; readonly value: string; readonly onChange: (value: string) => void }): ValueControl {
  const d = make<ValueControl>(
    'vscode-dropdown',
    { ...options, attrs: { 'aria-label': options.label, ...options.attrs } },
    options.choices.map((c) => make<HTMLElement>('vscode-option', { testid: c.testid, attrs: { value: c.value, selected: c.value === options.value } }, [c.text])),
  );
  d.addEventListener('change', () => options.onChange(d.value));
  return d;
}

/** Radio buttons with a visible legend; the value is the chosen choice's value, or '' when none is. */
export function radioGroup(options: Props & { readonly label: string; readonly choices: readonly Choice[]; readonly onChange: (value: string) => void }): ValueControl {
  const g = make<ValueControl>('vscode-radio-group', { ...options, attrs: { orientation: 'horizontal', ...options.attrs } }, [
    make<HTMLElement>('label', { attrs: { slot: 'label' } }, [options.label]),
    ...options.choices.map((c) => make<HTMLElement>('vscode-radio', { testid: c.testid, attrs: { value: c.value } }, [c.text])),
  ]);
  g.addEventListener('change', () => options.onChange(g.value ?? ''));
  return g;
}

/** Sets a radio group's choice; '' clears it. */
export function selectRadio(group: HTMLElement, value: string): void {
  for (const r of Array.from(group.querySelectorAll('vscode-radio'))) (r as HTMLElement & { checked: boolean }).checked = value !== '' && r.getAttribute('value') === value;
  (group as ValueControl).value = value;
}

export function progressRing(label: string): HTMLElement {
  return make<HTMLElement>('vscode-progress-ring', { attrs: { 'aria-label': label } }, []);
}
