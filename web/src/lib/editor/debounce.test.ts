import { Debounce } from './debounce';

describe('debounce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs once, the delay after the last schedule', () => {
    const action = jest.fn();
    const debounce = new Debounce(2000, action);
    debounce.schedule();
    jest.advanceTimersByTime(1500);
    debounce.schedule();
    jest.advanceTimersByTime(1999);
    expect(action).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('forgets a cancelled run', () => {
    const action = jest.fn();
    const debounce = new Debounce(2000, action);
    debounce.schedule();
    debounce.cancel();
    jest.advanceTimersByTime(5000);
    expect(action).not.toHaveBeenCalled();
  });
});
