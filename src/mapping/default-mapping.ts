/**
 * Locations of the mapping files that ship with the package.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Returns the nearest directory at or above `start` that contains a
 * `package.json`. Walking up (instead of a fixed `../..`) makes the result
 * the same from `src/` under tsx and from `dist/src/` after tsc.
 */
export function findPackageRoot(start: string): string {
  let directory = start;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error(`No package.json found in ${start} or any parent directory. Run from an installed jira-port-stream package.`);
    }
    directory = parent;
  }
  return directory;
}

/** Absolute path of the jira-port-stream package root. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of the default mapping: projects, users and issues with Ocean's default expressions. */
export const DEFAULT_MAPPING_PATH = join(PACKAGE_ROOT, 'config', 'port-app-config.yaml');

/** Absolute path of the blueprints the default mapping writes to, in Port's blueprint JSON format. */
export const DEFAULT_BLUEPRINTS_PATH = join(PACKAGE_ROOT, 'config', 'blueprints.json');
