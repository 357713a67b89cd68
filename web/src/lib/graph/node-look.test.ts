import { nodeLookOf } from './node-look';

describe('node look', () => {
  it('gives a type its own icon and its category’s colour variable', () => {
    expect(nodeLookOf('http-request', 'network')).toEqual({ icon: '↗', colour: 'var(--category-network)' });
    expect(nodeLookOf('condition', 'flow')).toEqual({ icon: '◇', colour: 'var(--category-flow)' });
  });

  it('falls back to the category’s icon for a type it does not know', () => {
    expect(nodeLookOf('slack-message', 'network')).toEqual({ icon: '↗', colour: 'var(--category-network)' });
  });

  it('shows an unknown category in the neutral colour rather than an undefined variable', () => {
    expect(nodeLookOf('mystery', 'plugins')).toEqual({ icon: '•', colour: 'var(--category-other)' });
    expect(nodeLookOf('mystery', undefined)).toEqual({ icon: '•', colour: 'var(--category-other)' });
  });
});
