// k6 outputs next to loadctl's own: the profile's `outputs:` and --k6-out become `--out` flags and
// k6's per-output environment. Pure. Settings travel as environment variables because that is how
// k6 configures its built-in outputs (prometheus-rw ignores its --out argument); values that name a
// secret stay ${NAME} references here, in the plan and in the invocation, and are resolved only
// into the spawned k6's environment (resolveEnvTemplates), so argv, plans and reports never hold them.

import { interpolate } from '../config/env.js';
import { OPENTELEMETRY, PROMETHEUS_RW, type OutputSettings } from '../config/schema-outputs.js';
import { closestName } from '../config/validate.js';
import { ConfigError, UsageError } from '../util/errors.js';
import type { PlannedOutput } from '../plan/types.js';
import { k6Major } from './locate.js';

/**
 * The outputs k6 v2 has built in (`k6 run -o x` lists them with the extensions; statsd is listed
 * but only refuses to start). v1 lacks `opentelemetry` (it has only `experimental-opentelemetry`).
 * test/outputs-k6.test.ts keeps the list in step with the tested k6.
 */
export const K6_BUILTIN_OUTPUTS = ['cloud', 'csv', 'experimental-opentelemetry', PROMETHEUS_RW, 'influxdb', 'json', OPENTELEMETRY, 'web-dashboard'] as const;

/** The built-in outputs of one k6 line. */
export function builtinOutputs(major: number): readonly string[] {
  return major >= 2 ? K6_BUILTIN_OUTPUTS : K6_BUILTIN_OUTPUTS.filter((o) => o !== OPENTELEMETRY);
}

/** The run tag every series of a run carries, so a dashboard can pick one run. */
export const RUN_ID_TAG = 'testid';

const ref = (name: string) => '${' + name + '}';
// A literal value (from the command line) must not be read as a reference when k6 starts.
const literal = (text: string) => text.replace(/\$\{/g, () => '$${');

/** k6's environment for one output's typed fields (k6's names, from its internal/output/…/config.go). */
export function outputEnv(o: OutputSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (key: string, value: string | boolean | undefined) => {
    if (value !== undefined) env[key] = String(value);
  };
  if (o.type === PROMETHEUS_RW) {
    const p = 'K6_PROMETHEUS_RW_';
    set(`${p}SERVER_URL`, o.url);
    set(`${p}TREND_STATS`, o.trendStats?.join(','));
    set(`${p}TREND_AS_NATIVE_HISTOGRAM`, o.nativeHistograms);
    set(`${p}PUSH_INTERVAL`, o.pushInterval);
    set(`${p}STALE_MARKERS`, o.staleMarkers);
    if (o.bearerTokenEnv) set(`${p}BEARER_TOKEN`, ref(o.bearerTokenEnv));
    if (o.usernameEnv) set(`${p}USERNAME`, ref(o.usernameEnv));
    if (o.passwordEnv) set(`${p}PASSWORD`, ref(o.passwordEnv));
  } else if (o.type === OPENTELEMETRY) {
    const transport = o.protocol === 'http' ? 'HTTP' : 'GRPC';
    set('K6_OTEL_EXPORTER_PROTOCOL', o.protocol === undefined ? undefined : o.protocol === 'http' ? 'http/protobuf' : 'grpc');
    // k6 v1 reads the transport from K6_OTEL_EXPORTER_TYPE; each line ignores the other's name.
    set('K6_OTEL_EXPORTER_TYPE', o.protocol === undefined ? undefined : o.protocol === 'http' ? 'http' : 'grpc');
    set(`K6_OTEL_${transport}_EXPORTER_ENDPOINT`, o.endpoint);
    set(`K6_OTEL_${transport}_EXPORTER_INSECURE`, o.insecure);
    set('K6_OTEL_SERVICE_NAME', o.serviceName);
    set('K6_OTEL_EXPORT_INTERVAL', o.exportInterval);
    if (o.headersEnv) set('K6_OTEL_HEADERS', ref(o.headersEnv));
  }
  return env;
}

/** `type[=arg]`, as k6's --out takes it. */
export function parseK6OutFlag(spec: string): { type: string; arg?: string } {
  const eq = spec.indexOf('=');
  const type = eq < 0 ? spec : spec.slice(0, eq);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(type)) {
    throw new UsageError(`--k6-out ${spec}: "${type}" is not a k6 output name`, `write --k6-out <output>[=<argument>], e.g. --k6-out ${PROMETHEUS_RW}=http://127.0.0.1:9090/api/v1/write`);
  }
  if (type === 'loadctl') throw new UsageError(`--k6-out ${spec}: "loadctl" is loadctl's own output, always on`, 'drop this flag');
  return eq < 0 ? { type } : { type, arg: spec.slice(eq + 1) };
}

/** A flag's argument, as the typed field it stands for (the URL or the endpoint), or as `args`. */
function flagSettings(type: string, arg: string | undefined): Partial<OutputSettings> {
  if (arg === undefined || arg === '') return {};
  if (type === PROMETHEUS_RW) return { url: literal(arg) };
  if (type === OPENTELEMETRY) return { endpoint: literal(arg) };
  return { args: arg };
}

