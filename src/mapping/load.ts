/**
 * Loading of a mapping file (YAML or JSON, since YAML 1.2 reads JSON too).
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { decodePortAppConfig } from './decode.js';
import { MappingConfigError } from './errors.js';
import type { PortAppConfig } from './types.js';

export type MappingSource = { readonly path: string } | { readonly yaml: string };

/**
 * Reads and decodes a mapping from a file or from YAML text, applying
 * Ocean's defaults. Throws `MappingConfigError` when the file cannot be
 * read, the YAML does not parse, or a value is invalid. JQ expressions are
 * only compiled later, by `EntityMapper.create`.
 */
export function loadPortAppConfig(source: MappingSource): PortAppConfig {
  const origin = 'path' in source ? source.path : undefined;
  const text = 'path' in source ? readMappingFile(source.path) : source.yaml;
  const document = parseYaml(text, origin);

  const decoded = decodePortAppConfig(document);
  if (decoded._tag === 'Left') {
    throw new MappingConfigError(decoded.left.issues, origin);
  }
  return decoded.right;
}

function readMappingFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new MappingConfigError([
      { path: '(file)', problem: `could not be read (${code})`, fix: 'Check that the mapping path exists and is readable.' },
    ], path);
  }
}

function parseYaml(text: string, origin: string | undefined): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => ({
      path: error.linePos === undefined ? '(yaml)' : `(yaml line ${error.linePos[0].line}, column ${error.linePos[0].col})`,
      problem: `is not valid YAML: ${error.message.split('\n')[0] ?? error.code}`,
      fix: 'Fix the YAML syntax at that position.',
    }));
    throw new MappingConfigError(issues, origin);
  }
  return document.toJS();
}
