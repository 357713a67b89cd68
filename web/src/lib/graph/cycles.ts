export interface Link {
  source: string;
  target: string;
}

/**
 * Every node that lies on a cycle (Tarjan's strongly connected components, iterative so a long chain cannot overflow
 * the stack). The server names a cycle on one of its nodes; the canvas marks all of them so the loop can be seen.
 */
export function nodesOnCycles(links: readonly Link[]): Set<string> {
  const next = successors(links);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result = new Set<string>();
  let counter = 0;
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; child: number }[] = [{ node: root, child: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const children = next.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++];
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = children.includes(frame.node);
      if (component.length > 1 || selfLoop) component.forEach((id) => result.add(id));
    }
  }
  return result;
}

/** Whether `to` can be reached from `from` along the links (a new link `to → from` would then close a cycle). */
export function reaches(links: readonly Link[], from: string, to: string): boolean {
  const next = successors(links);
  const seen = new Set([from]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (node === to) return true;
    for (const child of next.get(node) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return false;
}

function successors(links: readonly Link[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const { source, target } of links) {
    const out = next.get(source);
    if (out) out.push(target);
    else next.set(source, [target]);
    if (!next.has(target)) next.set(target, []);
  }
  return next;
}