/**
 * The run's outputs: the profile's, then --k6-out's. A flag naming an output the profile already
 * configures (prometheus-rw, opentelemetry) overrides its URL/endpoint and keeps the rest (auth,
 * trend stats), as flags override profiles elsewhere. Throws on settings that contradict.
 */
export function planOutputs(profile: readonly OutputSettings[] | undefined, flags: readonly string[] | undefined, file: string): PlannedOutput[] {
  const list: { settings: OutputSettings; from: string }[] = (profile ?? []).map((settings, i) => ({ settings, from: `/outputs/${i}` }));
  for (const spec of flags ?? []) {
    const { type, arg } = parseK6OutFlag(spec);
    const from = `--k6-out ${spec}`;
    const typed = type === PROMETHEUS_RW || type === OPENTELEMETRY;
    const same = typed ? list.find((o) => o.settings.type === type) : undefined;
    if (same) {
      same.settings = { ...same.settings, ...flagSettings(type, arg) };
      same.from = from;
    } else {
      list.push({ settings: { type, ...flagSettings(type, arg) }, from });
    }
    if (type === PROMETHEUS_RW && arg && !/^https?:\/\/[^/]/i.test(arg)) {
      throw new UsageError(`${from}: "${arg}" is not an http(s) URL`, `write the remote-write URL, e.g. --k6-out ${PROMETHEUS_RW}=http://127.0.0.1:9090/api/v1/write`);
    }
  }
  const owner = new Map<string, { value: string; from: string }>();
  return list.map(({ settings, from }) => {
    const typedEnv = outputEnv(settings);
    for (const key of Object.keys(settings.env ?? {})) {
      if (key in typedEnv) {
        throw new ConfigError(file, `${from}/env/${key}`, `${key} is already set by this output's own fields`, 'set it through the field (url, trendStats, …), not env');
      }
    }
    const env = { ...typedEnv, ...settings.env };
    for (const [key, value] of Object.entries(env)) {
      const prior = owner.get(key);
      if (prior && prior.value !== value) {
        throw new UsageError(`${file}: ${from}: sets ${key} differently from ${prior.from}`, 'k6 reads one value per environment variable for the whole run: make them agree');
      }
      owner.set(key, { value, from });
    }
    return { type: settings.type, from, ...(settings.args !== undefined ? { arg: settings.args } : {}), env };
  });
}

/**
 * The run's extra outputs as k6 argv (`--out`) and environment (templates), plus the run-id tag.
 * `scriptTags` are a plain script's own `options.tags`: k6's --tag replaces them (it does not
 * merge), so they are passed again next to the run id.
 */
export function outputInvocation(outputs: readonly PlannedOutput[], tags: Record<string, string> | null, major = 2): { args: string[]; envTemplates: Record<string, string> } {
  const args: string[] = [];
  const envTemplates: Record<string, string> = {};
  for (const o of outputs) {
    // k6 v1 has the same output, with the same K6_OTEL_* settings, under its experimental name.
    const type = major < 2 && o.type === OPENTELEMETRY ? 'experimental-opentelemetry' : o.type;
    args.push('--out', o.arg !== undefined ? `${type}=${o.arg}` : type);
    Object.assign(envTemplates, o.env);
  }
  for (const [key, value] of Object.entries(tags ?? {})) args.push('--tag', `${key}=${value}`);
  return { args, envTemplates };
}

/** The tags to give k6 with --tag: the script's own (plain scripts), then the run id. */
export function runTags(runId: string, scriptTags: Record<string, string> = {}): Record<string, string> {
  return { ...scriptTags, [RUN_ID_TAG]: runId };
}

/** Resolves the ${NAME} references of k6's output settings from loadctl's environment. */
export function resolveEnvTemplates(templates: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(templates).map(([key, value]) => [key, interpolate(value, env)]));
}

/**
 * Refuses an output the k6 at hand lacks (a typo, or an extension it was not built with) before
 * anything starts: exit 2, naming where it was asked for.
 */
export function assertOutputsAvailable(outputs: readonly PlannedOutput[] | undefined, k6: { path: string; version: string; outputs: readonly string[] }, file: string): void {
  // v1 calls the opentelemetry output experimental-opentelemetry; loadctl renames it (outputInvocation).
  const available = [...new Set([...builtinOutputs(k6Major(k6.version)), OPENTELEMETRY, ...k6.outputs])].filter((n) => n !== 'loadctl').sort();
  for (const o of outputs ?? []) {
    if (available.includes(o.type)) continue;
    const where = o.from.startsWith('/') ? `${file}: ${o.from}/type` : o.from;
    // A short name for a long one (prometheus-rw) is as likely as a typo.
    const near = closestName(o.type, available) ?? available.find((n) => n.includes(o.type));
    throw new UsageError(
      `${where}: the k6 at ${k6.path} has no output "${o.type}" (it has: ${available.join(', ')})`,
      near ? `did you mean "${near}"?` : 'for an extension\'s output, build k6 with it (xk6) and pass it with --k6 <path>',
    );
  }
}
