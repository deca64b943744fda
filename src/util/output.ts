// The CLI's only door to stdout/stderr and colour. NO_COLOR and non-terminals get plain text.

import chalk from 'chalk';
import { plain, type Paint } from './paint.js';

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

function colourPaint(): Paint {
  return { ok: chalk.green, bad: chalk.red, warn: chalk.yellow, dim: chalk.dim, bold: chalk.bold };
}

const wantsColour = !process.env.NO_COLOR && chalk.level > 0;
export const paint: Paint = wantsColour ? colourPaint() : plain;
