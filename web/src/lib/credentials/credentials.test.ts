import type { CredentialDto, CredentialKindDto } from '$contract/credentials';
import { credentialFields, initialValues, updateBodyOf } from './credential-update';

const openai: CredentialKindDto = {
  kind: 'openai',
  label: 'OpenAI-compatible API',
  schema: { type: 'object', properties: { apiKey: { type: 'string' }, baseUrl: { type: 'string', format: 'uri' } }, required: ['apiKey'] },
  secretFields: ['apiKey'],
};
const stored: CredentialDto = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Local LLM',
  kind: 'openai',
  publicData: { baseUrl: 'http://127.0.0.1:8080/v1' },
  secretFields: ['apiKey'],
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
};

describe('credential updates', () => {
  const fields = credentialFields(openai);

  it('lists the kind’s fields with the secret ones marked, and starts secrets empty', () => {
    expect(fields).toEqual([
      { key: 'apiKey', label: 'Api key', required: true, secret: true },
      { key: 'baseUrl', label: 'Base url', required: false, secret: false },
    ]);
    expect(initialValues(stored, fields)).toEqual({ apiKey: '', baseUrl: 'http://127.0.0.1:8080/v1' });
  });

  it('sends nothing when nothing changed, and only the name when only it changed', () => {
    expect(updateBodyOf(stored, fields, 'Local LLM', initialValues(stored, fields))).toBeNull();
    expect(updateBodyOf(stored, fields, ' Renamed ', initialValues(stored, fields))).toEqual({ name: 'Renamed' });
  });

  it('rotates a secret with the public fields kept, so the replaced data loses nothing', () => {
    expect(updateBodyOf(stored, fields, 'Local LLM', { apiKey: 'sk-new', baseUrl: 'http://127.0.0.1:8080/v1' })).toEqual({ data: { apiKey: 'sk-new', baseUrl: 'http://127.0.0.1:8080/v1' } });
  });

  it('changes a public field without sending the secret, which the server keeps', () => {
    expect(updateBodyOf(stored, fields, 'Local LLM', { apiKey: '', baseUrl: '' })).toEqual({ data: {} });
    expect(updateBodyOf(stored, fields, 'Local LLM', { apiKey: '', baseUrl: 'https://api.example.com/v1' })).toEqual({ data: { baseUrl: 'https://api.example.com/v1' } });
  });
});
