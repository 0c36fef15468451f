import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderMarkdown } from './markdown-table.js';
import type { ResultsFile } from './results-file.js';

const JSON_NAME = 'latest.json';
const MARKDOWN_NAME = 'latest.md';

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * Reads `latest.json` from a results folder, or null when there is none yet.
 *
 * @throws Error when the file exists but is not a results file.
 * @example
 * ```ts
 * const previous = await readResults('bench/results');
 * ```
 */
export async function readResults(directory: string): Promise<ResultsFile | null> {
  const path = join(directory, JSON_NAME);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if (isMissingFile(error)) return null;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !Array.isArray((parsed as { cases?: unknown }).cases)
  ) {
    throw new Error(`${path} is not a results file (no "cases" array); fix or delete it.`);
  }
  return parsed as ResultsFile;
}

/**
 * Writes `latest.json` and `latest.md` into a results folder. The JSON goes through a temporary
 * file and a rename, so an interrupted run never leaves a half-written results file.
 *
 * @example
 * ```ts
 * await writeResults('bench/results', mergeResults(previous, run, suite));
 * ```
 */
export async function writeResults(directory: string, results: ResultsFile): Promise<void> {
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, 'latest.tmp.json');
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`);
  await rename(temporary, join(directory, JSON_NAME));
  await writeFile(join(directory, MARKDOWN_NAME), renderMarkdown(results));
}
