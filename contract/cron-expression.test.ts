import { cronExpressionProblem } from './cron-expression';

test.each(['30 9 * * MON-FRI', '*/15 * * * *', '0 12 1,15 jan-jun,DECEMBER sun', '0 0 1 1 * 2030', '0 30 9 * * 1-5 2030-2032', '5 4 * * 5-7', '10/20 * * * *', '@daily', '@hourly'])(
  'accepts %s',
  (expression) => {
    expect(cronExpressionProblem(expression)).toBeUndefined();
  },
);

test.each([
  ['61 * * * *', /minute: "61" holds a value outside 0–59/],
  ['0 24 * * *', /hour/],
  ['0 0 0 * *', /day of month/],
  ['0 9 * * FUNDAY', /day of week: .* unknown name/],
  ['5-1 * * * *', /ends before it starts/],
  ['*/0 * * * *', /step .* at least 1/],
  ['0 9 * *', /expected 5 fields .* got 4/],
  ['0 0 9 * * * * *', /got 8/],
  ['TZ=Europe/Paris 0 9 * * *', /spec.timezone/],
  ['0 9 * * * # daily', /comments/],
  ['@every 5m', /spec.intervals/],
  ['@fortnightly', /unknown shorthand/],
  ['@Daily', /unknown shorthand/],
  ['0 0 1 1 * 2101', /year/],
  ['0 9 ? * MON', /day of month/],
  ['0 9 L * *', /day of month/],
])('refuses %s', (expression, problem) => {
  expect(cronExpressionProblem(expression)).toMatch(problem);
});
