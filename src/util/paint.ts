// Colour is applied through this interface so renderers stay pure; the CLI passes chalk (or
// identity functions when NO_COLOR is set or output is not a terminal).

export interface Paint {
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const id = (s: string) => s;
export const plain: Paint = { ok: id, bad: id, warn: id, dim: id, bold: id };
