import { fieldProblem, jsonTextProblem } from './field-check';
import { fieldOf } from './schema-fields';

const attempts = fieldOf('maximumAttempts', { type: 'integer', minimum: 1, maximum: 20 }, false);
const url = fieldOf('url', { type: 'string', minLength: 1 }, true);
const name = fieldOf('name', { type: 'string', maxLength: 5 }, false);
const method = fieldOf('method', { type: 'string', enum: ['GET', 'POST'], default: 'GET' }, true);
const flag = fieldOf('followRedirects', { type: 'boolean' }, true);

describe('field check from the schema', () => {
  it('flags a number field holding text, a fraction or a value out of bounds', () => {
    expect(fieldProblem(attempts, 'abc', { checkRequired: false })).toBe('must be a whole number');
    expect(fieldProblem(attempts, 1.5, { checkRequired: false })).toBe('must be a whole number');
    expect(fieldProblem(attempts, 0, { checkRequired: false })).toBe('must be at least 1');
    expect(fieldProblem(attempts, 21, { checkRequired: false })).toBe('must be at most 20');
    expect(fieldProblem(attempts, 3, { checkRequired: false })).toBeNull();
  });

  it('leaves templates to the server, which resolves them', () => {
    expect(fieldProblem(attempts, '{{ nodes.start.output.tries }}', { checkRequired: true })).toBeNull();
    expect(jsonTextProblem('{{= $.headers }}')).toBeNull();
  });

  it('asks for a required field only once it has been left, and not when the schema has a default or it is a checkbox', () => {
    expect(fieldProblem(url, undefined, { checkRequired: false })).toBeNull();
    expect(fieldProblem(url, undefined, { checkRequired: true })).toBe('is required');
    expect(fieldProblem(method, undefined, { checkRequired: true })).toBeNull();
    expect(fieldProblem(flag, undefined, { checkRequired: true })).toBeNull();
  });

  it('flags text over its maximum length', () => {
    expect(fieldProblem(name, 'abcdef', { checkRequired: false })).toBe('must be at most 5 characters');
    expect(fieldProblem(name, 'abc', { checkRequired: false })).toBeNull();
  });

  it('says where typed JSON broke', () => {
    expect(jsonTextProblem('{bad json')).toMatch(/^is not valid JSON: /);
    expect(jsonTextProblem('{"accept": "application/json"}')).toBeNull();
    expect(jsonTextProblem('  ')).toBeNull();
  });
});
