import { createCollectionBody } from '$contract/collections';
import { formatBytes, METRICS } from './collection-format';

describe('collection formatting', () => {
  it('formats sizes in binary units', () => {
    expect([0, 812, 1536, 10 * 1024 - 1, 24 * 1024 * 1024, 3 * 1024 ** 4, 2048 * 1024 ** 4].map(formatBytes)).toEqual(['0 B', '812 B', '1.5 KiB', '10 KiB', '24 MiB', '3 TiB', '2048 TiB']);
  });

  it('offers every metric of the contract', () => {
    expect(METRICS).toEqual(createCollectionBody.shape.metric.unwrap().options);
  });
});
