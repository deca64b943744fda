// JSON Schema for baseline files, and validation + migration: data in, a v1 BaselineFile or one
// ConfigError naming the file and the field out. Unknown keys are rejected (a hand-edited typo must
// not silently drop a run); an unknown schemaVersion is refused rather than guessed at.
import { basename, dirname } from 'node:path';
import type { ErrorObject, JSONSchemaType } from 'ajv';
import { validatorFor, type ValidatorSpec } from '../util/validator.js';
import { ConfigError } from '../util/errors.js';
import type { BaselineFile, BaselineRun, LegacyBaselineV0, MetricValues, RunValues, WithinRun } from './types.js';
import { DEFAULT_POOL_SIZE } from './types.js';

const nonNegative = { type: 'number', minimum: 0 } as const;

const metricValues: JSONSchemaType<MetricValues> = {
  type: 'object',
  additionalProperties: false,
  required: ['p50', 'p95', 'p99', 'errorRate', 'rps', 'requests'],
  properties: {
    p50: nonNegative,
    p95: nonNegative,
    p99: nonNegative,
    errorRate: { type: 'number', minimum: 0, maximum: 1 },
    rps: nonNegative,
    requests: nonNegative,
  },
};

const spread = {
  type: 'object',
  additionalProperties: false,
  required: ['se', 'df'],
  properties: { se: nonNegative, df: { type: 'number', exclusiveMinimum: 0 } },
  nullable: true,
} as const;

const within: JSONSchemaType<WithinRun> = {
  type: 'object',
  additionalProperties: false,
  required: ['batches'],
  properties: { batches: { type: 'integer', minimum: 1 }, p50: spread, p95: spread, p99: spread, errorRate: spread, rps: spread },
};

const runValues: JSONSchemaType<RunValues> = {
  type: 'object',
  additionalProperties: false,
  required: ['overall', 'byName'],
  properties: {
    overall: metricValues,
    byName: { type: 'object', additionalProperties: metricValues, required: [] },
    capacity: { type: 'number', minimum: 0, nullable: true },
    capacityResolution: { type: 'number', exclusiveMinimum: 0, nullable: true },
    within: { ...within, nullable: true },
    k6: { type: 'object', nullable: true, required: [], additionalProperties: { type: 'number' } },
    k6Time: { type: 'array', nullable: true, items: { type: 'string' } },
  },
};

const baselineRun: JSONSchemaType<BaselineRun> = {
  type: 'object',
  additionalProperties: false,
  required: ['runId', 'startedAt', 'status', 'fingerprint', 'values', 'histograms'],
  properties: {
    runId: { type: 'string', minLength: 1 },
    startedAt: { type: 'string', minLength: 1 },
    status: { type: 'string', enum: ['pass', 'fail', 'inconclusive', 'error', 'interrupted'] },
    fingerprint: {
      type: 'object',
      additionalProperties: false,
      required: ['planHash', 'k6Version', 'machine'],
      properties: { planHash: { type: 'string' }, k6Version: { type: 'string' }, machine: { type: 'string' } },
    },
    values: runValues,
    histograms: {
      type: 'object',
      additionalProperties: false,
      required: ['overall', 'byName'],
      properties: {
        overall: { type: 'string' },
        byName: { type: 'object', additionalProperties: { type: 'string' }, required: [] },
      },
    },
  },
};

export const baselineSchema: JSONSchemaType<BaselineFile> = {
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'profile', 'scenario', 'poolSize', 'runs', 'history'],
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    profile: { type: 'string', minLength: 1 },
    scenario: { type: 'string', minLength: 1 },
    poolSize: { type: 'integer', minimum: 1 },
    runs: { type: 'array', items: baselineRun },
    history: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'action', 'runId'],
        properties: {
          at: { type: 'string' },
          action: { type: 'string', enum: ['add', 'remove', 'force-add'] },
          runId: { type: 'string' },
          note: { type: 'string', nullable: true },
        },
      },
    },
  },
};

const legacySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['run'],
  properties: {
    schemaVersion: { type: 'integer', const: 0 },
    profile: { type: 'string' },
    scenario: { type: 'string' },
    run: baselineRun,
  },
} as const;

const OPTIONS = { allErrors: false, verbose: true, logger: false };
export const BASELINE_VALIDATORS: ValidatorSpec[] = [
  { name: 'baseline-v1', schema: baselineSchema, options: OPTIONS },
  { name: 'baseline-v0', schema: legacySchema, options: OPTIONS },
];

/** Validates parsed JSON, migrating older formats; throws ConfigError(file, pointer, ...). */
export function validateBaseline(data: unknown, file: string): BaselineFile {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(file, '', 'must be a JSON object (a loadctl baseline)', 'restore the file from version control');
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  const legacy = version === 0 || (version === undefined && 'run' in data);
  if (legacy) {
    const v0 = validatorFor(BASELINE_VALIDATORS[1]!);
    if (!v0(data)) throw fromAjv(v0.errors?.[0], file);
    return migrateV0(data as LegacyBaselineV0, file);
  }
  if (version === undefined) {
    throw new ConfigError(file, '/schemaVersion', 'missing required key "schemaVersion"', 'add "schemaVersion": 1');
  }
  if (version !== 1) {
    throw new ConfigError(
      file,
      '/schemaVersion',
      `unknown schemaVersion ${JSON.stringify(version)} (this loadctl reads 0 and 1)`,
      'the file was written by a newer loadctl: upgrade loadctl, or restore the file from version control',
    );
  }
  const v1 = validatorFor(BASELINE_VALIDATORS[0]!);
  if (!v1(data)) throw fromAjv(v1.errors?.[0], file);
  return data as BaselineFile;
}

/** v0 held one run and no history; its profile and scenario default to the file's place. */
export function migrateV0(old: LegacyBaselineV0, file: string): BaselineFile {
  return {
    schemaVersion: 1,
    profile: old.profile ?? basename(dirname(file)),
    scenario: old.scenario ?? basename(file).replace(/\.json$/, ''),
    poolSize: DEFAULT_POOL_SIZE,
    runs: [old.run],
    history: [{ at: old.run.startedAt, action: 'add', runId: old.run.runId, note: 'migrated from schemaVersion 0' }],
  };
}

function fromAjv(e: ErrorObject | undefined, file: string): ConfigError {
  const hint = 'fix the field or restore the file from version control';
  if (!e) return new ConfigError(file, '', 'does not match the baseline schema', hint);
  const got = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)?.slice(0, 40)})`;
  switch (e.keyword) {
    case 'required': {
      const key = String(e.params.missingProperty);
      return new ConfigError(file, `${e.instancePath}/${key}`, `missing required key "${key}"`, hint);
    }
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      return new ConfigError(file, `${e.instancePath}/${key}`, `unknown key "${key}"`, `remove "${key}"`);
    }
    default:
      return new ConfigError(file, e.instancePath, `${e.message ?? 'is invalid'}${got}`, hint);
  }
}
