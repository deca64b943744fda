// Builders and patterns shared by the profile schema's modules (schema.ts, schema-scaling.ts).

// Names become k6 `name` tags and threshold selectors (`http_req_duration{name:x}`), where
// braces, commas and spaces would break the expression.
export const NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]*$';
// Capture variables are spliced into later steps as {{var}}.
export const VAR_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const PATH_PATTERN = '^/';

// Builders for optional fields; `nullable` is what JSONSchemaType asks of optional keys and is
// removed again by plainJsonSchema in schema.ts.
export const num = <L extends object>(description: string, limits: L) =>
  ({ type: 'number', nullable: true, description, ...limits }) as const;
export const int = <L extends object>(description: string, limits: L) =>
  ({ type: 'integer', nullable: true, description, ...limits }) as const;
export const ms = (description: string) => num(`${description} (ms)`, { minimum: 0 });
export const fraction = (description: string) => num(description, { minimum: 0, maximum: 1 });
export const str = (description: string) => ({ type: 'string', nullable: true, description }) as const;
export const stringMap = (description: string) =>
  ({ type: 'object', nullable: true, description, additionalProperties: { type: 'string' }, required: [] }) as const;

