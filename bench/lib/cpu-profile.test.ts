import { selfTimeByFunction, type CpuProfile } from './cpu-profile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

test('self time is summed per function, each sample counting the gap to the next one, largest first', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)') },
      { id: 2, callFrame: frame('measure', 'http://127.0.0.1:3000/assets/app-x.js', 41) },
      { id: 3, callFrame: frame('', 'http://127.0.0.1:3000/assets/app-x.js', 9) },
      { id: 4, callFrame: frame('(garbage collector)') },
    ],
    samples: [2, 3, 2, 4, 2],
    // Microseconds since the previous sample; the first one's is the time since the profile started.
    timeDeltas: [100, 2000, 500, 3000, 1000],
  };
  expect(selfTimeByFunction(profile, 10)).toEqual([
    { name: 'measure app-x.js:42', selfMs: 5 },
    { name: '(garbage collector)', selfMs: 1 },
    { name: '(anonymous) app-x.js:10', selfMs: 0.5 },
  ]);
  expect(selfTimeByFunction(profile, 1)).toEqual([{ name: 'measure app-x.js:42', selfMs: 5 }]);
});

test('a profile without samples has no hot functions', () => {
  expect(selfTimeByFunction({ nodes: [{ id: 1, callFrame: frame('(root)') }] }, 5)).toEqual([]);
});
