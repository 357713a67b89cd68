import { parse } from 'yaml';

/** One variable of .env.example: `NAME=value`, or `# NAME=value` when it is optional and shows its default. */
export interface EnvExampleEntry {
  name: string;
  line: number;
  /** The comment lines right above it, without their `# `. */
  description: string[];
  /** Described as `[container] …`: read by a container image or by compose, not by KAI-Fusion's code. */
  container: boolean;
}

const ENTRY = /^#?\s?([A-Z][A-Z0-9_]*)=/;
const SECTION = /^#\s*====/;

export function parseEnvExample(text: string): EnvExampleEntry[] {
  const lines = text.split('\n');
  const entries: EnvExampleEntry[] = [];
  lines.forEach((line, index) => {
    const match = ENTRY.exec(line);
    if (!match) return;
    const description: string[] = [];
    for (let above = index - 1; above >= 0; above -= 1) {
      const candidate = lines[above];
      if (!candidate.startsWith('#') || ENTRY.test(candidate) || SECTION.test(candidate)) break;
      description.unshift(candidate.replace(/^#\s?/, ''));
    }
    entries.push({ name: match[1], line: index + 1, description, container: description[0]?.startsWith('[container]') ?? false });
  });
  return entries;
}

export interface DockerfileStage {
  /** The base image with build arguments resolved, or an earlier stage's name. */
  from: string;
  name?: string;
  instructions: { keyword: string; args: string }[];
}

/** Splits a Dockerfile into stages of instructions (continuation lines joined, comments dropped, ARGs resolved in FROM). */
export function parseDockerfile(text: string): DockerfileStage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: DockerfileStage[] = [];
  for (const line of logical) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name, value = ''] = rest.split('=', 2);
      args.set(name.trim(), value.trim());
    } else if (upper === 'FROM') {
      const [image, as, name] = rest.replace(/--platform=\S+\s+/, '').split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_whole, braced: string | undefined, bare: string | undefined) => args.get(braced ?? bare ?? '') ?? '');
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword: upper, args: rest });
    }
  }
  return stages;
}

/** The parts of a compose service this project's checks read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  container_name?: string;
  ports?: unknown[];
  volumes?: (string | { type: string; source?: string })[];
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  restart?: string;
}

export function parseCompose(text: string): { services: Record<string, ComposeService> } {
  // Merge keys: the app services share one anchored block (`<<: *kai-app`), as Compose allows.
  return parse(text, { merge: true }) as { services: Record<string, ComposeService> };
}

/**
 * An image reference pinned to a version: a tag other than `latest` that names a version (it has a digit), or a
 * digest. Interpolated references are not pinned: their value is decided elsewhere.
 */
export function isPinnedImage(reference: string): boolean {
  if (reference.includes('$')) return false;
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return true;
  const tag = /:([^:/]+)$/.exec(reference)?.[1];
  return tag !== undefined && tag !== 'latest' && /\d/.test(tag);
}

/** `${NAME…}` references compose fills in from .env (not the `$${NAME}` ones it leaves to the container's shell). */
export function composeInterpolations(text: string): { name: string; fallback?: string }[] {
  return [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}$]*)(?=\}))?/g)].map((match) => ({ name: match[1], fallback: match[2] }));
}

/** `$${NAME…}` references in a service, which the container's shell expands from its own environment. */
export function containerShellReferences(text: string): { name: string; fallback?: string }[] {
  return [...text.matchAll(/\$\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g)].map((match) => ({ name: match[1], fallback: match[2] }));
}
