import { fieldOf, formFields, getAtPath, labelOf, parseJsonInput, parseNumberInput, referenceSyntaxOf, setAtPath } from './schema-fields';

describe('form fields from a JSON Schema', () => {
  it('draws the widget the schema names: credential, duration, multi-line text, code, JSONata', () => {
    const fields = formFields({
      type: 'object',
      properties: {
        credentialId: { type: 'string', maxLength: 64, widget: 'credential' },
        timeout: { anyOf: [{ type: 'integer' }, { type: 'string' }], widget: 'duration' },
        prompt: { type: 'string', maxLength: 100, widget: 'multiline' },
        code: { type: 'string', widget: 'code' },
        expression: { type: 'string', maxLength: 10000, widget: 'expression' },
      },
    });
    expect(fields).toMatchObject([
      { key: 'credentialId', kind: 'credential' },
      { key: 'timeout', kind: 'duration' },
      { key: 'prompt', kind: 'text', content: 'plain', multiline: true, maxLength: 100 },
      { key: 'code', kind: 'text', content: 'code', multiline: true },
      { key: 'expression', kind: 'text', content: 'expression', multiline: true },
    ]);
  });

  it('does not guess a widget from a field’s name or shape', () => {
    const fields = formFields({
      type: 'object',
      properties: {
        credentialId: { type: 'string' },
        timeout: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] },
        headerName: { type: 'string' },
        apiKey: { type: 'string', maxLength: 500 },
        other: { type: 'string', widget: 'no-such-widget' },
      },
    });
    expect(fields).toMatchObject([
      { key: 'credentialId', kind: 'text', multiline: false },
      { key: 'timeout', kind: 'json' },
      { key: 'headerName', kind: 'text', multiline: false },
      { key: 'apiKey', kind: 'text', multiline: false },
      { key: 'other', kind: 'text', content: 'plain', multiline: false },
    ]);
  });

  it('types each property without a widget by its JSON type: text, enum, number, boolean, nested object, JSON', () => {
    const fields = formFields({
      type: 'object',
      required: ['url'],
      properties: {
        method: { type: 'string', enum: ['GET', 'POST'], default: 'GET' },
        url: { type: 'string', format: 'uri' },
        message: { type: 'string', maxLength: 2000, description: 'asked' },
        status: { type: 'integer', minimum: 200, maximum: 599 },
        failOnHttpError: { type: 'boolean', default: true },
        response: { type: 'object', properties: { status: { type: 'integer' } } },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: { oneOf: [{ type: 'object' }, { type: 'object' }] },
      },
    });
    expect(fields.map((field) => [field.key, field.kind])).toEqual([
      ['method', 'enum'],
      ['url', 'text'],
      ['message', 'text'],
      ['status', 'number'],
      ['failOnHttpError', 'boolean'],
      ['response', 'object'],
      ['headers', 'json'],
      ['body', 'json'],
    ]);
    expect(fields[0]).toMatchObject({ options: ['GET', 'POST'], defaultValue: 'GET', required: false });
    expect(fields[1]).toMatchObject({ required: true, content: 'plain', multiline: false, format: 'uri' });
    expect(fields[2]).toMatchObject({ multiline: false, maxLength: 2000, description: 'asked' });
    expect(fields[3]).toMatchObject({ integer: true, minimum: 200, maximum: 599 });
    expect(fields[5]).toMatchObject({ fields: [expect.objectContaining({ key: 'status', kind: 'number' })] });
  });

  it('labels keys as words', () => {
    expect(labelOf('failOnHttpError')).toBe('Fail on http error');
    expect(labelOf('start_to_close')).toBe('Start to close');
  });

  it('reads numbers and JSON, keeping templates as text', () => {
    expect(parseNumberInput(' 42 ')).toBe(42);
    expect(parseNumberInput('{{ input.n }}')).toBe('{{ input.n }}');
    expect(parseNumberInput('')).toBeUndefined();
    expect(parseJsonInput('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonInput('{{ nodes.a.output }}')).toBe('{{ nodes.a.output }}');
  });

  it('sets and removes nested values without touching the original', () => {
    const original = { config: { url: 'x' } };
    const set = setAtPath(original, ['retry', 'maximumAttempts'], 3);
    expect(set).toEqual({ config: { url: 'x' }, retry: { maximumAttempts: 3 } });
    expect(setAtPath(set, ['retry', 'maximumAttempts'], undefined)).toEqual({ config: { url: 'x' } });
    expect(original).toEqual({ config: { url: 'x' } });
    expect(getAtPath(set, ['retry', 'maximumAttempts'])).toBe(3);
  });
});

describe('fields that take references', () => {
  it('are the config fields a run resolves templates in, and JSONata fields', () => {
    const text = fieldOf('url', { type: 'string' }, true);
    expect(referenceSyntaxOf(text, ['config', 'url'])).toBe('template');
    expect(referenceSyntaxOf(fieldOf('values', { type: 'object', additionalProperties: {} }, true), ['config', 'values'])).toBe('template');
    expect(referenceSyntaxOf(fieldOf('count', { type: 'integer' }, false), ['config', 'count'])).toBe('template');
    expect(referenceSyntaxOf(fieldOf('expression', { type: 'string', widget: 'expression' }, true), ['config', 'expression'])).toBe('expression');
    expect(referenceSyntaxOf(fieldOf('source', { type: 'string', widget: 'code' }, true), ['config', 'source'])).toBeNull();
    expect(referenceSyntaxOf(fieldOf('method', { type: 'string', enum: ['GET'] }, false), ['config', 'method'])).toBeNull();
    expect(referenceSyntaxOf(fieldOf('maximumAttempts', { type: 'integer' }, false), ['retry', 'maximumAttempts'])).toBeNull();
    expect(referenceSyntaxOf(text, ['toolDescription'])).toBeNull();
  });
});
