/**
 * The case list in the Risk Review side bar: every listed case with its score, band, outcome (not in blind
 * review before the reviewer has decided the case), group and review status, in the order of the list's query (caseQuery.ts). A large case file stays quick:
 * the list hands VS Code one page at a time (the first PAGE cases, then a "show more" item).
 */
import * as vscode from 'vscode';
import { scoreText, integer } from '../engine/report/format';
import { describeQuery, type SortOrder } from './caseQuery';
import type { ReviewController } from './controller';
import { safeLine } from './notify';

export const CASE_VIEW_ID = 'riskReview.cases';
const PAGE = 500;

export type CaseNode = { readonly kind: 'case'; readonly index: number } | { readonly kind: 'more'; readonly remaining: number };

const SORT_WORDS: Readonly<Record<SortOrder, string>> = {
  'score-desc': 'highest score first',
  'score-asc': 'lowest score first',
  id: 'by id',
  file: 'in file order',
};

export class CaseListProvider implements vscode.TreeDataProvider<CaseNode>, vscode.Disposable {
  private shown = PAGE;
  /** One node per case index, so `reveal` finds the node VS Code was given. */
  private nodes = new Map<number, CaseNode>();
  private readonly changed = new vscode.EventEmitter<CaseNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  readonly view: vscode.TreeView<CaseNode>;

  constructor(private readonly controller: ReviewController) {
    this.view = vscode.window.createTreeView(CASE_VIEW_ID, { treeDataProvider: this, canSelectMany: true, showCollapseAll: false });
    this.disposables.push(
      this.view,
      controller.onDidChangeReview(() => {
        this.shown = PAGE;
      }),
      controller.onDidChangeList(() => this.refresh()),
      controller.onDidChangeCase((i) => void this.reveal(i)),
    );
    this.refresh();
  }

  private refresh(): void {
    this.nodes = new Map();
    const review = this.controller.review;
    if (review) {
      const listed = this.controller.order().length;
      const query = describeQuery(review, this.controller.query);
      this.view.description = `${integer(listed)}${listed === review.n ? '' : ` of ${integer(review.n)}`} · ${SORT_WORDS[this.controller.query.sort]}`;
      this.view.message = query === '' ? undefined : safeLine(`Showing ${query}.`);
      if (listed === 0 && query !== '') this.view.message = safeLine(`No case matches ${query}. Clear the filters to see every case.`);
    } else {
      this.view.description = undefined;
      this.view.message = undefined;
    }
    this.changed.fire(undefined);
  }

  showMore(): void {
    this.shown += PAGE;
    this.changed.fire(undefined);
  }

  private nodeOf(index: number): CaseNode {
    let node = this.nodes.get(index);
    if (!node) {
      node = { kind: 'case', index };
      this.nodes.set(index, node);
    }
    return node;
  }

  getChildren(element?: CaseNode): CaseNode[] {
    if (element || !this.controller.review) return [];
    const order = this.controller.order();
    const count = Math.min(order.length, this.shown);
    const out: CaseNode[] = new Array(count);
    for (let k = 0; k < count; k++) out[k] = this.nodeOf(order[k]);
    if (order.length > count) out.push({ kind: 'more', remaining: order.length - count });
    return out;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: CaseNode): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`Show ${integer(Math.min(PAGE, node.remaining))} more (${integer(node.remaining)} not shown)`);
      item.command = { command: 'riskReview.showMoreCases', title: 'Show more cases' };
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'more';
      return item;
    }
    const review = this.controller.review!;
    const i = node.index;
    const id = review.ids[i];
    const score = scoreText(review.score[i], review.scoreIsProbability, review.scoreUnit);
    const band = review.bands[review.band[i]];
    // Blind review hides the outcome here too until the reviewer has decided the case.
    const o = review.outcome && !this.controller.isBlind(i) ? review.outcome[i] : -1;
    const outcome = o === 1 ? `${review.outcomeColumn}: yes` : o === 0 ? `${review.outcomeColumn}: no` : null;
    const groups = review.groups.map((g) => g.labels[g.codes[i]]);
    const decision = this.controller.latestDecisionOf(i);
    const status = decision ? `${decision.verdict === 'agree' ? 'agreed' : `disagreed${decision.assignedBand ? `, would assign ${decision.assignedBand}` : ''}`} (${decision.reviewer})` : 'not reviewed';

    // What the list shows is made safe; the command gets the id itself.
    const item = new vscode.TreeItem(safeLine(id));
    item.id = `case:${id}`;
    item.description = safeLine([score, band, ...(outcome ? [outcome] : []), ...groups].join(' · '));
    item.iconPath = decision ? new vscode.ThemeIcon(decision.verdict === 'agree' ? 'pass' : 'error', new vscode.ThemeColor(decision.verdict === 'agree' ? 'testing.iconPassed' : 'testing.iconFailed')) : new vscode.ThemeIcon('circle-large-outline');
    const noOutcome = review.outcome && this.controller.isBlind(i) ? 'Outcome hidden until you decide (blind review)' : 'Outcome not known';
    item.tooltip = [`Case ${id}`, `Score ${score} (${band} band)`, outcome ?? noOutcome, ...review.groups.map((g) => `${g.column}: ${g.labels[g.codes[i]]}`), `Review: ${status}`].map(safeLine).join('\n');
    item.accessibilityInformation = { label: safeLine(`Case ${id}, score ${score}, ${band} band${outcome ? `, ${outcome}` : ''}${groups.length ? `, ${groups.join(', ')}` : ''}, ${status}`) };
    item.contextValue = decision ? 'case.reviewed' : 'case';
    item.command = { command: 'riskReview.openCase', title: 'Open Case', arguments: [id] };
    return item;
  }

  /** Shows the case in the list when it is on a page already given to VS Code (revealing never loads pages). */
  private async reveal(i: number | null): Promise<void> {
    if (i === null || !this.view.visible) return;
    const node = this.nodes.get(i);
    if (!node) return;
    try {
      await this.view.reveal(node, { select: true, focus: false });
    } catch {
      // The node may have been replaced by a refresh in between; nothing to show then.
    }
  }

  /** The cases selected in the list (for a batch export), in list order. */
  selectedIndices(): number[] {
    return this.view.selection.filter((n): n is CaseNode & { kind: 'case' } => n.kind === 'case').map((n) => n.index);
  }

  dispose(): void {
    this.changed.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
