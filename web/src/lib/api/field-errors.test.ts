import type { ErrorDetail } from '$contract/errors';
import { ApiRequestError, messageOf } from './api-error';
import { placeFieldErrors } from './field-errors';
import { fieldLabel, inWords, withSubject } from './in-words';

const refusal = (...details: ErrorDetail[]) => new ApiRequestError(400, 'validation_failed', `invalid body: ${details[0]?.path}: ${details[0]?.message}`, details);

describe('errors in words', () => {
  it.each([
    ['Invalid input: expected record, received string', 'must be an object of names and values, not text'],
    ['Invalid input: expected string, received undefined', 'is required'],
    ['Invalid input: expected int, received number', 'must be a whole number'],
    ['Too small: expected string to have >=1 characters', 'is required'],
    ['Too big: expected string to have <=200 characters', 'must be at most 200 characters'],
    ['Too small: expected number to be >=1', 'must be at least 1'],
    ['Invalid option: expected one of "GET"|"POST"', 'must be one of "GET", "POST"'],
    ['Invalid email address', 'must be a valid email address'],
    ['must be at least 10 characters', 'must be at least 10 characters'],
  ])('%s → %s', (message, words) => expect(inWords(message)).toBe(words));

  it('names fields as a person reads them', () => {
    expect(fieldLabel('body.password')).toBe('Password');
    expect(fieldLabel('body.graph.nodes.http_request_1.data.config.headers')).toBe('http_request_1 › Headers');
    expect(fieldLabel('draft.nodes.fetch.label')).toBe('fetch › Label');
    expect(fieldLabel('body.tags.2')).toBe('Tags');
  });

  it('puts the field before a message that reads as what it is or must be', () => {
    expect(withSubject('Url', 'is required')).toBe('Url is required');
    expect(withSubject('Code', "a Code node's code takes no {{ }} templates")).toBe("a Code node's code takes no {{ }} templates");
  });

  it('words a refused request without paths, codes or repeats', () => {
    const message = messageOf(refusal({ path: 'body.password', message: 'must be at least 10 characters' }));
    expect(message).toBe('Password: must be at least 10 characters');
  });
});

describe('field errors', () => {
  it('places each detail once at the field it names, leaving nothing for the banner', () => {
    const placed = placeFieldErrors(
      refusal({ path: 'body.password', message: 'Too small: expected string to have >=10 characters' }, { path: 'body.password', message: 'must not be your email' }),
      ['email', 'password'],
    );
    expect(placed).toEqual({ fields: { password: 'must be at least 10 characters' }, rest: null });
  });

  it('keeps what names no field of the form for the banner', () => {
    const placed = placeFieldErrors(refusal({ path: 'body.data.apiKey', message: 'Invalid input: expected string, received undefined' }, { path: 'body.workspace', message: 'unknown' }), [
      'name',
      'data.apiKey',
    ]);
    expect(placed.fields).toEqual({ 'data.apiKey': 'is required' });
    expect(placed.rest).toBeInstanceOf(ApiRequestError);
    expect((placed.rest as ApiRequestError).details).toEqual([{ path: 'body.workspace', message: 'unknown' }]);
  });

  it('leaves errors that name no field as they are', () => {
    const failure = new Error('offline');
    expect(placeFieldErrors(failure, ['email'])).toEqual({ fields: {}, rest: failure });
    const conflict = new ApiRequestError(409, 'conflict', 'email already registered');
    expect(placeFieldErrors(conflict, ['email']).rest).toBe(conflict);
  });
});
