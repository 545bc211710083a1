/** The case list's title-bar commands: sort, filter (band, group, review status), search by id, clear. */
import * as vscode from 'vscode';
import type { SortOrder, StatusFilter } from '../caseQuery';
import type { ReviewController } from '../controller';
import { safeLabel, showInfo } from '../notify';

function needReview(controller: ReviewController) {
  const review = controller.review;
  if (!review) void showInfo('Risk Review: open a review first.');
  return review;
}

/** Whether the list is narrowed, so the "clear" button shows only when there is something to clear. */
export function updateFilteredContext(controller: ReviewController): void {
  const q = controller.query;
  void vscode.commands.executeCommand('setContext', 'riskReview.listFiltered', q.band !== null || q.group !== null || q.status !== 'all' || q.search.trim() !== '');
}

export async function sortCases(controller: ReviewController): Promise<void> {
  if (!needReview(controller)) return;
  const items: { label: string; order: SortOrder }[] = [
    { label: 'Highest score first', order: 'score-desc' },
    { label: 'Lowest score first', order: 'score-asc' },
    { label: 'By case id', order: 'id' },
    { label: 'In file order', order: 'file' },
  ];
  const picked = await vscode.window.showQuickPick(
    items.map((it) => ({ ...it, description: it.order === controller.query.sort ? '(current)' : undefined })),
    { title: 'Sort Cases', placeHolder: 'Order of the case list (next / previous case follow it)' },
  );
  if (picked) controller.setQuery({ sort: picked.order });
}

export async function filterCases(controller: ReviewController): Promise<void> {
  const review = needReview(controller);
  if (!review) return;
  const what = await vscode.window.showQuickPick(
    [
      { label: 'By band', by: 'band' as const },
      ...(review.groups.length ? [{ label: 'By group', by: 'group' as const }] : []),
      { label: 'By review status', by: 'status' as const },
    ],
    { title: 'Filter Cases' },
  );
  if (!what) return;
  if (what.by === 'band') {
    const picked = await vscode.window.showQuickPick([{ label: 'All bands', band: null }, ...review.bands.map((label, band) => ({ label: safeLabel(label), band }))], { title: 'Filter Cases by Band' });
    if (picked) controller.setQuery({ band: picked.band });
  } else if (what.by === 'group') {
    const items = [
      { label: 'All groups', group: null },
      ...review.groups.flatMap((g, column) => g.labels.map((label, code) => ({ label: safeLabel(label), description: safeLabel(g.column), group: { column, code } }))),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Filter Cases by Group', matchOnDescription: true });
    if (picked) controller.setQuery({ group: picked.group });
  } else {
    const statuses: { label: string; status: StatusFilter }[] = [
      { label: 'Any status', status: 'all' },
      { label: 'Not reviewed yet', status: 'unreviewed' },
      { label: 'Reviewed', status: 'reviewed' },
      { label: 'Agreed with the band', status: 'agree' },
      { label: 'Disagreed with the band', status: 'disagree' },
    ];
    const picked = await vscode.window.showQuickPick(statuses, { title: 'Filter Cases by Review Status' });
    if (picked) controller.setQuery({ status: picked.status });
  }
}

export async function searchCases(controller: ReviewController): Promise<void> {
  if (!needReview(controller)) return;
  const text = await vscode.window.showInputBox({ title: 'Search Cases', prompt: 'Show the cases whose id contains this text (empty for all)', value: controller.query.search });
  if (text !== undefined) controller.setQuery({ search: text });
}

export function clearCaseFilters(controller: ReviewController): void {
  controller.setQuery({ band: null, group: null, status: 'all', search: '' });
}
