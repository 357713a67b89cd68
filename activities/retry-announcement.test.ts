import { ApplicationFailure } from '@temporalio/activity';
import { willRetry } from './retry-announcement';

const policy = (maximumAttempts?: number, nonRetryableErrorTypes?: string[]) => ({ maximumAttempts, nonRetryableErrorTypes });

test('a failure is retried while attempts are left, unless it is non-retryable by flag or by type', () => {
  const transient = ApplicationFailure.create({ message: 'busy', type: 'HttpServerError' });
  expect(willRetry({ attempt: 1, retryPolicy: policy(3) }, transient)).toBe(true);
  expect(willRetry({ attempt: 3, retryPolicy: policy(3) }, transient)).toBe(false);
  expect(willRetry({ attempt: 40, retryPolicy: policy(0) }, transient)).toBe(true);
  expect(willRetry({ attempt: 1, retryPolicy: policy(3, ['HttpServerError']) }, transient)).toBe(false);
  expect(willRetry({ attempt: 1, retryPolicy: policy(3) }, ApplicationFailure.create({ message: 'bad', nonRetryable: true }))).toBe(false);
  expect(willRetry({ attempt: 1, retryPolicy: policy(3, ['TypeError']) }, new TypeError('oops'))).toBe(false);
});
