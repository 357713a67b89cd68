import { writeFile } from 'node:fs/promises';
import type { CDPSession } from 'playwright-core';

/** The parts of a V8 CPU profile (DevTools' `.cpuprofile`, CDP's Profiler.Profile) this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Starts V8's sampling profiler on the page; `stopCpuProfile` ends it. */
export async function startCpuProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

/** Stops the profiler and writes the profile to `file`, which Chromium's DevTools (Performance panel) opens. */
export async function stopCpuProfile(cdp: CDPSession, file: string): Promise<CpuProfile> {
  const { profile } = await cdp.send('Profiler.stop');
  await writeFile(file, JSON.stringify(profile));
  return profile;
}

/**
 * Where the profiled time went: self time (samples landing in a function, not in its callees) per function, named
 * with its script and line, beside V8's own entries (`(garbage collector)`, `(program)`: the browser's work outside
 * JavaScript, such as style, layout and paint). Largest first, `limit` rows.
 */
export function selfTimeByFunction(profile: CpuProfile, limit: number): { name: string; selfMs: number }[] {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((nodeId, index) => {
    const frame = frameOf.get(nodeId);
    if (!frame) return;
    const script = frame.url ? frame.url.slice(frame.url.lastIndexOf('/') + 1) : '';
    const name = `${frame.functionName || '(anonymous)'}${script ? ` ${script}:${frame.lineNumber + 1}` : ''}`;
    // A sample's time is the gap to the next one: how long the profiler found the thread in that function.
    totals.set(name, (totals.get(name) ?? 0) + (deltas[index + 1] ?? 0) / 1000);
  });
  return [...totals.entries()]
    .map(([name, selfMs]) => ({ name, selfMs: Math.round(selfMs * 10) / 10 }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, limit);
}
