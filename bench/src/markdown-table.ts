import type { CaseResult, ResultsFile } from './results-file.js';
import { verdictOf } from './verdict.js';

const HEADER = [
  'Case',
  'Unit',
  'Ours median',
  'Ours p99',
  'Peer median',
  'Peer p99',
  'Peer',
  'Ratio',
  'Target',
  'Verdict',
  'Notes',
];

function cell(value: string | number | null): string {
  if (value === null) return '-';
  const text = typeof value === 'number' ? value.toLocaleString('en-US') : value;
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function row(result: CaseResult): string {
  const cells = [
    result.id,
    result.unit,
    result.ours,
    result.ourP99,
    result.peer,
    result.peerP99,
    result.peerName,
    result.ratio,
    result.target,
    verdictOf(result),
    result.notes,
  ].map(cell);
  return `| ${cells.join(' | ')} |`;
}

/**
 * Renders results as the short markdown report `bench/results/latest.md`: the run's time and
 * machine, then one table row per case with medians, p99s, ratio, target and verdict.
 *
 * @example
 * ```ts
 * await writeFile('bench/results/latest.md', renderMarkdown(results));
 * ```
 */
export function renderMarkdown(results: ResultsFile): string {
  const { machine } = results;
  const versions = Object.entries(results.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    '# CareQueue benchmark results',
    '',
    `Run ${results.when} on ${machine.cpus} CPUs, Node ${machine.node} (V8 ${machine.v8}), ` +
      `Postgres ${machine.postgres ?? 'absent'}, Redis ${machine.redis ?? 'absent'}.`,
    `Versions: ${versions || 'none'}.`,
    '',
    'Ratio is ours / peer medians. p99 is the tail in the bad direction (the 1st percentile for ' +
      'rates). Verdict compares the ratio (or, with no peer, our median) with the target.',
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map(() => '---').join('|')}|`,
    ...results.cases.map(row),
    '',
  ].join('\n');
}
