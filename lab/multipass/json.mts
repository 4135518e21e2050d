// Multipass's JSON layout: 4-space indent, `": "`, and empty arrays and objects printed as
// an opening bracket, a newline and the closing one at the parent's indent (Qt's
// QJsonDocument::toJson in v1.16.3; mp::pretty_print on main prints the same).
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function printJson(value: Json, sortKeys: boolean, indent = ''): string {
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return `[\n${indent}]`;
    return `[\n${value.map((v) => inner + printJson(v, sortKeys, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
    if (keys.length === 0) return `{\n${indent}}`;
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${printJson(value[k]!, sortKeys, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** A whole document as the CLI writes it to stdout: one trailing newline. */
export const printDocument = (value: Json, sortKeys: boolean) => `${printJson(value, sortKeys)}\n`;
