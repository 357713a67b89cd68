import { matchRoute } from './route-match';

describe('matchRoute', () => {
  it('matches literal and parameter segments, decoding parameters', () => {
    expect(matchRoute('/runs/:runId', '/runs/run-a%3Ab')).toEqual({ runId: 'run-a:b' });
    expect(matchRoute('/workflows', '/workflows/')).toEqual({});
    expect(matchRoute('/workflows/:id', '/runs/x')).toBeNull();
    expect(matchRoute('/workflows/:id', '/workflows')).toBeNull();
  });
});
