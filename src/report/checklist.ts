// `doctor` and `validate` answer with a checklist: a line per thing looked at, marked, with the
// fix under what failed, and a last line that sums it up. Pure.

export type ItemStatus = 'ok' | 'bad' | 'note';

export interface ChecklistItem {
  status: ItemStatus;
  text: string;
  fix?: string;
}

const MARK: Record<ItemStatus, string> = { ok: '✓', bad: '✗', note: '-' };

export function renderChecklist(items: ChecklistItem[], summary: { ok: string; bad: string }): string {
  const lines = items.map((i) => `${MARK[i.status]} ${i.text}${i.fix ? `\n    fix: ${i.fix}` : ''}`);
  const ok = items.every((i) => i.status !== 'bad');
  return [...lines, '', ok ? summary.ok : summary.bad].join('\n');
}

export const checklistOk = (items: ChecklistItem[]): boolean => items.every((i) => i.status !== 'bad');
